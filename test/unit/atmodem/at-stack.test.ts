// The AT stack below the driver: line/prompt splitting (every byte boundary), URC typing, the pure
// command machine (echo, prefixes, raw lines, PDU data lines, finals, errors, dial results, the
// `> ` prompt, timeouts that name the command, retries, abort) and the queue over a virtual clock.
import t, { type Test } from 'tap';
import { VirtualClock } from '../../../hal/src/clock.js';
import { AtError } from '../../../hal/src/drivers/atmodem/at-command.js';
import { AtLineSplitter, type AtToken, MAX_LINE } from '../../../hal/src/drivers/atmodem/at-lines.js';
import { AtQueue } from '../../../hal/src/drivers/atmodem/at-queue.js';
import { parseUrc, type Urc } from '../../../hal/src/drivers/atmodem/at-urc.js';
import * as cmd from '../../../hal/src/drivers/atmodem/commands.js';

const enc = (s: string) => new TextEncoder().encode(s);

function splitAll(chunks: (string | Uint8Array)[]): AtToken[] {
  const s = new AtLineSplitter();
  return chunks.flatMap((c) => s.push(c));
}

t.test('splitter: CRLF, CR, LF, empty lines, prompt, at every byte boundary', async (t) => {
  const stream = '\r\nOK\r\n\r\n+CSQ: 20,99\rRING\n\r\n> 0011AB\r\n+CLIP: "13512345678",129\r\n你好\r\n';
  const want = splitAll([stream]);
  t.same(want, [
    { kind: 'line', text: 'OK' },
    { kind: 'line', text: '+CSQ: 20,99' },
    { kind: 'line', text: 'RING' },
    { kind: 'prompt' },
    { kind: 'line', text: '0011AB' },
    { kind: 'line', text: '+CLIP: "13512345678",129' },
    { kind: 'line', text: '你好' },
  ]);
  const bytes = enc(stream);
  for (let i = 1; i < bytes.length; i++) {
    t.same(splitAll([bytes.subarray(0, i), bytes.subarray(i)]), want, `cut at ${i}`);
  }
  t.same(splitAll(Array.from(bytes, (b) => Uint8Array.of(b))), want, 'one byte at a time');
});

t.test('splitter: a lone ">" waits; garbage lines are cut at MAX_LINE', async (t) => {
  const s = new AtLineSplitter();
  t.same(s.push('>'), []);
  t.equal(s.pending, 1);
  t.same(s.push(' '), [{ kind: 'prompt' }]);
  const long = s.push('x'.repeat(MAX_LINE + 10));
  t.equal(long.length, 1);
  t.same(s.push('\r\n'), [{ kind: 'line', text: 'x'.repeat(10) }]);
});

t.test('URCs are typed', async (t) => {
  const cases: [string, Urc][] = [
    ['RING', { type: 'ring' }],
    ['+CRING: VOICE', { type: 'ring' }],
    ['+CLIP: "+8613512345678",145,"",0,"",0', { type: 'clip', number: '+8613512345678', validity: 0 }],
    ['+CLIP: "",128,"",0,"",1', { type: 'clip', number: null, validity: 1 }],
    ['+CMTI: "SM",3', { type: 'cmti', mem: 'SM', index: 3 }],
    ['+CMTI: "ME",x', { type: 'other', line: '+CMTI: "ME",x' }],
    ['NO CARRIER', { type: 'callEnd', cause: 'NO CARRIER' }],
    ['BUSY', { type: 'callEnd', cause: 'BUSY' }],
    ['NO ANSWER', { type: 'callEnd', cause: 'NO ANSWER' }],
    ['+CREG: 1', { type: 'reg', tech: 'cs', stat: 'home' }],
    ['+CEREG: 5,"1A2B","01C3D4E5",7', { type: 'reg', tech: 'eps', stat: 'roaming' }],
    ['+CREG: 3', { type: 'reg', tech: 'cs', stat: 'denied' }],
    ['+CPIN: NOT READY', { type: 'cpin', state: 'NOT READY' }],
    ['+QTONEDET: 49', { type: 'dtmf', digit: '1' }],
    ['+QTONEDET: 35', { type: 'dtmf', digit: '#' }],
    ['+DTMF: *', { type: 'dtmf', digit: '*' }],
    ['+DTMF: 9', { type: 'dtmf', digit: '9' }],
    ['+QTONEDET: 1234', { type: 'other', line: '+QTONEDET: 1234' }],
    ['RDY', { type: 'boot', line: 'RDY' }],
    ['\u0000\u00ff??', { type: 'other', line: '\u0000\u00ff??' }],
  ];
  for (const [line, want] of cases) t.same(parseUrc(line), want, line);
});

t.test('+CSQ maps to dBm; 99 is unknown', async (t) => {
  t.equal(cmd.csqToDbm(0), -113);
  t.equal(cmd.csqToDbm(20), -73);
  t.equal(cmd.csqToDbm(31), -51);
  t.equal(cmd.csqToDbm(99), null);
});

interface Rig {
  q: AtQueue;
  clock: VirtualClock;
  tx: string[];
  urcs: Urc[];
}

function rig(): Rig {
  const clock = new VirtualClock();
  const tx: string[] = [];
  const urcs: Urc[] = [];
  const q = new AtQueue({ clock, write: (d) => tx.push(d), onUrc: (u) => urcs.push(u) });
  return { q, clock, tx, urcs };
}

/**
 * Move virtual time, then let the queue decide a due timeout: it waits for a setImmediate so bytes
 * already at the port are read first (at-queue.ts). `times` steps, each `ms`.
 */
async function pass(clock: VirtualClock, ms: number, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    clock.advance(ms);
    await new Promise((r) => setImmediate(r));
  }
}

async function rejectsAt(t: Test, p: Promise<unknown>, want: Record<string, string>): Promise<void> {
  try {
    await p;
    t.fail('expected a rejection');
  } catch (e) {
    t.type(e, AtError);
    t.match(e, want);
  }
}

const flush = () => new Promise((r) => setImmediate(r));

t.test('queue: responses matched to commands in order, URCs in the middle go to the driver', async (t) => {
  const { q, tx, urcs } = rig();
  const a = q.run(cmd.signal());
  const b = q.run(cmd.operator());
  t.same(tx, ['AT+CSQ\r'], 'one command at a time');
  q.feed('AT+CSQ\r\r\n+CSQ: 2');
  q.feed('0,99\r\nRING\r\n+CLIP: "13512345678",129\r\n\r\nOK\r\n');
  t.equal(await a, -73);
  t.same(urcs, [{ type: 'ring' }, { type: 'clip', number: '13512345678', validity: 0 }]);
  t.same(tx, ['AT+CSQ\r', 'AT+COPS?\r']);
  q.feed('\r\n+CREG: 1\r\n+COPS: 0,0,"CHINA MOBILE",7\r\n\r\nOK\r\n');
  t.equal(await b, 'CHINA MOBILE');
  t.same(urcs[2], { type: 'reg', tech: 'cs', stat: 'home' }, 'a +CREG URC during AT+COPS? stays a URC');
});

t.test('queue: fragmentation at every boundary of a dialogue with interleaved URCs gives the same results', async (t) => {
  const modem =
    'AT+CLCC\r\r\n+CLCC: 1,1,4,0,0,"+8613512345678",145\r\nRING\r\n+CLCC: 2,0,2,0,0,"10086",129\r\n\r\nOK\r\n\r\n+CMTI: "SM",5\r\n';
  const bytes = enc(modem);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const { q, urcs } = rig();
    const p = q.run(cmd.listCalls());
    q.feed(bytes.subarray(0, cut));
    q.feed(bytes.subarray(cut));
    const calls = await p;
    if (calls.length !== 2 || calls[0]?.number !== '+8613512345678' || calls[1]?.stat !== 2 || urcs.length !== 2) {
      t.fail(`cut ${cut}: ${JSON.stringify({ calls, urcs })}`);
      return;
    }
  }
  t.pass('every cut');
});

t.test('queue: NO CARRIER ends a dial, but is a URC while a query runs', async (t) => {
  const { q, urcs } = rig();
  const d = q.run(cmd.dial('13512345678'));
  q.feed('\r\nBUSY\r\n');
  await rejectsAt(t, d, { kind: 'callFailed', detail: 'BUSY', message: 'ATD: BUSY' });
  const s = q.run(cmd.signal());
  q.feed('\r\nNO CARRIER\r\n+CSQ: 10,0\r\nOK\r\n');
  t.equal(await s, -93);
  t.same(urcs, [{ type: 'callEnd', cause: 'NO CARRIER' }]);
});

t.test('queue: errors carry the modem text and the command name', async (t) => {
  const { q } = rig();
  const a = q.run(cmd.cpinQuery());
  q.feed('\r\n+CME ERROR: SIM not inserted\r\n');
  await rejectsAt(t, a, { kind: 'cme', detail: 'SIM not inserted', message: 'AT+CPIN: SIM not inserted' });
  const b = q.run(cmd.readSms(9));
  q.feed('\r\n+CMS ERROR: invalid memory index\r\n');
  await rejectsAt(t, b, { kind: 'cms', command: 'AT+CMGR' });
  const c = q.run(cmd.clipOn());
  q.feed('ERROR\r\n');
  await rejectsAt(t, c, { kind: 'error', message: 'AT+CLIP: ERROR' });
});

t.test('queue: an answer already at the port when its timeout falls due answers its own command', async (t) => {
  // regression (make chaos with SMS): a stalled event loop runs the due timer before it reads the
  // port; the command timed out and was retried, and its answer went to the next command
  const { q, clock, tx } = rig();
  const a = q.run(cmd.readSms(4));
  const b = q.run(cmd.readSms(5));
  clock.advance(5_000); // the timeout falls due with the answer not yet read…
  q.feed('\r\n+CMGR: 0,,24\r\nAA04\r\n\r\nOK\r\n'); // …and is read before the timeout is decided
  await new Promise((r) => setImmediate(r));
  t.equal(await a, 'AA04', 'index 4 gets its own answer');
  t.same(tx, ['AT+CMGR=4\r', 'AT+CMGR=5\r'], 'no resend of AT+CMGR=4');
  q.feed('\r\n+CMGR: 0,,24\r\nBB05\r\n\r\nOK\r\n');
  t.equal(await b, 'BB05', 'and index 5 its own');
});

t.test('queue (framed): late answers to a timed-out AT+CMGR and to its retry never answer the next one', async (t) => {
  // regression (make chaos TRIALS=200 at 69a2691, 5 SMS lost): a modem busy past the 5 s answered
  // both tries of AT+CMGR=5 late; unframed, the second answer went to AT+CMGR=6 (slot 6 deleted
  // holding a message never read). Framed by echo, each answer follows its own command's echo.
  const { q, clock, tx } = rig();
  q.framed = true;
  const a = q.run(cmd.readSms(5));
  const b = q.run(cmd.readSms(6));
  await pass(clock, 5_000);
  t.same(tx, ['AT+CMGR=5\r', 'AT+CMGR=5\r'], 'timed out, retried');
  const answer5 = 'AT+CMGR=5\r\r\n+CMGR: 0,,24\r\nAA05\r\n\r\nOK\r\n';
  q.feed(answer5); // the first try's answer, late: the retry takes it (same slot, same message)
  t.equal(await a, 'AA05');
  t.same(tx.slice(2), ['AT+CMGR=6\r']);
  q.feed(answer5); // the retry's answer comes while AT+CMGR=6 runs
  q.feed('\r\n+CMTI: "SM",7\r\n'); // a URC before the echo is still a URC
  q.feed('AT+CMGR=6\r\r\n+CMGR: 0,,24\r\nBB06\r\n\r\nOK\r\n');
  t.equal(await b, 'BB06', 'slot 6 gets its own message');
});

t.test('queue (framed): lines before the echo are dropped as stale; unframed they were taken', async (t) => {
  for (const framed of [true, false]) {
    const stale: string[] = [];
    const clock = new VirtualClock();
    const tx: string[] = [];
    const urcs: Urc[] = [];
    const q = new AtQueue({ clock, write: (d) => tx.push(d), onUrc: (u) => urcs.push(u), onStale: (l) => stale.push(l) });
    q.framed = framed;
    const a = q.run(cmd.signal());
    q.feed('\r\n+CSQ: 5,99\r\n\r\nOK\r\n'); // late, from an AT+CSQ that timed out earlier
    q.feed('AT+CSQ\r\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
    t.equal(await a, framed ? -73 : -103, framed ? 'framed: its own answer' : 'unframed: the late one (the old behaviour)');
    t.same(stale, framed ? ['+CSQ: 5,99', 'OK'] : [], 'stale lines reported');
    if (framed) t.same(urcs, [], 'nothing left over');
  }
});

t.test('queue (framed): a prompt before the echo (an earlier AT+CMGS) is left with ESC, the SMS waits for its own', async (t) => {
  const { q, tx } = rig();
  q.framed = true;
  const s = q.run(cmd.sendSms(10, 'AB'));
  q.feed('\r\n> ');
  t.same(tx, ['AT+CMGS=10\r', '\x1b'], 'no payload into a prompt that is not ours');
  q.feed('AT+CMGS=10\r\r\n> ');
  t.same(tx.slice(2), ['AB\x1a']);
  q.feed('\r\n+CMGS: 7\r\n\r\nOK\r\n');
  t.equal(await s, 7);
});

t.test('queue: reopen turns framing off (the modem may have restarted without echo)', async (t) => {
  const { q } = rig();
  q.framed = true;
  q.abortAll('port closed');
  q.reopen();
  t.equal(q.framed, false);
});

t.test('queue: a timeout names the command; safe commands are retried, others are not', async (t) => {
  const { q, clock, tx } = rig();
  const a = q.run(cmd.signal()); // retries: 1
  const aFails = rejectsAt(t, a, { kind: 'timeout', message: 'AT+CSQ: no answer (2000 ms, 2 tries)' });
  await pass(clock, 2000);
  t.same(tx, ['AT+CSQ\r', 'AT+CSQ\r']);
  await pass(clock, 2000);
  await aFails;
  tx.length = 0;
  const b = q.run(cmd.cpinEnter('1234'));
  const bFails = rejectsAt(t, b, { kind: 'timeout', command: 'AT+CPIN' });
  await pass(clock, 10_000);
  await bFails;
  t.same(tx, ['AT+CPIN="1234"\r'], 'a PIN is never resent');
  t.throws(() => cmd.cpinEnter('12a4'), /4-8 digits/);
});

t.test('queue: raw answers (ATI) and PDU data lines (+CMGR, +CMGL)', async (t) => {
  const { q, urcs } = rig();
  const a = q.run(cmd.identify('ATI'));
  q.feed('ATI\r\r\nQuectel\r\nEC25\r\nRING\r\nRevision: EC25EFAR06A06M4G\r\n\r\nOK\r\n');
  t.equal(await a, 'Quectel EC25 Revision: EC25EFAR06A06M4G');
  t.same(urcs, [{ type: 'ring' }]);
  const b = q.run(cmd.readSms(3));
  q.feed('\r\n+CMGR: 0,,24\r\n0791AB\r\n\r\nOK\r\n');
  t.equal(await b, '0791AB');
  const c = q.run(cmd.listSms());
  q.feed('+CMGL: 1,0,,24\r\nAA01\r\n+CMTI: "SM",4\r\n+CMGL: 2,1,,30\r\nBB02\r\nOK\r\n');
  t.same(await c, [
    { index: 1, pdu: 'AA01' },
    { index: 2, pdu: 'BB02' },
  ]);
  t.same(urcs[1], { type: 'cmti', mem: 'SM', index: 4 });
});

t.test('queue: +CMT header joins the PDU line that follows', async (t) => {
  const { q, urcs } = rig();
  q.feed('\r\n+CMT: ,24\r\n');
  q.feed('07911326');
  q.feed('040000F0\r\n');
  t.same(urcs, [{ type: 'cmt', pdu: '07911326040000F0' }]);
});

t.test('queue: SMS send waits for "> ", sends PDU + Ctrl-Z; stuck prompt → ESC and a clear error', async (t) => {
  const { q, clock, tx } = rig();
  const a = q.run(cmd.sendSms(23, '0011AA'));
  t.same(tx, ['AT+CMGS=23\r']);
  q.feed('\r\n> ');
  t.same(tx[1], '0011AA\x1a');
  q.feed('\r\n+CMGS: 42\r\n\r\nOK\r\n');
  t.equal(await a, 42);
  tx.length = 0;
  const b = q.run(cmd.sendSms(23, '0011BB'));
  q.feed('> ');
  const bFails = rejectsAt(t, b, { kind: 'timeout', command: 'AT+CMGS' });
  await pass(clock, 60_000);
  await bFails;
  t.same(tx, ['AT+CMGS=23\r', '0011BB\x1a', '\x1b'], 'ESC leaves the prompt');
  tx.length = 0;
  q.feed('> ');
  t.same(tx, ['\x1b'], 'a prompt nobody asked for is left with ESC');
  // the next command waits until a late answer to the cancelled input has passed
  tx.length = 0;
  const c = q.run(cmd.signal());
  t.same(tx, [], 'held while settling');
  q.feed('\r\nOK\r\n');
  clock.advance(500);
  t.same(tx, ['AT+CSQ\r']);
  q.feed('\r\n+CSQ: 31,0\r\nOK\r\n');
  t.equal(await c, -51, 'the late OK did not answer AT+CSQ');
});

t.test('queue: abortAll fails running and waiting commands; reopen accepts new ones', async (t) => {
  const { q } = rig();
  const a = q.run(cmd.signal());
  const b = q.run(cmd.operator());
  q.abortAll('port closed');
  await rejectsAt(t, a, { kind: 'aborted', message: 'AT+CSQ: port closed' });
  await rejectsAt(t, b, { kind: 'aborted' });
  await t.rejects(q.run(cmd.at()), AtError);
  q.reopen();
  const c = q.run(cmd.at());
  q.feed('OK\r\n');
  await c;
  await flush();
});

t.test('fuzz: random bytes, cut lines and URCs never throw and never leave a command hanging past its timeout', async (t) => {
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pieces = [
    'OK\r\n',
    'ERROR\r\n',
    'RING\r\n',
    '+CLIP: "1',
    '35",129\r\n',
    '> ',
    '\r\n',
    '+CMT: ,2\r\n',
    'ZZ\r\n',
    '+CME ERROR: 10\r\n',
    '+CSQ: 9',
    '9,99\r\n',
    'NO CARRIER\r\n',
    'AT+CSQ\r',
    'AT+CLCC\r',
    'ATD10086;\r',
  ];
  for (let round = 0; round < 200; round++) {
    const { q, clock } = rig();
    q.framed = round % 2 === 1; // half the rounds with echo framing (echoes among the pieces)
    const results: string[] = [];
    const ps = [cmd.signal(), cmd.listCalls(), cmd.dial('10086'), cmd.sendSms(10, 'AB')].map((c) =>
      q.run(c as never).then(
        () => results.push('ok'),
        (e: AtError) => results.push(e.kind),
      ),
    );
    for (let i = 0; i < 40; i++) {
      const r = rnd();
      if (r < 0.5) q.feed(pieces[Math.floor(rnd() * pieces.length)] as string);
      else if (r < 0.8) q.feed(Uint8Array.from({ length: 1 + Math.floor(rnd() * 20) }, () => Math.floor(rnd() * 256)));
      else await pass(clock, Math.floor(rnd() * 5000));
    }
    await pass(clock, 20_000, 10); // every command's tries run out
    await Promise.all(ps);
    if (results.length !== 4) t.fail(`round ${round}: ${results}`);
  }
  t.pass('200 rounds');
});

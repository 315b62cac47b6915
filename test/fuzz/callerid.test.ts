// Fuzz: caller ID — the FSK message parser (SDMF/MDMF, GB 2312 names) on random and mutated bytes,
// the DTMF caller ID parser on random digit strings, and the receiver on random audio; round trips
// as properties: encode → parse (bytes) and, fewer because each is a second of audio, generator →
// receiver for Bell 202, V.23 and DTMF.
import fc from 'fast-check';
import t from 'tap';
import { DtmfCallerIdParser, parseDtmfCallerId } from '../../hal/src/dsp/cid-dtmf.js';
import { CallerIdGenerator } from '../../hal/src/dsp/cid-gen.js';
import { type CallerIdInfo, type CallerIdMessage, encodeCallerId, parseCallerId } from '../../hal/src/dsp/cid-message.js';
import { CallerIdReceiver } from '../../hal/src/dsp/cid-receive.js';
import { concat, renderSource, silence } from '../unit/dsp/fixtures/signals.js';
import { bounded, holds, mutationLoop, runs } from './fixtures/fuzz.js';

const number = fc.stringMatching(/^[0-9]{3,20}$/);
const name = fc.oneof(
  fc.constant(null),
  fc.stringMatching(/^[A-Z ]{1,15}$/),
  fc.array(fc.constantFrom(...'张三丰李四王五赵六陈小明客户服务'.split('')), { minLength: 1, maxLength: 8 }).map((a) => a.join('')),
);
const datetime = fc.option(
  fc
    .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.nat(23), fc.nat(59))
    .map((p) => p.map((n) => String(n).padStart(2, '0')).join('')),
  { nil: null },
);
const info = fc.record({
  number: fc.option(number, { nil: null }),
  name,
  datetime,
  absence: fc.constantFrom('private' as const, 'unavailable' as const),
});

function checkSame(m: CallerIdMessage, i: CallerIdInfo, withName: boolean): void {
  const dt = i.datetime
    ? `${i.datetime.toString().slice(0, 2)}-${i.datetime.toString().slice(2, 4)} ${i.datetime.toString().slice(4, 6)}:${i.datetime.toString().slice(6, 8)}`
    : null;
  if (!m.checksumOk) throw new Error(`checksum ${JSON.stringify(m)}`);
  if (i.number ? m.number !== i.number : m.absence !== i.absence) throw new Error(`number ${JSON.stringify(m)} for ${JSON.stringify(i)}`);
  if (withName && (m.name ?? null) !== (i.name ?? null)) throw new Error(`name ${m.name} for ${i.name}`);
  if (dt && m.datetime !== dt) throw new Error(`datetime ${m.datetime} for ${dt}`);
}

t.test('FSK message bytes: encode → parse round trip (SDMF and MDMF)', (t) => {
  holds(
    t,
    'MDMF round trip',
    fc.property(info, (i) => checkSame(parseCallerId(encodeCallerId(i, 'mdmf'), 'bell202'), i, true)),
    400,
  );
  holds(
    t,
    'SDMF round trip',
    fc.property(info, (i) => checkSame(parseCallerId(encodeCallerId(i, 'sdmf'), 'v23'), { ...i, name: null }, false)),
    400,
  );
  t.end();
});

t.test('FSK message bytes: random and mutated messages parse without a crash; damage shows as checksumOk false', (t) => {
  holds(
    t,
    'parseCallerId on any bytes',
    fc.property(fc.uint8Array({ maxLength: 300 }), (b) => void bounded('parseCallerId', b, () => parseCallerId(b, 'bell202'))),
    600,
  );
  const samples = [
    encodeCallerId({ number: '13800138000', name: '张三丰', datetime: '03171656' }),
    encodeCallerId({ number: '6095551212', datetime: '09301224' }, 'sdmf'),
    encodeCallerId({ absence: 'private', nameAbsence: 'private' }),
    Uint8Array.of(0x82, 3, 0x0b, 1, 0xff, 0x6d),
  ];
  mutationLoop(t, 'parseCallerId', samples, runs(1500), (b) => {
    const m = parseCallerId(b, 'bell202');
    if (m.checksumOk && !m.complete) throw new Error('a cut message passed its checksum');
  });
  t.end();
});

t.test('DTMF caller ID: random digit strings through the parser and the assembler', (t) => {
  const digits = fc.string({ unit: fc.constantFrom(...'0123456789*#ABCD'.split('')), maxLength: 80 });
  holds(
    t,
    'parseDtmfCallerId/DtmfCallerIdParser',
    fc.property(digits, fc.array(fc.nat(3000), { maxLength: 80 }), (s, gaps) =>
      bounded('DTMF CID', s, () => {
        parseDtmfCallerId(s);
        const got: CallerIdMessage[] = [];
        const p = new DtmfCallerIdParser((m) => got.push(m));
        let at = 0;
        [...s].forEach((d, i) => {
          at += 60 + (gaps[i] ?? 60);
          p.push(d, at, at + 60);
        });
        for (const m of got) if (!/[C#]$/.test(m.raw)) throw new Error(`message without a terminator: ${m.raw}`);
      }),
    ),
    500,
  );
  holds(
    t,
    'DTMF CID round trip (digits)',
    fc.property(number, (n) => {
      const m = parseDtmfCallerId(`A${n}C`);
      if (m.number !== n || !m.checksumOk) throw new Error(JSON.stringify(m));
    }),
    200,
  );
  t.end();
});

function receive(x: Int16Array): CallerIdMessage[] {
  const got: CallerIdMessage[] = [];
  const r = new CallerIdReceiver({ onMessage: (m) => got.push(m) });
  const all = concat([x, silence(1600)]);
  for (let i = 0; i < all.length; i += 160) r.process(all.subarray(i, i + 160));
  r.flush();
  return got;
}

t.test('audio: generator → receiver round trip; random audio gives no crash and no good message', (t) => {
  holds(
    t,
    'audio round trip (Bell 202 / V.23 / DTMF)',
    fc.property(info, fc.constantFrom('bell202' as const, 'v23' as const, 'dtmf' as const), (i, standard) => {
      const sent = standard === 'dtmf' ? { ...i, name: null, datetime: null } : i;
      const audio = renderSource(new CallerIdGenerator(sent, { standard, leadMs: 200, tailMs: 100 }));
      const got = bounded('CallerIdReceiver', `${standard} ${JSON.stringify(sent)}`, () => receive(audio), 10_000);
      const good = got.filter((m) => m.checksumOk);
      if (good.length !== 1) throw new Error(`${good.length} good messages for ${standard} ${JSON.stringify(sent)}`);
      checkSame(good[0] as CallerIdMessage, sent, standard !== 'dtmf');
    }),
    6,
    0.01,
  );
  holds(
    t,
    'random audio',
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 100, max: 16000 }), (seed, amp) => {
      let s = seed;
      const x = new Int16Array(4000).map(() => {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        return Math.round(((s / 2 ** 32) * 2 - 1) * amp);
      });
      const got = bounded('CallerIdReceiver (noise)', seed, () => receive(x));
      if (got.some((m) => m.checksumOk && m.standard !== 'dtmf')) throw new Error(`noise decoded as caller ID (seed ${seed})`);
    }),
    5,
    0.01,
  );
  t.end();
});

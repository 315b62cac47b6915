// A caller leaving a message over a real SimChannel and CallMedia, clocked by the caller's frames:
// greeting, beep, recording, and each way a message ends (max length, silence, '#', hang-up), with
// the rules that keep or discard it.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { frameEnergyDbm0 } from '../../../hal/src/dsp/level.js';
import { DIGIT_TRIM_FRAMES, STALL_GRACE_MS } from '../../../firmware/src/voicemail/voicemail-session.js';
import {
  caller,
  concat,
  dtmf,
  events,
  FRAMES_BEFORE_RECORDING,
  GREETING,
  noise,
  readWav,
  rig,
  speech,
  type Rig,
  T0,
  tonePower,
} from './fixtures/helpers.js';

const rowCount = (r: Rig): number => (r.db.prepare('SELECT COUNT(*) AS n FROM voicemails').get() as { n: number }).n;

t.test('greeting, then a 1000 Hz beep of 300 ms, then the caller is recorded from the next frame', async (t) => {
  const r = rig(t);
  const c = await caller(r, { language: 'zh-CN' });
  t.equal(c.session.phase, 'greeting');
  t.same(r.prompts, ['voicemail-greeting/zh-CN'], 'the default greeting, in the caller’s language');
  // The caller speaks from the start: what is said over the greeting and the beep is not recorded.
  const before = speech(FRAMES_BEFORE_RECORDING, 0, 300);
  const message = speech(100, 0, 440);
  c.party.say([...before, ...message, ...noise(100)]);
  c.tick(8);
  t.equal(c.session.phase, 'greeting');
  c.tick(1);
  t.equal(c.session.phase, 'beep', 'the greeting ended');
  c.tick(15);
  t.equal(c.session.phase, 'beep');
  c.tick(1);
  t.equal(c.session.phase, 'recording', 'the beep ended');
  t.not(c.session.voicemailId, null, 'the row exists once recording begins');
  t.match(r.db.prepare('SELECT state, box, caller_id, call_id, created_at FROM voicemails').all(), [
    { state: 'recording', box: 'shop', caller_id: '13800000001', call_id: 'call-1', created_at: T0 + 25 * 20 },
  ]);
  t.same(r.vm.list(), [], 'a message being recorded is not a voicemail yet');
  c.tickWhile('recording');
  await c.session.finished;

  const heard = c.party.heard;
  t.same([...concat(heard.slice(1, 9))], [...GREETING], 'the caller heard the greeting');
  const beep = concat(heard.slice(10, 25));
  t.equal(beep.length, 2400, '300 ms');
  t.ok(tonePower(beep, 1000) > 100 * tonePower(beep, 800), 'of 1000 Hz');
  t.ok(Math.abs(frameEnergyDbm0(beep) + 10) < 0.5, 'at -10 dBm0');
  t.ok(
    heard.slice(25).every((f) => f.every((s) => s === 0)),
    'then silence while recording',
  );

  t.same(c.results, [{ voicemailId: c.session.voicemailId, reason: 'saved' }]);
  const id = c.results[0]?.voicemailId as string;
  const wav = readWav(r.vm.filePath(id) as string);
  t.match(wav, { sampleRate: 8000, channels: 1, bitsPerSample: 16 });
  t.same([...wav.samples], [...concat(message)], 'exactly the caller’s message, trailing silence trimmed');
  t.match(r.vm.get(id), { id, callId: 'call-1', box: 'shop', callerId: '13800000001', durationMs: 2000, state: 'new', note: null });
  t.ok(r.vm.filePath(id)?.startsWith(path.join(r.dataDir, 'voicemail', '2026-03-03')), 'under <dataDir>/voicemail/<day>/');
});

t.test('a message stops at the box’s maximum length', async (t) => {
  const r = rig(t);
  const c = await caller(r);
  c.party.say([...noise(FRAMES_BEFORE_RECORDING), ...speech(600)]);
  c.tickWhile('greeting');
  c.tickWhile('beep');
  const ticks = c.tickWhile('recording');
  t.equal(ticks, 500, 'maxLengthS 10: 500 frames');
  const res = await c.session.finished;
  t.equal(res.reason, 'saved');
  t.match(r.vm.get(res.voicemailId as string), { durationMs: 10_000 });
  t.equal(readWav(r.vm.filePath(res.voicemailId as string) as string).samples.length, 80_000);
  t.ok(r.lines.some((l) => l.msg === 'voicemail saved' && l.cause === 'maxLength'));
});

t.test('silence after speech ends the message; the trailing silence is cut, leading and inner silence kept', async (t) => {
  const r = rig(t);
  const c = await caller(r);
  const message = [...noise(10, 7), ...speech(60), ...noise(30, 9), ...speech(40, 60)];
  c.party.say([...noise(FRAMES_BEFORE_RECORDING), ...message, ...noise(400, 3)]);
  c.tickWhile('greeting');
  c.tickWhile('beep');
  const ticks = c.tickWhile('recording');
  t.equal(ticks, 140 + 100, 'silenceStopS 2: 100 silent frames after the last speech');
  const res = await c.session.finished;
  t.equal(res.reason, 'saved');
  const wav = readWav(r.vm.filePath(res.voicemailId as string) as string);
  t.same([...wav.samples], [...concat(message)]);
  t.match(r.vm.get(res.voicemailId as string), { durationMs: 2800 });
  t.ok(r.lines.some((l) => l.msg === 'voicemail saved' && l.cause === 'silence' && l.trimmedMs === 2000));
});

t.test('# heard in-band ends the message; the key’s tone is cut off', async (t) => {
  const r = rig(t);
  const c = await caller(r);
  const message = speech(100);
  c.party.say([...noise(FRAMES_BEFORE_RECORDING), ...message, ...noise(5), ...dtmf('#'), ...noise(300)]);
  c.tickWhile('greeting');
  c.tickWhile('beep');
  const ticks = c.tickWhile('recording');
  t.ok(ticks > 105 && ticks <= 105 + 5, `ended within 100 ms of the key (${ticks} frames)`);
  const res = await c.session.finished;
  t.equal(res.reason, 'saved');
  const samples = readWav(r.vm.filePath(res.voicemailId as string) as string).samples;
  t.same([...samples], [...concat(message)], 'the message without the silence and the DTMF after it');
  t.ok(r.lines.some((l) => l.msg === 'voicemail saved' && l.cause === 'hash'));
});

t.test('# pressed while speaking: the frames of the tone are cut, the speech before it kept', async (t) => {
  const r = rig(t);
  const c = await caller(r);
  c.party.say([...noise(FRAMES_BEFORE_RECORDING), ...speech(100)]);
  c.tickWhile('greeting');
  c.tickWhile('beep');
  c.tick(100);
  c.session.digit('#'); // as the engine forwards it (e.g. an RFC 4733 digit): no tone in the audio
  t.equal(c.session.phase, 'saving');
  const res = await c.session.finished;
  t.equal(DIGIT_TRIM_FRAMES, 5);
  t.match(r.vm.get(res.voicemailId as string), { durationMs: 1900 }, '2 s less the last 100 ms');
});

t.test('# during the greeting skips to the beep; other digits do nothing', async (t) => {
  const r = rig(t);
  const c = await caller(r);
  c.tick(3);
  c.session.digit('5');
  t.equal(c.session.phase, 'greeting');
  c.session.digit('#');
  t.equal(c.session.phase, 'beep');
  c.tick(16);
  t.equal(c.session.phase, 'recording');
  const heard = c.party.heard.slice(4, 19);
  t.ok(tonePower(concat(heard), 1000) > 1e5, 'the beep follows at once');
  c.session.digit('1');
  t.equal(c.session.phase, 'recording');
  c.session.callerGone();
  t.same(await c.session.finished, { voicemailId: null, reason: 'noMessage' });
});

t.test('the caller hangs up: what was recorded is saved', async (t) => {
  const r = rig(t);
  const c = await caller(r);
  const message = speech(150);
  c.party.say([...noise(FRAMES_BEFORE_RECORDING), ...message, ...noise(20)]);
  c.ch.events.on('hangup', () => c.session.callerGone());
  c.tick(FRAMES_BEFORE_RECORDING + 170);
  c.ch.partyHangsUp();
  t.equal(c.session.phase, 'saving');
  const res = await c.session.finished;
  t.equal(res.reason, 'saved');
  t.same([...readWav(r.vm.filePath(res.voicemailId as string) as string).samples], [...concat(message)]);
  c.session.callerGone();
  c.session.digit('#');
  t.equal(c.results.length, 1, 'done runs once');
  const evs = events(r.db).filter((e) => e.type.startsWith('voicemail.'));
  t.same(evs, [{ type: 'voicemail.saved', call_id: null, data: { box: 'shop', voicemailId: res.voicemailId, durationMs: 3000 } }]);
});

t.test('the caller hangs up during the greeting or the beep: callerHungUp, no row, no file', async (t) => {
  for (const at of [4, 12]) {
    const r = rig(t);
    const c = await caller(r);
    c.tick(at);
    const phase = c.session.phase;
    c.session.callerGone();
    t.equal(c.results.length, 0, 'done is never called synchronously');
    t.same(await c.session.finished, { voicemailId: null, reason: 'callerHungUp' }, phase);
    t.equal(c.media.listen, null);
    c.tick(40);
    t.equal(rowCount(r), 0);
    t.notOk(existsSync(path.join(r.dataDir, 'voicemail')), 'no file');
    t.same(
      events(r.db).map((e) => [e.type, e.data]),
      [['voicemail.discarded', { box: 'shop', reason: 'callerHungUp' }]],
    );
  }
});

t.test('too little speech is discarded (tooShort); none at all is noMessage; file and row go', async (t) => {
  const r = rig(t);
  const c = await caller(r);
  c.party.say([...noise(FRAMES_BEFORE_RECORDING), ...noise(20), ...speech(45), ...noise(200)]);
  c.tickWhile('greeting');
  c.tickWhile('beep');
  t.equal(c.tickWhile('recording'), 165);
  t.same(await c.session.finished, { voicemailId: null, reason: 'tooShort' }, '0.9 s of speech < 1 s');
  const c2 = await caller(r, { callId: 'call-2' });
  c2.party.say(noise(500));
  c2.tickWhile('greeting');
  c2.tickWhile('beep');
  t.equal(c2.tickWhile('recording'), 100, 'silence from the beep: stops after silenceStopS');
  t.same(await c2.session.finished, { voicemailId: null, reason: 'noMessage' });
  t.equal(rowCount(r), 0);
  t.same(readdirSync(path.join(r.dataDir, 'voicemail')), [], 'files deleted (and their day folder)');
  t.same(
    events(r.db).map((e) => e.data),
    [
      { box: 'shop', reason: 'tooShort' },
      { box: 'shop', reason: 'noMessage' },
    ],
  );
});

t.test('exactly the minimum of speech is kept', async (t) => {
  const r = rig(t);
  const c = await caller(r);
  c.party.say([...noise(FRAMES_BEFORE_RECORDING), ...speech(50), ...noise(200)]);
  c.tickWhile('greeting');
  c.tickWhile('beep');
  c.tickWhile('recording');
  t.equal((await c.session.finished).reason, 'saved');
});

t.test('box settings: a configured greeting and limits; an unknown box records with the defaults', async (t) => {
  const r = rig(t);
  r.cfg = { boxes: [{ id: 'after', name: 'After hours', greeting: 'closed', maxLengthS: 10, silenceStopS: 3 }] };
  const c = await caller(r, { box: 'after' });
  t.same(r.prompts, ['closed/en']);
  c.party.say([...noise(FRAMES_BEFORE_RECORDING), ...speech(60)]);
  c.tickWhile('greeting');
  c.tickWhile('beep');
  t.equal(c.tickWhile('recording'), 60 + 150, 'silenceStopS 3');
  await c.session.finished;
  const c2 = await caller(r, { box: 'nope' });
  t.same(r.prompts.at(-1), 'voicemail-greeting/en');
  t.ok(r.lines.some((l) => l.msg.includes('no such box') && l.box === 'nope'));
  c2.party.say([...noise(FRAMES_BEFORE_RECORDING), ...speech(60)]);
  c2.tickWhile('greeting');
  c2.tickWhile('beep');
  t.equal(c2.tickWhile('recording'), 60 + 250, 'default silenceStopS 5');
  t.match(await c2.session.finished, { reason: 'saved' });
});

t.test('a line that stops sending audio ends the message after max length + grace', async (t) => {
  const r = rig(t);
  const c = await caller(r);
  c.party.say([...noise(FRAMES_BEFORE_RECORDING), ...speech(80)]);
  c.tickWhile('greeting');
  c.tickWhile('beep');
  c.tick(80);
  r.clock.advance(10_000 + STALL_GRACE_MS - 80 * 20 - 20);
  t.equal(c.session.phase, 'recording');
  r.clock.advance(40);
  t.equal(c.session.phase, 'saving');
  const res = await c.session.finished;
  t.match(r.vm.get(res.voicemailId as string), { durationMs: 1600 });
  t.ok(r.lines.some((l) => l.msg.includes('audio stopped')));
});

t.test('a voicemail folder that cannot be written: failed, no row left, the caller is not stuck', async (t) => {
  const r = rig(t);
  writeFileSync(path.join(r.dataDir, 'voicemail'), 'not a folder');
  const c = await caller(r);
  c.party.say([...noise(FRAMES_BEFORE_RECORDING), ...speech(100)]);
  c.tickWhile('greeting');
  c.tickWhile('beep');
  // The file is created asynchronously: its failure shows after a few real milliseconds.
  for (let i = 0; i < 200 && c.session.phase === 'recording'; i++) {
    c.tick();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  t.not(c.session.phase, 'recording', 'stopped at the first frame after the failure showed');
  t.same(await c.session.finished, { voicemailId: null, reason: 'failed' });
  t.equal(rowCount(r), 0);
  t.same(
    events(r.db).map((e) => e.data),
    [{ box: 'shop', reason: 'failed' }],
  );
  await t.rejects(r.vm.repairOnStart(), { code: 'UNAVAILABLE' });
});

t.test('shutdown ends live sessions (saving what was said) and waits for their files', async (t) => {
  const r = rig(t);
  const c = await caller(r);
  c.party.say([...noise(FRAMES_BEFORE_RECORDING), ...speech(120)]);
  c.tickWhile('greeting');
  c.tickWhile('beep');
  c.tick(120);
  await r.vm.shutdown();
  t.equal(c.results[0]?.reason, 'saved', 'done ran before shutdown resolved');
  t.match(r.vm.get(c.results[0]?.voicemailId as string), { durationMs: 2400 });
});

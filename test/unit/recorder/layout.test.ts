// Mixed mono and stereo PCM files, parsed back: each side's tone lands where it should.
import { readFileSync, statSync } from 'node:fs';
import t from 'tap';
import { FRAME_SAMPLES } from '../../../hal/src/audio.js';
import { clampSum, concat, feed, readWav, rig, toneFrames, tonePower } from './fixtures/helpers.js';

const FRAMES = 60; // 1.2 s: one full 1 s chunk and a partial one
const T0 = Date.UTC(2026, 0, 1, 9, 30, 0);

t.test('mixed mono: caller 1 kHz + agent 500 Hz summed into one channel', async (t) => {
  const r = rig(t, { channels: 'mixed', format: 'pcm16' });
  const caller = toneFrames(1000, 8000, FRAMES);
  const agent = toneFrames(500, 6000, FRAMES);
  const rec = r.recorder.start({ callId: 'c1', queue: 'main', startedAt: T0 });
  t.ok(rec);
  if (!rec) return;
  feed(rec, caller, agent);
  await rec.stop(T0 + 1300);
  t.equal(rec.error, null);

  const file = r.recorder.filePath(rec.id) as string;
  const wav = readWav(file);
  t.match(wav, { sampleRate: 8000, channels: 1, bitsPerSample: 16, format: 'pcm' });
  t.equal(wav.samples.length, FRAMES * FRAME_SAMPLES);
  const c = concat(caller);
  const a = concat(agent);
  let mismatches = 0;
  for (let i = 0; i < wav.samples.length; i++) if (wav.samples[i] !== clampSum(c[i] as number, a[i] as number)) mismatches++;
  t.equal(mismatches, 0, 'every sample is caller + agent');
  const p1k = tonePower(wav.samples, 1000);
  const p500 = tonePower(wav.samples, 500);
  const p1500 = tonePower(wav.samples, 1500);
  t.ok(p1k > 1e6 && p500 > 1e6, `both tones present (1 kHz ${p1k.toFixed(0)}, 500 Hz ${p500.toFixed(0)})`);
  t.ok(p1500 < p500 / 1000, 'nothing at 1.5 kHz');

  const bytes = readFileSync(file);
  t.equal(bytes.readUInt32LE(4), bytes.length - 8, 'RIFF size is the file size - 8');
  t.equal(bytes.readUInt32LE(40), FRAMES * FRAME_SAMPLES * 2, 'data size');
  t.match(r.recorder.get(rec.id), {
    id: rec.id,
    callId: 'c1',
    queue: 'main',
    format: 'pcm16',
    channels: 1,
    startedAt: '2026-01-01T09:30:00.000Z',
    endedAt: '2026-01-01T09:30:01.300Z',
    durationMs: 1200,
    bytes: statSync(file).size,
    state: 'complete',
    legalHold: false,
    path: `2026-01-01/${rec.id}.wav`,
  });
  t.match(rec.id, /^20260101-093000-c1-[0-9a-f]{6}$/);
});

t.test('stereo: caller on the left channel, agent on the right', async (t) => {
  const r = rig(t, { channels: 'stereo', format: 'pcm16' });
  const caller = toneFrames(1000, 8000, FRAMES);
  const agent = toneFrames(500, 6000, FRAMES);
  const rec = r.recorder.start({ callId: 'c2', queue: null, startedAt: T0 });
  if (!rec) return t.fail('not recording');
  feed(rec, caller, agent);
  await rec.stop(T0 + 1200);
  const file = r.recorder.filePath(rec.id) as string;
  const left = readWav(file, 0);
  const right = readWav(file, 1);
  t.match(left, { channels: 2, bitsPerSample: 16, format: 'pcm' });
  t.same([...left.samples], [...concat(caller)], 'left channel is the caller, sample for sample');
  t.same([...right.samples], [...concat(agent)], 'right channel is the agent, sample for sample');
  t.ok(tonePower(left.samples, 1000) > 1e6 && tonePower(left.samples, 500) < 1, 'left: 1 kHz only');
  t.ok(tonePower(right.samples, 500) > 1e6 && tonePower(right.samples, 1000) < 1, 'right: 500 Hz only');
  t.equal(readFileSync(file).readUInt32LE(40), FRAMES * FRAME_SAMPLES * 4, 'data size: 2 channels x 2 bytes');
  t.match(r.recorder.get(rec.id), { channels: 2, durationMs: 1200 });
});

t.test('mixing saturates instead of wrapping; a silent side is zeros', async (t) => {
  const r = rig(t, { channels: 'mixed' });
  const loud = new Int16Array(FRAME_SAMPLES).fill(30000);
  const loudNeg = new Int16Array(FRAME_SAMPLES).fill(-30000);
  const some = toneFrames(1000, 5000, 1)[0] as Int16Array;
  const rec = r.recorder.start({ callId: 'c3', queue: null, startedAt: T0 });
  if (!rec) return t.fail('not recording');
  rec.frame(loud, loud);
  rec.frame(loudNeg, loudNeg);
  rec.frame(some, null);
  rec.frame(null, some);
  rec.frame(null, null);
  await rec.stop(T0 + 100);
  const s = readWav(r.recorder.filePath(rec.id) as string).samples;
  t.equal(s.length, 5 * FRAME_SAMPLES);
  t.ok(
    s.subarray(0, 160).every((v) => v === 32767),
    'positive overload clips at 32767',
  );
  t.ok(
    s.subarray(160, 320).every((v) => v === -32768),
    'negative overload clips at -32768',
  );
  t.same([...s.subarray(320, 480)], [...some], 'caller alone');
  t.same([...s.subarray(480, 640)], [...some], 'agent alone');
  t.ok(
    s.subarray(640).every((v) => v === 0),
    'nobody: silence',
  );
});

t.test('frames of the wrong length are padded or cut, never thrown on', async (t) => {
  const r = rig(t, { channels: 'stereo' });
  const rec = r.recorder.start({ callId: 'c4', queue: null, startedAt: T0 });
  if (!rec) return t.fail('not recording');
  const short = new Int16Array(80).fill(1000);
  const long = new Int16Array(400).fill(-1000);
  t.doesNotThrow(() => {
    rec.frame(short, long);
    rec.frame(new Int16Array(0), null);
  });
  await rec.stop(T0 + 40);
  const left = readWav(r.recorder.filePath(rec.id) as string, 0).samples;
  const right = readWav(r.recorder.filePath(rec.id) as string, 1).samples;
  t.equal(left.length, 2 * FRAME_SAMPLES, 'one 160-sample frame per tick');
  t.same([left[0], left[79], left[80], left[159]], [1000, 1000, 0, 0], 'a short frame is padded with silence');
  t.ok(
    right.subarray(0, 160).every((v) => v === -1000),
    'a long frame is cut to 160 samples',
  );
});

// Pause writes silence (the file keeps the call's timeline); stop is idempotent; frames after stop are ignored.
import { statSync } from 'node:fs';
import t from 'tap';
import { FRAME_SAMPLES } from '../../../hal/src/audio.js';
import { concat, feed, readWav, rig, toneFrames } from './fixtures/helpers.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

for (const format of ['pcm16', 'ulaw'] as const) {
  t.test(`${format}: paused time is silence, audio resumes after`, async (t) => {
    const r = rig(t, { format, channels: 'stereo' });
    const rec = r.recorder.start({ callId: 'p1', queue: null, startedAt: T0 });
    if (!rec) return t.fail('not recording');
    const caller = toneFrames(1000, 8000, 75);
    const agent = toneFrames(500, 8000, 75);
    feed(rec, caller.slice(0, 25), agent.slice(0, 25));
    rec.pause('card number');
    rec.pause('again'); // idempotent
    feed(rec, caller.slice(25, 50), agent.slice(25, 50));
    rec.resume();
    rec.resume();
    feed(rec, caller.slice(50), agent.slice(50));
    await rec.stop(T0 + 1500);

    const file = r.recorder.filePath(rec.id) as string;
    const left = readWav(file, 0).samples;
    const right = readWav(file, 1).samples;
    t.equal(left.length, 75 * FRAME_SAMPLES, 'paused ticks are kept as silence, not skipped');
    const a = 25 * FRAME_SAMPLES;
    const b = 50 * FRAME_SAMPLES;
    t.ok(
      left.subarray(a, b).every((v) => v === 0) && right.subarray(a, b).every((v) => v === 0),
      'the paused second is digital silence on both channels',
    );
    const energy = (x: Int16Array) => x.reduce((s, v) => s + Math.abs(v), 0);
    t.ok(energy(left.subarray(0, a)) > 1e6, 'audio before the pause');
    t.ok(energy(left.subarray(b)) > 1e6 && energy(right.subarray(b)) > 1e6, 'audio after resume');
    if (format === 'pcm16') t.same([...left.subarray(b)], [...concat(caller.slice(50))], 'resumed audio is exact');
    t.match(r.recorder.get(rec.id), { durationMs: 1500 });
    const paused = r.lines.filter((l) => l.msg === 'recording paused');
    t.equal(paused.length, 1, 'one pause logged');
    t.match(paused[0], { reason: 'card number', recording: rec.id });
    t.equal(r.lines.filter((l) => l.msg === 'recording resumed').length, 1);
  });
}

t.test('stop is idempotent: one promise, one finalization; later frames are ignored', async (t) => {
  const r = rig(t);
  const rec = r.recorder.start({ callId: 's1', queue: 'main', startedAt: T0 });
  if (!rec) return t.fail('not recording');
  feed(rec, toneFrames(1000, 5000, 30), []);
  const p1 = rec.stop(T0 + 600);
  const p2 = rec.stop(T0 + 9999);
  t.equal(p1, p2, 'the same promise');
  await p1;
  await rec.stop(T0 + 12345);
  const file = r.recorder.filePath(rec.id) as string;
  const size = statSync(file).size;
  t.equal(size, 44 + 30 * FRAME_SAMPLES * 2);
  t.match(r.recorder.get(rec.id), { state: 'complete', endedAt: new Date(T0 + 600).toISOString(), durationMs: 600, bytes: size });
  t.doesNotThrow(() => {
    feed(rec, toneFrames(1000, 5000, 100), []);
    rec.pause('late');
    rec.resume();
  });
  await r.recorder.drain();
  t.equal(statSync(file).size, size, 'nothing written after stop');
  t.equal(r.lines.filter((l) => l.msg === 'recording complete').length, 1, 'finalized once');
  t.equal(readWav(file).samples.length, 30 * FRAME_SAMPLES);
});

t.test('a recording with no frames is a valid empty WAV', async (t) => {
  const r = rig(t, { format: 'alaw' });
  const rec = r.recorder.start({ callId: 's2', queue: null, startedAt: T0 });
  if (!rec) return t.fail('not recording');
  await rec.stop(T0);
  const wav = readWav(r.recorder.filePath(rec.id) as string);
  t.equal(wav.samples.length, 0);
  t.match(r.recorder.get(rec.id), { state: 'complete', durationMs: 0, bytes: 58 });
});

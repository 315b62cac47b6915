// Failures never reach the call's frame loop: an unwritable folder, a broken index, a stalled disk.
import { writeFileSync } from 'node:fs';
import t from 'tap';
import { FRAME_SAMPLES } from '../../../hal/src/audio.js';
import { CallboxError } from '../../../firmware/src/errors.js';
import { MAX_PENDING_CHUNKS, TICKS_PER_CHUNK, type FileRecording } from '../../../firmware/src/recorder/recording.js';
import { readWav, rig, toneFrames } from './fixtures/helpers.js';

const T0 = Date.UTC(2026, 0, 3, 11, 0, 0);

t.test('a recordings folder that cannot be written: a clear CallboxError, frame() never throws', async (t) => {
  const r = rig(t);
  writeFileSync(r.dir, 'a file where the folder should be'); // fails for root too
  const rec = r.recorder.start({ callId: 'c1', queue: 'main', startedAt: T0 });
  if (!rec) return t.fail('recording is enabled: expected a Recording');
  const tone = toneFrames(1000, 8000, 200);
  t.doesNotThrow(() => {
    for (const f of tone) rec.frame(f, f);
  }, 'frames are accepted (and dropped) without throwing');
  await t.resolves(rec.stop(T0 + 4000), 'stop resolves');
  t.type(rec.error, CallboxError);
  const err = rec.error as CallboxError;
  t.equal(err.code, 'UNAVAILABLE');
  t.match(
    err.message,
    new RegExp(`cannot create .*${r.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*(ENOTDIR|EEXIST|not a directory|file already exists)`),
  );
  t.equal(r.recorder.get(rec.id), null, 'no index row is left for a file that does not exist');
  t.ok(
    r.lines.some((l) => l.msg === 'recording failed' && l.level === 50 && l.recording === rec.id),
    'logged as an error',
  );
  t.doesNotThrow(() => rec.frame(tone[0] ?? null, null));

  await t.rejects(r.recorder.repairOnStart(), {
    name: 'CallboxError',
    code: 'UNAVAILABLE',
    message: /recordings folder .* cannot be written/,
  });
});

t.test('an index that cannot be written: start() still returns, with the error, and records nothing', async (t) => {
  const r = rig(t);
  r.db.exec('DROP TABLE recordings');
  let rec: ReturnType<typeof r.recorder.start> = null;
  t.doesNotThrow(() => {
    rec = r.recorder.start({ callId: 'c2', queue: null, startedAt: T0 });
  });
  const got = rec as unknown as FileRecording;
  t.ok(got);
  t.doesNotThrow(() => got.frame(new Int16Array(FRAME_SAMPLES), null));
  await got.stop(T0 + 20);
  t.type(got.error, CallboxError);
  t.match(got.error?.message, /index row/);
});

t.test('a stalled disk: past the backlog, audio is dropped and logged, never buffered without bound', async (t) => {
  const r = rig(t);
  const rec = r.recorder.start({ callId: 'c3', queue: null, startedAt: T0 }) as FileRecording;
  const frame = toneFrames(1000, 8000, 1)[0] as Int16Array;
  // Without yielding to the event loop no write can complete: the backlog fills.
  const ticks = (MAX_PENDING_CHUNKS + 5) * TICKS_PER_CHUNK;
  t.doesNotThrow(() => {
    for (let i = 0; i < ticks; i++) rec.frame(frame, null);
  });
  await rec.stop(T0 + ticks * 20);
  t.equal(rec.error, null, 'not a failure: the recording goes on');
  const kept = readWav(r.recorder.filePath(rec.id) as string).samples.length;
  t.ok(kept <= (MAX_PENDING_CHUNKS + 1) * TICKS_PER_CHUNK * FRAME_SAMPLES, `at most the backlog kept (${kept / 8000} s)`);
  t.ok(r.lines.some((l) => l.msg.includes('dropping audio')));
  t.ok(r.lines.some((l) => l.msg.includes('lost audio') && Number(l.droppedMs) > 0));
});

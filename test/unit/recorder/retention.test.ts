// Retention by age and by quota, oldest first, never a recording on legal hold or in progress.
import { existsSync, statSync } from 'node:fs';
import t from 'tap';
import type { Recorder } from '../../../firmware/src/recorder/recorder.js';
import type { FileRecording } from '../../../firmware/src/recorder/recording.js';
import type { Recording } from '../../../firmware/src/recorder/types.js';
import { rig, toneFrames } from './fixtures/helpers.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1, 8, 0, 0);

async function recordOne(recorder: Recorder, callId: string, startedAt: number, frames: number): Promise<Recording> {
  const rec = recorder.start({ callId, queue: 'main', startedAt });
  if (!rec) throw new Error('not recording');
  await feedPaced(rec, frames);
  await rec.stop(startedAt + frames * 20);
  return rec;
}

/** Feed `frames` ticks of a tone, letting the writer catch up every 10 s of audio (as real time would). */
async function feedPaced(rec: Recording, frames: number): Promise<void> {
  const tone = toneFrames(1000, 4000, 1)[0] as Int16Array;
  for (let i = 0; i < frames; i++) {
    rec.frame(tone, null);
    if (i % 500 === 499) await (rec as FileRecording).whenWritten();
  }
}

t.test('by age: older than retentionDays is deleted, oldest first; legal hold is kept', async (t) => {
  const r = rig(t, { retentionDays: 15 });
  const { recorder } = r;
  // Created out of order: deletion order follows the start time, not the insertion order.
  const d10 = await recordOne(recorder, 'd10', T0 + 10 * DAY, 20);
  const d0 = await recordOne(recorder, 'd0', T0, 20);
  const d5 = await recordOne(recorder, 'd5', T0 + 5 * DAY, 20);
  const d20 = await recordOne(recorder, 'd20', T0 + 20 * DAY, 20);
  const held = await recordOne(recorder, 'held', T0 + 1 * DAY, 20);
  recorder.setLegalHold(held.id, true);
  const sizes = [d0, d5, d10].map((x) => statSync(recorder.filePath(x.id) as string).size);

  const now = T0 + 27 * DAY; // cut-off: day 12
  r.clock.advance(now - r.clock.now());
  const res = await recorder.enforceRetention();
  t.same(res, { deleted: 3, freedBytes: sizes.reduce((a, b) => a + b, 0) });
  for (const x of [d0, d5, d10]) t.equal(recorder.get(x.id), null, 'row gone');
  t.ok(recorder.get(d20.id), 'younger than 15 days: kept');
  t.match(recorder.get(held.id), { legalHold: true }, 'on legal hold: kept');
  t.ok(existsSync(recorder.filePath(held.id) as string));
  const order = r.lines.filter((l) => l.msg === 'recording deleted').map((l) => l.recording);
  t.same(order, [d0.id, d5.id, d10.id], 'oldest first');
  t.notOk(existsSync(`${r.dir}/2026-01-01`), 'an emptied day folder is removed');

  t.same(await recorder.enforceRetention(now), { deleted: 0, freedBytes: 0 }, 'nothing more while held');
  t.match(recorder.setLegalHold(held.id, false), { legalHold: false });
  t.same((await recorder.enforceRetention(now)).deleted, 1, 'released: deleted at the next run');
  t.same(
    recorder.list({ limit: 10 }).map((x) => x.callId),
    ['d20'],
  );
});

t.test('by quota: oldest deleted until the folder fits; held and in-progress recordings stay', async (t) => {
  const r = rig(t, { quotaMB: 10, retentionDays: 3650 });
  const { recorder } = r;
  const FRAMES = 13_200; // 4.2 MB of 16-bit mono each (264 s)
  const r3 = await recordOne(recorder, 'r3', T0 + 3 * DAY, FRAMES);
  const r1 = await recordOne(recorder, 'r1', T0 + 1 * DAY, FRAMES);
  const r4 = await recordOne(recorder, 'r4', T0 + 4 * DAY, FRAMES);
  const r2 = await recordOne(recorder, 'r2', T0 + 2 * DAY, FRAMES);
  recorder.setLegalHold(r1.id, true);
  const size = statSync(recorder.filePath(r2.id) as string).size;
  t.equal(size, 44 + FRAMES * 320);

  // 4 x 4.03 MiB = 16.1 MiB > 10 MiB: r1 is held, so r2 then r3 go; r1 + r4 = 8.06 MiB fit.
  const res = await recorder.enforceRetention(T0 + 5 * DAY);
  t.same(res, { deleted: 2, freedBytes: 2 * size });
  t.same(
    r.lines.filter((l) => l.msg === 'recording deleted').map((l) => [l.recording, l.why]),
    [
      [r2.id, 'quota'],
      [r3.id, 'quota'],
    ],
  );
  t.ok(recorder.get(r1.id) && recorder.get(r4.id));
  t.notOk(existsSync(`${r.dir}/2026-01-03/${r2.id}.wav`), 'the file is gone');

  // A live recording counts towards the quota and is never deleted itself.
  const live = recorder.start({ callId: 'live', queue: null, startedAt: T0 + 6 * DAY });
  if (!live) return t.fail('not recording');
  await feedPaced(live, 8000); // 2.4 MiB
  const res2 = await recorder.enforceRetention(T0 + 6 * DAY);
  t.same(res2, { deleted: 1, freedBytes: size }, 'r4 goes to make room for the live call');
  t.ok(recorder.get(live.id), 'the live recording is kept');
  t.ok(recorder.get(r1.id), 'the held one is kept');
  t.same(await recorder.enforceRetention(T0 + 6 * DAY), { deleted: 0, freedBytes: 0 });
  await live.stop(T0 + 6 * DAY + 160_000);
});

t.test('a file already gone is still removed from the index', async (t) => {
  const r = rig(t, { retentionDays: 1 });
  const old = await recordOne(r.recorder, 'old', T0, 5);
  const { unlinkSync } = await import('node:fs');
  unlinkSync(r.recorder.filePath(old.id) as string);
  t.same(await r.recorder.enforceRetention(T0 + 3 * DAY), { deleted: 1, freedBytes: 0 });
  t.equal(r.recorder.get(old.id), null);
});

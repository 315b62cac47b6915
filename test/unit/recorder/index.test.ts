// The recordings index: list/get/filePath/setLegalHold, and the table's constraints.
import path from 'node:path';
import t from 'tap';
import { CallboxError } from '../../../firmware/src/errors.js';
import { rig, toneFrames } from './fixtures/helpers.js';

const T0 = Date.UTC(2026, 0, 6, 10, 0, 0);

t.test('list newest first, by call, with a clamped limit; get; filePath; legal hold', async (t) => {
  const r = rig(t);
  const ids: string[] = [];
  // One transferred call gets two recordings; another call one.
  for (const [callId, at] of [
    ['call-a', T0],
    ['call-b', T0 + 60_000],
    ['call-a', T0 + 120_000],
  ] as const) {
    const rec = r.recorder.start({ callId, queue: 'main', startedAt: at });
    if (!rec) return t.fail('not recording');
    rec.frame(toneFrames(1000, 5000, 1)[0] ?? null, null);
    await rec.stop(at + 20);
    ids.push(rec.id);
  }
  t.same(
    r.recorder.list().map((x) => x.id),
    [ids[2], ids[1], ids[0]],
    'newest first',
  );
  t.same(
    r.recorder.list({ callId: 'call-a' }).map((x) => x.id),
    [ids[2], ids[0]],
    'one call, its set of recordings',
  );
  t.equal(r.recorder.list({ limit: 1 }).length, 1);
  t.equal(r.recorder.list({ limit: 0 }).length, 1, 'limit clamped to at least 1');
  t.equal(r.recorder.list({ callId: 'nobody', limit: 10 }).length, 0);

  const id = ids[1] as string;
  t.equal(r.recorder.get('nope'), null);
  t.equal(r.recorder.filePath('nope'), null);
  t.equal(r.recorder.filePath(id), path.join(r.dir, '2026-01-06', `${id}.wav`));
  t.match(r.recorder.setLegalHold(id, true), { id, legalHold: true });
  t.match(r.recorder.get(id), { legalHold: true });
  t.throws(() => r.recorder.setLegalHold('nope', true), new CallboxError('NOT_FOUND', 'no recording "nope"'));
  t.ok(r.lines.some((l) => l.msg === 'recording put on legal hold' && l.recording === id));
});

t.test('call ids with odd characters make safe file names', async (t) => {
  const r = rig(t);
  const rec = r.recorder.start({ callId: '../../etc/passwd 电话', queue: null, startedAt: T0 });
  if (!rec) return t.fail('not recording');
  await rec.stop(T0);
  t.match(rec.id, /^20260106-100000-______etc_passwd___-[0-9a-f]{6}$/);
  const file = r.recorder.filePath(rec.id) as string;
  t.equal(path.dirname(path.dirname(file)), r.dir, 'inside the recordings folder');
  t.match(r.recorder.get(rec.id), { callId: '../../etc/passwd 电话' }, 'the index keeps the real call id');
});

t.test('the table refuses bad values (STRICT, CHECK)', (t) => {
  const r = rig(t);
  const insert = r.db.prepare(
    `INSERT INTO recordings (id, call_id, queue, path, format, channels, started_at, state, legal_hold)
     VALUES (@id, 'c', NULL, 'x.wav', @format, @channels, @started_at, @state, 0)`,
  );
  const ok = { id: 'r1', format: 'pcm16', channels: 1, started_at: T0, state: 'recording' };
  t.doesNotThrow(() => insert.run(ok));
  t.throws(() => insert.run({ ...ok, id: 'r2', format: 'mp3' }), /CHECK constraint/);
  t.throws(() => insert.run({ ...ok, id: 'r3', channels: 3 }), /CHECK constraint/);
  t.throws(() => insert.run({ ...ok, id: 'r4', state: 'lost' }), /CHECK constraint/);
  t.throws(() => insert.run({ ...ok, id: 'r5', started_at: 'yesterday' }), /cannot store TEXT value in INTEGER column/);
  const idx = r.db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'recordings' AND sql IS NOT NULL ORDER BY name")
    .pluck()
    .all();
  t.same(idx, ['recordings_call_id', 'recordings_open', 'recordings_started_at']);
  t.end();
});

// Recording upload on request with a real mosquitto: `callbox fleet upload` (the production
// bundle) fetches a 300 KB recording in ≤64 KB messages, byte for byte; a consumer that stops
// storing after 3 chunks and a box restarted meanwhile → the new box process resumes at chunk 3
// (not 0) and the file arrives whole; unknown and unfinished recordings are refused.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { FleetConsumer } from '../../firmware/src/cloud/fleet/fleet-consumer.js';
import { SqliteFleetStore } from '../../firmware/src/cloud/fleet/fleet-store.js';
import type { RecordingRef } from '../../firmware/src/cloud/host.js';
import { runCli } from '../helpers/process.js';
import { tempDir } from '../unit/ota/fixtures/releases.js';
import { cloudRig, type Rig } from './fixtures/cloud-rig.js';
import { Spy } from './fixtures/contract-check.js';
import { Broker, until } from './fixtures/mosquitto.js';

let broker: Broker;
t.before(async () => {
  broker = await Broker.start();
});
t.teardown(() => broker.stop());

function recordings(dir: string) {
  mkdirSync(join(dir, 'rec'), { recursive: true });
  const map = new Map<string, RecordingRef>();
  const add = (id: string, bytes: Buffer, state: RecordingRef['state'] = 'complete') => {
    const path = join(dir, 'rec', `${id}.wav`);
    writeFileSync(path, bytes);
    map.set(id, {
      path,
      state,
      meta: { callId: `call-${id}`, format: 'pcm16', channels: 1, startedAt: '2026-11-27T08:00:00.000Z', durationMs: 9000 },
    });
    return path;
  };
  return { add, lookup: (id: string) => map.get(id) ?? null };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

t.test('callbox fleet upload: a 300 KB recording in chunks ≤64 KB, stored byte for byte', async (t) => {
  const dir = tempDir('mqtt-upload-');
  const recs = recordings(dir);
  const audio = randomBytes(300_000);
  recs.add('r1', audio);
  recs.add('r-live', randomBytes(10), 'recording');
  const rig = await cloudRig(dir, broker.url, 'up-box', { recording: recs.lookup });
  const spy = await Spy.start(broker.url, 'up-box');
  t.teardown(async () => {
    await rig.stop();
    await spy.stop();
  });
  await rig.cloud.start();
  await until(() => rig.cloud.status().connected);
  const files = join(dir, 'fleet-files');
  const run = await runCli(['fleet', 'upload', '--url', broker.url, 'up-box', 'r1', '--files', files, '--timeout', '30']);
  t.equal(run.code, 0, run.stderr);
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  t.match(lines[0], {
    ok: true,
    result: { uploadId: 'rec-r1', recordingId: 'r1', size: 300_000, sha256: sha(audio), chunks: 7, chunkBytes: 49152, resumeFrom: 0 },
  });
  const end = lines.at(-1) as { complete: boolean; path: string; meta: unknown };
  t.equal(end.complete, true);
  t.ok(readFileSync(end.path).equals(audio), 'the stored file equals the recording');
  t.match(end.meta, { callId: 'call-r1', format: 'pcm16' });
  const chunks = spy.on(/^upload\//);
  t.equal(chunks.length, 7);
  t.ok(
    chunks.every((c) => c.packet.payload.length <= 64 * 1024 + 1024),
    'every chunk message is about 64 KB at most',
  );
  t.same(spy.violations(), [], 'chunks fit the AsyncAPI schema');

  // asked again (the cloud lost it): sent again from the start
  const again = await runCli([
    'fleet',
    'upload',
    '--url',
    broker.url,
    'up-box',
    'r1',
    '--files',
    join(dir, 'other'),
    '--db',
    join(dir, 'f.db'),
  ]);
  t.equal(again.code, 0, again.stderr);
  t.match(JSON.parse(again.stdout.split('\n')[0] as string), { ok: true, result: { status: 'sending', resumeFrom: 0 } });
  t.ok(readFileSync((JSON.parse(again.stdout.trim().split('\n').at(-1) as string) as { path: string }).path).equals(audio));

  const fleet = new FleetConsumer({ url: broker.url, store: new SqliteFleetStore(':memory:'), records: false });
  await fleet.start();
  t.teardown(() => fleet.stop());
  t.match((await fleet.command('up-box', 'recording-upload', { recordingId: 'nope' }))[0], { ok: false, error: { code: 'NOT_FOUND' } });
  t.match((await fleet.command('up-box', 'recording-upload', { recordingId: 'r-live' }))[0], {
    ok: false,
    error: { code: 'CONFLICT', message: /still being written/ },
  });
  t.match((await fleet.command('up-box', 'recording-upload', { recordingId: 'r1', uploadId: '../x' }))[0], {
    ok: false,
    error: { code: 'VALIDATION_FAILED' },
  });
});

t.test('a consumer that stops storing and a box restart: the upload resumes after the last acked chunk', async (t) => {
  const dir = tempDir('mqtt-upload-resume-');
  const recs = recordings(dir);
  const audio = randomBytes(500_000);
  recs.add('r2', audio);
  let rig: Rig = await cloudRig(dir, broker.url, 'up-resume', { recording: recs.lookup });
  const spy = await Spy.start(broker.url, 'up-resume');
  t.teardown(async () => {
    await rig.stop();
    await spy.stop();
  });
  await rig.cloud.start();
  await until(() => rig.cloud.status().connected);
  let gate = 3; // store chunks below this index only: "the consumer dies" after chunk 2
  const acks: number[] = [];
  let complete = false;
  const store = new SqliteFleetStore(':memory:');
  const fleet = new FleetConsumer({
    url: broker.url,
    store,
    records: false,
    files: join(dir, 'files'),
    uploadGate: (_id, index) => index < gate,
    onUpload: (_d, _u, ack) => {
      acks.push(ack.index);
      if ('complete' in ack && ack.complete) complete = true;
    },
  });
  await fleet.start();
  t.teardown(() => fleet.stop());
  const [reply] = await fleet.command('up-resume', 'recording-upload', { recordingId: 'r2' });
  t.match(reply, { ok: true, result: { chunks: 11, resumeFrom: 0 } });
  t.ok(await until(() => acks.includes(2)), 'chunks 0-2 stored and acked');
  await new Promise((r) => setTimeout(r, 300));
  t.equal(spy.on(/^upload\//).length, 3 + 8, 'the window: 8 more chunks in flight, not stored');
  // the box restarts; the consumer is back
  await rig.stop();
  gate = Number.POSITIVE_INFINITY;
  const before = spy.on(/^upload\//).length;
  rig = await cloudRig(dir, broker.url, 'up-resume', { recording: recs.lookup });
  await rig.cloud.start();
  t.ok(await until(() => complete, 20_000), 'complete after the restart');
  const resent = spy
    .on(/^upload\//)
    .slice(before)
    .map((m) => (m.body as { index: number }).index);
  t.equal(resent[0], 3, 'the new process starts at chunk 3, the first unacked');
  t.notOk(resent.includes(0), 'acked chunks are not sent again');
  const u = store.getUpload('up-resume', 'rec-r2');
  t.ok(u?.complete);
  t.ok(readFileSync(u?.path as string).equals(audio), 'the stored file equals the recording');
  const state = () => JSON.parse(readFileSync(join(dir, 'uploads', 'rec-r2.json'), 'utf8')) as { status: string; acked: number };
  t.ok(await until(() => state().status === 'done'), 'the box took the last ack');
  t.match(state(), { status: 'done', acked: 11 });
  t.same(spy.violations(), []);
});

// The PostgreSQL fleet store against a real PostgreSQL 15 server started here (a temp dir owned
// by the postgres user, loopback port): upsert on (deviceId, id) keeping the highest version,
// redelivery changes nothing, duplicates inside one batch, devices, jobs, uploads; then the real
// `callbox fleet consume --store postgres://…` process draining a box through mosquitto, every
// record once, and `fleet records/devices --store` reading them back.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { PgFleetStore } from '../../firmware/src/cloud/fleet/pg-store.js';
import { BUNDLE, runCli } from '../helpers/process.js';
import { cloudRig } from '../integration/fixtures/cloud-rig.js';
import { Broker, until } from '../integration/fixtures/mosquitto.js';
import { type PgServer, startPostgres } from './fixtures/postgres.js';

let pg: PgServer;
t.before(async () => {
  pg = await startPostgres();
});
t.teardown(() => pg.stop());

const rec = (id: string, version: number, body: unknown = { id, version }) => ({ id, version, ts: '2026-11-27T09:00:00.000Z', body });

t.test('PgFleetStore: upsert by (deviceId, id) with the version check, devices, jobs, uploads', async (t) => {
  const store = await PgFleetStore.open(pg.url);
  t.teardown(() => store.close());
  t.equal(await store.applyBatch('shop-1', 'tickets', 5, [rec('a', 1), rec('b', 1, { 名称: '张三' })]), 2);
  t.equal(await store.applyBatch('shop-1', 'tickets', 5, [rec('a', 1), rec('b', 1)]), 0, 'a redelivered batch changes nothing');
  t.equal(await store.applyBatch('shop-1', 'tickets', 6, [rec('a', 3, { v: 3 })]), 1, 'a newer version replaces');
  t.equal(await store.applyBatch('shop-1', 'tickets', 7, [rec('a', 2, { v: 2 })]), 0, 'an older version is ignored');
  t.equal(await store.applyBatch('shop-1', 'orders', 8, [rec('c', 1, { v: 1 }), rec('c', 4, { v: 4 }), rec('c', 2, { v: 2 })]), 1);
  t.equal(await store.applyBatch('shop-2', 'tickets', 1, [rec('a', 1, null)]), 1, 'the same id on another device is another record');
  t.same(
    (await store.records('shop-1')).map((r) => [r.id, r.stream, r.version, r.body]),
    [
      ['a', 'tickets', 3, { v: 3 }],
      ['b', 'tickets', 1, { 名称: '张三' }],
      ['c', 'orders', 4, { v: 4 }],
    ],
  );
  t.equal((await store.records('shop-1', 'orders')).length, 1);
  await store.setDevice('shop-1', 'status', { state: 'online', session: 's' });
  await store.setDevice('shop-1', 'telemetry', { cpuPercent: 3 });
  t.match(await store.devices(), [
    { deviceId: 'shop-1', state: 'online', telemetry: { cpuPercent: 3 }, records: 3, statusAt: /^\d{4}-/ },
    { deviceId: 'shop-2', state: null, records: 1 },
  ]);
  const job = {
    deviceId: 'shop-1',
    jobId: 'j1',
    status: 'IN_PROGRESS',
    step: 'unpack',
    percent: 50,
    version: '1.1.0',
    reason: null,
    code: null,
  };
  await store.setJob({ ...job, at: '2026-11-27T09:00:02.000Z' });
  await store.setJob({ ...job, status: 'SUCCEEDED', step: null, percent: 100, at: '2026-11-27T09:00:05.000Z' });
  await store.setJob({ ...job, at: '2026-11-27T09:00:03.000Z' });
  t.match(await store.jobs('shop-1'), [{ jobId: 'j1', status: 'SUCCEEDED', percent: 100 }], 'a late older update changes nothing');
  const up = {
    deviceId: 'shop-1',
    uploadId: 'rec-r1',
    recordingId: 'r1',
    name: 'r1.wav',
    size: 10,
    sha256: 'a'.repeat(64),
    chunks: 1,
    next: 0,
    complete: false,
    path: '/tmp/x',
    meta: { callId: 'c1' },
    updatedAt: '2026-11-27T09:00:00.000Z',
  };
  await store.putUpload(up);
  await store.putUpload({ ...up, next: 1, complete: true });
  t.match(await store.getUpload('shop-1', 'rec-r1'), { next: 1, complete: true, meta: { callId: 'c1' } });
  t.equal(await store.getUpload('shop-1', 'nope'), null);
  t.equal((await store.uploads()).length, 1);
  // a batch with `from` (strict order): refused while one before it is missing, nothing of it stored
  t.equal(await store.applyBatch('shop-3', 'tickets', 20, [rec('g2', 1)], 10), null, 'a batch after a missing one is refused');
  t.same(await store.records('shop-3'), [], 'nothing of it stored');
  t.equal(await store.applyBatch('shop-3', 'tickets', 10, [rec('g1', 1)], 0), 1);
  t.equal(await store.applyBatch('shop-3', 'tickets', 20, [rec('g2', 1)], 10), 1, 'accepted once the batch before it is in');
});

t.test('callbox fleet consume --store postgres://…: a box drains through mosquitto, each record once', async (t) => {
  const broker = await Broker.start();
  const dir = mkdtempSync(join(tmpdir(), 'fleet-pg-'));
  const rig = await cloudRig(dir, broker.url, 'pg-box');
  rig.put('tickets', 600);
  rig.put('calls', 250);
  rig.put('customers', 150);
  const consumer: ChildProcess = spawn(
    process.execPath,
    [BUNDLE, 'fleet', 'consume', '--url', broker.url, '--store', pg.url, '--client-id', 'pg-consumer'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  consumer.stdout?.on('data', (d) => {
    out += d;
  });
  consumer.stderr?.on('data', (d) => {
    out += d;
  });
  t.teardown(async () => {
    if (consumer.exitCode === null) consumer.kill('SIGKILL');
    await rig.stop();
    await broker.stop();
  });
  t.ok(await until(() => out.includes('fleet consumer ready'), 15_000), out);
  t.match(out, /"db":"postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres"/);
  await rig.cloud.start();
  t.ok(await until(() => Object.keys(rig.outbox.backlog()).length === 0, 60_000), 'every record acked after the commit');
  // a redelivery (the box restarts its sender from an old seq) changes nothing
  rig.put('tickets', 10, 0);
  t.ok(await until(() => Object.keys(rig.outbox.backlog()).length === 0, 30_000));
  const stopped = new Promise((r) => consumer.once('exit', r));
  consumer.kill('SIGTERM');
  await stopped;
  t.match(out, /fleet consumer stopped/);

  const records = await runCli(['fleet', 'records', '--store', pg.url, '--device', 'pg-box']);
  t.equal(records.code, 0, records.stderr);
  const rows = JSON.parse(records.stdout) as { id: string; stream: string }[];
  t.equal(rows.length, 1000, 'each record once');
  t.equal(rows.filter((r) => r.stream === 'calls').length, 250);
  const devices = await runCli(['fleet', 'devices', '--store', pg.url]);
  t.match(JSON.parse(devices.stdout), [{ deviceId: 'pg-box', state: 'online', records: 1000 }]);
  const bad = await runCli(['fleet', 'devices', '--store', 'mysql://x']);
  t.equal(bad.code, 64);
  t.match(bad.stderr, /--store takes a postgres:\/\//);
});

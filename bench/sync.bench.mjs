// Cloud sync drain: a box (the production bundle) comes back after an outage with 10,000 records
// queued in its outbox (4,000 call records, 3,000 tickets, 2,000 orders, 1,000 customers) and
// drains them through a private mosquitto to the reference consumer (`callbox fleet consume`,
// SQLite, acks after commit). Measures records/s and seconds from the box's connect to the last
// ack, bytes on the wire per call record, and the box's CPU and RSS while draining.
// Peer, measured in the same run: a bare mqtt.js publisher sending the same batches with QoS 1
// and no store (the floor the broker and the client library set on this machine).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { median, rssBytes, sleep, spawnReady, stopProc, writeResult } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const RECORDS = 10_000;
const MIX = { calls: 4000, tickets: 3000, orders: 2000, customers: 1000 };
const BUNDLE = new URL('../dist/callbox.mjs', import.meta.url).pathname;
const TARGET_S = 10;

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function startBroker(dir) {
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n`);
  const proc = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 500 });
      await c.endAsync();
      return { proc, url: `mqtt://127.0.0.1:${port}` };
    } catch {
      await sleep(50);
    }
  }
  throw new Error('mosquitto did not start');
}

const ulid = (i) => `01JD${String(i).padStart(22, '0')}`;
function body(stream, i) {
  const t0 = Date.UTC(2026, 10, 26, 1, 0, 0) + i * 37_000;
  const iso = (ms) => new Date(ms).toISOString();
  switch (stream) {
    case 'calls':
      return {
        id: `c${String(i).padStart(8, '0')}`,
        direction: 'inbound',
        state: 'ended',
        callerId: `1380013${String(i % 10000).padStart(4, '0')}`,
        callerName: null,
        startedAt: iso(t0),
        answeredAt: iso(t0 + 9000),
        endedAt: iso(t0 + 180_000),
        outcome: 'answered',
        ivrPath: '1',
        queue: 'main',
        agent: 'a1',
        legs: [
          { channel: 'fxo1', kind: 'fxo', role: 'caller', startedAt: iso(t0), answeredAt: iso(t0 + 4000), endedAt: iso(t0 + 180_000) },
          {
            channel: 'fxs1',
            kind: 'fxs',
            role: 'agent',
            startedAt: iso(t0 + 6000),
            answeredAt: iso(t0 + 9000),
            endedAt: iso(t0 + 180_000),
          },
        ],
      };
    case 'tickets':
      return {
        id: ulid(i),
        number: `GD-20261126-${i}`,
        title: '空调不制冷，要求上门维修',
        status: 'open',
        priority: 'normal',
        customerId: ulid(i + 1),
        createdAt: iso(t0),
        version: 1,
      };
    case 'orders':
      return {
        id: ulid(i),
        number: `DD${i}`,
        customerId: ulid(i + 2),
        lines: [{ sku: 'KT-1P', name: '挂式空调 1匹', qty: 1, priceCents: 219900 }],
        totalCents: 219900,
        status: 'paid',
        createdAt: iso(t0),
      };
    default:
      return { id: ulid(i), name: '张三', phone: '138****8000', city: '杭州', tags: ['回头客'], createdAt: iso(t0), version: 1 };
  }
}

/** First boot without the cloud (creates config + schema), then queue the records "during the outage". */
async function prepareBox(dir) {
  const box = await spawnReady(
    process.execPath,
    [BUNDLE, 'run', '--sim', '--port', '0', '--data-dir', dir],
    { CALLBOX_ADMIN_PASSWORD: 'bench-password-1', CALLBOX_LOG_LEVEL: 'warn' },
    'callbox ready',
  ).catch(async () => {
    // log level warn hides "ready": fall back to info
    return spawnReady(
      process.execPath,
      [BUNDLE, 'run', '--sim', '--port', '0', '--data-dir', dir],
      { CALLBOX_ADMIN_PASSWORD: 'bench-password-1' },
      'callbox ready',
    );
  });
  await stopProc(box.proc);
  const db = new Database(join(dir, 'callbox.db'));
  const put = db.prepare('INSERT INTO outbox (stream, record_id, version, ts, body) VALUES (?, ?, 1, ?, ?)');
  let i = 0;
  db.transaction(() => {
    for (const [stream, n] of Object.entries(MIX)) {
      for (let k = 0; k < n; k++, i++) {
        const b = body(stream, i);
        put.run(stream, b.id, Date.now(), JSON.stringify(b));
      }
    }
  })();
  db.close();
}

function cpuTicks(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime (fields 14, 15)
}

async function drainOnce() {
  const dir = mkdtempSync(join(tmpdir(), 'cb-sync-bench-'));
  try {
    const boxDir = join(dir, 'box');
    await prepareBox(boxDir);
    const broker = await startBroker(dir);
    const consumer = await spawnReady(
      process.execPath,
      [BUNDLE, 'fleet', 'consume', '--url', broker.url, '--db', join(dir, 'fleet.db')],
      {},
      'fleet consumer ready',
    );
    // a wire tap on the call records: payload and topic bytes per call record
    const tap = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    const wire = { bytes: 0, records: 0, batches: 0 };
    tap.on('message', (topic, payload) => {
      // MQTT 5 PUBLISH QoS 1: fixed header (1 + 2..3 length bytes) + topic (2 + n) + packet id (2)
      // + properties (1 length + 1+2+16 content type) + payload
      wire.bytes += 1 + 3 + 2 + Buffer.byteLength(topic) + 2 + 1 + 19 + payload.length;
      wire.records += JSON.parse(payload).records.length;
      wire.batches++;
    });
    await tap.subscribeAsync('cb/v1/+/rec/calls', { qos: 1 });
    const db = new Database(join(boxDir, 'callbox.db'), { readonly: true });
    const pending = db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE acked_at IS NULL');
    const t0 = performance.now();
    const box = spawn(process.execPath, [BUNDLE, 'run', '--sim', '--port', '0', '--data-dir', boxDir], {
      env: { ...process.env, CALLBOX_ADMIN_PASSWORD: 'bench-password-1', CALLBOX_MQTT_URL: broker.url, CALLBOX_DEVICE_ID: 'bench-box' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let connectedAt = null;
    let buf = '';
    box.stdout.on('data', (d) => {
      buf += d;
      if (connectedAt === null && buf.includes('cloud: connected')) connectedAt = performance.now();
      if (buf.length > 100_000) buf = buf.slice(-1000);
    });
    let rssMax = 0;
    let ticks0 = null;
    while (pending.get().n > 0) {
      if (performance.now() - t0 > 120_000) throw new Error(`not drained in 120 s (${pending.get().n} left)`);
      if (connectedAt !== null) {
        ticks0 ??= cpuTicks(box.pid);
        rssMax = Math.max(rssMax, rssBytes(box.pid));
      }
      await sleep(10);
    }
    const doneAt = performance.now();
    const ticks = cpuTicks(box.pid) - (ticks0 ?? cpuTicks(box.pid));
    const seconds = (doneAt - (connectedAt ?? t0)) / 1000;
    db.close();
    const fleetDb = new Database(join(dir, 'fleet.db'), { readonly: true });
    const stored = fleetDb.prepare('SELECT COUNT(*) AS n FROM records').get().n;
    fleetDb.close();
    await stopProc(box);
    await stopProc(consumer.proc);
    await tap.endAsync();
    await stopProc(broker.proc);
    if (stored !== RECORDS) throw new Error(`consumer stored ${stored} of ${RECORDS}`);
    return {
      seconds,
      recordsPerSecond: RECORDS / seconds,
      bytesPerCallRecord: wire.bytes / wire.records,
      callBatches: wire.batches,
      cpuPercent: (ticks / 100 / seconds) * 100,
      rssMaxMB: rssMax / 1048576,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Peer: the same 100-record batches published by bare mqtt.js (QoS 1), no store, no acks. */
async function peerOnce() {
  const dir = mkdtempSync(join(tmpdir(), 'cb-sync-peer-'));
  try {
    const broker = await startBroker(dir);
    const sub = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    let got = 0;
    sub.on('message', (_t, p) => {
      got += JSON.parse(p).records.length;
    });
    await sub.subscribeAsync('peer/#', { qos: 1 });
    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    const batches = [];
    let i = 0;
    for (const [stream, n] of Object.entries(MIX)) {
      for (let k = 0; k < n; k += 100) {
        const records = [];
        for (let j = 0; j < 100; j++, i++) records.push({ id: String(i), version: 1, ts: new Date().toISOString(), body: body(stream, i) });
        batches.push([stream, JSON.stringify({ seq: i, records })]);
      }
    }
    const t0 = performance.now();
    await Promise.all(batches.map(([s, p]) => pub.publishAsync(`peer/${s}`, p, { qos: 1 })));
    while (got < RECORDS) await sleep(2);
    const seconds = (performance.now() - t0) / 1000;
    await pub.endAsync();
    await sub.endAsync();
    await stopProc(broker.proc);
    return { seconds, recordsPerSecond: RECORDS / seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const runs = [];
const peers = [];
for (let r = 0; r < RUNS; r++) {
  runs.push(await drainOnce());
  peers.push(await peerOnce());
  console.error(`run ${r + 1}/${RUNS}: ${runs.at(-1).seconds.toFixed(2)} s, peer ${peers.at(-1).seconds.toFixed(2)} s`);
}
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const drainSeconds = round(median(runs.map((r) => r.seconds)));
writeResult('sync', {
  runs: RUNS,
  targets: { drainSeconds: TARGET_S },
  drainRecords: RECORDS,
  drainSeconds,
  recordsPerSecond: Math.round(RECORDS / drainSeconds),
  mix: MIX,
  bytesPerCallRecord: Math.round(median(runs.map((r) => r.bytesPerCallRecord))),
  boxCpuPercentWhileDraining: round(median(runs.map((r) => r.cpuPercent)), 0),
  boxRssMaxMB: round(median(runs.map((r) => r.rssMaxMB)), 0),
  perRun: runs.map((r) => ({
    seconds: round(r.seconds),
    recordsPerSecond: Math.round(r.recordsPerSecond),
    cpuPercent: round(r.cpuPercent, 0),
    rssMaxMB: round(r.rssMaxMB, 0),
  })),
  peer: {
    what: 'bare mqtt.js QoS 1 publisher → mosquitto → subscriber, same batches, no SQLite, no acks',
    seconds: round(median(peers.map((p) => p.seconds))),
    recordsPerSecond: Math.round(median(peers.map((p) => p.recordsPerSecond))),
  },
  pass: drainSeconds < TARGET_S,
});

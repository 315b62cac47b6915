// Fleet load: N simulated boxes (mqtt.js v5 clients in one process, the real contract: retained
// birth + last will, rec batches built by the box's buildBatch, each waiting for its own ack, tel)
// against a private mosquitto and the reference consumer (`callbox fleet consume`, SQLite, its own
// process). The rig is test/slow/fixtures/fleet-load.ts (run with tsx, prints one JSON line); this
// runs it for 100 boxes (the peer) and 500 boxes in the same run, RUNS times each, and keeps medians:
// records/s (first batch to last ack), ack latency p50/p99 (publish to the batch's own ack),
// consumer CPU % and max RSS while the records flow -> results/fleet-load.json.
import { spawnSync } from 'node:child_process';
import { median, writeResult } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PER_STREAM = 20; // x 2 streams (tickets, orders), batches of 10
const FLEETS = [100, 500];

function once(boxes) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/slow/fixtures/fleet-load.ts', String(boxes), String(PER_STREAM)], {
    encoding: 'utf8',
    timeout: 180_000,
    cwd: new URL('..', import.meta.url).pathname,
  });
  if (r.status !== 0) throw new Error(`fleet load of ${boxes} boxes failed: ${r.stderr || r.error}`);
  const res = JSON.parse(r.stdout.trim().split('\n').at(-1));
  if (res.stored !== res.records || res.storedDistinct !== res.records || res.births !== boxes)
    throw new Error(`fleet load of ${boxes} boxes: ${JSON.stringify(res)}`);
  return res;
}

const fleets = {};
for (const boxes of FLEETS) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(once(boxes));
  const m = (k) => median(runs.map((r) => r[k]));
  fleets[boxes] = {
    boxes,
    records: runs[0].records,
    recordsPerSecond: Math.round(m('recordsPerSecond')),
    sendSeconds: m('sendSeconds'),
    connectSeconds: m('connectSeconds'),
    ackP50Ms: m('ackP50Ms'),
    ackP99Ms: m('ackP99Ms'),
    consumerCpuPercent: m('consumerCpuPercent'),
    consumerRssMaxMB: m('consumerRssMaxMB'),
    perRun: runs.map((r) => ({
      recordsPerSecond: r.recordsPerSecond,
      ackP50Ms: r.ackP50Ms,
      ackP99Ms: r.ackP99Ms,
      consumerCpuPercent: r.consumerCpuPercent,
      consumerRssMaxMB: r.consumerRssMaxMB,
    })),
  };
}

writeResult('fleet-load', {
  runs: RUNS,
  setup: {
    streams: ['tickets', 'orders'],
    recordsPerStreamPerBox: PER_STREAM,
    recordsPerBatch: 10,
    connectWave: 50,
    consumer: 'callbox fleet consume (SQLite)',
  },
  peer: 'the 100-box fleet, measured in the same run',
  fleets,
});

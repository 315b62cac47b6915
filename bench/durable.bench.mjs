// What durable acknowledgements cost (firmware/src/store/wal-sync.ts: a write is answered after the
// WAL's fsync, run on the thread pool): the production bundle on the sim driver answering ticket
// writes, against the same bundle under eatmydata (LD_PRELOAD that turns every fsync into a no-op:
// the peer, a box that answers before its writes reach the disk), measured in the same run in
// alternating rounds. Per round and box: SEQUENTIAL single writes (latency p50/p99), then
// CONCURRENT writers at once (throughput; concurrent writes share an fsync), and the box's
// event-loop lag p99 from /metrics after the round (the fsync must not stall the loop, which
// drives the calls' audio). Data dir on the repository's disk (tmpdir; not a tmpfs here).
// Writes bench/results/durable.json.
import { execFileSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeChaosConfig } from '../scripts/chaos/box-process.mjs';
import { median, pct, r2, spawnReady, stopProc, writeResult } from './lib.mjs';
import { parseLagP99 } from './soak-lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 200);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 8);
const EACH = Number(process.env.BENCH_CONCURRENT_EACH ?? 50);
const BUNDLE = new URL('../dist/callbox.mjs', import.meta.url).pathname;
const PASSWORD = 'bench-password-1';

try {
  execFileSync('eatmydata', ['true']);
} catch {
  console.error('durable bench: eatmydata is missing (Debian: apt-get install eatmydata; make deps-slow installs it)');
  process.exit(2);
}

async function start(name, wrap) {
  const dir = mkdtempSync(join(tmpdir(), `callbox-bench-durable-${name}-`));
  writeChaosConfig(dir);
  const cmd = [...wrap, process.execPath, BUNDLE, 'run', '--sim', '--port', '0', '--data-dir', dir];
  const { proc, url } = await spawnReady(
    cmd[0],
    cmd.slice(1),
    { CALLBOX_ADMIN_PASSWORD: PASSWORD, CALLBOX_LOG_LEVEL: 'info' },
    '"callbox ready"',
  );
  const r = await fetch(`${url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'owner', password: PASSWORD }),
  });
  const { token } = await r.json();
  return { name, dir, proc, url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } };
}

async function write(box, i) {
  const t0 = performance.now();
  const r = await fetch(`${box.url}/api/v1/tickets`, {
    method: 'POST',
    headers: box.headers,
    body: JSON.stringify({ subject: `退换货 ${i}`, description: '客户反映包装破损，要求换货' }),
  });
  await r.arrayBuffer();
  if (r.status !== 201) throw new Error(`${box.name}: POST /tickets ${r.status}`);
  return performance.now() - t0;
}

async function lagP99(box) {
  return parseLagP99(await (await fetch(`${box.url}/metrics`)).text()) * 1000;
}

/** This disk's own fsync of a 4 KB write, p50 and p99 of 200: what each durable answer waits for. */
function diskFsync() {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-bench-fsync-'));
  const fd = openSync(join(dir, 'f'), 'w');
  const ms = [];
  for (let i = 0; i < 200; i++) {
    writeSync(fd, Buffer.alloc(4096, i), 0, 4096, i * 4096);
    const t0 = performance.now();
    fsyncSync(fd);
    ms.push(performance.now() - t0);
  }
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  return { p50Ms: Math.round(pct(ms, 50) * 1000) / 1000, p99Ms: Math.round(pct(ms, 99) * 1000) / 1000 };
}
const disk = diskFsync();

const boxes = [await start('durable', []), await start('peer', ['eatmydata'])];
const out = Object.fromEntries(boxes.map((b) => [b.name, { sequentialMs: [], concurrentPerS: [], concurrentMs: [], lagP99Ms: [] }]));
let n = 0;
for (let round = 0; round < RUNS; round++) {
  for (const box of round % 2 ? [...boxes].reverse() : boxes) {
    const o = out[box.name];
    for (let i = 0; i < SEQUENTIAL; i++) o.sequentialMs.push(await write(box, n++));
    const t0 = performance.now();
    const lists = await Promise.all(
      Array.from({ length: CONCURRENT }, async () => {
        const ms = [];
        for (let i = 0; i < EACH; i++) ms.push(await write(box, n++));
        return ms;
      }),
    );
    o.concurrentPerS.push((CONCURRENT * EACH) / ((performance.now() - t0) / 1000));
    o.concurrentMs.push(...lists.flat());
    o.lagP99Ms.push(await lagP99(box));
  }
}
for (const b of boxes) {
  await stopProc(b.proc);
  rmSync(b.dir, { recursive: true, force: true });
}
const summary = (o) => ({
  sequentialP50Ms: r2(pct(o.sequentialMs, 50)),
  sequentialP99Ms: r2(pct(o.sequentialMs, 99)),
  concurrentWritesPerS: r2(median(o.concurrentPerS)),
  concurrentP50Ms: r2(pct(o.concurrentMs, 50)),
  concurrentP99Ms: r2(pct(o.concurrentMs, 99)),
  eventLoopLagP99Ms: r2(median(o.lagP99Ms)),
  eventLoopLagP99MsByRound: o.lagP99Ms.map(r2),
});
const durable = summary(out.durable);
const peer = summary(out.peer);
writeResult('durable', {
  runs: { rounds: RUNS, sequentialWritesPerRound: SEQUENTIAL, concurrentWriters: CONCURRENT, writesPerWriter: EACH },
  write: 'POST /api/v1/tickets (one ticket, its event and outbox row)',
  diskFsync4KB: disk,
  durable,
  peerEatmydata: peer,
  ratios: {
    sequentialP50: r2(durable.sequentialP50Ms / peer.sequentialP50Ms),
    concurrentWritesPerS: r2(durable.concurrentWritesPerS / peer.concurrentWritesPerS),
    eventLoopLagP99: r2(durable.eventLoopLagP99Ms / peer.eventLoopLagP99Ms),
  },
});

// Time-to-ready and idle RSS of `callbox run --sim` (the production bundle), and event-loop lag p99
// while 16 simulated calls talk at once. Peer, measured in the same run: a bare Node HTTP server
// answering /healthz (the floor any Node appliance pays), so the ratio says what callbox adds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, rssBytes, sleep, spawnReady, stopProc, waitHealthy, writeResult } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BUNDLE = new URL('../dist/callbox.mjs', import.meta.url).pathname;
const PEER = `
const http = require('node:http');
const s = http.createServer((q, r) => { r.setHeader('content-type', 'application/json'); r.end('{"status":"ok"}'); });
s.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'peer ready', url: 'http://127.0.0.1:' + s.address().port })));
process.on('SIGTERM', () => s.close(() => process.exit(0)));
`;

function benchConfig(dir) {
  // 16 lines and 16 extensions so 16 calls can talk at once.
  const agents = Array.from({ length: 16 }, (_, i) => ({ id: `a${i + 1}`, name: `Agent ${i + 1}`, extension: `fxs${i + 1}` }));
  const config = {
    version: 1,
    shop: { name: 'bench', country: 'CN', language: 'zh-CN', timezone: 'Asia/Shanghai' },
    http: { metricsRequireAuth: false },
    hardware: { driver: 'sim', sim: { fxo: 16, fxs: 16, gsm: 0, agentAnswerAfterS: 1, agentTalkS: 600 } },
    lines: Array.from({ length: 16 }, (_, i) => ({ channel: `fxo${i + 1}`, name: `Line ${i + 1}`, ivr: 'main', answerAfterRings: 1 })),
    agents,
    queues: [
      { id: 'main', name: 'Main', strategy: 'longestIdle', members: agents.map((a) => a.id), ringTimeoutS: 20, maxWaitS: 300, wrapUpS: 0 },
    ],
    ivr: {
      menus: {
        main: {
          prompt: 'welcome',
          timeoutS: 10,
          repeats: 1,
          options: { 1: { action: 'queue', queue: 'main' } },
          onTimeout: { action: 'hangup' },
          onInvalid: { action: 'menu', menu: 'main' },
        },
      },
    },
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
}

async function oneRun(withCalls) {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-bench-'));
  if (withCalls) benchConfig(dir);
  const env = { CALLBOX_ADMIN_PASSWORD: 'bench-password-1', CALLBOX_LOG_LEVEL: 'warn' };
  // 'callbox ready' is logged at info; use level info for the ready line only via a dedicated env.
  const { proc, url, t0 } = await spawnReady(
    process.execPath,
    [BUNDLE, 'run', '--sim', '--port', '0', '--data-dir', dir],
    { ...env, CALLBOX_LOG_LEVEL: 'info' },
    '"callbox ready"',
  );
  const readyMs = await waitHealthy(`${url}/healthz`, t0);
  await sleep(3000);
  const idleRss = rssBytes(proc.pid);
  let lag = null;
  if (withCalls) {
    const { token } = await (
      await fetch(`${url}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'owner', password: 'bench-password-1' }),
      })
    ).json();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    for (let i = 1; i <= 16; i++) {
      const r = await fetch(`${url}/api/v1/sim/calls`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ channel: `fxo${i}`, callerId: `1380013${String(i).padStart(4, '0')}`, digits: '1', hangupAfterS: 600 }),
      });
      if (r.status !== 201) throw new Error(`call ${i}: ${r.status} ${await r.text()}`);
    }
    // Wait until all 16 talk, then two full 10 s lag windows.
    for (;;) {
      const m = await (await fetch(`${url}/metrics`)).text();
      const talking = (await (await fetch(`${url}/api/v1/calls?limit=16`, { headers })).json()).calls.filter(
        (c) => c.state === 'talking',
      ).length;
      if (talking === 16) break;
      if (!m) throw new Error('no metrics');
      await sleep(250);
    }
    await sleep(21_000);
    const m = await (await fetch(`${url}/metrics`)).text();
    const q = (quantile) => Number(new RegExp(`callbox_event_loop_lag_seconds\\{quantile="${quantile}"\\} ([0-9.e-]+)`).exec(m)?.[1]);
    const active = Number(/^callbox_calls_active (\d+)/m.exec(m)?.[1]);
    lag = { p99Ms: q('0.99') * 1000, p50Ms: q('0.5') * 1000, maxMs: q('1') * 1000, active, rssBytes: rssBytes(proc.pid) };
  }
  await stopProc(proc);
  rmSync(dir, { recursive: true, force: true });
  return { readyMs, idleRss, lag };
}

async function peerRun() {
  const { proc, url, t0 } = await spawnReady(process.execPath, ['-e', PEER], {}, '"peer ready"');
  const readyMs = await waitHealthy(`${url}/healthz`, t0);
  await sleep(3000);
  const idleRss = rssBytes(proc.pid);
  await stopProc(proc);
  return { readyMs, idleRss };
}

const box = [];
const peer = [];
for (let i = 0; i < RUNS; i++) {
  peer.push(await peerRun());
  box.push(await oneRun(false));
}
const loaded = [];
for (let i = 0; i < Math.max(1, Math.ceil(RUNS / 2)); i++) loaded.push(await oneRun(true));

const mb = (b) => Math.round((b / 1048576) * 10) / 10;
const result = {
  runs: { startup: RUNS, loaded: loaded.length },
  targets: { idleRssMB: 80, readyMs: 2000, lagP99Ms: 10 },
  callbox: {
    readyMsMedian: Math.round(median(box.map((r) => r.readyMs))),
    idleRssMBMedian: mb(median(box.map((r) => r.idleRss))),
    readyMs: box.map((r) => Math.round(r.readyMs)),
    idleRssMB: box.map((r) => mb(r.idleRss)),
  },
  peerBareNodeHttp: {
    readyMsMedian: Math.round(median(peer.map((r) => r.readyMs))),
    idleRssMBMedian: mb(median(peer.map((r) => r.idleRss))),
  },
  calls16: {
    activeCalls: loaded.map((r) => r.lag.active),
    lagP99MsMedian: Math.round(median(loaded.map((r) => r.lag.p99Ms)) * 100) / 100,
    lagP50MsMedian: Math.round(median(loaded.map((r) => r.lag.p50Ms)) * 100) / 100,
    lagMaxMs: loaded.map((r) => Math.round(r.lag.maxMs * 100) / 100),
    rssMB: loaded.map((r) => mb(r.lag.rssBytes)),
  },
};
result.ratios = {
  readyVsPeer: Math.round((result.callbox.readyMsMedian / result.peerBareNodeHttp.readyMsMedian) * 100) / 100,
  idleRssVsPeer: Math.round((result.callbox.idleRssMBMedian / result.peerBareNodeHttp.idleRssMBMedian) * 100) / 100,
};
result.met = {
  idleRss: result.callbox.idleRssMBMedian < 80,
  ready: result.callbox.readyMsMedian < 2000,
  lagP99: result.calls16.lagP99MsMedian < 10,
};
writeResult('startup', result);

// Soak (`make soak`, docs/RELIABILITY.md): the production bundle on the sim driver under 3x a busy
// shop's traffic for SOAK_MINUTES (10 by default; 480 for the 8-hour run). Samples the box's RSS,
// open fds (/proc/<pid>/fd), SQLite size (callbox.db + -wal) and event-loop lag p99 (/metrics)
// every SOAK_SAMPLE_S seconds, fits a least-squares line per figure (slope per hour), counts failed
// calls (target 0), and writes bench/results/soak.json. Loopback only.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { rssBytes, sleep, spawnReady, stopProc, writeResult } from './lib.mjs';
import { simShopConfig } from '../scripts/chaos/box-process.mjs';
import { classifySmaps, fitSlope, parseLagP99, parseRssSplit, unitEnvironment } from './soak-lib.mjs';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const SAMPLE_S = Number(process.env.SOAK_SAMPLE_S ?? (MINUTES > 60 ? 60 : 10));
// A busy shop at its peak: 60 calls an hour (the demo default), 8 lines, 8 agents; each call brings
// back-office work (a customer looked up or made, a ticket for one call in three, an order for one
// in four) and the dashboard polls. 3x that: 180 calls an hour.
const CALLS_PER_HOUR = Number(process.env.SOAK_CALLS_PER_HOUR ?? 180);
// SOAK_LINES and SOAK_CALL_S=min,max (call length in seconds) for a diagnosis run that packs many
// calls into minutes (e.g. 16 lines, 5,15 s, SOAK_CALLS_PER_HOUR=3000); the figures use 8 and 20,90.
const LINES = Number(process.env.SOAK_LINES ?? 8);
const [CALL_MIN_S, CALL_MAX_S] = (process.env.SOAK_CALL_S ?? '20,90').split(',').map(Number);
const PASSWORD = 'soak-password-1';
// SOAK_BUNDLE: a private copy of the bundle (CALLBOX_BUILD_OUT=tmp/x node scripts/build.mjs) so a
// long soak is not disturbed by a rebuild of dist/; it must sit inside the repo (node_modules).
// The commit the box runs (taken at the start: others may commit during a long run).
const COMMIT = process.env.SOAK_COMMIT ?? gitCommit();
const BUNDLE = process.env.SOAK_BUNDLE ?? new URL('../dist/callbox.mjs', import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), 'callbox-soak-'));
const config = simShopConfig({ name: 'soak', lines: LINES, agentAnswerAfterS: 2, agentTalkS: 3600, menuTimeoutS: 2 });
writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
// The RSS split: bench/soak-memprobe.mjs in the box writes process.memoryUsage() to memFile.
const memFile = join(dir, 'memory.json');
const PROBE = new URL('./soak-memprobe.mjs', import.meta.url).pathname;
// SOAK_HEAP_AT=2,10,20 (minutes): V8 heap snapshots of the box (SIGUSR2) into SOAK_HEAP_DIR
// (default <tmpdir>/callbox-soak-heap; they are tens of MB, not for git), to compare with bench/heap-compare.mjs. A snapshot costs the box a few
// seconds and some RSS: leave it unset for the figures.
const HEAP_AT = (process.env.SOAK_HEAP_AT ?? '').split(',').filter(Boolean).map(Number);
const HEAP_DIR = process.env.SOAK_HEAP_DIR ?? join(tmpdir(), 'callbox-soak-heap');
const nodeFlags = ['--import', PROBE, ...(process.env.SOAK_PROBE_GC === '1' ? ['--expose-gc'] : [])];
if (HEAP_AT.length) {
  mkdirSync(HEAP_DIR, { recursive: true });
  nodeFlags.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${HEAP_DIR}`);
}
// The memory settings the box has in the field (the systemd unit's Environment=: MALLOC_* and
// NODE_OPTIONS); a variable set for the soak wins (e.g. MALLOC_ARENA_MAX= for glibc's default).
const UNIT_ENV = Object.fromEntries(
  Object.entries(unitEnvironment(readFileSync(new URL('../images/systemd/callbox.service', import.meta.url), 'utf8'))).filter(
    ([k]) => /^(MALLOC_|NODE_OPTIONS$)/.test(k) && process.env[k] === undefined,
  ),
);
const { proc, url } = await spawnReady(
  process.execPath,
  [...nodeFlags, BUNDLE, 'run', '--sim', '--port', '0', '--data-dir', dir],
  { ...UNIT_ENV, CALLBOX_ADMIN_PASSWORD: PASSWORD, CALLBOX_LOG_LEVEL: 'info', SOAK_MEM_FILE: memFile },
  '"callbox ready"',
);
let boxExit = null;
proc.on('exit', (code, signal) => {
  boxExit = { code, signal };
});
const { token } = await (
  await fetch(`${url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'owner', password: PASSWORD }),
  })
).json();
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const api = async (method, path, body) => {
  const r = await fetch(`${url}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
};

// --- traffic ---------------------------------------------------------------------------------
const rand = (a, b) => a + Math.random() * (b - a);
const busyUntil = new Map(); // channel -> ms
const placed = []; // { callId, at, hangupAfterS }
const errors = []; // requests the box answered wrongly
let blocked = 0; // every line busy when a caller rang: the shop's limit, not a failure
let backOffice = 0;
let seq = 0;
const endAt = Date.now() + MINUTES * 60_000;

async function oneCall() {
  const now = Date.now();
  const free = Array.from({ length: LINES }, (_, i) => `fxo${i + 1}`).filter((c) => (busyUntil.get(c) ?? 0) < now);
  if (free.length === 0) {
    blocked++;
    return;
  }
  const channel = free[Math.floor(Math.random() * free.length)];
  const hangupAfterS = Math.round(rand(CALL_MIN_S, CALL_MAX_S));
  busyUntil.set(channel, now + (hangupAfterS + 5) * 1000);
  const n = seq++;
  const callerId = `138${String(10_000_000 + (n % 5000) * 7919).slice(-8)}`;
  const r = await api('POST', '/api/v1/sim/calls', { channel, callerId, digits: '1', hangupAfterS });
  if (r.status === 409) {
    blocked++; // the line is still closing the previous call
    return;
  }
  if (r.status !== 201) {
    errors.push({ what: 'place call', status: r.status, body: r.body });
    return;
  }
  placed.push({ callId: r.body.callId, at: now, hangupAfterS });
  // the agent's back-office work for this call
  const work = [api('GET', `/api/v1/customers?q=${callerId.slice(-4)}&limit=5`)];
  if (n % 2 === 0) work.push(api('POST', '/api/v1/customers', { name: `客户${n}`, phones: [callerId] }));
  if (n % 3 === 0) work.push(api('POST', '/api/v1/tickets', { subject: `来电咨询 ${n}`, description: '客户询问产品使用方法' }));
  if (n % 4 === 0 && productId) {
    const order = { phone: callerId, shipName: '张三', shipAddress: '云南省昆明市盘龙区北京路1号', lines: [{ productId, qty: 1 }] };
    work.push(api('POST', '/api/v1/orders', order));
  }
  for (const w of await Promise.all(work)) {
    backOffice++;
    if (w.status >= 500 || (w.status >= 400 && w.status !== 409)) errors.push({ what: 'back office', status: w.status, body: w.body });
  }
}

const prod = await api('POST', '/api/v1/products', { name: '诗莉薇排毒养颜茶', spec: '60袋/盒', costCents: 4000, priceCents: 12800 });
const productId = prod.status === 201 ? prod.body.id : null;
if (!productId) errors.push({ what: 'product', status: prod.status, body: prod.body });

const traffic = (async () => {
  while (Date.now() < endAt && !boxExit) {
    // Poisson arrivals
    await sleep(-Math.log(1 - Math.random()) * (3_600_000 / CALLS_PER_HOUR));
    if (Date.now() >= endAt) break;
    oneCall().catch((e) => errors.push({ what: 'call', error: String(e) }));
  }
})();
// the dashboard: wallboard snapshot and the call list, as an open browser tab would
const dashboard = (async () => {
  while (Date.now() < endAt && !boxExit) {
    for (const p of ['/api/v1/calls?limit=20', '/api/v1/wallboard', '/healthz']) {
      const r = await fetch(`${url}${p}`, { headers }).catch(() => null);
      if (r) await r.arrayBuffer();
    }
    await sleep(5000);
  }
})();

function anonSplit(smaps) {
  const c = classifySmaps(smaps);
  return { mallocBrkBytes: c.brk, mallocArenasBytes: c.threadArenas, mallocArenas: c.arenaCount, otherAnonBytes: c.otherAnon };
}
function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

// --- samples ---------------------------------------------------------------------------------
function sqliteBytes() {
  let n = 0;
  for (const f of readdirSync(dir)) if (/^callbox\.db(-wal)?$/.test(f)) n += statSync(join(dir, f)).size;
  return n;
}
function memoryUsage() {
  try {
    return JSON.parse(readFileSync(memFile, 'utf8'));
  } catch {
    return {};
  }
}
const samples = [];
const snapshots = [];
const t0 = Date.now();
while (Date.now() < endAt && !boxExit) {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const mem = memoryUsage();
  const t = (Date.now() - t0) / 1000;
  if (HEAP_AT.length && t >= HEAP_AT[0] * 60) {
    snapshots.push({ t, minute: HEAP_AT.shift() });
    proc.kill('SIGUSR2');
  }
  samples.push({
    t,
    heapUsedBytes: mem.heapUsed,
    heapTotalBytes: mem.heapTotal,
    externalBytes: mem.external,
    arrayBuffersBytes: mem.arrayBuffers,
    codeSpaceBytes: mem.space_code_space,
    oldSpaceBytes: mem.space_old_space,
    largeObjectSpaceBytes: mem.space_large_object_space,
    codeLargeObjectSpaceBytes: mem.space_code_large_object_space,
    newSpaceSizeBytes: mem.spaceSize_new_space,
    oldSpaceSizeBytes: mem.spaceSize_old_space,
    codeAndMetadataBytes: mem.codeAndMetadata,
    bytecodeAndMetadataBytes: mem.bytecodeAndMetadata,
    liveHeapBytes: mem.afterGc?.heapUsed,
    liveExternalBytes: mem.afterGc?.external,
    liveOldSpaceBytes: mem.afterGc?.oldSpace,
    scriptsParsed: mem.scripts?.parsed,
    evalScripts: mem.scripts?.evals,
    load1: loadavg()[0],
    rssBytes: rssBytes(proc.pid),
    ...parseRssSplit(readFileSync(`/proc/${proc.pid}/status`, 'utf8')),
    ...anonSplit(readFileSync(`/proc/${proc.pid}/smaps`, 'utf8')),
    fds: readdirSync(`/proc/${proc.pid}/fd`).length,
    sqliteBytes: sqliteBytes(),
    lagP99S: parseLagP99(metrics),
  });
  const s = samples.at(-1);
  console.log(
    `t=${s.t.toFixed(0)} s rss=${(s.rssBytes / 1048576).toFixed(1)} MB fds=${s.fds} sqlite=${(s.sqliteBytes / 1048576).toFixed(2)} MB lag p99=${(s.lagP99S * 1000).toFixed(1)} ms heap=${((s.heapUsedBytes ?? 0) / 1048576).toFixed(1)}/${((s.heapTotalBytes ?? 0) / 1048576).toFixed(1)} MB code=${((s.codeSpaceBytes ?? 0) / 1048576).toFixed(2)} MB load=${s.load1.toFixed(2)} ext=${((s.externalBytes ?? 0) / 1048576).toFixed(1)} MB ${s.liveHeapBytes === undefined ? '' : `live=${(s.liveHeapBytes / 1048576).toFixed(2)} MB `}calls=${placed.length}${s.scriptsParsed === undefined ? '' : ` scripts=${s.scriptsParsed} evals=${s.evalScripts}`}`,
  );
  await sleep(Math.min(SAMPLE_S * 1000, Math.max(0, endAt - Date.now())));
}
await traffic;
await dashboard;

// --- every call placed must end answered -------------------------------------------------------
const lastEnd = Math.max(0, ...placed.map((c) => c.at + (c.hangupAfterS + 30) * 1000));
while (Date.now() < lastEnd && !boxExit) {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  if (/^callbox_calls_active 0$/m.test(metrics)) break;
  await sleep(2000);
}
const outcomes = {};
const failed = [];
for (const c of placed) {
  const r = await api('GET', `/api/v1/calls/${c.callId}`);
  const outcome = r.status === 200 ? (r.body.state === 'ended' ? r.body.outcome : `still ${r.body.state}`) : `HTTP ${r.status}`;
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  if (outcome !== 'answered') failed.push({ callId: c.callId, outcome });
}
const integrity = await api('GET', '/healthz');
// the box's own exit during the soak (a crash) fails it; the stop below is ours, not a failure
const crashed = boxExit;
const memAtEnd = memoryUsage();
await stopProc(proc);
rmSync(dir, { recursive: true, force: true });

// The first minutes are start-up (caches, prepared statements, the first recordings): the slopes
// are fitted to the samples after SOAK_WARMUP_S (2 min, or a fifth of a shorter run).
const WARMUP_S = Number(process.env.SOAK_WARMUP_S ?? Math.min(120, MINUTES * 12));
const steady = samples.filter((s) => s.t >= WARMUP_S);
const slopeOf = (set, key, scale) => fitSlope(set.map((s) => [s.t / 3600, s[key] / scale]));
const slope = (key, scale) => slopeOf(steady, key, scale);
// The last hour alone (runs longer than 90 min): does the growth flatten once the code has tiered up?
const tEnd = samples.at(-1)?.t ?? 0;
const lastHour = tEnd >= 5400 ? samples.filter((s) => s.t >= tEnd - 3600) : [];
const MB = 1048576;
const lastHourSlopes = lastHour.length
  ? Object.fromEntries(
      [
        'rssBytes',
        'rssAnonBytes',
        'rssFileBytes',
        'heapUsedBytes',
        'heapTotalBytes',
        'newSpaceSizeBytes',
        'oldSpaceSizeBytes',
        'codeSpaceBytes',
        'codeAndMetadataBytes',
        'sqliteBytes',
      ].map((k) => [`${k.replace(/Bytes$/, '')}MB`, slopeOf(lastHour, k, MB)]),
    )
  : null;
const first = samples[0];
const last = samples.at(-1);
const result = {
  command: `${Object.entries(process.env)
    .filter(([k]) => /^(SOAK_|MALLOC_ARENA_MAX$|NODE_OPTIONS$)/.test(k))
    .map(([k, v]) => `${k}=${v} `)
    .join('')}node bench/soak.mjs`,
  commit: COMMIT,
  durationS: Math.round(last ? last.t : 0),
  sampleEveryS: SAMPLE_S,
  traffic: { callsPerHour: CALLS_PER_HOUR, busyShopCallsPerHour: CALLS_PER_HOUR / 3, lines: LINES, agents: LINES },
  calls: { placed: placed.length, blockedAllLinesBusy: blocked, outcomes, failed: failed.length, failedCalls: failed.slice(0, 20) },
  backOfficeRequests: backOffice,
  errors: errors.length,
  errorSamples: errors.slice(0, 10),
  boxExit: crashed,
  healthAtEnd: integrity.body?.status ?? null,
  loadAverageAtEnd: loadavg(),
  warmupS: WARMUP_S,
  slopesPerHour: {
    rssMB: slope('rssBytes', 1048576),
    fds: slope('fds', 1),
    sqliteMB: slope('sqliteBytes', 1048576),
    lagP99Ms: slope('lagP99S', 0.001),
    rssAnonMB: slope('rssAnonBytes', 1048576),
    rssFileMB: slope('rssFileBytes', 1048576),
    heapUsedMB: slope('heapUsedBytes', 1048576),
    heapTotalMB: slope('heapTotalBytes', 1048576),
    externalMB: slope('externalBytes', 1048576),
    arrayBuffersMB: slope('arrayBuffersBytes', 1048576),
    codeSpaceMB: slope('codeSpaceBytes', 1048576),
    oldSpaceMB: slope('oldSpaceBytes', 1048576),
    newSpaceSizeMB: slope('newSpaceSizeBytes', 1048576),
    oldSpaceSizeMB: slope('oldSpaceSizeBytes', 1048576),
    largeObjectSpaceMB: slope('largeObjectSpaceBytes', 1048576),
    codeAndMetadataMB: slope('codeAndMetadataBytes', 1048576),
    bytecodeAndMetadataMB: slope('bytecodeAndMetadataBytes', 1048576),
    liveHeapMB: slope('liveHeapBytes', 1048576),
    mallocBrkMB: slope('mallocBrkBytes', 1048576),
    mallocArenasMB: slope('mallocArenasBytes', 1048576),
    otherAnonMB: slope('otherAnonBytes', 1048576),
    liveExternalMB: slope('liveExternalBytes', 1048576),
  },
  slopesPerHourLastHour: lastHourSlopes,
  loadAverage1: {
    mean: samples.reduce((a, s) => a + s.load1, 0) / Math.max(1, samples.length),
    max: Math.max(0, ...samples.map((s) => s.load1)),
  },
  // RSS slope over the whole run, warm-up included (the steady slope above excludes it)
  rssSlopeWholeRunMBPerHour: fitSlope(samples.map((s) => [s.t / 3600, s.rssBytes / 1048576])),
  heapSnapshots: snapshots,
  lastScriptsParsed: memAtEnd.scripts?.last ?? null,
  mallocArenaMax: process.env.MALLOC_ARENA_MAX ?? UNIT_ENV.MALLOC_ARENA_MAX ?? null,
  unitEnvironment: UNIT_ENV,
  firstSteadySample: steady[0] ?? null,
  firstSample: first,
  lastSample: last,
  samples,
};
writeResult(process.env.SOAK_RESULT ?? 'soak', result);
console.log(
  `soak ${MINUTES} min: ${placed.length} calls, ${failed.length} failed, RSS slope ${result.slopesPerHour.rssMB.toFixed(2)} MB/hour, fds ${result.slopesPerHour.fds.toFixed(2)}/hour`,
);
process.exit(failed.length || errors.length || crashed ? 1 : 0);

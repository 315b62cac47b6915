// The web dashboard at a busy shop's scale (issue 6 "Measures"). Writes bench/results/web.json.
//
// SETUP: one year of a busy shop (bench/backoffice-data.mjs, the backoffice bench's generator:
// BENCH_CALLS calls, tickets, orders, customers) written into a fresh data dir, then the production
// bundle (dist/callbox.mjs run --sim) started on it with a 32-line sim (32 FXO + 1 GSM lines, 32
// agents on 32 FXS extensions in the main queue; simulated agents answer after 2 s, talk 20 s).
// Everything on loopback; headless Debian chromium through playwright-core.
//
// MEASURED:
// (1) bundleGzipKB: every file of dist/app gzipped (level 9) and summed; firstLoadGzipKB: what the
//     wallboard loads first (index.html + the entry JS + CSS, not the lazy chunks).
// (2) listApiP99Ms: GET /api/v1/calls, /customers, /tickets, /orders (limit 50; first page, deep
//     pages, one filter each) LIST_REQUESTS times each in turn after a warm-up, bearer auth, one
//     request at a time; p50/p99 per endpoint (nearest rank), the worst p99 reported.
// (3) firstRenderMs: the wallboard in a fresh browser context (cold cache, signed-in cookie) from
//     navigation start (performance.timeOrigin) to the first wallboard tile in the DOM (filled
//     from the first SSE snapshot; a MutationObserver installed before the page's own scripts
//     notes performance.now()): median of RENDER_RUNS; peer: the same with a warm cache (reload).
// (4) eventToBrowserP99Ms: the wallboard open, 32 simulated calls placed at once (each: IVR,
//     key 1, queue, an agent answers, talks, hangs up); for every `event` message the page's
//     EventSource handler receives, Date.now() in the page minus the event's own `ts` (the box's
//     wall clock when it was logged: same machine, same clock); p50/p99/max over all of them.
import { execSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { bundleSources } from '../scripts/lib/bundle-sources.mjs';
import { generate } from './backoffice-data.mjs';
import { median, pct, r2, sleep, spawnReady, stopProc, writeResult } from './lib.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const CALLS = Number(process.env.BENCH_CALLS ?? 100_000);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 20_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 20_000);
const LIST_REQUESTS = Number(process.env.BENCH_LIST_REQUESTS ?? 200);
const RENDER_RUNS = Number(process.env.BENCH_RENDER_RUNS ?? 10);
const CONCURRENT_CALLS = 32;
const PASSWORD = 'bench-password-1';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// (1) bundle size
function bundleSizes() {
  const dir = join(ROOT, 'dist', 'app');
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else files.push(join(d, e.name));
    }
  };
  walk(dir);
  const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const first = [join(dir, 'index.html'), ...[...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+)"/g)].map((m) => join(dir, m[1]))];
  // plus the chunks the entry imports statically (shared code esbuild split out), not the lazy import()s
  for (let i = 0; i < first.length; i++) {
    const f = first[i];
    if (!f.endsWith('.js')) continue;
    for (const m of readFileSync(f, 'utf8').matchAll(/from\s*"\.\/(chunk-[A-Za-z0-9]+\.js)"/g)) {
      const c = join(dir, 'assets', m[1]);
      if (!first.includes(c)) first.push(c);
    }
  }
  const total = files.reduce((n, f) => n + gz(f), 0);
  return {
    bundleGzipKB: r2(total / 1024),
    firstLoadGzipKB: r2(first.reduce((n, f) => n + gz(f), 0) / 1024),
    rawKB: r2(files.reduce((n, f) => n + readFileSync(f).length, 0) / 1024),
    files: files.length,
  };
}

function bundleFirmware() {
  return bundleSources(
    {
      'firmware/src/store/db.ts': ['openDatabase'],
      'firmware/src/store/event-log.ts': ['EventLog'],
      'firmware/src/config/schema.ts': ['defaultConfig'],
    },
    { name: 'web-bench', external: ['better-sqlite3'] },
  );
}

/** The default config grown to 32 FXO lines and 32 agents on 32 extensions. */
function bigConfig(m) {
  const c = m.defaultConfig();
  c.hardware.sim = { fxo: 32, fxs: 32, gsm: 1, agentAnswerAfterS: 2, agentTalkS: 20 };
  c.lines = [
    ...Array.from({ length: 32 }, (_, i) => ({ channel: `fxo${i + 1}`, name: `主线 ${i + 1}`, ivr: 'main', answerAfterRings: 1 })),
    { channel: 'gsm1', name: '手机线路', ivr: 'main', answerAfterRings: 1 },
  ];
  c.agents = Array.from({ length: 32 }, (_, i) => ({ id: `a${i + 1}`, name: `坐席 ${i + 1}`, extension: `fxs${i + 1}` }));
  c.queues[0].members = c.agents.map((a) => a.id);
  c.shop.name = '压力测试店';
  return c;
}

// (2) list endpoints
async function listApi(url, token) {
  const endpoints = {
    calls: [
      '/api/v1/calls?limit=50',
      '/api/v1/calls?limit=50&offset=20000',
      '/api/v1/calls?limit=50&outcome=abandoned',
      '/api/v1/calls?limit=50&agent=a3',
    ],
    customers: ['/api/v1/customers?limit=50', '/api/v1/customers?limit=50&offset=10000', '/api/v1/customers?limit=50&q=138'],
    tickets: ['/api/v1/tickets?limit=50', '/api/v1/tickets?limit=50&offset=10000', '/api/v1/tickets?limit=50&status=new'],
    orders: ['/api/v1/orders?limit=50', '/api/v1/orders?limit=50&offset=10000', '/api/v1/orders?limit=50&status=shipped'],
  };
  const headers = { authorization: `Bearer ${token}` };
  const out = {};
  for (const [name, paths] of Object.entries(endpoints)) {
    const statuses = {};
    for (const p of paths) {
      const r = await fetch(url + p, { headers });
      const body = await r.text();
      statuses[p] = r.status === 200 ? `200 (${body.length} B)` : `${r.status} ${body.slice(0, 120)}`;
    }
    const ok = paths.filter((p) => statuses[p].startsWith('200'));
    const ms = [];
    for (let i = 0; i < LIST_REQUESTS; i++) {
      const p = ok[i % ok.length];
      const t0 = performance.now();
      const r = await fetch(url + p, { headers });
      await r.arrayBuffer();
      ms.push(performance.now() - t0);
    }
    const byQuery = Object.fromEntries(
      ok.map((p, k) => {
        const mine = ms.filter((_, i) => i % ok.length === k);
        return [p, { status: statuses[p], p50Ms: r2(median(mine)), p99Ms: r2(pct(mine, 99)) }];
      }),
    );
    const refused = Object.fromEntries(paths.filter((p) => !ok.includes(p)).map((p) => [p, statuses[p]]));
    out[name] = { requests: ms.length, p50Ms: r2(median(ms)), p99Ms: r2(pct(ms, 99)), maxMs: r2(Math.max(...ms)), byQuery, refused };
  }
  return out;
}

async function signedInContext(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const r = await context.request.post(`${url}/api/v1/auth/login`, { data: { username: 'owner', password: PASSWORD } });
  if (r.status() !== 200) throw new Error(`login: ${r.status()}`);
  return context;
}

/** In the page from its first script on: the moment (performance.now()) the first wallboard tile is in the DOM. */
const WATCH_FIRST_TILE = () => {
  const seen = () => {
    if (window.__firstTile === undefined && document.querySelector('.tiles .tile')) window.__firstTile = performance.now();
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
  // when the first snapshot reaches the page's handler
  const Orig = window.EventSource;
  window.EventSource = class extends Orig {
    constructor(...args) {
      super(...args);
      window.__streamOpenedAt = performance.now();
    }
    addEventListener(type, fn, opts) {
      if (type !== 'snapshot') return super.addEventListener(type, fn, opts);
      return super.addEventListener(
        type,
        (m) => {
          window.__snapshotAt ??= performance.now();
          fn(m);
        },
        opts,
      );
    }
  };
};
/** The first tile's time, and where the time went (ms from navigation start). */
const firstTile = async (page) => {
  await page.waitForSelector('.tiles .tile', { timeout: 20_000 });
  return page.evaluate(() => {
    const end = (re) => performance.getEntriesByType('resource').find((e) => re.test(e.name))?.responseEnd ?? null;
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      firstTile: window.__firstTile,
      html: nav?.responseEnd ?? null,
      appJs: end(/assets\/app-[^/]+\.js$/),
      session: end(/auth\/session$/),
      streamOpened: window.__streamOpenedAt ?? null,
      snapshot: window.__snapshotAt ?? null,
    };
  });
};
const medianOf = (runs, key) => r2(median(runs.map((r) => r[key]).filter((x) => typeof x === 'number')));

// (3) first render
async function firstRender(browser, url) {
  const cold = [];
  const warm = [];
  for (let i = 0; i < RENDER_RUNS; i++) {
    const context = await signedInContext(browser, url);
    await context.addInitScript(WATCH_FIRST_TILE);
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    cold.push(await firstTile(page));
    await page.reload({ waitUntil: 'commit' });
    warm.push(await firstTile(page));
    await context.close();
  }
  const keys = ['html', 'appJs', 'session', 'streamOpened', 'snapshot', 'firstTile'];
  return {
    coldMs: cold.map((r) => r2(r.firstTile)),
    warmMs: warm.map((r) => r2(r.firstTile)),
    coldMedianMs: medianOf(cold, 'firstTile'),
    warmMedianMs: medianOf(warm, 'firstTile'),
    /** Medians of when each step ended, ms from navigation start (cold runs). */
    coldBreakdownMs: Object.fromEntries(keys.map((k) => [k, medianOf(cold, k)])),
    warmBreakdownMs: Object.fromEntries(keys.map((k) => [k, medianOf(warm, k)])),
  };
}

// (4) event → browser
const PATCH_EVENTSOURCE = () => {
  const Orig = window.EventSource;
  window.__lat = [];
  window.EventSource = class extends Orig {
    addEventListener(type, fn, opts) {
      if (type !== 'event') return super.addEventListener(type, fn, opts);
      return super.addEventListener(
        type,
        (m) => {
          fn(m);
          try {
            window.__lat.push(Date.now() - JSON.parse(m.data).ts);
          } catch {}
        },
        opts,
      );
    }
  };
};

async function eventLatency(browser, url, token) {
  const context = await signedInContext(browser, url);
  await context.addInitScript(PATCH_EVENTSOURCE);
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('.tiles .tile');
  await sleep(1000);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const started = await Promise.all(
    Array.from({ length: CONCURRENT_CALLS }, (_, i) =>
      fetch(`${url}/api/v1/sim/calls`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ channel: `fxo${i + 1}`, callerId: `1380013${String(8000 + i)}`, digits: '1', hangupAfterS: 90 }),
      }).then(async (r) => (r.status === 201 ? (await r.json()).callId : `!${r.status} ${await r.text()}`)),
    ),
  );
  const failed = started.filter((s) => s.startsWith('!'));
  if (failed.length) throw new Error(`sim calls refused: ${failed.join('; ')}`);
  // until every call ended (or 120 s)
  const end = Date.now() + 120_000;
  let ended = 0;
  let peakTalking = 0;
  while (Date.now() < end) {
    await sleep(1000);
    const mine = await Promise.all(started.map(async (id) => (await fetch(`${url}/api/v1/calls/${id}`, { headers })).json()));
    peakTalking = Math.max(peakTalking, mine.filter((c) => c.state === 'talking').length);
    ended = mine.filter((c) => c.state === 'ended').length;
    if (ended === CONCURRENT_CALLS) break;
  }
  await sleep(500);
  const lat = await page.evaluate(() => window.__lat);
  await context.close();
  return {
    calls: CONCURRENT_CALLS,
    callsEnded: ended,
    peakTalking,
    events: lat.length,
    p50Ms: r2(pct(lat, 50)),
    p99Ms: r2(pct(lat, 99)),
    maxMs: r2(Math.max(...lat)),
  };
}

const load0 = loadavg()[0];
const sizes = bundleSizes();
console.log('bundle', sizes);
const m = await bundleFirmware();
const dataDir = mkdtempSync(join(tmpdir(), 'callbox-bench-web-'));
const t0 = performance.now();
// BENCH_KEEP=DIR keeps the generated year in DIR/callbox.db and copies it on the next run (the box
// writes to its copy, so every run starts from the same data).
const keep = process.env.BENCH_KEEP;
const kept = keep ? join(keep, 'callbox.db') : null;
let counts;
if (kept && existsSync(kept)) {
  copyFileSync(kept, join(dataDir, 'callbox.db'));
  counts = { reused: kept };
} else {
  const g = generate(m, join(dataDir, 'callbox.db'), { calls: CALLS, tickets: TICKETS, orders: ORDERS });
  g.db.pragma('wal_checkpoint(TRUNCATE)');
  g.db.close();
  counts = g.counts;
  if (kept) {
    mkdirSync(keep, { recursive: true });
    copyFileSync(join(dataDir, 'callbox.db'), kept);
  }
}
writeFileSync(join(dataDir, 'config.json'), `${JSON.stringify(bigConfig(m), null, 2)}\n`);
const generateS = (performance.now() - t0) / 1000;
console.log('data', counts, `${r2(generateS)} s`);

const { proc, url } = await spawnReady(
  process.execPath,
  [join(ROOT, 'dist', 'callbox.mjs'), 'run', '--sim', '--port', '0', '--data-dir', dataDir],
  { CALLBOX_ADMIN_PASSWORD: PASSWORD, CALLBOX_LOG_LEVEL: 'info', CALLBOX_DEMO: '0' },
  '"callbox ready"',
);
proc.stdout.resume();
proc.stderr.resume();
let browser;
try {
  const grant = await (
    await fetch(`${url}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'owner', password: PASSWORD }),
    })
  ).json();
  const token = grant.token;
  const lists = await listApi(url, token);
  console.log('lists', JSON.stringify(lists));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const render = await firstRender(browser, url);
  console.log('render', render);
  const events = await eventLatency(browser, url, token);
  console.log('events', events);
  const listApiP99Ms = Math.max(...Object.values(lists).map((l) => l.p99Ms));
  writeResult('web', {
    command: 'node bench/run.mjs web (node bench/web.bench.mjs)',
    runs: { listRequestsPerEndpoint: LIST_REQUESTS, renderRuns: RENDER_RUNS, concurrentCalls: CONCURRENT_CALLS },
    targets: { bundleGzipKB: 300, firstRenderMs: 250, eventToBrowserP99Ms: 250, listApiP99Ms: 50 },
    bundleGzipKB: sizes.bundleGzipKB,
    firstLoadGzipKB: sizes.firstLoadGzipKB,
    firstRenderMs: render.coldMedianMs,
    firstRenderWarmMs: render.warmMedianMs,
    eventToBrowserP99Ms: events.p99Ms,
    listApiP99Ms,
    noisy: {
      note: 'shared 2-core machine with other engineers building and testing at the same time',
      loadavg1mStart: r2(load0),
      loadavg1mEnd: r2(loadavg()[0]),
    },
    data: { ...counts, generateS: r2(generateS) },
    bundle: sizes,
    lists,
    render,
    events,
    chromium: execSync('/usr/bin/chromium --version', { encoding: 'utf8' }).trim(),
  });
} finally {
  await browser?.close();
  await stopProc(proc);
  rmSync(dataDir, { recursive: true, force: true });
}

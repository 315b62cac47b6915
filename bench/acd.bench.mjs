// ACD routing-decision latency (500 waiting calls, 100 agents) and 32 concurrent IVR+queue+recorded
// calls on the sim driver (event-loop lag p99, RSS). Writes bench/results/acd.json.
//
// Part 1 — routing. firmware/src/acd/acd.ts and hal/src/clock.ts are bundled with esbuild (the
// production build's options) into a temp .mjs; no TypeScript loader. 100 agents, 5 queues:
//   q1..q4  backlog queues, each requiring one skill; agents a1..a80 each serve two of them
//           (40 members per queue); 500 callers wait in them, every one of these agents is on a call.
//   q5      a dedicated queue (skills s5 + zh) of 20 agents a81..a100, 5-20 of them free.
// A ROUTING DECISION is one synchronous ACD call that ends in port.offer() for a waiting call:
//   agentFree:   acd.phoneIdle(agent) for an a1..a80 agent whose call just ended (wrap-up 0) while
//                500 callers wait: the dispatch walks the 500 entries, offers the head call of the
//                agent's queues (priority, then arrival) to it, starts the ring timer.
//   callArrives: acd.enqueue(call, 'q5') while 500 callers wait in q1..q4 and 5-20 q5 agents are
//                free: the dispatch walks the 501 entries, the strategy ranks the free q5 agents,
//                the first (ring-all: every one) is offered the call.
// Each is timed with process.hrtime.bigint() around that one call (the port's offer() returns true,
// record() is a no-op: the event log's SQLite cost is not the ACD's). Everything else (answering,
// completing, topping the backlog back up to 500) is done untimed between decisions.
// Peer, in the same loop (one peer op per decision): the naive router, a copy of a plain Array of
// the 100 agents sorted by idle time (one agent's idle time changed first), taking the first.
//
// Part 2 — 32 calls. The production bundle (dist/callbox.mjs) runs `run --sim` with 32 FXO lines,
// 32 FXS agents, one queue; 32 calls go through the IVR (prompt, DTMF 1) into the queue to the
// agents; with all 32 talking (and recorded), event-loop lag p99 is read from /metrics for two full
// 10 s windows and RSS from /proc; after the callers hang up, GET /api/v1/recordings must list 32.
// Peer in the same run: the same with recording disabled.
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DECISIONS, RUNS, routingPart, WARMUP } from './acd-routing.mjs';
import { median, r2, rssBytes, sleep, spawnReady, stopProc, waitHealthy, writeResult } from './lib.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const CALL_RUNS = Number(process.env.BENCH_CALL_RUNS ?? Math.max(1, Math.ceil(RUNS / 2)));
const PARTS = (process.env.BENCH_PARTS ?? 'routing,calls').split(',');
const BUNDLE = process.env.BENCH_BUNDLE ?? join(ROOT, 'dist/callbox.mjs');
const CALLS = 32;

const r3 = (x) => Math.round(x * 1000) / 1000;
const mb = (b) => Math.round((b / 1048576) * 10) / 10;

// ---------------------------------------------------------------- part 2: 32 recorded calls

function callsConfig(dir, recording) {
  const agents = Array.from({ length: CALLS }, (_, i) => ({ id: `a${i + 1}`, name: `Agent ${i + 1}`, extension: `fxs${i + 1}` }));
  const config = {
    version: 1,
    shop: { name: 'bench', country: 'CN', language: 'zh-CN', timezone: 'Asia/Shanghai' },
    http: { metricsRequireAuth: false },
    hardware: { driver: 'sim', sim: { fxo: CALLS, fxs: CALLS, gsm: 0, agentAnswerAfterS: 1, agentTalkS: 600 } },
    lines: Array.from({ length: CALLS }, (_, i) => ({ channel: `fxo${i + 1}`, name: `Line ${i + 1}`, ivr: 'main', answerAfterRings: 1 })),
    agents,
    queues: [
      {
        id: 'main',
        name: 'Main',
        strategy: 'longestIdle',
        members: agents.map((a) => a.id),
        ringTimeoutS: 20,
        maxWaitS: 300,
        wrapUpS: 0,
      },
    ],
    // the default recording settings (mixed 16-bit PCM WAV), on or off
    recording: { enabled: recording, format: 'pcm16', channels: 'mixed', retentionDays: 180, quotaMB: 4096, compress: 'none' },
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

// Callers hang up this long after their first ring: all talk within ~10 s (20 s allowed), then the
// two lag windows need 30.5 s more.
const HANGUP_AFTER_S = 55;

async function callsRun(recording) {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-bench-acd-'));
  callsConfig(dir, recording);
  const { proc, url, t0 } = await spawnReady(
    process.execPath,
    [BUNDLE, 'run', '--sim', '--port', '0', '--data-dir', dir],
    { CALLBOX_ADMIN_PASSWORD: 'bench-password-1', CALLBOX_LOG_LEVEL: 'info' },
    '"callbox ready"',
  );
  try {
    await waitHealthy(`${url}/healthz`, t0);
    const { token } = await (
      await fetch(`${url}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'owner', password: 'bench-password-1' }),
      })
    ).json();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const placedAt = performance.now();
    for (let i = 1; i <= CALLS; i++) {
      const r = await fetch(`${url}/api/v1/sim/calls`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          channel: `fxo${i}`,
          callerId: `1380013${String(i).padStart(4, '0')}`,
          digits: '1',
          hangupAfterS: HANGUP_AFTER_S,
        }),
      });
      if (r.status !== 201) throw new Error(`call ${i}: ${r.status} ${await r.text()}`);
    }
    const recordingsNow = async () => (await (await fetch(`${url}/api/v1/recordings?limit=500`, { headers })).json()).recordings;
    const talking = async () =>
      (await (await fetch(`${url}/api/v1/calls?limit=${CALLS}`, { headers })).json()).calls.filter((c) => c.state === 'talking').length;
    for (;;) {
      if ((await talking()) === CALLS) break;
      if (performance.now() - placedAt > 20_000) throw new Error(`not all ${CALLS} calls talking after 20 s`);
      await sleep(250);
    }
    const allTalkingS = (performance.now() - placedAt) / 1000;
    // The monitor publishes the last complete 10 s window. 20.5 s after all calls talk, the last
    // complete window lies wholly inside the talking period; 10 s later the next one does too.
    const windows = [];
    await sleep(20_500);
    for (let w = 0; w < 2; w++) {
      if (w > 0) await sleep(10_000);
      const m = await (await fetch(`${url}/metrics`)).text();
      const q = (quantile) => Number(new RegExp(`callbox_event_loop_lag_seconds\\{quantile="${quantile}"\\} ([0-9.e+-]+)`).exec(m)?.[1]);
      const active = Number(/^callbox_calls_active (\d+)/m.exec(m)?.[1]);
      windows.push({
        p99Ms: r3(q('0.99') * 1000),
        p50Ms: r3(q('0.5') * 1000),
        maxMs: r3(q('1') * 1000),
        active,
        talking: await talking(),
        liveRecordings: (await recordingsNow()).filter((x) => x.state === 'recording').length,
        rssMB: mb(rssBytes(proc.pid)),
      });
    }
    if (windows.some((w) => w.liveRecordings !== (recording ? CALLS : 0))) throw new Error(`live recordings: ${JSON.stringify(windows)}`);
    if (windows.some((w) => w.talking !== CALLS))
      throw new Error(`a call stopped talking during the lag windows: ${JSON.stringify(windows)}`);
    // The callers hang up HANGUP_AFTER_S after their first ring; then the recordings are closed.
    let recordings = null;
    const deadline = placedAt + (HANGUP_AFTER_S + 30) * 1000;
    for (;;) {
      const m = await (await fetch(`${url}/metrics`)).text();
      const active = Number(/^callbox_calls_active (\d+)/m.exec(m)?.[1]);
      if (active === 0) {
        // finished recordings: complete, of distinct calls, with audio of the talk (>= 20 s)
        const list = (await recordingsNow()).filter((x) => x.state === 'complete' && x.bytes > 0 && x.durationMs >= 20_000);
        recordings = new Set(list.map((x) => x.callId)).size;
        if (!recording || recordings >= CALLS || performance.now() > deadline) break;
      }
      if (performance.now() > deadline) throw new Error(`calls still active ${HANGUP_AFTER_S + 30} s after placing them`);
      await sleep(500);
    }
    return {
      recording,
      allTalkingAfterS: r2(allTalkingS),
      lagP99Ms: Math.max(...windows.map((w) => w.p99Ms)),
      lagP50Ms: Math.max(...windows.map((w) => w.p50Ms)),
      rssMB: Math.max(...windows.map((w) => w.rssMB)),
      windows,
      recordings,
    };
  } finally {
    await stopProc(proc);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function callsPart() {
  const rec = [];
  const peer = [];
  for (let i = 0; i < CALL_RUNS; i++) {
    // alternate which goes first, so neither always meets the same background noise
    const pair = i % 2 === 0 ? [true, false] : [false, true];
    for (const on of pair) {
      const r = await callsRun(on);
      (on ? rec : peer).push(r);
      console.error(
        `calls run ${i + 1}/${CALL_RUNS} recording=${on}: lag p99 ${r.lagP99Ms} ms, RSS ${r.rssMB} MB, recordings ${r.recordings}`,
      );
    }
  }
  return { rec, peer };
}

// ---------------------------------------------------------------- main

const dirty = (() => {
  try {
    return execSync('git status --porcelain -- hal firmware web-ui images', { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean)
      .length;
  } catch {
    return null;
  }
})();

const routing = PARTS.includes('routing') ? await routingPart() : null;
const calls = PARTS.includes('calls') ? await callsPart() : null;

const result = {
  runs: {
    routingRounds: routing ? RUNS : 0,
    decisionsPerStrategyPerKind: DECISIONS,
    warmupPerStrategy: WARMUP,
    callRunsEach: calls ? CALL_RUNS : 0,
  },
  sourceTree: { uncommittedFilesUnderHalFirmwareWebUiImages: dirty },
  targets: { routingP99Ms: 1, eventLoopLagP99Ms: 20 },
  definitions: {
    routingDecision:
      'one synchronous ACD call that ends in port.offer() for a waiting call, timed with process.hrtime.bigint() around that call: ' +
      "agentFree = acd.phoneIdle(agent) (wrap-up 0) for a busy agent of q1..q4 while 500 callers wait -> dispatch over the 500 entries, offer of the head call of the agent's queues, ring timer; " +
      "callArrives = acd.enqueue(call, q5) while 500 callers wait in q1..q4 and 5-20 of q5's 20 agents are free -> dispatch over 501 entries, the strategy ranks the free agents, offer to the first (ring-all: to all). " +
      'Setup: 100 agents, 5 queues (q1..q4 with 40 members each, each agent a1..a80 in two of them; q5 = 20 dedicated agents, skills s5+zh), VirtualClock, port.offer() returns true, port.record() a no-op. ' +
      'routingP50Ms/routingP99Ms: both kinds pooled over all 8 strategies per round, median over rounds.',
    routingPeer:
      'per decision, one op of the naive router: copy a plain Array of 100 {id, idleSince} records and sort it by idleSince, take the first',
    concurrentCalls:
      '32 sim calls on 32 FXO lines through the IVR (prompt, DTMF 1) into one longestIdle queue to 32 sim FXS agents, all talking and recorded (mixed pcm16 WAV)',
    eventLoopLagP99Ms:
      'the higher p99 of two consecutive complete 10 s windows of /metrics callbox_event_loop_lag_seconds read with all 32 calls talking; median over runs',
    rssMB: 'VmRSS of the callbox process (/proc/PID/status) at the two lag reads (higher), median over runs',
    callsPeer: 'the same 32-call run with recording.enabled false',
  },
};

if (routing) {
  Object.assign(result, {
    routingP50Ms: routing.p50,
    routingP99Ms: routing.p99,
  });
}
if (calls) {
  const medOf = (list, f) => r2(median(list.map(f)));
  Object.assign(result, {
    concurrentCalls: CALLS,
    eventLoopLagP99Ms: medOf(calls.rec, (r) => r.lagP99Ms),
    rssMB: medOf(calls.rec, (r) => r.rssMB),
  });
  result.calls = {
    recorded: {
      lagP99MsMedian: medOf(calls.rec, (r) => r.lagP99Ms),
      lagP50MsMedian: medOf(calls.rec, (r) => r.lagP50Ms),
      rssMBMedian: medOf(calls.rec, (r) => r.rssMB),
      recordingsAfter: calls.rec.map((r) => r.recordings),
      runs: calls.rec,
    },
    peerRecordingOff: {
      lagP99MsMedian: medOf(calls.peer, (r) => r.lagP99Ms),
      lagP50MsMedian: medOf(calls.peer, (r) => r.lagP50Ms),
      rssMBMedian: medOf(calls.peer, (r) => r.rssMB),
      recordingsAfter: calls.peer.map((r) => r.recordings),
      runs: calls.peer,
    },
  };
}
if (routing) {
  result.routing = {
    p50Ms: routing.p50,
    p99Ms: routing.p99,
    peerNaiveSort: { p50Ms: routing.peerP50, p99Ms: routing.peerP99 },
    perStrategy: routing.perStrategy,
    runs: routing.runs,
  };
}
result.ratios = {
  ...(routing ? { routingP50VsPeer: r2(routing.p50 / routing.peerP50), routingP99VsPeer: r2(routing.p99 / routing.peerP99) } : {}),
  ...(calls
    ? {
        lagP99RecordingVsOff: r2(result.calls.recorded.lagP99MsMedian / result.calls.peerRecordingOff.lagP99MsMedian),
        rssRecordingVsOff: r2(result.calls.recorded.rssMBMedian / result.calls.peerRecordingOff.rssMBMedian),
      }
    : {}),
};
result.met = {
  ...(routing ? { routingP99: routing.p99 < 1 } : {}),
  ...(calls
    ? {
        lagP99: result.eventLoopLagP99Ms < 20,
        allRecorded: calls.rec.every((r) => r.recordings === CALLS),
        noneRecordedWhenOff: calls.peer.every((r) => r.recordings === 0),
      }
    : {}),
};
// Only a full run (both parts) replaces bench/results/acd.json; a partial one just prints.
if (routing && calls) writeResult('acd', result);
else console.log(JSON.stringify(result, null, 2));

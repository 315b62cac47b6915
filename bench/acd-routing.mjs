// Part 1 of the ACD bench (bench/acd.bench.mjs): routing-decision latency, 500 waiting calls,
// 100 agents, every strategy, against a naive sorted-array router in the same loop (the header of
// acd.bench.mjs describes the setup).
import { bundleSources } from '../scripts/lib/bundle-sources.mjs';
import { median, pct, r2 } from './lib.mjs';

export const RUNS = Number(process.env.BENCH_RUNS ?? 5);
export const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 2000);
export const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const STRATEGIES = ['longestIdle', 'skillsWeighted', 'roundRobin', 'ringAll', 'fewestCalls', 'leastTalkTime', 'linear', 'random'];
const WAITING = 500;
const AGENTS = 100;

const r3 = (x) => Math.round(x * 1000) / 1000;

// ---------------------------------------------------------------- part 1: routing decisions

function bundleAcd() {
  return bundleSources({ 'firmware/src/acd/acd.ts': ['Acd'], 'hal/src/clock.ts': ['VirtualClock'] }, { name: 'acd-bench' });
}

/** xorshift32: the harness's own seeded randomness (agent skills, which agent frees up, priorities). */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

function topology(strategy, rand) {
  const agents = [];
  for (let i = 1; i <= AGENTS; i++) {
    const skills = {};
    if (i <= 80) {
      const h = (i - 1) % 4;
      skills[`s${h + 1}`] = 1 + Math.floor(rand() * 10);
      skills[`s${((h + 1) % 4) + 1}`] = 1 + Math.floor(rand() * 10);
    } else {
      skills.s5 = 1 + Math.floor(rand() * 10);
      skills.zh = 1 + Math.floor(rand() * 10);
    }
    agents.push({ id: `a${i}`, name: `Agent ${i}`, extension: `fxs${i}`, skills });
  }
  const q = (n, skills) => ({
    id: `q${n}`,
    name: `Queue ${n}`,
    strategy,
    members: agents.filter((a) => skills.every((s) => a.skills[s])).map((a) => a.id),
    ringTimeoutS: 20,
    maxWaitS: 3600,
    wrapUpS: 0,
    skills,
  });
  return { agents, queues: [q(1, ['s1']), q(2, ['s2']), q(3, ['s3']), q(4, ['s4']), q(5, ['s5', 'zh'])] };
}

/**
 * One strategy: build the state (500 waiting in q1..q4, a1..a80 on calls, a81..a100 free), then
 * WARMUP + DECISIONS iterations of: agentFree decision, callArrives decision, peer ops, upkeep.
 */
function routeStrategy(mod, strategy, seed) {
  const rand = rng(seed);
  const { agents, queues } = topology(strategy, rand);
  const clock = new mod.VirtualClock(Date.UTC(2026, 0, 5, 2, 0, 0));
  const offers = []; // [callId, agentId] in offer order, drained by the harness
  let events = 0;
  const port = {
    offer: (callId, agent) => {
      offers.push([callId, agent.id]);
      return true;
    },
    withdraw: () => {},
    expire: (callId) => {
      throw new Error(`call ${callId} expired: the bench keeps every wait under maxWaitS`);
    },
    record: () => {
      events++;
    },
  };
  const acd = new mod.Acd({ queues, agents, clock, port, timezone: 'Asia/Shanghai', seed: 11 });
  acd.start();
  const waiting = new Set(); // calls waiting in the ACD
  const callOf = new Map(); // agent → call it is on
  let seq = 0;
  const backlogOnCall = []; // a1..a80 agents on calls
  const q5OnCall = [];

  /** Answer every pending offer (first offer of a still-waiting call wins). */
  const answerAll = () => {
    while (offers.length > 0) {
      const [callId, agentId] = offers.shift();
      if (!waiting.has(callId)) continue;
      if (acd.answered(callId, agentId) === null) throw new Error(`answered ${callId} ${agentId}: not waiting`);
      waiting.delete(callId);
      queueOf.delete(callId);
      callOf.set(agentId, callId);
      (Number(agentId.slice(1)) <= 80 ? backlogOnCall : q5OnCall).push(agentId);
    }
  };
  const queueOf = new Map(); // waiting call → its queue
  /** A new caller into q1..q4 (the given one, or a random one); 10% with a higher priority. */
  const enqueueBacklog = (queueId = `q${1 + Math.floor(rand() * 4)}`) => {
    const id = `c${++seq}`;
    waiting.add(id);
    queueOf.set(id, queueId);
    const r = rand();
    acd.enqueue(id, queueId, r < 0.05 ? 2 : r < 0.1 ? 1 : 0);
    return id;
  };
  const finish = (list, idx) => {
    const agentId = list[idx];
    list[idx] = list[list.length - 1];
    list.pop();
    acd.completed(callOf.get(agentId), 'agent');
    callOf.delete(agentId);
    return agentId;
  };

  // Fill: every a1..a80 agent on a call, then 500 callers waiting.
  while (backlogOnCall.length < 80) {
    enqueueBacklog();
    answerAll();
  }
  while (waiting.size < WAITING) enqueueBacklog();
  if (offers.length !== 0) throw new Error('offers while every backlog agent is busy');

  // The peer's data: 100 plain agent records with idle times.
  const peerAgents = agents.map((a, i) => ({ id: a.id, idleSince: i }));
  let peerSink = 0;

  const freeS = [];
  const arriveS = [];
  const peerS = [];
  const total = WARMUP + DECISIONS;
  for (let n = 0; n < total; n++) {
    clock.advance(200 + Math.floor(rand() * 800));
    // -- decision 1, agentFree: a random backlog agent's call ends; phoneIdle routes it the head call.
    const agentId = finish(backlogOnCall, Math.floor(rand() * backlogOnCall.length));
    if (waiting.size !== WAITING) throw new Error(`waiting ${waiting.size}, not ${WAITING}`);
    let t0 = process.hrtime.bigint();
    acd.phoneIdle(agentId);
    let t1 = process.hrtime.bigint();
    if (offers.length !== 1 || offers[0][1] !== agentId) throw new Error(`${strategy}: agentFree made ${offers.length} offers`);
    if (n >= WARMUP) freeS.push(Number(t1 - t0) / 1e6);
    // the caller taken leaves its queue; a new one joins the same queue (500 waiting, per-queue counts steady)
    const served = queueOf.get(offers[0][0]);
    answerAll();
    enqueueBacklog(served);

    // -- decision 2, callArrives: a call enters q5 with free q5 agents; the strategy picks.
    // Keep 5..20 q5 agents free: end q5 calls until at least 5 are free, sometimes one more.
    while (q5OnCall.length > 15 || (q5OnCall.length > 0 && rand() < 0.3))
      acd.phoneIdle(finish(q5OnCall, Math.floor(rand() * q5OnCall.length)));
    if (offers.length !== 0) throw new Error('q5 agent freed with nobody waiting in q5, yet offered a call');
    const id = `c${++seq}`;
    waiting.add(id);
    t0 = process.hrtime.bigint();
    acd.enqueue(id, 'q5');
    t1 = process.hrtime.bigint();
    if (offers.length < 1) throw new Error(`${strategy}: callArrives made no offer`);
    if (n >= WARMUP) arriveS.push(Number(t1 - t0) / 1e6);
    answerAll();

    // -- peer: the naive router, twice (one per decision above).
    for (let k = 0; k < 2; k++) {
      peerAgents[Math.floor(rand() * AGENTS)].idleSince = clock.now() + k;
      t0 = process.hrtime.bigint();
      const first = peerAgents.slice().sort((a, b) => a.idleSince - b.idleSince)[0];
      t1 = process.hrtime.bigint();
      peerSink += first.idleSince & 1;
      if (n >= WARMUP) peerS.push(Number(t1 - t0) / 1e6);
    }
  }
  const view = acd.queuesView();
  const waitingNow = view.reduce((s, q) => s + q.waiting, 0);
  if (waitingNow !== WAITING) throw new Error(`queuesView says ${waitingNow} waiting`);
  acd.stop();
  return { freeS, arriveS, peerS, events, peerSink };
}

function summarize(xs) {
  return { p50: r3(pct(xs, 50)), p99: r3(pct(xs, 99)), max: r3(pct(xs, 100)), n: xs.length };
}

export async function routingPart() {
  const mod = await bundleAcd();
  const rounds = [];
  for (let r = 0; r < RUNS; r++) {
    const perStrategy = {};
    const all = [];
    const allPeer = [];
    // rotate the order so no strategy always runs first (cold) or last
    const order = STRATEGIES.map((_, i) => STRATEGIES[(i + r) % STRATEGIES.length]);
    for (const s of order) {
      const res = routeStrategy(mod, s, 1000 + r * 17 + STRATEGIES.indexOf(s));
      const both = res.freeS.concat(res.arriveS);
      perStrategy[s] = {
        all: summarize(both),
        agentFree: summarize(res.freeS),
        callArrives: summarize(res.arriveS),
        peer: summarize(res.peerS),
      };
      for (const x of both) all.push(x);
      for (const x of res.peerS) allPeer.push(x);
    }
    rounds.push({ perStrategy, overall: summarize(all), peer: summarize(allPeer) });
    console.error(`routing round ${r + 1}/${RUNS}: p50 ${rounds.at(-1).overall.p50} ms, p99 ${rounds.at(-1).overall.p99} ms`);
  }
  const med = (f) => r3(median(rounds.map(f)));
  const perStrategy = {};
  for (const s of STRATEGIES) {
    const row = {};
    for (const k of ['all', 'agentFree', 'callArrives', 'peer']) {
      row[k] = { p50Ms: med((x) => x.perStrategy[s][k].p50), p99Ms: med((x) => x.perStrategy[s][k].p99) };
    }
    row.p50VsPeer = r2(row.all.p50Ms / row.peer.p50Ms);
    row.p99VsPeer = r2(row.all.p99Ms / row.peer.p99Ms);
    row.p50MsRuns = rounds.map((x) => x.perStrategy[s].all.p50);
    row.p99MsRuns = rounds.map((x) => x.perStrategy[s].all.p99);
    perStrategy[s] = row;
  }
  return {
    p50: med((x) => x.overall.p50),
    p99: med((x) => x.overall.p99),
    peerP50: med((x) => x.peer.p50),
    peerP99: med((x) => x.peer.p99),
    perStrategy,
    runs: rounds.map((x) => ({ overall: x.overall, peer: x.peer })),
  };
}

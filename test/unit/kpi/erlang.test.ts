import t from 'tap';
import type { TypedEvent } from '../../../firmware/src/events/catalog.js';
import {
  agentsNeeded,
  averageSpeedOfAnswer,
  erlangB,
  erlangC,
  finiteLines,
  serviceLevel,
  staffingAdvice,
} from '../../../firmware/src/kpi/erlang.js';
import { EventBuilder } from './fixtures/builder.js';
import { mulberry32 } from './fixtures/random-day.js';

// Independent Erlang formulas: the textbook sums, with factorials in log space.
function lnFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}
function term(a: number, k: number): number {
  return Math.exp(k * Math.log(a) - lnFactorial(k));
}
function erlangCBySum(a: number, n: number): number {
  let below = 0;
  for (let k = 0; k < n; k++) below += term(a, k);
  const top = term(a, n) * (n / (n - a));
  return top / (below + top);
}
function erlangBBySum(a: number, n: number): number {
  let all = 0;
  for (let k = 0; k <= n; k++) all += term(a, k);
  return term(a, n) / all;
}

t.test('published Erlang C values: 10 Erlangs (100 calls in 30 min, AHT 180 s), 20 s target', (t) => {
  // Call Centre Helper's worked example: P(wait) 68.2 %, 44.9 %, 28.5 %, 17.4 % for 11..14 agents.
  t.equal(erlangC(10, 12).toFixed(4), '0.4494');
  t.equal(erlangC(10, 11).toFixed(4), '0.6821');
  t.equal(erlangC(10, 13).toFixed(4), '0.2853');
  t.equal(erlangC(10, 14).toFixed(4), '0.1741');
  t.equal(serviceLevel(10, 13, 180, 20).toFixed(3), '0.796');
  t.equal(serviceLevel(10, 14, 180, 20).toFixed(3), '0.888');
  t.equal(averageSpeedOfAnswer(10, 14, 180).toFixed(1), '7.8');
  t.match(agentsNeeded({ trafficErlangs: 10, ahtS: 180, thresholdS: 20, targetSl: 0.8 }), { agents: 14, blocking: 0, linesLimited: false });
  t.equal(agentsNeeded({ trafficErlangs: 10, ahtS: 180, thresholdS: 20, targetSl: 0.79 }).agents, 13);
  t.end();
});

t.test('Erlang B and C agree with the textbook sums over a grid', (t) => {
  for (const a of [0.1, 0.5, 1, 2.5, 7, 10, 23.3, 50]) {
    for (const extra of [1, 2, 5, 12]) {
      const n = Math.floor(a) + extra;
      t.ok(Math.abs(erlangC(a, n) - erlangCBySum(a, n)) < 1e-12, `C(${a}, ${n})`);
      t.ok(Math.abs(erlangB(a, n) - erlangBBySum(a, n)) < 1e-12, `B(${a}, ${n})`);
    }
  }
  t.equal(erlangC(5, 5), 1, 'agents ≤ traffic: everyone waits');
  t.equal(serviceLevel(5, 4, 180, 20), 0);
  t.equal(erlangC(0, 3), 0);
  t.equal(erlangB(0, 3), 0);
  t.end();
});

t.test('the finite-lines queue at its limits: plain Erlang C and Erlang B', (t) => {
  const c = finiteLines(10, 13, 400, 180, 20);
  t.ok(c.blocking < 1e-12, 'many lines: no blocking');
  t.ok(Math.abs(c.serviceLevel - serviceLevel(10, 13, 180, 20)) < 1e-9, 'many lines: Erlang C');
  t.ok(Math.abs(c.waitProbability - erlangC(10, 13)) < 1e-9);
  for (const [a, lines] of [
    [2, 3],
    [5, 4],
    [1.2, 2],
  ] as const) {
    const f = finiteLines(a, lines, lines, 120, 20);
    t.ok(Math.abs(f.blocking - erlangBBySum(a, lines)) < 1e-12, `agents = lines = ${lines}: Erlang B`);
    t.equal(f.serviceLevel, 1, 'nobody waits');
    t.equal(f.waitProbability, 0);
  }
  t.end();
});

/** A discrete-event simulation of M/M/N/K: arrivals blocked when K callers are in, FIFO waiting. */
function simulate(lambdaPerS: number, ahtS: number, agents: number, lines: number, thresholdS: number, seed: number) {
  const rnd = mulberry32(seed);
  const exp = (rate: number): number => -Math.log(1 - rnd()) / rate;
  const busyUntil: number[] = Array.from({ length: agents }, () => 0);
  const inSystemUntil: number[] = []; // departure times of callers holding a line
  let now = 0;
  let arrived = 0;
  let blocked = 0;
  let onTime = 0;
  for (let i = 0; i < 400_000; i++) {
    now += exp(lambdaPerS);
    for (let j = inSystemUntil.length - 1; j >= 0; j--) if ((inSystemUntil[j] as number) <= now) inSystemUntil.splice(j, 1);
    arrived++;
    if (inSystemUntil.length >= lines) {
      blocked++;
      continue;
    }
    // FIFO: the caller takes the agent that frees first.
    let k = 0;
    for (let j = 1; j < agents; j++) if ((busyUntil[j] as number) < (busyUntil[k] as number)) k = j;
    const start = Math.max(now, busyUntil[k] as number);
    if (start - now <= thresholdS) onTime++;
    busyUntil[k] = start + exp(1 / ahtS);
    inSystemUntil.push(busyUntil[k] as number);
  }
  return { blocking: blocked / arrived, serviceLevel: onTime / (arrived - blocked) };
}

t.test('the finite-lines queue agrees with a simulation', (t) => {
  for (const [perHour, ahtS, agents, lines] of [
    [40, 180, 2, 4],
    [60, 150, 3, 4],
    [25, 240, 1, 3],
  ] as const) {
    const a = (perHour * ahtS) / 3600;
    const model = finiteLines(a, agents, lines, ahtS, 20);
    const sim = simulate(perHour / 3600, ahtS, agents, lines, 20, perHour);
    t.ok(Math.abs(model.blocking - sim.blocking) < 0.01, `blocking ${model.blocking.toFixed(3)} ≈ simulated ${sim.blocking.toFixed(3)}`);
    t.ok(
      Math.abs(model.serviceLevel - sim.serviceLevel) < 0.01,
      `service level ${model.serviceLevel.toFixed(3)} ≈ simulated ${sim.serviceLevel.toFixed(3)}`,
    );
  }
  t.end();
});

t.test('agents needed with finite lines', (t) => {
  // 3 Erlangs on 10 lines: close to Erlang C, blocking small.
  const roomy = agentsNeeded({ trafficErlangs: 3, ahtS: 180, thresholdS: 20, targetSl: 0.8, lines: 10 });
  const plain = agentsNeeded({ trafficErlangs: 3, ahtS: 180, thresholdS: 20, targetSl: 0.8 });
  t.ok(roomy.agents <= plain.agents && roomy.agents >= plain.agents - 1, `${roomy.agents} vs Erlang C ${plain.agents}`);
  t.notOk(roomy.linesLimited);
  const check = finiteLines(3, roomy.agents, 10, 180, 20);
  t.ok((1 - check.blocking) * check.serviceLevel >= 0.8);
  const fewer = finiteLines(3, roomy.agents - 1, 10, 180, 20);
  t.ok((1 - fewer.blocking) * fewer.serviceLevel < 0.8, 'one agent fewer misses the target');
  // 3 Erlangs on 3 lines: Erlang B blocking ≈ 34.6 %, the 80 % target is out of reach.
  const tight = agentsNeeded({ trafficErlangs: 3, ahtS: 180, thresholdS: 20, targetSl: 0.8, lines: 3 });
  t.ok(tight.linesLimited);
  t.ok(tight.agents >= 1 && tight.agents <= 3);
  t.ok(tight.blocking > 0.3);
  t.match(agentsNeeded({ trafficErlangs: 0, ahtS: 180, thresholdS: 20, targetSl: 0.8, lines: 3 }), { agents: 0 });
  t.throws(() => agentsNeeded({ trafficErlangs: 1, ahtS: 180, thresholdS: 20, targetSl: 1 }), RangeError);
  t.end();
});

t.test('staffing advice: rates per hour of the week over the weeks in range, busy lines, AHT', (t) => {
  // Four Mondays (2025-01-06 is a Monday); 10:00-11:00 Shanghai = 02:00-03:00 UTC.
  const b = new EventBuilder();
  const monday = (w: number, s: number): number => w * 7 * 86_400 + 2 * 3600 + s;
  let n = 0;
  for (let w = 0; w < 4; w++) {
    // 30 calls an hour, each 100 s talk + 20 s wrap-up, answered at once by one of two agents.
    for (let i = 0; i < 30; i++) {
      const s = monday(w, i * 120);
      const c = `c${++n}`;
      const a = i % 2 ? 'a1' : 'a2';
      b.ring(s, c, i % 2 ? 'fxo1' : 'fxo2')
        .enter(s, c, 'main')
        .connect(s, c, 'main', a, 0);
      b.state(s, a, 'ringing', 'onCall', c);
      b.complete(s + 100, c, 'main', a, 100)
        .state(s + 100, a, 'onCall', 'wrapUp', c)
        .end(s + 100, c);
      b.state(s + 120, a, 'wrapUp', 'available');
    }
  }
  const events = [...b.events].sort((x, y) => x.ts - y.ts || x.seq - y.seq) as TypedEvent[];
  const from = Date.UTC(2025, 0, 5, 16); // Monday 00:00 Shanghai
  const to = from + 28 * 86_400_000;
  const advice = staffingAdvice(events, { from, to }, { lines: 2, timeZone: 'Asia/Shanghai', targetSl: 0.8, thresholdS: 20 });
  t.equal(advice.slots.length, 168);
  t.equal(advice.ahtS, 120);
  const slot = advice.slots.find((s) => s.weekday === 1 && s.hour === 10);
  if (!slot) throw new Error('no slot');
  t.equal(slot.hoursObserved, 4);
  t.equal(slot.offered, 120);
  t.equal(slot.offeredPerHour, 30);
  // Calls alternate between the lines every 120 s and hold them 100 s: never both busy, nobody blocked.
  t.equal(slot.allLinesBusyFraction, 0);
  t.equal(slot.arrivalsPerHour, 30);
  t.equal(slot.ahtS, 120);
  t.equal(slot.trafficErlangs, 1);
  t.same(slot.agents, agentsNeeded({ trafficErlangs: 1, ahtS: 120, thresholdS: 20, targetSl: 0.8, lines: 2 }).agents);
  t.equal(slot.agentsErlangC, agentsNeeded({ trafficErlangs: 1, ahtS: 120, thresholdS: 20, targetSl: 0.8 }).agents);
  const quiet = advice.slots.find((s) => s.weekday === 3 && s.hour === 3);
  t.match(quiet, { hoursObserved: 4, offered: 0, offeredPerHour: 0, agents: 0, trafficErlangs: 0 });
  t.equal(
    advice.slots.reduce((s, x) => s + x.hoursObserved, 0),
    28 * 24,
  );
  t.end();
});

t.test('staffing advice: the blocked callers are added back from the all-lines-busy time', (t) => {
  // One line, busy 15 of every 60 minutes, 6 callers an hour through the queue, Tuesday 09:00 UTC.
  const b = new EventBuilder();
  const base = 86_400 + 9 * 3600;
  for (let i = 0; i < 6; i++) {
    const s = base + i * 600;
    const c = `c${i}`;
    b.ring(s, c, 'fxo1').enter(s, c, 'main').connect(s, c, 'main', 'a1', 0);
    b.complete(s + 150, c, 'main', 'a1', 150).end(s + 150, c);
  }
  const from = Date.UTC(2025, 0, 7, 9);
  const advice = staffingAdvice(b.events, { from, to: from + 3600_000 }, { lines: 1 });
  t.equal(advice.timeZone, 'UTC');
  const slot = advice.slots.find((s) => s.weekday === 2 && s.hour === 9);
  t.match(slot, { hoursObserved: 1, offered: 6, offeredPerHour: 6, allLinesBusyFraction: 0.25, arrivalsPerHour: 8, ahtS: 150 });
  t.ok(Math.abs((slot?.trafficErlangs ?? 0) - (8 * 150) / 3600) < 1e-12);
  t.equal(slot?.agents, 1, 'one line: one agent is all that can help');
  t.equal(slot?.linesLimited, true, '80 % within 20 s is out of reach on one line');
  t.ok(Math.abs((slot?.blocking ?? 0) - erlangB(1 / 3, 1)) < 1e-12, 'blocking is Erlang B(1 line)');
  t.end();
});

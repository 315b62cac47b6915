import t, { type Test } from 'tap';
import type { TypedEvent } from '../../../firmware/src/events/catalog.js';
import { computeKpis } from '../../../firmware/src/kpi/compute.js';
import type { AgentKpis, KpiReport, QueueKpis } from '../../../firmware/src/kpi/types.js';
import { at, EventBuilder, morning } from './fixtures/builder.js';

const RANGE = { from: at(3600), to: at(7200) };

function queue(r: KpiReport, id: string): QueueKpis {
  const q = r.byQueue.find((x) => x.queue === id);
  if (!q) throw new Error(`no queue ${id}`);
  return q;
}

function agent(r: KpiReport, id: string): AgentKpis {
  const a = r.byAgent.find((x) => x.agent === id);
  if (!a) throw new Error(`no agent ${id}`);
  return a;
}

/** Every number in the report is finite (no NaN, no Infinity). */
function finite(t: Test, value: unknown, path = 'report'): void {
  if (typeof value === 'number') t.ok(Number.isFinite(value), `${path} is finite`);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) finite(t, v, `${path}.${k}`);
}

t.test('the fixture is in time order', (t) => {
  const ev = morning().events;
  t.ok(ev.every((e, i) => i === 0 || e.ts >= (ev[i - 1] as TypedEvent).ts));
  t.end();
});

t.test('top-level figures of the hand-built hour count calls, not queue entries', (t) => {
  const r = computeKpis(morning().events, RANGE, { lines: 2 });
  t.equal(r.from, '2025-01-06T01:00:00.000Z');
  t.equal(r.to, '2025-01-06T02:00:00.000Z');
  t.equal(r.queue, null);
  t.equal(r.slThresholdS, 20);
  t.equal(r.shortAbandonS, 5);
  t.equal(r.lines, 2);
  // offered: c1 c2 c3 c4 c5 c8 c7 c6 (c0 entered before the range; c5's overflow entry is the same call)
  t.equal(r.offered, 8);
  // answered: c0 c3 c4 c5 c6 c7; total waits 15 30 3 81 40 3
  t.equal(r.answered, 6);
  t.equal(r.answeredWithinThreshold, 3);
  t.equal(r.serviceLevel, 0.5);
  t.equal(r.abandoned, 2);
  t.equal(r.shortAbandoned, 1);
  t.equal(r.serviceLevelWithAbandons, 3 / 7);
  t.equal(r.timedOut, 2);
  t.equal(r.overflowed, 1);
  t.equal(r.answerRate, 6 / 8);
  t.equal(r.abandonRate, 2 / 8);
  t.equal(r.asaS, 172 / 6);
  t.equal(r.longestWaitS, 81);
  // handled: c0 (90+30) c4 (60+0) c3 (200+60) c5 (100+20) c7 (76+50, wrap-up ends after the range)
  t.equal(r.handled, 5);
  t.equal(r.attS, 526 / 5);
  t.equal(r.acwS, 160 / 5);
  t.equal(r.ahtS, 686 / 5);
  t.equal(r.occupancy, 661 / 6600);
  t.equal(r.allLinesBusyMinutes, 95 / 60);
  t.equal(r.csat, null);
  t.equal(r.callbacksPending, null);
  finite(t, r);
  t.end();
});

t.test('byQueue counts entries with the wait in that queue', (t) => {
  const r = computeKpis(morning().events, RANGE, { lines: 2 });
  t.same(
    r.byQueue.map((q) => q.queue),
    ['sales', 'support'],
  );
  t.same(queue(r, 'sales'), {
    queue: 'sales',
    offered: 4,
    answered: 3,
    abandoned: 1,
    shortAbandoned: 1,
    timedOut: 1,
    overflowed: 1,
    answeredWithinThreshold: 2,
    serviceLevel: 2 / 3,
    serviceLevelWithAbandons: 2 / 3,
    answerRate: 3 / 4,
    abandonRate: 1 / 4,
    asaS: 58 / 3,
    longestWaitS: 60,
    handled: 2,
    attS: 75,
    acwS: 15,
    ahtS: 90,
  });
  t.same(queue(r, 'support'), {
    queue: 'support',
    offered: 5,
    answered: 3,
    abandoned: 1,
    shortAbandoned: 0,
    timedOut: 1,
    overflowed: 0,
    answeredWithinThreshold: 1,
    serviceLevel: 1 / 3,
    serviceLevelWithAbandons: 1 / 4,
    answerRate: 3 / 5,
    abandonRate: 1 / 5,
    asaS: 18,
    longestWaitS: 60,
    handled: 3,
    attS: 376 / 3,
    acwS: 130 / 3,
    ahtS: 506 / 3,
  });
  t.end();
});

t.test('byAgent: an agent in two queues, paused time out of occupancy, missed offers', (t) => {
  const r = computeKpis(morning().events, RANGE, { lines: 2 });
  t.same(agent(r, 'a1'), {
    agent: 'a1',
    answered: 4,
    handled: 4,
    missed: 1,
    talkS: 466,
    acwS: 40,
    ahtS: 156.5,
    loggedInS: 3600,
    pausedS: 0,
    onCallS: 466,
    wrapUpS: 130,
    occupancy: 596 / 3600,
  });
  t.same(agent(r, 'a2'), {
    agent: 'a2',
    answered: 2,
    handled: 1,
    missed: 0,
    talkS: 60,
    acwS: 0,
    ahtS: 60,
    loggedInS: 3600,
    pausedS: 600,
    onCallS: 65,
    wrapUpS: 0,
    occupancy: 65 / 3000,
  });
  t.end();
});

t.test('a queue filter: the top level is that queue, agent times stay box-wide', (t) => {
  const r = computeKpis(morning().events, { ...RANGE, queue: 'support' }, { lines: 2 });
  const all = computeKpis(morning().events, RANGE, { lines: 2 });
  t.equal(r.queue, 'support');
  const { queue: _q, ...support } = queue(all, 'support');
  t.match(r, support);
  t.same(
    r.byQueue.map((q) => q.queue),
    ['support'],
  );
  t.match(agent(r, 'a1'), { answered: 3, handled: 3, missed: 1, talkS: 376, acwS: 130 / 3, loggedInS: 3600, occupancy: 596 / 3600 });
  t.match(agent(r, 'a2'), { answered: 0, handled: 0, missed: 0, talkS: 0, acwS: null, ahtS: null, loggedInS: 3600 });
  t.equal(r.occupancy, all.occupancy);
  t.equal(r.allLinesBusyMinutes, all.allLinesBusyMinutes);
  t.end();
});

t.test('thresholds: slThresholdS is inclusive, shortAbandonS exclusive', (t) => {
  const r = computeKpis(morning().events, { ...RANGE, slThresholdS: 30, shortAbandonS: 3 }, { lines: 2 });
  // total waits 15 30 3 81 40 3: four within 30 s; c1's 3 s abandon is not under 3 s
  t.equal(r.answeredWithinThreshold, 4);
  t.equal(r.shortAbandoned, 0);
  t.equal(r.serviceLevelWithAbandons, 4 / 8);
  t.equal(queue(r, 'support').answeredWithinThreshold, 3, 'c3 waited exactly 30 s, c5 21 s, c7 3 s');
  t.end();
});

t.test('a wrap-up that has not ended keeps its call out of AHT (no lookahead, live report)', (t) => {
  const upToTo = morning().events.filter((e) => e.ts < RANGE.to);
  const r = computeKpis(upToTo, RANGE, { lines: 2 });
  t.equal(r.handled, 4, 'c7 is still in wrap-up');
  t.equal(r.ahtS, (686 - 126) / 4);
  t.equal(r.answered, 6, 'answered does not depend on it');
  t.end();
});

t.test('now inside the range: time after it is not counted', (t) => {
  const now = at(4500);
  const events = morning().events.filter((e) => e.ts <= now);
  const r = computeKpis(events, RANGE, { lines: 2, now });
  // a1: available 5 + 300 + 205, ringing 10, onCall 290, wrapUp 90 over 900 s
  t.match(agent(r, 'a1'), { loggedInS: 900, onCallS: 290, wrapUpS: 90, occupancy: 380 / 900 });
  // a2: paused since 4200 (300 s); onCall 60
  t.match(agent(r, 'a2'), { loggedInS: 900, pausedS: 300, onCallS: 60, occupancy: 60 / 600 });
  t.equal(r.allLinesBusyMinutes, 65 / 60);
  t.end();
});

t.test('adjacent ranges add up to the whole', (t) => {
  const ev = morning().events;
  const whole = computeKpis(ev, { from: at(0), to: at(9000) }, { lines: 2 });
  const parts = [0, 3000, 3600, 5000, 7200, 9000];
  const reports = parts.slice(1).map((to, i) => computeKpis(ev, { from: at(parts[i] as number), to: at(to) }, { lines: 2 }));
  for (const k of [
    'offered',
    'answered',
    'abandoned',
    'shortAbandoned',
    'timedOut',
    'overflowed',
    'handled',
    'answeredWithinThreshold',
  ] as const) {
    t.equal(
      reports.reduce((s, r) => s + r[k], 0),
      whole[k],
      k,
    );
  }
  const sum = (f: (r: KpiReport) => number): number => reports.reduce((s, r) => s + f(r), 0);
  t.equal(
    sum((r) => r.allLinesBusyMinutes ?? 0),
    whole.allLinesBusyMinutes,
  );
  for (const id of ['a1', 'a2']) {
    for (const k of ['loggedInS', 'pausedS', 'onCallS', 'wrapUpS', 'missed', 'answered'] as const) {
      t.equal(
        sum((r) => r.byAgent.find((a) => a.agent === id)?.[k] ?? 0),
        agent(whole, id)[k],
        `${id} ${k}`,
      );
    }
  }
  t.end();
});

t.test('no events: counts are 0, means and ratios null, never NaN', (t) => {
  const r = computeKpis([], RANGE, { lines: 2 });
  t.match(r, {
    offered: 0,
    answered: 0,
    serviceLevel: null,
    serviceLevelWithAbandons: null,
    answerRate: null,
    asaS: null,
    ahtS: null,
    acwS: null,
    longestWaitS: null,
    occupancy: null,
    allLinesBusyMinutes: 0,
    byQueue: [],
    byAgent: [],
  });
  t.equal(computeKpis([], RANGE, { lines: 0 }).allLinesBusyMinutes, null, 'no lines: no busy figure');
  finite(t, r);
  t.end();
});

t.test('only abandons below the short threshold: SL with abandons has nothing to divide by', (t) => {
  const b = new EventBuilder();
  b.ring(4000, 'x', 'fxo1').enter(4001, 'x', 'main').abandon(4003, 'x', 'main', 2).end(4003, 'x', 'abandoned');
  const r = computeKpis(b.events, RANGE, { lines: 1 });
  t.match(r, { offered: 1, abandoned: 1, shortAbandoned: 1, serviceLevel: null, serviceLevelWithAbandons: null, longestWaitS: 2 });
  t.end();
});

t.test('agent state at from: from the last event before it, or from prev of the first one in range', (t) => {
  const seeded = new EventBuilder().state(100, 'a1', 'loggedOut', 'paused').state(5400, 'a1', 'paused', 'available');
  t.match(computeKpis(seeded.events, RANGE, { lines: 1 }).byAgent, [{ agent: 'a1', loggedInS: 3600, pausedS: 1800, occupancy: 0 }]);
  const unseeded = new EventBuilder().state(5400, 'a1', 'paused', 'available');
  t.match(computeKpis(unseeded.events, RANGE, { lines: 1 }).byAgent, [{ agent: 'a1', loggedInS: 3600, pausedS: 1800 }]);
  const out = new EventBuilder().state(100, 'a1', 'available', 'loggedOut');
  t.same(computeKpis(out.events, RANGE, { lines: 1 }).byAgent, [], 'logged out all along: not listed');
  t.end();
});

t.test('lines: a call on an agent phone is not a line; two calls on one line are one busy line', (t) => {
  const b = new EventBuilder();
  b.ring(3700, 'x', 'fxo1').ring(3710, 'y', 'fxo1');
  b.add('call.ringing', 3720, 'z', { channel: 'fxs1', kind: 'fxs' });
  b.end(3800, 'x').end(3900, 'y').end(3950, 'z');
  t.equal(computeKpis(b.events, RANGE, { lines: 2 }).allLinesBusyMinutes, 0);
  t.equal(computeKpis(b.events, RANGE, { lines: 1 }).allLinesBusyMinutes, 200 / 60, 'fxo1 busy 3700..3900');
  const before = new EventBuilder().ring(3000, 'x', 'fxo1').end(3660, 'x');
  t.equal(computeKpis(before.events, RANGE, { lines: 1 }).allLinesBusyMinutes, 1, 'clipped at from');
  t.end();
});

t.test('wrap-up order: complete before or after the wrap-up state, with or without callId', (t) => {
  const variants: [string, (b: EventBuilder) => void][] = [
    ['complete first', (b) => b.complete(4100, 'c', 'q', 'a', 100).state(4100, 'a', 'onCall', 'wrapUp', 'c')],
    ['state first', (b) => b.state(4100, 'a', 'onCall', 'wrapUp', 'c').complete(4100, 'c', 'q', 'a', 100)],
    ['state first, no callId', (b) => b.state(4100, 'a', 'onCall', 'wrapUp').complete(4100, 'c', 'q', 'a', 100)],
  ];
  for (const [name, endTalk] of variants) {
    const b = new EventBuilder().state(3700, 'a', 'available', 'ringing', 'c').connect(4000, 'c', 'q', 'a', 5);
    b.state(4000, 'a', 'ringing', 'onCall', 'c');
    endTalk(b);
    b.state(4125, 'a', 'wrapUp', 'available');
    const r = computeKpis(b.events, RANGE, { lines: 1 });
    t.match(r, { handled: 1, attS: 100, acwS: 25, ahtS: 125 }, name);
  }
  const noWrap = new EventBuilder().connect(4000, 'c', 'q', 'a', 5).state(4000, 'a', 'ringing', 'onCall', 'c');
  noWrap.state(4100, 'a', 'onCall', 'available', 'c').complete(4100, 'c', 'q', 'a', 100);
  t.match(computeKpis(noWrap.events, RANGE, { lines: 1 }), { handled: 1, acwS: 0, ahtS: 100 }, 'available, then complete');
  t.end();
});

/** A post-call survey answer (not in the committed catalog yet: built by name). */
function surveyScore(b: EventBuilder, s: number, call: string, queue: string | null, score: unknown): void {
  b.events.push({
    seq: b.events.length + 1,
    ts: at(s),
    type: 'survey.score',
    callId: call,
    data: { queue, agent: 'a1', score },
  } as unknown as TypedEvent);
}

t.test('csat: the mean survey score of the answers in the range, per queue when filtered', (t) => {
  const b = new EventBuilder();
  surveyScore(b, 3000, 'x0', 'sales', 1); // before the range
  surveyScore(b, 3700, 'x1', 'sales', 5);
  surveyScore(b, 3800, 'x2', 'support', 4);
  surveyScore(b, 3900, 'x3', 'sales', 2);
  surveyScore(b, 3950, 'x4', null, 3);
  surveyScore(b, 3960, 'x5', 'sales', 9); // not a 1-5 score: ignored
  surveyScore(b, 3970, 'x6', 'sales', '5'); // not a number: ignored
  surveyScore(b, 7200, 'x7', 'sales', 1); // at to: outside
  t.match(computeKpis(b.events, RANGE, { lines: 1 }), { csat: 14 / 4, csatResponses: 4 });
  t.match(computeKpis(b.events, { ...RANGE, queue: 'sales' }, { lines: 1 }), { csat: 3.5, csatResponses: 2 });
  t.match(computeKpis(morning().events, RANGE, { lines: 2 }), { csat: null, csatResponses: 0 });
  t.end();
});

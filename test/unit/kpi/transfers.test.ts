// Transferred calls in the KPIs (queue_log's TRANSFER semantics): a call counts once per queue and
// once at the top level, every agent who talked keeps their talk time, and a line a transfer dials
// out on is busy until the call ends. Worked answers, then the SQLite path and hourly buckets agree.
import path from 'node:path';
import t from 'tap';
import { computeKpis, computeKpisByBucket } from '../../../firmware/src/kpi/compute.js';
import { staffingAdvice } from '../../../firmware/src/kpi/erlang.js';
import { KpiEventSource } from '../../../firmware/src/kpi/source.js';
import { openDatabase } from '../../../firmware/src/store/db.js';
import { EventLog } from '../../../firmware/src/store/event-log.js';
import { at, EventBuilder } from './fixtures/builder.js';

const transfer = (b: EventBuilder, s: number, call: string, agent: string | null, to: string, target: string) =>
  b.add('call.transferred', s, call, { from: 'fxs1', to, agent, mode: 'blind', target, by: 'a1' });

/**
 * c1: sales, a1 answers after 10 s, talks 60 s, transfers blind to queue:support; a2 answers after
 *     20 s there, talks 100 s. → sales offered/answered 1, support offered/answered 1, top 1/1.
 * c2: sales, a1 answers after 5 s, talks 30 s, transfers to queue:sales (the same queue); a2 answers
 *     after 10 s, talks 50 s. → sales counts it once more in total (offered 2 with c1), not twice.
 * c3: sales, a1 answers, talks 40 s, transfers to queue:support; the caller hangs up after 30 s
 *     waiting there → support offered 1 abandoned 1; top level: answered, not abandoned.
 * c4: on fxo1 (of 2 lines), a1 transfers it to 13800000000 on fxo2 at 100 s; the call ends at 300 s
 *     → both lines busy 200 s.
 */
function day(): EventBuilder {
  const b = new EventBuilder();
  b.state(0, 'a1', 'loggedOut', 'available').state(0, 'a2', 'loggedOut', 'available');
  // c1
  b.ring(1000, 'c1', 'fxo1').enter(1005, 'c1', 'sales').connect(1015, 'c1', 'sales', 'a1', 10);
  transfer(b, 1075, 'c1', null, 'queue:support', 'queue:support').complete(1075, 'c1', 'sales', 'a1', 60);
  b.enter(1075, 'c1', 'support').connect(1095, 'c1', 'support', 'a2', 20).complete(1195, 'c1', 'support', 'a2', 100);
  b.end(1195, 'c1');
  // c2
  b.ring(2000, 'c2', 'fxo1').enter(2005, 'c2', 'sales').connect(2010, 'c2', 'sales', 'a1', 5);
  transfer(b, 2040, 'c2', null, 'queue:sales', 'queue:sales').complete(2040, 'c2', 'sales', 'a1', 30);
  b.enter(2040, 'c2', 'sales').connect(2050, 'c2', 'sales', 'a2', 10).complete(2100, 'c2', 'sales', 'a2', 50);
  b.end(2100, 'c2');
  // c3
  b.ring(3000, 'c3', 'fxo1').enter(3005, 'c3', 'sales').connect(3010, 'c3', 'sales', 'a1', 5);
  transfer(b, 3050, 'c3', null, 'queue:support', 'queue:support').complete(3050, 'c3', 'sales', 'a1', 40);
  b.enter(3050, 'c3', 'support').abandon(3080, 'c3', 'support', 30).end(3080, 'c3');
  // c4: to an outside number
  b.ring(4000, 'c4', 'fxo1').enter(4005, 'c4', 'sales').connect(4010, 'c4', 'sales', 'a1', 5);
  transfer(b, 4100, 'c4', null, 'fxo2', '13800000000').complete(4100, 'c4', 'sales', 'a1', 90);
  b.end(4300, 'c4');
  return b;
}

const Q = { from: at(0), to: at(7200) };

t.test('a transferred call counts once per queue and once in all', async (t) => {
  const r = computeKpis(day().events, Q, { lines: 2 });
  t.equal(r.offered, 4, 'four calls');
  t.equal(r.answered, 4, 'each answered once, by its first agent');
  t.equal(r.abandoned, 0, 'c3 was answered before it waited in support');
  t.equal(r.answerRate, 1);
  const sales = r.byQueue.find((q) => q.queue === 'sales');
  const support = r.byQueue.find((q) => q.queue === 'support');
  t.match(sales, { offered: 4, answered: 4, abandoned: 0 }, 'c2 back into sales is not offered again');
  t.match(support, { offered: 2, answered: 1, abandoned: 1 }, 'the queue a transfer sends to counts it once');
  t.equal(r.handled, 6, 'handled: one per agent handling (queue_log TRANSFER + COMPLETE)');
  // talk: c1 60+100, c2 30+50, c3 40, c4 90 = 370 s over 6 handlings
  t.equal(r.attS, 370 / 6, 'every agent of a call keeps their talk time');
  t.equal(sales?.handled, 5);
  t.equal(sales?.attS, (60 + 30 + 50 + 40 + 90) / 5, 'c2 second agent in the same queue');
  t.equal(support?.handled, 1);
  t.equal(support?.attS, 100);
  const a1 = r.byAgent.find((a) => a.agent === 'a1');
  const a2 = r.byAgent.find((a) => a.agent === 'a2');
  t.match(a1, { answered: 4, handled: 4, talkS: 60 + 30 + 40 + 90 });
  t.match(a2, { answered: 2, handled: 2, talkS: 150 }, 'the second agent keeps their talk time');
  t.equal(r.allLinesBusyMinutes, 200 / 60, 'fxo2 dialled by the transfer: every line busy 4100..4300');
  const sup = computeKpis(day().events, { ...Q, queue: 'support' }, { lines: 2 });
  t.match(sup, { offered: 2, answered: 1, abandoned: 1, handled: 1 });
  t.equal(sup.allLinesBusyMinutes, 200 / 60, 'line use is not per queue');
});

t.test('staffing demand: a transfer into another queue is demand there, back into the same queue is not', async (t) => {
  const advice = staffingAdvice(day().events, Q, { lines: 2 });
  const offered = advice.slots.reduce((n, s) => n + (s.offeredPerHour ?? 0) * s.hoursObserved, 0);
  t.equal(offered, 4 + 2, 'four calls in sales, c1 and c3 in support; c2 back into sales not again');
  const busy = advice.slots.find((s) => (s.allLinesBusyFraction ?? 0) > 0);
  t.equal(busy?.allLinesBusyFraction, 200 / 3600, 'the outside line of c4 makes every line busy 200 s in its hour');
});

t.test('hourly buckets and the SQLite path give the same figures with transfers', async (t) => {
  const events = day().events;
  const buckets = [0, 1].map((h) => ({ from: at(h * 3600), to: at((h + 1) * 3600) }));
  for (const queue of [undefined, 'sales', 'support']) {
    const q = { ...Q, ...(queue ? { queue } : {}) };
    const { buckets: got } = computeKpisByBucket(events, q, { lines: 2 }, buckets);
    buckets.forEach((b, i) => {
      const own = computeKpis(events, { ...q, ...b }, { lines: 2 });
      const { from: _f, to: _t, queue: _q, slThresholdS: _s, shortAbandonS: _a, lines: _l, ...calls } = own;
      t.match(got[i], Object.fromEntries(Object.entries(calls).filter(([k]) => k in (got[i] ?? {}))), `bucket ${i} ${queue ?? 'all'}`);
    });
  }
  const db = openDatabase(path.join(t.testdir({}), 'box.db'));
  t.teardown(() => db.close());
  const log = new EventLog(db);
  db.transaction(() => {
    for (const e of events) log.append(e.type, e.callId, e.data, e.ts);
  })();
  const source = new KpiEventSource(db);
  for (const [from, to] of [
    [0, 7200],
    [1050, 7200],
    [4200, 7200],
    [0, 1080],
  ] as const) {
    const q = { from: at(from), to: at(to) };
    t.same(computeKpis(source.events(q), q, { lines: 2 }), computeKpis(events, q, { lines: 2 }), `[${from}, ${to}) from SQLite`);
  }
});

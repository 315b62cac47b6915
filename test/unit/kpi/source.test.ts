// The SQLite path (KpiEventSource → computeKpis) gives exactly what the in-memory path gives.
import path from 'node:path';
import t, { type Test } from 'tap';
import type { TypedEvent } from '../../../firmware/src/events/catalog.js';
import { computeKpis } from '../../../firmware/src/kpi/compute.js';
import { staffingAdvice } from '../../../firmware/src/kpi/erlang.js';
import { KpiServiceImpl } from '../../../firmware/src/kpi/kpi-service.js';
import { KpiEventSource, LAST_STATE_SQL, NEXT_AGENT_SQL, toEvent } from '../../../firmware/src/kpi/source.js';
import { type Database, openDatabase } from '../../../firmware/src/store/db.js';
import { EventLog } from '../../../firmware/src/store/event-log.js';
import { at, EventBuilder, morning } from './fixtures/builder.js';
import { randomDay } from './fixtures/random-day.js';

const DAY = Date.UTC(2025, 2, 3); // a Monday
const H = 3_600_000;

function threeDays(): TypedEvent[] {
  const all: TypedEvent[] = [];
  for (let d = 0; d < 3; d++) {
    for (const e of randomDay({ seed: 100 + d, day: DAY + d * 24 * H, lines: 3 })) all.push({ ...e, seq: all.length + 1 });
  }
  return all;
}

function store(t: Test, events: TypedEvent[]): Database {
  const db = openDatabase(path.join(t.testdir({}), 'box.db'));
  t.teardown(() => db.close());
  const log = new EventLog(db);
  db.transaction(() => {
    for (const e of events) log.append(e.type, e.callId, e.data, e.ts);
  })();
  return db;
}

t.test('three random days: every range reads the same from SQLite as from memory', (t) => {
  const events = threeDays();
  const db = store(t, events);
  const source = new KpiEventSource(db);
  const ranges: [string, number, number][] = [
    ['all', DAY, DAY + 72 * H],
    ['second day', DAY + 24 * H, DAY + 48 * H],
    ['noon to noon', DAY + 12 * H, DAY + 36 * H],
    ['odd edges', DAY + 10 * H + 7_000, DAY + 34 * H + 13_000],
    ['an hour', DAY + 58 * H + 1_000, DAY + 59 * H + 1_000],
    ['nothing yet', DAY - 48 * H, DAY - 24 * H],
    ['after the end', DAY + 80 * H, DAY + 90 * H],
  ];
  for (const [name, from, to] of ranges) {
    for (const queue of [undefined, 'support']) {
      const q = queue ? { from, to, queue } : { from, to };
      t.same(computeKpis(source.events(q), q, { lines: 3 }), computeKpis(events, q, { lines: 3 }), `${name} ${queue ?? ''}`);
    }
    const q = { from, to };
    const opts = { lines: 3, timeZone: 'Asia/Shanghai' };
    t.same(staffingAdvice(source.events(q), q, opts), staffingAdvice(events, q, opts), `${name} staffing`);
  }
  t.end();
});

t.test('the hand-built hour: the source supplies the state at from and the wrap-up after to', (t) => {
  const events = morning().events;
  const db = store(t, events);
  const source = new KpiEventSource(db);
  const q = { from: at(3600), to: at(7200) };
  const read = [...source.events(q)];
  t.ok(
    read.some((e) => e.ts < q.from && e.type === 'agent.state'),
    'agent states before from',
  );
  t.ok(
    read.some((e) => e.ts < q.from && e.type === 'call.ringing' && e.callId === 'c0'),
    'the call in progress at from',
  );
  t.ok(
    read.some((e) => e.ts >= q.to && e.type === 'agent.state'),
    'agent states after to',
  );
  t.notOk(
    read.some((e) => e.ts >= q.to && e.type === 'queue.complete'),
    'no counting events after to',
  );
  const seqs = read.filter((e) => e.ts >= q.from && e.ts < q.to).map((e) => e.seq);
  t.same(
    seqs,
    [...seqs].sort((a, b) => a - b),
    'the range in seq order',
  );
  const r = computeKpis(read, q, { lines: 2 });
  t.same(r, computeKpis(events, q, { lines: 2 }));
  t.equal(r.handled, 5, 'c7 counted with its wrap-up');
  t.equal(r.byAgent.find((a) => a.agent === 'a1')?.loggedInS, 3600, 'a1 logged in since before from');
  t.end();
});

t.test('a timeout just before to that overflows at to counts as overflowed on both paths', (t) => {
  const b = new EventBuilder();
  b.ring(7000, 'x', 'fxo1').enter(7000, 'x', 'sales').timeout(7199, 'x', 'sales', 199).enter(7200, 'x', 'support');
  b.end(7300, 'x', 'abandoned');
  const db = store(t, b.events);
  const q = { from: at(3600), to: at(7200) };
  const r = computeKpis(new KpiEventSource(db).events(q), q, { lines: 1 });
  t.match(r, { offered: 1, timedOut: 1, overflowed: 1 });
  t.same(r, computeKpis(b.events, q, { lines: 1 }));
  t.end();
});

t.test('reads find a range through the hour directory and read rows by seq', (t) => {
  const db = store(t, []);
  const dir = db.prepare('EXPLAIN QUERY PLAN SELECT MIN(lo), MAX(hi) FROM event_hours WHERE hour BETWEEN ? AND ?').all(0, 1) as {
    detail: string;
  }[];
  t.match(dir.map((p) => p.detail).join('\n'), /USING INTEGER PRIMARY KEY/);
  const rows = db
    .prepare('EXPLAIN QUERY PLAN SELECT seq FROM events WHERE seq BETWEEN ? AND ? AND ts >= ? AND ts < ? ORDER BY seq')
    .all(0, 1, 0, 1) as { detail: string }[];
  t.match(rows.map((p) => p.detail).join('\n'), /USING INTEGER PRIMARY KEY/);
  t.notMatch(rows.map((p) => p.detail).join('\n'), /TEMP B-TREE/, 'no sort');
  t.end();
});

t.test('rows that do not match the catalog are skipped', (t) => {
  const row = (type: string, data: string) => ({ seq: 1, ts: 5, type, call_id: 'c', data });
  t.equal(toEvent(row('queue.connect', '{"queue":"q","agent":"a"}')), null, 'missing waitMs');
  t.equal(toEvent(row('queue.connect', '{"queue":"q","agent":"a","waitMs":-1}')), null, 'negative waitMs');
  t.equal(toEvent(row('queue.abandon', 'not json')), null, 'broken JSON');
  t.equal(toEvent(row('agent.state', '{"agent":"a","state":"dancing","prev":"available"}')), null, 'unknown state');
  t.equal(toEvent(row('ivr.key', '{"menu":"m","digit":"1"}')), null, 'not a KPI event');
  t.match(toEvent(row('survey.score', '{"queue":null,"agent":"a","score":4}')), { type: 'survey.score', data: { score: 4 } });
  t.match(toEvent(row('queue.abandon', '{"queue":"q","waitMs":3}')), { type: 'queue.abandon', callId: 'c', data: { waitMs: 3 } });

  const events = morning().events;
  const db = store(t, events);
  new EventLog(db).append('queue.connect', 'zz', { queue: 'sales' }, at(4000));
  const q = { from: at(3600), to: at(7200) };
  t.same(computeKpis(new KpiEventSource(db).events(q), q, { lines: 2 }), computeKpis(events, q, { lines: 2 }));
  new EventLog(db).append('survey.score', 'c4', { queue: 'sales', agent: 'a2', score: 4 }, at(4170));
  t.match(computeKpis(new KpiEventSource(db).events(q), q, { lines: 2 }), { csat: 4, csatResponses: 1 }, 'survey answers are read');
  t.end();
});

t.test('KpiServiceImpl reads the database with the injected lines, clock and zone', (t) => {
  // The log as it stands at 4500 s, in the middle of the range.
  const upToNow = morning().events.filter((e) => e.ts <= at(4500));
  const db = store(t, upToNow);
  let lines = 2;
  const svc = new KpiServiceImpl({ db, lines: () => lines, now: () => at(4500), timeZone: () => 'Asia/Shanghai' });
  const q = { from: at(3600), to: at(7200) };
  const r = svc.report(q);
  // The service adds the callbacks open at the end (none here) to the pure computation.
  t.same(r, { ...computeKpis(upToNow, q, { lines: 2, now: at(4500) }), callbacksPending: 0 });
  t.equal(r.byAgent.find((a) => a.agent === 'a1')?.loggedInS, 900, 'time stops at now');
  lines = 1;
  t.equal(svc.report(q).lines, 1);
  const advice = svc.staffing({ ...q, targetSl: 0.9 });
  t.equal(advice.timeZone, 'Asia/Shanghai');
  t.equal(advice.targetSl, 0.9);
  t.equal(advice.slots.length, 168);
  t.equal(
    advice.slots.reduce((s, x) => s + x.hoursObserved, 0),
    0.25,
    'only the 15 minutes up to now are observed',
  );
  t.end();
});

t.test('the state at from comes from the index, however old, without reading the history', (t) => {
  const D = 86_400_000;
  const from = DAY + 60 * D;
  const ev = (seq: number, ts: number, type: string, callId: string | null, data: unknown): TypedEvent =>
    ({ seq, ts, type, callId, data }) as TypedEvent;
  const events: TypedEvent[] = [
    // a1 logged in 40 days before from and never changed since; a2 logged in and out long ago.
    ev(1, from - 40 * D, 'agent.state', null, { agent: 'a1', state: 'available', prev: 'loggedOut' }),
    ev(2, from - 39 * D, 'agent.state', null, { agent: 'a2', state: 'available', prev: 'loggedOut' }),
    ev(3, from - 39 * D + H, 'agent.state', null, { agent: 'a2', state: 'loggedOut', prev: 'available' }),
    // A call that ended the day before, and one still waiting at from (rang 2 h before).
    ev(4, from - 26 * H, 'call.ringing', 'old', { channel: 'fxo1', kind: 'fxo' }),
    ev(5, from - 26 * H + 60_000, 'call.ended', 'old', { outcome: 'abandoned', reason: 'callerHangup', durationMs: 60_000 }),
    ev(6, from - 2 * H, 'call.ringing', 'c1', { channel: 'fxo2', kind: 'fxo' }),
    ev(7, from - 2 * H + 10_000, 'queue.enter', 'c1', { queue: 'sales', position: 1, priority: 0 }),
    ev(8, from - H, 'call.ringing', 'c2', { channel: 'fxo1', kind: 'fxo' }),
    ev(9, from - H + 5_000, 'call.ended', 'c2', { outcome: 'abandoned', reason: 'callerGaveUp', durationMs: 5_000 }),
    ev(10, from + 60_000, 'queue.connect', 'c1', { queue: 'sales', agent: 'a1', waitMs: 2 * H + 50_000, ringMs: 3000 }),
    ev(11, from + 60_000, 'agent.state', 'c1', { agent: 'a1', state: 'onCall', prev: 'available' }),
    ev(12, from + 120_000, 'call.ended', 'c1', { outcome: 'answered', reason: 'callerHangup', durationMs: 2 * H + 120_000 }),
  ];
  const db = store(t, events);
  const q = { from, to: from + H };
  const read = [...new KpiEventSource(db).events(q)];
  t.same(
    read.filter((e) => e.ts < from).map((e) => e.seq),
    [1, 3, 6, 7],
    'each agent’s last state, the open call’s events; not the ended calls',
  );
  const r = computeKpis(read, q, { lines: 2 });
  t.same(r, computeKpis(events, q, { lines: 2 }));
  t.match(
    r.byAgent.find((a) => a.agent === 'a1'),
    { loggedInS: 3600 },
  );
  const plan = (sql: string, ...args: unknown[]): string =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((p) => p.detail).join('\n');
  t.match(plan(LAST_STATE_SQL, 'a1', 5), /events_agent_state/, 'an agent’s last state is one seek in events_agent_state');
  t.match(plan(NEXT_AGENT_SQL, ''), /events_agent_state/);
  t.end();
});

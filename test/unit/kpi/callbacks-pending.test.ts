import t from 'tap';
import { CALLBACK_EVENTS_SQL } from '../../../firmware/src/kpi/callbacks-pending.js';
import { KpiServiceImpl } from '../../../firmware/src/kpi/kpi-service.js';
import { openDatabase } from '../../../firmware/src/store/db.js';
import { EventLog } from '../../../firmware/src/store/event-log.js';

const T0 = Date.UTC(2026, 10, 27, 2);
const MIN = 60_000;

t.test('callbacksPending counts requests open at the end of the range, by queue', (t) => {
  const db = openDatabase(':memory:');
  t.teardown(() => db.close());
  const log = new EventLog(db);
  let now = T0 + 120 * MIN;
  const kpis = new KpiServiceImpl({ db, lines: () => 2, now: () => now });
  const req = (id: string, queue: string, at: number) =>
    log.append('callback.requested', `call-${id}`, { callbackId: id, queue, number: '138' }, at);
  req('a', 'main', T0); // accepted at +30
  req('b', 'main', T0 + 5 * MIN); // fails once (retry), then final at +60
  req('c', 'vip', T0 + 10 * MIN); // never resolved
  req('d', 'main', T0 + 50 * MIN); // still open
  log.append('callback.accepted', 'call-a', { callbackId: 'a' }, T0 + 30 * MIN);
  log.append('callback.failed', 'call-b', { callbackId: 'b', attempts: 1, why: 'noAnswer', final: false }, T0 + 20 * MIN);
  log.append('callback.failed', 'call-b', { callbackId: 'b', attempts: 2, why: 'noAnswer', final: true }, T0 + 60 * MIN);
  // Noise: other events and a malformed row are ignored.
  log.append('queue.enter', 'x', { queue: 'main', position: 1 }, T0 + MIN);

  const at = (toMin: number, queue?: string) =>
    kpis.report({ from: T0, to: T0 + toMin * MIN, ...(queue ? { queue } : {}) }).callbacksPending;
  t.equal(at(1), 1, 'a is open right after its request');
  t.equal(at(25), 3, 'a, b (retrying) and c');
  t.equal(at(35), 2, 'a accepted');
  t.equal(at(55), 3, 'd joined');
  t.equal(at(65), 2, 'b failed for good');
  t.equal(at(65, 'main'), 1, 'only d in main');
  t.equal(at(65, 'vip'), 1, 'c in vip');
  now = T0 + 40 * MIN;
  t.equal(at(24 * 60), 2, 'a range reaching past now counts what is open now (a accepted; b, c open; d not yet requested)');
  t.end();
});

t.test('the count reads the callback index, not the whole log', (t) => {
  const db = openDatabase(':memory:');
  t.teardown(() => db.close());
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${CALLBACK_EVENTS_SQL}`).all(T0) as { detail: string }[];
  t.match(plan.map((r) => r.detail).join('\n'), /events_callbacks/);
  t.end();
});

// The box module that keeps the report roll-ups current (reportRollups): batches of closed hours
// on the box's clock, every second while behind, then every 10 minutes; a late event is rolled up
// again; stop() stops it.
import t from 'tap';
import { SYSTEM_ACTOR } from '../../../firmware/src/backoffice/common/types.js';
import { TICK_HOURS } from '../../../firmware/src/backoffice/reports/rollup-job.js';
import { EventLog } from '../../../firmware/src/store/event-log.js';
import { local, Shop } from './fixtures/shop.js';

const state = (s: Shop) =>
  s.db.prepare('SELECT done_to, redo_from, lines FROM report_rollup_state').get() as
    | { done_to: number; redo_from: number | null; lines: number }
    | undefined;

t.test('rolls up closed hours in batches on the clock, then keeps up; a late event is redone', (t) => {
  const s = new Shop(local('2026-11-05', '12:00'));
  s.login(local('2026-11-02', '08:00'), 'a1');
  for (let i = 0; i < 20; i++)
    s.call({ id: `c${i}`, at: local('2026-11-02', '09:00') + i * 1_800_000, agent: 'a1', waitS: 5, talkS: 120, wrapS: 10 });
  s.logout(local('2026-11-02', '20:00'), 'a1').flush();
  const job = s.bo.reportRollups;
  t.equal(state(s), undefined, 'nothing before the first tick');
  job.start();
  s.clock.advance(0);
  const first = state(s);
  t.ok(first, 'state written');
  t.equal((first?.done_to as number) - local('2026-11-02', '08:00'), TICK_HOURS * 3_600_000, 'one batch from the first event hour');
  s.clock.advance(60_000); // one batch a second while behind
  const closedTo = Math.floor((s.clock.now() - 86_400_000) / 3_600_000) * 3_600_000;
  t.equal(state(s)?.done_to, closedTo, 'caught up to the last closed hour');
  const offered = s.db.prepare('SELECT SUM(offered) AS n FROM report_hours').get() as { n: number };
  t.equal(offered.n, 20, 'every call counted once');
  const day = s.bo.reports.report(SYSTEM_ACTOR, { period: 'day', date: '2026-11-02' });
  t.equal(day.calls.answered, 20);

  // A late survey answer for that day: marked, recomputed by the next ticks.
  new EventLog(s.db).append('survey.score', 'c3', { queue: 'main', agent: 'a1', score: 4 }, local('2026-11-02', '10:40'));
  t.equal(state(s)?.redo_from, local('2026-11-02', '10:40') - 86_400_000);
  s.clock.advance(10 * 60_000 + 60_000);
  t.equal(state(s)?.redo_from, null, 'redone');
  t.equal(state(s)?.done_to, Math.floor((s.clock.now() - 86_400_000) / 3_600_000) * 3_600_000);
  t.equal((s.db.prepare('SELECT SUM(csat_n) AS n FROM report_hours').get() as { n: number }).n, 1, 'the late answer is in');

  job.stop();
  const stopped = state(s)?.done_to;
  s.clock.advance(6 * 3_600_000);
  t.equal(state(s)?.done_to, stopped, 'stopped: no more batches');
  t.end();
});

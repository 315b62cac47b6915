// Report roll-ups after a wall-clock step back (issue 11's clock fault): the watermark done_to only
// moves forward, so a step back computes nothing again and no hour is duplicated; calls made in the
// stepped-back time (events before done_to) mark redo_from and their hours are recomputed once,
// when the wall clock has closed them again.
import t from 'tap';
import { SYSTEM_ACTOR } from '../../../firmware/src/backoffice/common/types.js';
import { local, Shop } from './fixtures/shop.js';

t.test('a clock step back then forward: no hour rolled up twice, every call counted once', (t) => {
  const s = new Shop(local('2026-11-05', '12:00'));
  const wall = s.clock.now.bind(s.clock);
  let offset = 0;
  s.clock.now = () => wall() + offset; // the wall reading steps; timers keep their timeline
  s.login(local('2026-11-02', '08:00'), 'a1');
  for (let i = 0; i < 20; i++)
    s.call({ id: `c${i}`, at: local('2026-11-02', '09:00') + i * 1_800_000, agent: 'a1', waitS: 5, talkS: 120, wrapS: 10 });
  s.logout(local('2026-11-02', '20:00'), 'a1').flush();
  const job = s.bo.reportRollups;
  job.start();
  s.clock.advance(60_000);
  const doneTo = () => (s.db.prepare('SELECT done_to FROM report_rollup_state').get() as { done_to: number }).done_to;
  const before = doneTo();
  const offered = () => (s.db.prepare('SELECT SUM(offered) AS n FROM report_hours').get() as { n: number }).n;
  const dupes = () => s.db.prepare('SELECT hour, COUNT(*) AS n FROM report_hours GROUP BY hour HAVING n > 1').all();
  const day = () => s.bo.reports.report(SYSTEM_ACTOR, { period: 'day', date: '2026-11-02' });
  t.equal(offered(), 20, 'caught up: 20 calls');

  offset = -2 * 86_400_000; // NTP (or a technician) pulls the clock two days back
  s.clock.advance(3 * 3_600_000);
  t.equal(doneTo(), before, 'step back: the watermark does not move back');
  // a call in the stepped-back time: its hour is before done_to, so it is redone (not added twice)
  s.call({ id: 'late', at: local('2026-11-02', '21:00'), agent: 'a1', waitS: 5, talkS: 60, wrapS: 10 }).flush();
  s.clock.advance(30 * 60_000);
  // its hours are redone only as the (stepped-back) wall clock closes them again; the report reads
  // the rest from the event log, so it counts every call once meanwhile
  t.ok(offered() <= 21, `stepped back: no call counted twice in the roll-ups (${offered()})`);
  t.equal(day().calls.answered, 21, 'the day report counts the 21 calls once');
  t.same(dupes(), [], 'no hour rolled up twice');

  offset = 0; // and forward again
  s.clock.advance(2 * 3_600_000);
  t.ok(doneTo() >= before, 'the watermark goes on');
  t.equal(offered(), 21, 'forward again: the late call is in, every call counted once');
  t.equal(day().calls.answered, 21, 'and the day report too');
  t.same(dupes(), [], 'no hour rolled up twice');
  job.stop();
  t.end();
});

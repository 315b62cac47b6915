// Reports from the hourly roll-ups (schema step 19) equal the reports read from the event log:
// randomized busy days (the KPI fixtures' simulation: two queues with overflow, pauses, ring-outs,
// wrap-ups in either order, log-ins and log-outs) written identically into two boxes; box A rolls
// up (in random batches, with "restarts": new objects over the same database) and box B never
// does, so B's reports are the event-log path. Day, week and month reports — closed periods and
// the period still open at `now` — must be the same numbers, also after events appended late.
import t, { type Test } from 'tap';
import { RollupStore } from '../../firmware/src/backoffice/reports/rollup-store.js';
import {
  compareReports,
  type Ev,
  LINES,
  type Query,
  reportJson,
  shopBox,
  simulatedDays,
  writeEvents,
} from '../unit/reports/fixtures/rollup-boxes.js';
import { mulberry32 } from '../unit/kpi/fixtures/random-day.js';
import { local, type Shop } from '../unit/reports/fixtures/shop.js';

const DATES = ['2026-10-26', '2026-10-27', '2026-10-28', '2026-10-29', '2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02'];
const NOW = local('2026-11-02', '15:20');

const QUERIES: Query[] = [
  ...DATES.map((date) => ({ period: 'day' as const, date })),
  { period: 'week', date: '2026-10-28' },
  { period: 'week', date: '2026-11-02' },
  { period: 'month', date: '2026-10-15' },
  { period: 'month', date: '2026-11-02' },
];
const compare = (t: Test, a: Shop, b: Shop, what: string) => compareReports(t, a, b, QUERIES, what);

for (const seed of [1, 2]) {
  t.test(`seed ${seed}: roll-ups give the event log's reports, across restarts and late events`, (t) => {
    const a = shopBox(DATES, NOW);
    const b = shopBox(DATES, NOW);
    const evs = simulatedDays(seed, DATES, NOW);
    writeEvents(a, evs);
    writeEvents(b, evs);
    t.ok(evs.length > 1000, `${evs.length} events over ${DATES.length} days`);

    // Roll up in random batches, each with new objects over the same database (a restart).
    const rand = mulberry32(seed + 7);
    let rolled = 0;
    for (let n = -1; n !== 0; ) {
      n = new RollupStore(a.db).step(NOW, LINES, 1 + Math.floor(rand() * 30));
      rolled += n;
    }
    const closedHours = Math.floor((NOW - 86_400_000) / 3_600_000) - Math.min(...evs.map((e) => Math.floor(e.ts / 3_600_000)));
    t.equal(rolled, closedHours, 'every closed hour rolled up, none twice');
    t.ok((a.db.prepare('SELECT COUNT(*) AS n FROM report_hours').get() as { n: number }).n > 100, 'hour rows written');
    t.equal((b.db.prepare('SELECT COUNT(*) AS n FROM report_hours').get() as { n: number }).n, 0, 'box B reads the event log');
    compare(t, a, b, 'rolled up');
    // The reports of box A do read the roll-ups: a changed row changes the month.
    const month = { period: 'month' as const, date: '2026-10-15' };
    const before = reportJson(a, month);
    a.db
      .prepare('UPDATE report_hours SET offered = offered + 1000 WHERE hour = (SELECT MIN(hour) FROM report_hours WHERE offered > 0)')
      .run();
    t.equal(JSON.parse(reportJson(a, month)).calls.offered, JSON.parse(before).calls.offered + 1000, 'the month is the sum of the rows');
    a.db.prepare('UPDATE report_hours SET offered = offered - 1000 WHERE offered >= 1000').run();
    t.equal(reportJson(a, month), before);

    // Late events (stamped days ago, appended now): an abandoned call and survey answers.
    const late: Ev[] = [];
    const t0 = local('2026-10-28', '10:17:03');
    late.push({ ts: t0, type: 'call.ringing', callId: 'late-1', data: { channel: 'fxo2', kind: 'fxo' } });
    late.push({ ts: t0 + 4000, type: 'queue.enter', callId: 'late-1', data: { queue: 'sales', position: 1, priority: 0 } });
    late.push({
      ts: t0 + 40_000,
      type: 'queue.abandon',
      callId: 'late-1',
      data: { queue: 'sales', position: 1, origPosition: 1, waitMs: 36_000 },
    });
    late.push({
      ts: t0 + 41_000,
      type: 'call.ended',
      callId: 'late-1',
      data: { outcome: 'abandoned', reason: 'callerHangup', durationMs: 41_000 },
    });
    late.push({
      ts: local('2026-10-30', '16:40'),
      type: 'survey.score',
      callId: 'late-2',
      data: { queue: 'support', agent: 'a3', score: 5 },
    });
    writeEvents(a, late);
    writeEvents(b, late);
    const redo = a.db.prepare('SELECT redo_from FROM report_rollup_state').get() as { redo_from: number | null };
    t.equal(redo.redo_from, t0 - 86_400_000, 'the late call marks its day and the day before for recomputing');
    compare(t, a, b, 'late events, before the job runs again');
    new RollupStore(a.db).catchUp(NOW, LINES);
    t.equal((a.db.prepare('SELECT redo_from FROM report_rollup_state').get() as { redo_from: number | null }).redo_from, null);
    compare(t, a, b, 'late events, rolled up again');

    // Another number of lines (all lines busy changes): the roll-ups start over.
    a.config.lines = a.config.lines.slice(0, 2);
    b.config.lines = b.config.lines.slice(0, 2);
    new RollupStore(a.db).catchUp(NOW, 2);
    compare(t, a, b, 'two lines');
    t.end();
  });
}

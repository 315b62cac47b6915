// Reports from the hourly roll-ups equal the reports read from the event log, on three simulated
// days (the quick version of test/slow/report-rollups.test.ts, which runs eight days, two seeds
// and more periods): box A rolls up in random batches with new objects each time (a restart), box
// B never does; closed days, the open day, the week and the months must be the same JSON, also
// after a call appended late, before and after the job redoes its hours.
import t from 'tap';
import { RollupStore } from '../../../firmware/src/backoffice/reports/rollup-store.js';
import { mulberry32 } from '../kpi/fixtures/random-day.js';
import {
  compareReports,
  LINES,
  lateAbandonedCall,
  type Query,
  reportJson,
  shopBox,
  simulatedDays,
  writeEvents,
} from './fixtures/rollup-boxes.js';
import { local } from './fixtures/shop.js';

const DATES = ['2026-10-30', '2026-10-31', '2026-11-01'];
const NOW = local('2026-11-01', '16:10');
const QUERIES: Query[] = [
  ...DATES.map((date) => ({ period: 'day' as const, date })),
  { period: 'week', date: '2026-10-30' },
  { period: 'month', date: '2026-10-15' },
  { period: 'month', date: '2026-11-01' },
];

t.test('roll-ups give the event log reports, in random batches with restarts and after a late call', (t) => {
  const a = shopBox(DATES, NOW);
  const b = shopBox(DATES, NOW);
  const evs = simulatedDays(4, DATES, NOW);
  writeEvents(a, evs);
  writeEvents(b, evs);
  const rand = mulberry32(11);
  for (let n = -1; n !== 0; ) n = new RollupStore(a.db).step(NOW, LINES, 1 + Math.floor(rand() * 12));
  t.ok((a.db.prepare('SELECT COUNT(*) AS n FROM report_hours').get() as { n: number }).n > 20, 'box A rolled up');
  compareReports(t, a, b, QUERIES, 'rolled up');
  // Box A's month does come from the rows.
  const before = JSON.parse(reportJson(a, { period: 'month', date: '2026-10-15' })).calls.offered as number;
  a.db.prepare('UPDATE report_hours SET offered = offered + 7 WHERE hour = (SELECT MIN(hour) FROM report_hours)').run();
  t.equal(JSON.parse(reportJson(a, { period: 'month', date: '2026-10-15' })).calls.offered, before + 7);
  a.db.prepare('UPDATE report_hours SET offered = offered - 7 WHERE hour = (SELECT MIN(hour) FROM report_hours)').run();

  const late = lateAbandonedCall('late-1', local('2026-10-30', '11:05:09'));
  writeEvents(a, late);
  writeEvents(b, late);
  compareReports(t, a, b, QUERIES, 'late call, not redone yet');
  new RollupStore(a.db).catchUp(NOW, LINES);
  compareReports(t, a, b, QUERIES, 'late call, redone');
  t.end();
});

t.test('a daylight-saving change (Europe/Berlin, 25 October 2026: a 25-hour day) gives the same reports both ways', (t) => {
  const dates = ['2026-10-24', '2026-10-25', '2026-10-26'];
  const now = local('2026-10-28', '12:00');
  const a = shopBox(dates, now);
  const b = shopBox(dates, now);
  for (const s of [a, b]) s.config.shop.timezone = 'Europe/Berlin';
  const evs = simulatedDays(9, dates, now);
  writeEvents(a, evs);
  writeEvents(b, evs);
  new RollupStore(a.db).catchUp(now, LINES);
  const queries: Query[] = [...dates.map((date) => ({ period: 'day' as const, date })), { period: 'week', date: '2026-10-25' }];
  compareReports(t, a, b, queries, 'Europe/Berlin');
  t.equal(JSON.parse(reportJson(a, { period: 'day', date: '2026-10-25' })).byDay.length, 1);
  t.end();
});

// The day / week / month report over the worked example (fixtures/scenario.ts): every section
// against numbers computed by hand, and the period edges in the shop's time zone.
import t from 'tap';
import { CallboxError } from '../../../firmware/src/errors.js';
import { SYSTEM_ACTOR } from '../../../firmware/src/backoffice/common/types.js';
import { DAY, scenario } from './fixtures/scenario.js';

const SUPERVISOR = { username: 'sup', role: 'supervisor' as const };

t.test('day report: calls, by hour, agents', (t) => {
  const s = scenario();
  const r = s.bo.reports.report(SYSTEM_ACTOR, { period: 'day', date: DAY });
  t.equal(r.label, DAY);
  t.equal(r.from, '2026-11-25T16:00:00.000Z', 'local midnight in Asia/Shanghai');
  t.equal(r.to, '2026-11-26T16:00:00.000Z');
  const c = r.calls;
  // c1, c2, c3, c4 (c0 is the 25th, c5 the 27th).
  t.equal(c.offered, 4);
  t.equal(c.answered, 3);
  t.equal(c.abandoned, 1);
  t.equal(c.answerRate, 0.75);
  t.equal(c.answeredWithinThreshold, 2, 'waits 10 s and 5 s within 20 s, 30 s not');
  t.equal(c.serviceLevel, 2 / 3);
  t.equal(c.asaS, 15, '(10 + 30 + 5) / 3');
  t.equal(c.handled, 3);
  t.equal(c.ahtS, 80, '((120 + 30) + 60 + 30) / 3');
  t.equal(c.csat, 4, '(5 + 3) / 2');
  t.equal(c.csatResponses, 2);

  t.equal(r.byHour.length, 24);
  const h = (label: string) => r.byHour.find((x) => x.label === label);
  t.match(h('09:00'), { offered: 2, answered: 1, abandoned: 1, serviceLevel: 1 });
  t.match(h('14:00'), { offered: 1, answered: 1, serviceLevel: 0, asaS: 30 });
  t.match(h('23:00'), { offered: 1, answered: 1, ahtS: 30 });
  t.match(h('00:00'), { offered: 0, answered: 0, serviceLevel: null });
  t.equal(
    r.byHour.reduce((n, x) => n + x.offered, 0),
    4,
    'the hours add up to the day',
  );
  t.same(
    r.byDay.map((x) => [x.label, x.offered]),
    [[DAY, 4]],
  );

  const a1 = r.agents.find((a) => a.agent === 'a1');
  const a2 = r.agents.find((a) => a.agent === 'a2');
  t.match(a1, { name: '坐席 1', answered: 2, handled: 2, talkS: 150, ahtS: 90, csat: 5, csatResponses: 1 });
  t.match(a2, { answered: 1, handled: 1, talkS: 60, csat: 3 });
  // a1: 00:00–00:30, 08:55–18:00, 23:58–24:00 = 30 + 545 + 2 minutes.
  t.equal(a1?.loggedInS, (30 + 545 + 2) * 60);
  t.end();
});

t.test('day report: tickets and first-contact resolution', (t) => {
  const r = scenario().bo.reports.report(SYSTEM_ACTOR, { period: 'day', date: DAY });
  const k = r.tickets;
  t.equal(k.created, 4, 'T1, T2, T3, T5');
  t.equal(k.resolved, 3, 'T1, T2 and T4 (created the day before)');
  t.equal(k.meanResolutionH, (1 + 1 + 24) / 3);
  t.equal(k.meanFirstResponseMin, (5 + 30) / 2);
  t.equal(k.openAtEnd, 2, 'T3 open, T5 resolved only on the 27th');
  t.same(k.bySource, { call: 3, manual: 1 });
  t.same(
    k.byCategory.map((c) => [c.category, c.created, c.resolved]),
    [
      ['inquiry', 3, 1],
      ['usage', 1, 1],
      ['order', 0, 1],
    ],
  );
  // T1 resolved, never reopened, no further call: FCR. T2: the customer called again (c6, as
  // 013800000003 while the customer's phone is +8613800000003). T5: reopened.
  t.equal(k.fcrEligible, 3);
  t.equal(k.fcrResolved, 1);
  t.equal(k.fcrRate, 1 / 3);
  t.equal(k.fcrWindowDays, 7);
  t.end();
});

t.test('day report: sales and margin; commission unavailable with a reason', (t) => {
  const s = scenario();
  const r = s.bo.reports.report(SYSTEM_ACTOR, { period: 'day', date: DAY });
  t.match(r.sales, {
    orders: 3,
    cancelled: 1,
    returned: 1,
    grossCents: 33000,
    refundCents: 3000,
    netCents: 30000,
    costCents: 12000,
    marginCents: 18000,
    marginRate: 0.6,
    fromCalls: 1,
  });
  t.same(r.sales.bySeller, [
    { seller: 's2', orders: 1, netCents: 20000, marginCents: 12000 },
    { seller: 's1', orders: 2, netCents: 10000, marginCents: 6000 },
  ]);
  t.same(
    r.sales.topProducts.map((p) => [p.name, p.qty, p.netCents]),
    [
      ['按摩仪', 1, 20000],
      ['养生茶', 2, 10000],
    ],
  );
  t.match(r.commission, { available: false, reason: /by month/ }, 'a day report has no commission');
  const sup = s.bo.reports.report(SUPERVISOR, { period: 'day', date: DAY });
  t.match(sup.commission, { available: false, reason: /finance\.read/ }, 'a supervisor does not see the shop money');
  t.end();
});

t.test('commission: the month settlement of the finance area, or why not', (t) => {
  const s = scenario();
  const month = () => s.bo.reports.report(SYSTEM_ACTOR, { period: 'month', date: DAY }).commission;
  t.match(month(), { available: true, month: '2026-11', status: 'open', rows: [], totalCents: 0 }, 'the real finance area, nobody earned');
  const bo = s.bo as unknown as { finance: unknown };
  const people = [
    { personId: 'p1', name: '张三', referralCents: 1000, rebateCents: 200, bonusCents: 34, baseSalaryCents: 300000, totalCents: 301234 },
    { personId: 'p2', name: '李四', referralCents: 0, rebateCents: 0, bonusCents: 0, baseSalaryCents: 300000, totalCents: 300000 },
    { personId: 'p3', name: '王五', referralCents: 766, rebateCents: 0, bonusCents: 0, baseSalaryCents: 0, totalCents: 766 },
  ];
  let asked = '';
  bo.finance = {
    settlement: (_a: unknown, m: string) => {
      asked = m;
      return { month: m, status: 'closed', people };
    },
  };
  t.same(month(), {
    available: true,
    month: '2026-11',
    status: 'closed',
    rows: [
      { person: 'p1', name: '张三', referralCents: 1000, rebateCents: 200, bonusCents: 34, amountCents: 1234 },
      { person: 'p3', name: '王五', referralCents: 766, rebateCents: 0, bonusCents: 0, amountCents: 766 },
    ],
    totalCents: 2000,
  });
  t.equal(asked, '2026-11');
  t.match(s.bo.reports.report(SYSTEM_ACTOR, { period: 'week', date: DAY }).commission, { available: false, reason: /by month/ });
  bo.finance = {
    settlement: () => {
      throw new CallboxError('NOT_IMPLEMENTED', 'finance.settlement is not built yet');
    },
  };
  t.match(month(), { available: false, reason: /NOT_IMPLEMENTED/ });
  const r = s.bo.reports.report(SYSTEM_ACTOR, { period: 'month', date: DAY });
  t.equal(r.calls.offered, 7, 'the rest of the report is there');
  t.end();
});

t.test('period edges in the shop time zone', (t) => {
  const s = scenario();
  const day = (date: string) => s.bo.reports.report(SYSTEM_ACTOR, { period: 'day', date });
  t.equal(day('2026-11-25').calls.offered, 1, 'c0 at 23:59 local belongs to the 25th');
  t.equal(day('2026-11-27').calls.offered, 1, 'c5 at 00:01 local belongs to the 27th');
  const week = s.bo.reports.report(SYSTEM_ACTOR, { period: 'week', date: DAY });
  t.equal(week.label, '2026-W48');
  t.equal(week.from, '2026-11-22T16:00:00.000Z', 'Monday 2026-11-23 00:00 local');
  t.equal(week.to, '2026-11-29T16:00:00.000Z');
  t.equal(week.calls.offered, 7);
  t.same(
    week.byDay.map((x) => [x.label, x.offered]),
    [
      ['2026-11-23', 0],
      ['2026-11-24', 0],
      ['2026-11-25', 1],
      ['2026-11-26', 4],
      ['2026-11-27', 1],
      ['2026-11-28', 1],
      ['2026-11-29', 0],
    ],
  );
  t.equal(
    week.byHour.reduce((n, x) => n + x.offered, 0),
    7,
  );
  const month = s.bo.reports.report(SYSTEM_ACTOR, { period: 'month', date: '2026-11-01' });
  t.equal(month.label, '2026-11');
  t.equal(month.byDay.length, 30);
  t.equal(month.calls.offered, 7);
  t.equal(month.from, '2026-10-31T16:00:00.000Z');
  const dec = s.bo.reports.report(SYSTEM_ACTOR, { period: 'month', date: '2026-12-31' });
  t.equal(dec.calls.offered, 0);
  t.equal(dec.byDay.length, 31);
  // ISO week across a year end: 2026-12-31 is a Thursday of 2026-W53.
  t.equal(s.bo.reports.report(SYSTEM_ACTOR, { period: 'week', date: '2027-01-01' }).label, '2026-W53');
  t.end();
});

t.test('bad queries are VALIDATION_FAILED naming the field', (t) => {
  const s = scenario();
  const r = s.bo.reports;
  t.throws(() => r.report(SYSTEM_ACTOR, { period: 'day', date: '2026-02-30' }), { code: 'VALIDATION_FAILED', details: { field: 'date' } });
  t.throws(() => r.report(SYSTEM_ACTOR, { period: 'year' as 'day', date: DAY }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'period' },
  });
  t.throws(() => r.ads(SYSTEM_ACTOR, { from: '2026-11-27', to: '2026-11-26' }), { code: 'VALIDATION_FAILED', details: { field: 'to' } });
  t.throws(() => r.attendance(SYSTEM_ACTOR, { from: 'x', to: '2026-11-26' }), { code: 'VALIDATION_FAILED', details: { field: 'from' } });
  t.end();
});

t.test('agent state at the start of the period: seed window, fallback, and the KPI source agree', async (t) => {
  const { Shop, local } = await import('./fixtures/shop.js');
  const { KpiServiceImpl } = await import('../../../firmware/src/kpi/kpi-service.js');
  const s = new Shop(local('2026-11-30', '12:00'));
  s.login(local('2026-11-23', '09:00'), 'a1'); // logged in 3 days before, silent since: the fallback finds it
  s.login(local('2026-11-25', '20:00'), 'a2').logout(local('2026-11-26', '02:00'), 'a2'); // in the 26 h seed
  s.login(local('2026-10-01', '09:00'), 'a3'); // silent 56 days: beyond the fallback, taken as logged out
  s.flush();
  const r = s.bo.reports.report(SYSTEM_ACTOR, { period: 'day', date: DAY });
  const secs = (a: string) => r.agents.find((x) => x.agent === a)?.loggedInS;
  t.equal(secs('a1'), 86_400, 'a1 in all day');
  t.equal(secs('a2'), 2 * 3600, 'a2 until 02:00');
  t.equal(secs('a3'), undefined, 'a3 not seen (documented limit)');
  const kpi = new KpiServiceImpl({ db: s.db, lines: () => 3, now: () => s.clock.now() }).report({
    from: Date.parse(r.from),
    to: Date.parse(r.to),
  });
  t.same(
    kpi.byAgent.filter((a) => a.agent !== 'a3').map((a) => [a.agent, a.loggedInS]),
    [
      ['a1', 86_400],
      ['a2', 7200],
    ],
    'the same as the KPI module for a1 and a2',
  );
  t.end();
});

t.test('a daylight-saving day in Europe/Berlin has 23 hours; calls land in their local hour', async (t) => {
  const { Shop } = await import('./fixtures/shop.js');
  const s = new Shop(Date.UTC(2026, 3, 15));
  s.config.shop.timezone = 'Europe/Berlin';
  // 2026-03-29: clocks go from 02:00 to 03:00 (UTC+1 → UTC+2). 01:30 local = 00:30Z; 03:30 local = 01:30Z.
  s.login(Date.UTC(2026, 2, 28, 22), 'a1');
  s.call({ id: 'b1', at: Date.UTC(2026, 2, 29, 0, 30), agent: 'a1', waitS: 5, talkS: 30 });
  s.call({ id: 'b2', at: Date.UTC(2026, 2, 29, 1, 30), agent: 'a1', waitS: 5, talkS: 30 });
  s.call({ id: 'b3', at: Date.UTC(2026, 2, 29, 21, 59), agent: 'a1', waitS: 5, talkS: 30 }); // 23:59 local
  s.call({ id: 'b4', at: Date.UTC(2026, 2, 29, 22, 1), agent: 'a1', waitS: 5, talkS: 30 }); // 00:01 on the 30th
  s.flush();
  const r = s.bo.reports.report(SYSTEM_ACTOR, { period: 'day', date: '2026-03-29' });
  t.equal(r.from, '2026-03-28T23:00:00.000Z');
  t.equal(r.to, '2026-03-29T22:00:00.000Z');
  t.equal(Date.parse(r.to) - Date.parse(r.from), 23 * 3_600_000);
  t.equal(r.calls.offered, 3);
  const at = (label: string) => r.byHour.find((h) => h.label === label)?.offered;
  t.equal(at('01:00'), 1);
  t.equal(at('02:00'), 0, 'the hour that does not exist');
  t.equal(at('03:00'), 1);
  t.equal(at('23:00'), 1);
  const week = s.bo.reports.report(SYSTEM_ACTOR, { period: 'week', date: '2026-03-29' });
  t.equal(week.label, '2026-W13');
  t.equal(week.to, '2026-03-29T22:00:00.000Z', 'Sunday is the last day of the ISO week');
  t.end();
});

t.test('closed periods are computed once per config; open ones every time', async (t) => {
  const { Shop, local } = await import('./fixtures/shop.js');
  const s = new Shop(local('2026-11-27', '12:00')); // the 26th ended 12 h ago: still open
  s.login(local('2026-11-26', '08:00'), 'a1');
  s.call({ id: 'k1', at: local('2026-11-26', '10:00'), agent: 'a1', waitS: 5, talkS: 30 });
  s.flush();
  const day = () => s.bo.reports.report(SYSTEM_ACTOR, { period: 'day', date: DAY });
  t.equal(day().calls.offered, 1);
  // While the period is open, every report reads the log again (here: an event written late).
  s.call({ id: 'k2', at: local('2026-11-26', '11:00'), agent: 'a1', waitS: 5, talkS: 30 });
  s.flush();
  t.equal(day().calls.offered, 2, 'open: recomputed');
  s.clock.advance(36 * 3_600_000); // the 26th is closed now
  const first = day();
  t.equal(first.calls.offered, 2);
  first.byHour.length = 0;
  first.agents[0] = { ...first.agents[0], name: 'changed' } as (typeof first.agents)[number];
  const second = day();
  t.equal(second.byHour.length, 24, 'callers cannot change the cached figures');
  t.equal(second.agents[0]?.name, '坐席 1');
  (s.config.agents[0] as { name: string }).name = '王小明';
  t.equal(day().agents[0]?.name, '王小明', 'a config change is another key');
  t.end();
});

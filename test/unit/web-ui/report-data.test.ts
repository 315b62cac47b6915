// The reports page's chart data shaping (web-ui/app/src/pages/report-data.ts): series per hour,
// day, medium and agent from a report of the box's shape; empty reports have nothing to draw;
// agents join their sales and commission through the finance people (agentId), and a viewer
// without people gets null (shown "—"), never someone else's figures.
import t from 'tap';
import type { MarginsReport, Report, ReportCallRow } from '../../../firmware/src/service/types.js';
import {
  addDays,
  adChannels,
  agentChart,
  agentPerformance,
  exportHref,
  hasData,
  hourlyVolume,
  localToday,
  pointCount,
  salesAndMargin,
  salesRange,
  serviceLevelTrend,
} from '../../../web-ui/app/src/pages/report-data.js';

function row(label: string, offered = 0, answered = 0, abandoned = 0): ReportCallRow {
  return {
    label,
    offered,
    answered,
    abandoned,
    shortAbandoned: 0,
    answeredWithinThreshold: answered,
    serviceLevel: offered ? answered / offered : null,
    answerRate: offered ? answered / offered : null,
    abandonRate: offered ? abandoned / offered : null,
    asaS: null,
    handled: answered,
    ahtS: null,
  };
}

function report(period: Report['period'], over: Partial<Report> = {}): Report {
  const byHour = Array.from({ length: 24 }, (_, h) => row(`${String(h).padStart(2, '0')}:00`));
  return {
    period,
    date: '2026-11-26',
    label: '2026-11-26',
    from: '2026-11-25T16:00:00.000Z',
    to: '2026-11-26T16:00:00.000Z',
    timeZone: 'Asia/Shanghai',
    generatedAt: '2026-11-27T00:00:00.000Z',
    calls: {
      ...row(''),
      slThresholdS: 20,
      longestWaitS: null,
      attS: null,
      acwS: null,
      occupancy: null,
      csat: null,
      csatResponses: 0,
      allLinesBusyMinutes: 0,
    },
    byHour,
    byDay: [row('2026-11-26')],
    agents: [],
    tickets: {} as Report['tickets'],
    sales: {
      orders: 0,
      cancelled: 0,
      returned: 0,
      grossCents: 0,
      refundCents: 0,
      netCents: 0,
      costCents: 0,
      marginCents: 0,
      marginRate: null,
      fromCalls: 0,
      bySeller: [],
      topProducts: [],
    },
    commission: { available: false, reason: 'month reports only' },
    staffing: [],
    attendance: [],
    ads: { from: '', to: '', orderWindowDays: 7, inboundCalls: 0, unattributedCalls: 0, byCampaign: [], byMedia: [], byAiring: [] },
    ...over,
  } as Report;
}

t.test('hourly volume: 24 hours, offered as bars, answered and abandoned as lines', (t) => {
  const r = report('day');
  t.notOk(hasData(hourlyVolume(r)), 'an empty day has nothing to draw');
  r.byHour[9] = row('09:00', 3, 2, 1);
  r.byHour[14] = row('14:00', 1, 1, 0);
  const spec = hourlyVolume(r);
  t.equal(spec.labels.length, 24);
  t.equal(spec.labels[9], '09:00');
  t.same(
    spec.series.map((s) => [s.label, s.kind, s.values[9]]),
    [
      ['reports.offered', 'bar', 3],
      ['reports.answered', 'line', 2],
      ['reports.abandoned', 'line', 1],
    ],
  );
  t.ok(hasData(spec));
  t.equal(pointCount(spec), 5, 'non-zero points: 3 at 09:00, 2 at 14:00');
  t.same(spec.units, ['int']);
  t.end();
});

t.test('service level: per hour on a day report, per day (MM-DD) on a week; null where nothing was offered', (t) => {
  const day = report('day');
  day.byHour[10] = row('10:00', 4, 3, 1);
  const d = serviceLevelTrend(day);
  t.equal(d.labels.length, 24);
  t.equal(d.series[0]?.values[10], 0.75);
  t.equal(d.series[0]?.values[11], null, 'no calls: a gap, not 0 %');
  t.same(d.units, ['percent']);
  const week = report('week', { byDay: [row('2026-11-23', 2, 2), row('2026-11-24'), row('2026-11-25', 4, 1, 3)] });
  const w = serviceLevelTrend(week);
  t.same(w.labels, ['11-23', '11-24', '11-25']);
  t.same(w.series[0]?.values, [1, null, 0.25]);
  t.end();
});

t.test('ad channels: media by calls, with their orders', (t) => {
  const r = report('day');
  r.ads.byMedia = [
    { media: '湖南卫视', calls: 2, orders: 1, costCents: 500000, costPerCallCents: 250000, costPerOrderCents: 500000 },
    { media: '江苏卫视', calls: 5, orders: 0, costCents: 0, costPerCallCents: null, costPerOrderCents: null },
  ] as Report['ads']['byMedia'];
  const spec = adChannels(r.ads);
  t.same(spec.labels, ['江苏卫视', '湖南卫视'], 'most calls first');
  t.same(spec.series[0]?.values, [5, 2]);
  t.same(spec.series[1]?.values, [0, 1]);
  t.end();
});

t.test('sales and margin: net of refunds per day, in cents; the range of a day report is its week', (t) => {
  const m: MarginsReport = {
    from: '2026-11-25',
    to: '2026-11-26',
    timezone: 'Asia/Shanghai',
    days: [
      { date: '2026-11-25', orders: 0, totalCents: 0, costCents: 0, refundCents: 0, marginCents: 0 },
      { date: '2026-11-26', orders: 2, totalCents: 41200, costCents: 14000, refundCents: 1200, marginCents: 26000 },
    ],
    total: { orders: 2, totalCents: 41200, costCents: 14000, refundCents: 1200, marginCents: 26000 },
  };
  const spec = salesAndMargin(m);
  t.same(spec.labels, ['11-25', '11-26']);
  t.same(spec.series[0]?.values, [0, 40000], 'net = total − refunds');
  t.same(spec.series[1]?.values, [0, 26000]);
  t.same(spec.units, ['money']);
  t.same(salesRange(report('day')), { from: '2026-11-20', to: '2026-11-26' });
  t.same(salesRange(report('week', { byDay: [row('2026-11-23'), row('2026-11-29')] })), { from: '2026-11-23', to: '2026-11-29' });
  t.equal(addDays('2026-03-01', -1), '2026-02-28');
  t.equal(addDays('2024-12-31', 1), '2025-01-01');
  t.end();
});

t.test('agent performance: calls from the KPI rows, sales and commission through the people', (t) => {
  const agent = (id: string, name: string, answered: number) => ({
    agent: id,
    name,
    answered,
    handled: answered,
    missed: 0,
    talkS: answered * 60,
    ahtS: answered ? 70 : null,
    loggedInS: 3600,
    pausedS: 0,
    occupancy: null,
    csat: null,
    csatResponses: 0,
  });
  const r = report('month', {
    agents: [agent('a1', '小王', 3), agent('a2', '小李', 1), agent('a3', '小张', 0)],
    commission: {
      available: true,
      month: '2026-11',
      status: 'open',
      rows: [{ person: 'p1', name: '小王', referralCents: 0, rebateCents: 2000, bonusCents: 500, amountCents: 2500 }],
      totalCents: 2500,
    },
  });
  r.sales.bySeller = [
    { seller: 'p1', orders: 2, netCents: 25600, marginCents: 17600 },
    { seller: 'p9', orders: 1, netCents: 3900, marginCents: 2400 },
  ];
  const people = [
    { id: 'p1', agentId: 'a1' },
    { id: 'p2', agentId: 'a2' },
    { id: 'p9', agentId: null },
  ];
  const rows = agentPerformance(r, people);
  t.match(rows[0], { agent: 'a1', answered: 3, orders: 2, netCents: 25600, marginCents: 17600, commissionCents: 2500 });
  t.match(rows[1], { agent: 'a2', orders: 0, netCents: 0, commissionCents: 0 }, 'a linked person without sales: zero');
  t.match(rows[2], { agent: 'a3', orders: null, netCents: null, commissionCents: null }, 'no person: unknown');
  const chart = agentChart(rows);
  t.same(chart.labels, ['小王', '小李', '小张']);
  t.same(chart.series[0]?.values, [3, 1, 0]);
  t.same(chart.series[1]?.values, [25600, 0, null]);
  t.same(chart.units, ['int', 'money'], 'sales on a second (¥) axis');

  const blind = agentPerformance(r, null);
  t.ok(
    blind.every((x) => x.netCents === null && x.commissionCents === null),
    'without people (no finance.read) nothing is guessed',
  );
  t.equal(agentChart(blind).series.length, 1, 'calls only');
  t.equal(agentPerformance(report('day', { agents: r.agents }), people)[0]?.commissionCents, null, 'no commission outside month reports');
  t.end();
});

t.test('export links and today', (t) => {
  t.equal(exportHref('month', '2026-11-26', 'xlsx'), '/api/v1/reports/month?date=2026-11-26&format=xlsx');
  t.equal(localToday(new Date(2026, 0, 5, 23, 59)), '2026-01-05');
  t.end();
});

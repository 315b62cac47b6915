/**
 * The reports page's data shaping (pure: no DOM, no uPlot, so unit tests import it): a report of
 * the box (GET /api/v1/reports/:period) and the margins per day (GET /api/v1/orders/margins) →
 * the series the charts draw, and the agent performance rows (calls from the KPI module, sales and
 * commission through the finance area's people, whose `agentId` links them to an ACD agent).
 */
import type { AdsReport, MarginsReport, Person, Report, ReportPeriod } from '../../../../firmware/src/service/types.js';

/** How a chart's y values read: counts, money in cents (shown as ¥), or a ratio 0..1 (shown as %). */
export type ValueKind = 'int' | 'money' | 'percent';

export interface ChartSeries {
  /** A text key of the reports area (its label in the legend). */
  label: string;
  values: Array<number | null>;
  kind: 'bar' | 'line';
  /** Which y axis: the first (left) or the second (right, another unit). */
  axis: 0 | 1;
  color: string;
}

/** One chart: category labels along x (hours, days, media, agents) and its series. */
export interface ChartSpec {
  labels: string[];
  series: ChartSeries[];
  /** The unit of each y axis (the second only when a series uses it). */
  units: [ValueKind, ValueKind?];
}

export const COLORS = { blue: '#0b57d0', green: '#0d6b2f', red: '#a4161a', amber: '#b05a00', purple: '#6b4fbb' } as const;

/** Whether a chart has anything to draw (some value that is not 0 or null). */
export function hasData(spec: ChartSpec): boolean {
  return spec.series.some((s) => s.values.some((v) => v !== null && v !== 0));
}

/** The number of points with a value (the test and the page's data-points attribute). */
export function pointCount(spec: ChartSpec): number {
  return spec.series.reduce((n, s) => n + s.values.filter((v) => v !== null && v !== 0).length, 0);
}

/** 分时段话务量: offered as bars, answered and abandoned as lines, per local hour (00:00 … 23:00). */
export function hourlyVolume(r: Report): ChartSpec {
  return {
    labels: r.byHour.map((h) => h.label),
    series: [
      { label: 'reports.offered', values: r.byHour.map((h) => h.offered), kind: 'bar', axis: 0, color: COLORS.blue },
      { label: 'reports.answered', values: r.byHour.map((h) => h.answered), kind: 'line', axis: 0, color: COLORS.green },
      { label: 'reports.abandoned', values: r.byHour.map((h) => h.abandoned), kind: 'line', axis: 0, color: COLORS.red },
    ],
    units: ['int'],
  };
}

/**
 * 服务水平趋势: the share answered within the threshold per day (week and month reports) or per
 * hour (a day report has one day), and the answer rate; null where no call was offered.
 */
export function serviceLevelTrend(r: Report): ChartSpec {
  const rows = r.period === 'day' ? r.byHour : r.byDay;
  return {
    labels: rows.map((x) => (r.period === 'day' ? x.label : x.label.slice(5))),
    series: [
      {
        label: 'reports.serviceLevel',
        values: rows.map((x) => (x.offered ? x.serviceLevel : null)),
        kind: 'line',
        axis: 0,
        color: COLORS.blue,
      },
      {
        label: 'reports.answerRate',
        values: rows.map((x) => (x.offered ? x.answerRate : null)),
        kind: 'line',
        axis: 0,
        color: COLORS.green,
      },
    ],
    units: ['percent'],
  };
}

/** 广告渠道: calls and orders per medium (投放媒体), most calls first. */
export function adChannels(ads: AdsReport): ChartSpec {
  const rows = [...ads.byMedia].sort((a, b) => b.calls - a.calls || a.media.localeCompare(b.media));
  return {
    labels: rows.map((m) => m.media),
    series: [
      { label: 'reports.calls', values: rows.map((m) => m.calls), kind: 'bar', axis: 0, color: COLORS.blue },
      { label: 'reports.orders', values: rows.map((m) => m.orders), kind: 'bar', axis: 0, color: COLORS.amber },
    ],
    units: ['int'],
  };
}

/** 销售额与毛利 per local day: net sales (total − refunds) and the margin, cents. */
export function salesAndMargin(m: MarginsReport): ChartSpec {
  return {
    labels: m.days.map((d) => d.date.slice(5)),
    series: [
      { label: 'reports.netSales', values: m.days.map((d) => d.totalCents - d.refundCents), kind: 'bar', axis: 0, color: COLORS.blue },
      { label: 'reports.margin', values: m.days.map((d) => d.marginCents), kind: 'bar', axis: 0, color: COLORS.green },
    ],
    units: ['money'],
  };
}

/** Adds `days` to a date "YYYY-MM-DD" (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The local days the sales chart covers: the report's days, or the 7 days ending on a day report's day. */
export function salesRange(r: Report): { from: string; to: string } {
  if (r.period === 'day' || r.byDay.length === 0) return { from: addDays(r.date, -6), to: r.date };
  return { from: r.byDay[0]?.label ?? r.date, to: r.byDay[r.byDay.length - 1]?.label ?? r.date };
}

export interface AgentPerformance {
  agent: string;
  name: string;
  answered: number;
  handled: number;
  missed: number;
  ahtS: number | null;
  talkS: number;
  /** Sales credited to the agent's person (null: no person linked, or the viewer may not see people). */
  orders: number | null;
  netCents: number | null;
  marginCents: number | null;
  /** The month's commission (month reports, owner); null otherwise. */
  commissionCents: number | null;
}

/**
 * Agent performance (坐席绩效): the report's agent rows, joined through the people of the finance
 * area (`agentId`) to the sales by seller and the month's commission. Without people (a role
 * without finance.read) the sales and commission stay null.
 */
export function agentPerformance(r: Report, people: readonly Pick<Person, 'id' | 'agentId'>[] | null): AgentPerformance[] {
  const personOf = new Map<string, string>();
  for (const p of people ?? []) if (p.agentId) personOf.set(p.agentId, p.id);
  const sales = new Map(r.sales.bySeller.map((s) => [s.seller, s]));
  const commission = r.commission.available ? new Map(r.commission.rows.map((c) => [c.person, c.amountCents])) : null;
  return r.agents.map((a) => {
    const person = personOf.get(a.agent);
    const s = person ? sales.get(person) : undefined;
    const known = people !== null && person !== undefined;
    return {
      agent: a.agent,
      name: a.name,
      answered: a.answered,
      handled: a.handled,
      missed: a.missed,
      ahtS: a.ahtS,
      talkS: a.talkS,
      orders: known ? (s?.orders ?? 0) : null,
      netCents: known ? (s?.netCents ?? 0) : null,
      marginCents: known ? (s?.marginCents ?? 0) : null,
      commissionCents: known && commission ? (commission.get(person) ?? 0) : null,
    };
  });
}

/** 坐席绩效 chart: calls answered (left axis) and net sales (right axis, when known) per agent. */
export function agentChart(rows: readonly AgentPerformance[]): ChartSpec {
  const withSales = rows.some((r) => r.netCents !== null);
  const series: ChartSeries[] = [
    { label: 'reports.answered', values: rows.map((r) => r.answered), kind: 'bar', axis: 0, color: COLORS.blue },
  ];
  if (withSales) series.push({ label: 'reports.netSales', values: rows.map((r) => r.netCents), kind: 'bar', axis: 1, color: COLORS.green });
  return { labels: rows.map((r) => r.name || r.agent), series, units: withSales ? ['int', 'money'] : ['int'] };
}

/** The export links of a report (the API streams the file; CSV has a BOM for Excel). */
export function exportHref(period: ReportPeriod, date: string, format: 'csv' | 'xlsx' | 'html'): string {
  return `/api/v1/reports/${period}?date=${encodeURIComponent(date)}&format=${format}`;
}

/** Today in the browser's time zone as "YYYY-MM-DD". */
export function localToday(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

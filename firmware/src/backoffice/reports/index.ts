/**
 * The reports area (报表): day / week / month reports from the event log (through the KPI module),
 * tickets, orders and finance; advertising attribution; shifts and attendance; CSV/XLSX/HTML.
 */
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor } from '../common/types.js';
import { adsReport } from './ad-attribution.js';
import { AdStore } from './ad-store.js';
import { attendanceRows, staffingRows } from './attendance.js';
import { CallFigures } from './call-figures.js';
import { commissionSection } from './commission.js';
import { exportFile } from './exports.js';
import { invalid, iso } from './input.js';
import { LocalCalendar, dateOf, parseDate, periodRange } from './period.js';
import { reportTables } from './report-tables.js';
import { SalesFigures } from './sales-figures.js';
import { ShiftStore, shiftSpan } from './shift-store.js';
import { TicketFigures } from './ticket-figures.js';
import type { AdsReport, AttendanceRow, Report, ReportPeriod, ReportsService } from './types.js';

const PERIODS: readonly ReportPeriod[] = ['day', 'week', 'month'];
const FORMATS = ['csv', 'xlsx', 'html'] as const;
/** Ads and attendance ranges: at most this many days. */
const MAX_RANGE_DAYS = 366;

export function createReports(deps: BackOfficeDeps): ReportsService {
  let cal: LocalCalendar | null = null;
  const calendar = (): LocalCalendar => {
    const tz = deps.config().shop.timezone;
    if (!cal || cal.timeZone !== tz) cal = new LocalCalendar(tz);
    return cal;
  };
  const ads = new AdStore(deps, calendar);
  const shifts = new ShiftStore(deps, calendar);
  let figures: { calls: CallFigures; tickets: TicketFigures; sales: SalesFigures } | null = null;
  const fig = () => {
    figures ??= { calls: new CallFigures(deps.db), tickets: new TicketFigures(deps.db), sales: new SalesFigures(deps.db) };
    return figures;
  };
  const country = () => deps.config().shop.country;

  const dateRange = (q: { from: string; to: string }) => {
    const first = parseDate(q.from, 'from');
    const last = parseDate(q.to, 'to');
    if (last < first) throw invalid('to', 'must not be before from');
    if (last - first + 1 > MAX_RANGE_DAYS) throw invalid('to', `must be at most ${MAX_RANGE_DAYS} days after from`);
    return { first, last, ...calendar().dateRange(first, last) };
  };

  const adsOf = (first: number, last: number, from: number, to: number): AdsReport =>
    adsReport(deps.db, { from, to, fromDate: dateOf(first), toDate: dateOf(last), country: country() });

  const report = (actor: Actor, q: { period: ReportPeriod; date: string }): Report => {
    if (!PERIODS.includes(q.period)) throw invalid('period', `must be one of ${PERIODS.join(', ')}`);
    const c = calendar();
    const range = periodRange(c, q.period, q.date);
    const now = deps.clock.now();
    const config = deps.config();
    const f = fig();
    const agentNames = new Map(config.agents.map((a) => [a.id, a.name]));
    const callSections = f.calls.compute(range, c, { lines: config.lines.length, now, agentNames });
    const firstDay = range.days[0] as number;
    const lastDay = range.days[range.days.length - 1] as number;
    const shiftRows = shifts.rows({ from: dateOf(firstDay), to: dateOf(lastDay) });
    const presence = callSections.presence;
    return {
      period: q.period,
      date: q.date,
      label: range.label,
      from: iso(range.from),
      to: iso(range.to),
      timeZone: c.timeZone,
      generatedAt: iso(now),
      calls: callSections.calls,
      byHour: callSections.byHour,
      byDay: callSections.byDay,
      agents: callSections.agents,
      tickets: f.tickets.compute(range.from, range.to, country()),
      sales: f.sales.compute(range.from, range.to),
      commission: commissionSection(deps.areas().finance, actor, q.period, dateOf(firstDay).slice(0, 7)),
      staffing: staffingRows(
        c,
        callSections.staffing,
        range,
        now,
        presence,
        shiftRows.map((s) => shiftSpan(c, s)),
      ),
      attendance: attendanceRows(deps.db, c, shiftRows, now, presence),
      ads: adsOf(firstDay, lastDay, range.from, range.to),
      qa: deps
        .areas()
        .qa.agentRows(range.from, range.to)
        .map((x) => ({ ...x, name: agentNames.get(x.agent) ?? x.agent })),
    };
  };

  return {
    report,
    async exportReport(actor, q) {
      if (!(FORMATS as readonly string[]).includes(q.format)) throw invalid('format', `must be one of json, ${FORMATS.join(', ')}`);
      const r = report(actor, q);
      return exportFile(reportTables(r), r, q.format, deps.config().shop.name);
    },
    ads(_actor, q) {
      const r = dateRange(q);
      return adsOf(r.first, r.last, r.from, r.to);
    },
    attendance(_actor, q): AttendanceRow[] {
      dateRange(q);
      return attendanceRows(deps.db, calendar(), shifts.rows(q), deps.clock.now());
    },
    listCampaigns: () => ads.listCampaigns(),
    getCampaign: (_a, id) => ads.getCampaign(id),
    createCampaign: (a, input) => ads.createCampaign(a, input),
    updateCampaign: (a, id, patch) => ads.updateCampaign(a, id, patch),
    deleteCampaign: (a, id) => ads.deleteCampaign(a, id),
    listAirings: (_a, q) => ads.listAirings(q),
    getAiring: (_a, id) => ads.getAiring(id),
    createAiring: (a, input) => ads.createAiring(a, input),
    updateAiring: (a, id, patch) => ads.updateAiring(a, id, patch),
    deleteAiring: (a, id) => ads.deleteAiring(a, id),
    listSpend: (_a, q) => ads.listSpend(q),
    getSpend: (_a, id) => ads.getSpend(id),
    createSpend: (a, input) => ads.createSpend(a, input),
    updateSpend: (a, id, patch) => ads.updateSpend(a, id, patch),
    deleteSpend: (a, id) => ads.deleteSpend(a, id),
    listShifts: (_a, q) => shifts.list(q),
    getShift: (_a, id) => shifts.get(id),
    createShift: (a, input) => shifts.create(a, input),
    updateShift: (a, id, patch) => shifts.update(a, id, patch),
    deleteShift: (a, id) => shifts.delete(a, id),
  };
}

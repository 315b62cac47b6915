/**
 * The call sections of a report, all from the KPI module (firmware/src/kpi, docs/kpis.md): the
 * period's events are read once from the event log (ReportEventSource), then computeKpis runs over
 * the whole period (totals, agents), in the same pass per local hour (volume by hour; a day is its
 * hours: computeKpisByBucket), and staffingAdvice gives the Erlang advice per weekday×hour. Counts follow the KPI module's
 * counting events, so hours and days add up to the period.
 */
import type { TypedEvent } from '../../events/catalog.js';
import { computeKpisByBucket } from '../../kpi/compute.js';
import { staffingAdvice } from '../../kpi/erlang.js';
import { LOOKAHEAD_MS } from '../../kpi/source.js';
import type { KpiReport, StaffingAdvice } from '../../kpi/types.js';
import type { Database } from '../../store/db.js';
import { type Presence, presenceFrom } from './attendance.js';
import { ReportEventSource } from './report-events.js';
import { figures, hourBuckets, RowSum } from './report-rows.js';
import { sectionsFromRollups } from './rollup-figures.js';
import { RollupStore } from './rollup-store.js';
import { dateOf, type LocalCalendar, type PeriodRange } from './period.js';
import type { ReportAgentRow, ReportCallRow, ReportCalls } from './types.js';

export interface CallSections {
  calls: ReportCalls;
  byHour: ReportCallRow[];
  byDay: ReportCallRow[];
  agents: ReportAgentRow[];
  staffing: StaffingAdvice;
  /** The agents' logged-in intervals from the events read (the period's, its seed and what closes it). */
  presence: Presence;
}

/** Closed periods kept (their figures never change: the event log is append-only). */
const CACHE_SIZE = 12;

export class CallFigures {
  private source: ReportEventSource | null = null;
  private rollups: RollupStore | null = null;
  private readonly cache = new Map<string, CallSections>();

  constructor(private readonly db: Database) {}

  /**
   * The call sections of the period. A period that ended more than LOOKAHEAD_MS ago (every event
   * that can touch it is written) is computed once per config (zone, lines, agents) and kept.
   */
  compute(range: PeriodRange, cal: LocalCalendar, opts: { lines: number; now: number; agentNames: Map<string, string> }): CallSections {
    const closed = opts.now >= range.to + LOOKAHEAD_MS;
    const key = JSON.stringify([range.from, range.to, cal.timeZone, opts.lines, [...opts.agentNames]]);
    const hit = closed ? this.cache.get(key) : undefined;
    if (hit) return structuredClone(hit);
    this.rollups ??= new RollupStore(this.db);
    const out = sectionsFromRollups(this.rollups, range, cal, opts) ?? this.computeNow(range, cal, opts);
    if (closed) {
      this.cache.set(key, structuredClone(out));
      if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    }
    return out;
  }

  private computeNow(
    range: PeriodRange,
    cal: LocalCalendar,
    opts: { lines: number; now: number; agentNames: Map<string, string> },
  ): CallSections {
    this.source ??= new ReportEventSource(this.db);
    const events = this.source.read(range, [...opts.agentNames.keys()]);
    const kpi = { lines: opts.lines, now: opts.now };
    // Every local hour of the period as a bucket: one pass gives the period and its hours.
    const { buckets, slots } = hourBuckets(range, cal);
    const { report: total, buckets: perHour } = computeKpisByBucket(events, { from: range.from, to: range.to }, kpi, buckets);
    const hours = Array.from({ length: 24 }, () => new RowSum());
    const days = range.days.map(() => new RowSum());
    for (const [i, k] of perHour.entries()) {
      const { day, hour } = slots[i] as { day: number; hour: number };
      (hours[hour] as RowSum).add(k);
      (days[day] as RowSum).add(k);
    }
    const byDay = days.map((d, i) => d.row(dateOf(range.days[i] as number)));
    const staffing = staffingAdvice(events, { from: range.from, to: range.to }, { ...kpi, timeZone: cal.timeZone });
    return {
      calls: {
        ...figures(total),
        slThresholdS: total.slThresholdS,
        longestWaitS: total.longestWaitS,
        attS: total.attS,
        acwS: total.acwS,
        occupancy: total.occupancy,
        csat: total.csat,
        csatResponses: total.csatResponses,
        allLinesBusyMinutes: total.allLinesBusyMinutes,
      },
      byHour: hours.map((s, h) => s.row(`${String(h).padStart(2, '0')}:00`)),
      byDay,
      agents: agentRows(total, events, range, opts.agentNames),
      staffing,
      presence: presenceFrom(events, range.from),
    };
  }
}

/** The KPI module's byAgent with the agent's name and CSAT (survey.score events naming the agent). */
function agentRows(total: KpiReport, events: TypedEvent[], range: PeriodRange, names: Map<string, string>): ReportAgentRow[] {
  const csat = new Map<string, { sum: number; n: number }>();
  for (const e of events) {
    if (e.type !== 'survey.score' || e.ts < range.from || e.ts >= range.to) continue;
    const d = e.data as { agent?: unknown; score?: unknown };
    if (typeof d.agent !== 'string' || typeof d.score !== 'number' || d.score < 1 || d.score > 5) continue;
    const c = csat.get(d.agent) ?? { sum: 0, n: 0 };
    c.sum += d.score;
    c.n++;
    csat.set(d.agent, c);
  }
  return total.byAgent.map((a) => {
    const c = csat.get(a.agent);
    return {
      agent: a.agent,
      name: names.get(a.agent) ?? a.agent,
      answered: a.answered,
      handled: a.handled,
      missed: a.missed,
      talkS: a.talkS,
      ahtS: a.ahtS,
      loggedInS: a.loggedInS,
      pausedS: a.pausedS,
      occupancy: a.occupancy,
      csat: c ? c.sum / c.n : null,
      csatResponses: c?.n ?? 0,
    };
  });
}

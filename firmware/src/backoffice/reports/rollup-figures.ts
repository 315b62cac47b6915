/**
 * A report's call sections from the hourly roll-ups (rollup-store.ts): the period's hours summed
 * (closed hours from `report_hours` / `report_agent_hours`, the open ones — the last day or so,
 * and any hour a late event made stale — computed from the event log by the same code), instead
 * of reading the period's events. The sums are exactly the counters the one-pass computation
 * keeps, so the figures are the same numbers (test/unit/reports/rollups.test.ts checks it against
 * the event-log path, randomized). Used only when the shop's zone has whole-hour offsets over the
 * period (every local hour is a UTC hour); otherwise, or when too many hours are not rolled up
 * yet, the caller reads the events (call-figures.ts).
 */
import { CallCounter, ratio, seconds } from '../../kpi/call-counter.js';
import { type StaffingSlotSums, staffingFromSlots } from '../../kpi/erlang.js';
import { WEEK_SLOTS } from '../../kpi/local-time.js';
import { LOOKAHEAD_MS } from '../../kpi/source.js';
import { KPI_DEFAULTS } from '../../kpi/types.js';
import { HOUR_MS } from '../../store/event-window.js';
import type { Presence } from './attendance.js';
import type { CallSections } from './call-figures.js';
import type { AgentHourRow, HourRow } from './hour-rows.js';
import { dateOf, type LocalCalendar, type PeriodRange } from './period.js';
import { SEED_MS } from './report-events.js';
import { figures, hourBuckets, RowSum } from './report-rows.js';
import type { RollupStore } from './rollup-store.js';
import type { ReportAgentRow } from './types.js';

/** At most this many hours of a report are computed from the event log; more and the caller reads the events in one pass. */
export const MAX_OPEN_HOURS = 72;

function add(c: CallCounter, r: HourRow): void {
  c.offered += r.offered;
  c.answered += r.answered;
  c.abandoned += r.abandoned;
  c.shortAbandoned += r.shortAbandoned;
  c.timedOut += r.timedOut;
  c.overflowed += r.overflowed;
  c.answeredWithinThreshold += r.withinSl;
  c.waitSumMs += r.waitMs;
  if (r.longestWaitMs !== null && (c.longestWaitMs === null || r.longestWaitMs > c.longestWaitMs)) c.longestWaitMs = r.longestWaitMs;
  c.handled += r.handled;
  c.talkSumMs += r.talkMs;
  c.wrapSumMs += r.wrapMs;
}

/** Is every local hour of [from, to) one UTC hour (a zone with whole-hour offsets over the range)? */
function aligned(cal: LocalCalendar, range: PeriodRange): boolean {
  if (range.from % HOUR_MS !== 0 || range.to % HOUR_MS !== 0) return false;
  for (let t = range.from; t < range.to; t += HOUR_MS) if (cal.hours.offsetMs(t) % HOUR_MS !== 0) return false;
  return true;
}

interface AgentSum {
  answered: number;
  handled: number;
  missed: number;
  talkMs: number;
  wrapMs: number;
  loggedInMs: number;
  pausedMs: number;
  workMs: number;
  csatSum: number;
  csatN: number;
}

export function sectionsFromRollups(
  store: RollupStore,
  range: PeriodRange,
  cal: LocalCalendar,
  opts: { lines: number; now: number; agentNames: Map<string, string> },
): CallSections | null {
  if (!aligned(cal, range)) return null;
  const nowHour = Math.floor(opts.now / HOUR_MS) + 1; // hours from here on have no events yet
  const p0 = range.from / HOUR_MS;
  const p1 = range.to / HOUR_MS;
  const w0 = Math.floor((range.from - SEED_MS) / HOUR_MS);
  const w1 = Math.max(w0, Math.min(Math.ceil((range.to + LOOKAHEAD_MS) / HOUR_MS), nowHour));
  const covered = store.coveredTo(opts.lines);
  const split = Math.max(w0, Math.min(covered, w1));
  if (w1 - split > MAX_OPEN_HOURS) return null;
  const rolled = store.read(w0, split);
  const open = split < w1 ? store.compute(split, w1, opts.lines, opts.now) : { hours: [], agents: [] };
  const hours = [...rolled.hours, ...open.hours].filter((h) => h.hour >= p0 && h.hour < p1);
  const agentRows = [...rolled.agents, ...open.agents];

  // Totals, the local hours (buckets: a repeated hour joins the one before) and days.
  const { buckets, slots } = hourBuckets(range, cal);
  const total = new CallCounter(0, 0);
  const perBucket = buckets.map(() => new CallCounter(0, 0));
  let b = 0;
  let allBusyMs = 0;
  let csatSum = 0;
  let csatN = 0;
  const sums: StaffingSlotSums = {
    observedMs: new Float64Array(WEEK_SLOTS),
    busyMs: new Float64Array(WEEK_SLOTS),
    offered: new Float64Array(WEEK_SLOTS),
    handled: new Float64Array(WEEK_SLOTS),
    handleMs: new Float64Array(WEEK_SLOTS),
    handledAll: 0,
    handleMsAll: 0,
  };
  for (const h of hours) {
    const ts = h.hour * HOUR_MS;
    while (b < buckets.length && (buckets[b]?.to as number) <= ts) b++;
    add(total, h);
    if (b < buckets.length) add(perBucket[b] as CallCounter, h);
    allBusyMs += h.allBusyMs;
    csatSum += h.csatSum;
    csatN += h.csatN;
    const slot = cal.hours.slotOf(ts);
    sums.busyMs[slot] = (sums.busyMs[slot] as number) + h.allBusyMs;
    sums.offered[slot] = (sums.offered[slot] as number) + h.entries;
    sums.handled[slot] = (sums.handled[slot] as number) + h.handled;
    sums.handleMs[slot] = (sums.handleMs[slot] as number) + h.talkMs + h.wrapMs;
    sums.handledAll += h.handled;
    sums.handleMsAll += h.talkMs + h.wrapMs;
  }
  const end = Math.max(range.from, Math.min(range.to, opts.now));
  cal.hours.split(range.from, end, (slot, ms) => {
    sums.observedMs[slot] = (sums.observedMs[slot] as number) + ms;
  });
  const byHour = Array.from({ length: 24 }, () => new RowSum());
  const byDay = range.days.map(() => new RowSum());
  for (const [i, c] of perBucket.entries()) {
    const { day, hour } = slots[i] as { day: number; hour: number };
    const k = c.figures();
    (byHour[hour] as RowSum).add(k);
    (byDay[day] as RowSum).add(k);
  }

  // Agents: sums over the period's hours, in the KPI module's order (by id).
  const agentSums = new Map<string, AgentSum>();
  for (const r of agentRows) {
    if (r.hour < p0 || r.hour >= p1) continue;
    const a = agentSums.get(r.agent) ?? {
      answered: 0,
      handled: 0,
      missed: 0,
      talkMs: 0,
      wrapMs: 0,
      loggedInMs: 0,
      pausedMs: 0,
      workMs: 0,
      csatSum: 0,
      csatN: 0,
    };
    a.answered += r.answered;
    a.handled += r.handled;
    a.missed += r.missed;
    a.talkMs += r.talkMs;
    a.wrapMs += r.wrapMs;
    a.loggedInMs += r.loggedInMs;
    a.pausedMs += r.pausedMs;
    a.workMs += r.onCallMs + r.wrapUpMs;
    a.csatSum += r.csatSum;
    a.csatN += r.csatN;
    agentSums.set(r.agent, a);
  }
  const agents: ReportAgentRow[] = [];
  let busyMs = 0;
  let availableMs = 0;
  for (const agent of [...agentSums.keys()].sort()) {
    const a = agentSums.get(agent) as AgentSum;
    if (a.loggedInMs === 0 && a.answered === 0 && a.handled === 0 && a.missed === 0) continue;
    busyMs += a.workMs;
    availableMs += a.loggedInMs - a.pausedMs;
    agents.push({
      agent,
      name: opts.agentNames.get(agent) ?? agent,
      answered: a.answered,
      handled: a.handled,
      missed: a.missed,
      talkS: a.talkMs / 1000,
      ahtS: seconds(ratio(a.talkMs + a.wrapMs, a.handled)),
      loggedInS: a.loggedInMs / 1000,
      pausedS: a.pausedMs / 1000,
      occupancy: ratio(a.workMs, a.loggedInMs - a.pausedMs),
      csat: a.csatN > 0 ? a.csatSum / a.csatN : null,
      csatResponses: a.csatN,
    });
  }

  const t = total.figures();
  return {
    calls: {
      ...figures(t),
      slThresholdS: KPI_DEFAULTS.slThresholdS,
      longestWaitS: t.longestWaitS,
      attS: t.attS,
      acwS: t.acwS,
      occupancy: ratio(busyMs, availableMs),
      csat: ratio(csatSum, csatN),
      csatResponses: csatN,
      allLinesBusyMinutes: opts.lines > 0 ? allBusyMs / 60_000 : null,
    },
    byHour: byHour.map((s, h) => s.row(`${String(h).padStart(2, '0')}:00`)),
    byDay: byDay.map((d, i) => d.row(dateOf(range.days[i] as number))),
    agents,
    staffing: staffingFromSlots(sums, { from: range.from, to: range.to }, { lines: opts.lines, now: opts.now, timeZone: cal.timeZone }),
    presence: presenceOf(agentRows, w0 * HOUR_MS, w1 * HOUR_MS, range.from),
  };
}

/**
 * Logged-in intervals from the hours' pieces, joined across hour ends, as attendance.presenceFrom
 * gives them for a report's events: an agent logged in when the window opens is logged in from
 * `since`; an interval still open when the window closes has no end.
 */
function presenceOf(rows: readonly AgentHourRow[], start: number, end: number, since: number): Presence {
  const out: Presence = new Map();
  for (const r of rows) {
    const list = out.get(r.agent) ?? [];
    out.set(r.agent, list);
    for (const [a, b] of r.presence) {
      const last = list[list.length - 1];
      if (last && last[1] === a) last[1] = b;
      else list.push([a, b]);
    }
  }
  for (const [agent, list] of out) {
    const kept: Array<[number, number]> = [];
    for (const [a, b] of list) {
      const lo = a === start ? since : a;
      const hi = b >= end ? Number.POSITIVE_INFINITY : b;
      if (hi > lo) kept.push([lo, hi]);
    }
    out.set(agent, kept);
  }
  return out;
}

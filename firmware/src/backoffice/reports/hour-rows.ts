/**
 * The hourly roll-up rows (schema step 19): for each UTC hour, the call figures as sums that add
 * up across hours (counts, summed milliseconds, the longest wait), and per agent its counts, state
 * times, CSAT sums and logged-in pieces. Computed by the KPI module itself — computeKpis over the
 * hour's own range — from a superset of the events (a KpiEventSource read of a batch of hours),
 * so an hour's row is exactly what a report over that hour counts, and a period's figures are the
 * sum of its hours' rows (every count belongs to the hour of its counting event; state times and
 * all-lines-busy time are clipped to the hour).
 */
import type { TypedEvent } from '../../events/catalog.js';
import { computeKpis } from '../../kpi/compute.js';
import type { KpiReport } from '../../kpi/types.js';
import { HOUR_MS } from '../../store/event-window.js';
import { presenceFrom } from './attendance.js';

export interface HourRow {
  /** UTC hour number: ts div 3 600 000. */
  hour: number;
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  timedOut: number;
  overflowed: number;
  withinSl: number;
  waitMs: number;
  longestWaitMs: number | null;
  handled: number;
  talkMs: number;
  wrapMs: number;
  /** Every queue.enter (an overflowed call enters twice): the staffing demand. */
  entries: number;
  allBusyMs: number;
  csatSum: number;
  csatN: number;
}

export interface AgentHourRow {
  hour: number;
  agent: string;
  answered: number;
  handled: number;
  missed: number;
  talkMs: number;
  wrapMs: number;
  loggedInMs: number;
  pausedMs: number;
  onCallMs: number;
  wrapUpMs: number;
  csatSum: number;
  csatN: number;
  /** Logged-in pieces [start, end) within the hour, ms since the epoch. */
  presence: Array<[number, number]>;
}

/** Back from a mean to the sum it was made of (the sums are whole milliseconds or scores). */
const sum = (mean: number | null, n: number, unit = 1): number => (mean === null ? 0 : Math.round(mean * unit * n));

function hourRow(hour: number, r: KpiReport): HourRow {
  return {
    hour,
    offered: r.offered,
    answered: r.answered,
    abandoned: r.abandoned,
    shortAbandoned: r.shortAbandoned,
    timedOut: r.timedOut,
    overflowed: r.overflowed,
    withinSl: r.answeredWithinThreshold,
    waitMs: sum(r.asaS, r.answered, 1000),
    longestWaitMs: r.longestWaitS === null ? null : Math.round(r.longestWaitS * 1000),
    handled: r.handled,
    talkMs: sum(r.attS, r.handled, 1000),
    wrapMs: sum(r.acwS, r.handled, 1000),
    entries: r.byQueue.reduce((n, q) => n + q.offered, 0),
    allBusyMs: r.allLinesBusyMinutes === null ? 0 : Math.round(r.allLinesBusyMinutes * 60_000),
    csatSum: sum(r.csat, r.csatResponses),
    csatN: r.csatResponses,
  };
}

const isEmpty = (h: HourRow): boolean =>
  h.offered + h.answered + h.abandoned + h.timedOut + h.overflowed + h.handled + h.entries + h.allBusyMs + h.csatN === 0 &&
  h.longestWaitMs === null;

/**
 * The rows of `hours` (UTC hour numbers, ascending) from `events`, a KPI read covering them (seed,
 * range, lookahead) in seq order; `since` is where that read's range starts (the state at `since`
 * is known from the seed). Hours without calls or agents give no row.
 */
export function hourRows(
  events: readonly TypedEvent[],
  hours: readonly number[],
  opts: { lines: number; now: number; since: number },
): { hours: HourRow[]; agents: AgentHourRow[] } {
  const out: HourRow[] = [];
  const agents: AgentHourRow[] = [];
  const csat = agentCsat(events);
  const presence = presenceFrom(events, opts.since);
  const pieces = (agent: string, from: number, to: number): Array<[number, number]> => {
    const list: Array<[number, number]> = [];
    for (const [a, b] of presence.get(agent) ?? []) {
      const lo = Math.max(a, from);
      const hi = Math.min(b, to);
      if (hi > lo) list.push([lo, hi]);
    }
    return list;
  };
  for (const hour of hours) {
    const from = hour * HOUR_MS;
    const to = from + HOUR_MS;
    const r = computeKpis(events, { from, to }, { lines: opts.lines, now: opts.now });
    const row = hourRow(hour, r);
    if (!isEmpty(row)) out.push(row);
    const seen = new Set<string>();
    for (const a of r.byAgent) {
      seen.add(a.agent);
      const c = csat.get(hour)?.get(a.agent);
      agents.push({
        hour,
        agent: a.agent,
        answered: a.answered,
        handled: a.handled,
        missed: a.missed,
        talkMs: Math.round(a.talkS * 1000),
        wrapMs: sum(a.acwS, a.handled, 1000),
        loggedInMs: Math.round(a.loggedInS * 1000),
        pausedMs: Math.round(a.pausedS * 1000),
        onCallMs: Math.round(a.onCallS * 1000),
        wrapUpMs: Math.round(a.wrapUpS * 1000),
        csatSum: c?.sum ?? 0,
        csatN: c?.n ?? 0,
        presence: pieces(a.agent, from, to),
      });
    }
    // Agents with survey answers or logged-in pieces but no KPI figures in the hour.
    const extra = new Set<string>([...(csat.get(hour)?.keys() ?? [])]);
    for (const agent of presence.keys()) extra.add(agent);
    for (const agent of extra) {
      if (seen.has(agent)) continue;
      const c = csat.get(hour)?.get(agent);
      const p = pieces(agent, from, to);
      if (!c && p.length === 0) continue;
      agents.push({
        hour,
        agent,
        answered: 0,
        handled: 0,
        missed: 0,
        talkMs: 0,
        wrapMs: 0,
        loggedInMs: 0,
        pausedMs: 0,
        onCallMs: 0,
        wrapUpMs: 0,
        csatSum: c?.sum ?? 0,
        csatN: c?.n ?? 0,
        presence: p,
      });
    }
  }
  return { hours: out, agents };
}

/** survey.score answers naming an agent (1–5), per hour and agent: what a report's agent CSAT reads. */
function agentCsat(events: readonly TypedEvent[]): Map<number, Map<string, { sum: number; n: number }>> {
  const out = new Map<number, Map<string, { sum: number; n: number }>>();
  for (const e of events) {
    if (e.type !== 'survey.score') continue;
    const d = e.data as { agent?: unknown; score?: unknown };
    if (typeof d.agent !== 'string' || typeof d.score !== 'number' || d.score < 1 || d.score > 5) continue;
    const hour = Math.floor(e.ts / HOUR_MS);
    const m = out.get(hour) ?? new Map<string, { sum: number; n: number }>();
    out.set(hour, m);
    const c = m.get(d.agent) ?? { sum: 0, n: 0 };
    c.sum += d.score;
    c.n++;
    m.set(d.agent, c);
  }
  return out;
}

/**
 * Erlang C staffing advice per hour of the week, corrected for the shop's finite number of lines.
 *
 * The model (docs/kpis.md explains it at length):
 *
 * 1. Demand. Per weekday×hour slot (local time), the observed queue arrivals per hour
 *    (queue.enter ÷ hours of that slot in the range, so four Mondays 10:00 give a mean over four
 *    hours) and the mean handle time (talk + wrap-up; the slot's own calls, else the range's).
 *    Callers who found every line busy got a busy tone from the exchange and never reached the box,
 *    so they are missing from the log. Poisson arrivals see time averages (PASTA): the fraction of
 *    the slot's time during which every line was busy is the fraction of callers who were blocked.
 *    The true arrival rate is estimated as observed ÷ (1 − busy fraction) (the fraction is capped at
 *    0.95 so a saturated hour does not divide by zero).
 *
 * 2. Queue. Agents are servers and lines are the room: a caller holds a line while waiting and
 *    while talking, so at most `lines` callers are in the system at once. That is the M/M/N/K queue
 *    (Erlang C with a finite waiting room, K = lines): an arrival that finds K callers in the system
 *    is blocked, the others wait first-come-first-served for one of N agents. With K → ∞ it is
 *    plain Erlang C; with N ≥ K nobody waits and the blocking is Erlang B(K, A). The handle time
 *    includes wrap-up, during which the caller has already released the line, so the model holds
 *    lines a little longer than reality: a conservative error. Abandonment is not modelled (Erlang
 *    C's classic simplification), which also errs on the side of more agents.
 *
 * 3. Advice. The smallest N such that the fraction of all callers — blocked ones count as not
 *    answered — answered within the threshold reaches the target: (1 − P_block) × P(wait ≤ T) ≥
 *    target. When no N can reach it (even with one agent per line, Erlang B blocking is too high),
 *    the slot is flagged `linesLimited` and the advice is the smallest N within half a percentage
 *    point of the best the lines allow: more agents would not help, more lines would.
 *
 * Engset (finite sources) was not chosen: a shop's callers are a large population, not a handful
 * of sources; the finiteness that matters is the lines.
 */
import { AgentTimelines } from './agent-timeline.js';
import type { AnyEvent } from './call-counter.js';
import { LineTracker } from './line-tracker.js';
import { LocalHours, WEEK_SLOTS } from './local-time.js';
import { QueueEntries } from './queue-entries.js';
import type { TypedEvent } from '../events/catalog.js';
import { KPI_DEFAULTS, type StaffingAdvice, type StaffingQuery, type StaffingSlot } from './types.js';

/** Erlang B blocking probability with `servers` servers offered `trafficErlangs`, by the stable recursion. */
export function erlangB(trafficErlangs: number, servers: number): number {
  if (trafficErlangs <= 0) return 0;
  let b = 1;
  for (let n = 1; n <= servers; n++) b = (trafficErlangs * b) / (n + trafficErlangs * b);
  return b;
}

/** Erlang C: the probability that a caller waits (all agents busy); 1 when agents ≤ traffic. */
export function erlangC(trafficErlangs: number, agents: number): number {
  if (trafficErlangs <= 0) return 0;
  if (agents <= trafficErlangs) return 1;
  const b = erlangB(trafficErlangs, agents);
  return (agents * b) / (agents - trafficErlangs * (1 - b));
}

/** Erlang C service level: the fraction of callers answered within `thresholdS` (0 when agents ≤ traffic). */
export function serviceLevel(trafficErlangs: number, agents: number, ahtS: number, thresholdS: number): number {
  if (trafficErlangs <= 0) return 1;
  if (agents <= trafficErlangs) return 0;
  return 1 - erlangC(trafficErlangs, agents) * Math.exp((-(agents - trafficErlangs) * thresholdS) / ahtS);
}

/** Erlang C average speed of answer in seconds (Infinity when agents ≤ traffic). */
export function averageSpeedOfAnswer(trafficErlangs: number, agents: number, ahtS: number): number {
  if (trafficErlangs <= 0) return 0;
  if (agents <= trafficErlangs) return Number.POSITIVE_INFINITY;
  return (erlangC(trafficErlangs, agents) * ahtS) / (agents - trafficErlangs);
}

export interface FiniteLinesFigures {
  /** Fraction of callers who find every line busy. */
  blocking: number;
  /** Fraction of admitted callers who wait for an agent. */
  waitProbability: number;
  /** Fraction of admitted callers answered within the threshold. */
  serviceLevel: number;
  /** Fraction of all callers (blocked ones included) answered within the threshold. */
  serviceLevelAll: number;
}

/** The M/M/N/K queue: N = agents, K = lines (see the header). */
export function finiteLines(trafficErlangs: number, agents: number, lines: number, ahtS: number, thresholdS: number): FiniteLinesFigures {
  if (trafficErlangs <= 0) return { blocking: 0, waitProbability: 0, serviceLevel: 1, serviceLevelAll: 1 };
  if (lines <= 0) return { blocking: 1, waitProbability: 0, serviceLevel: 1, serviceLevelAll: 0 };
  if (agents <= 0) return { blocking: 1, waitProbability: 1, serviceLevel: 0, serviceLevelAll: 0 };
  const n = Math.min(agents, lines);
  // Unnormalised state probabilities t[k] ∝ P(k callers in the system), rescaled against overflow.
  const t: number[] = [1];
  let sum = 1;
  for (let k = 1; k <= lines; k++) {
    let v = ((t[k - 1] as number) * trafficErlangs) / Math.min(k, n);
    if (v > 1e250) {
      for (let i = 0; i < t.length; i++) t[i] = (t[i] as number) / 1e250;
      sum /= 1e250;
      v /= 1e250;
    }
    t.push(v);
    sum += v;
  }
  const blocking = (t[lines] as number) / sum;
  const admitted = sum - (t[lines] as number);
  let wait = 0;
  let late = 0;
  const x = (n * thresholdS) / ahtS;
  for (let k = n; k < lines; k++) {
    const p = (t[k] as number) / admitted;
    wait += p;
    // Finding k callers (k ≥ n), this caller waits for k − n + 1 departures at rate n/AHT.
    late += p * poissonCdf(k - n, x);
  }
  const sl = Math.min(1, Math.max(0, 1 - late));
  return { blocking, waitProbability: wait, serviceLevel: sl, serviceLevelAll: (1 - blocking) * sl };
}

/** P(Poisson(x) ≤ m), in log space so large x does not underflow. */
function poissonCdf(m: number, x: number): number {
  if (x <= 0) return 1;
  const lx = Math.log(x);
  let lnFact = 0;
  let s = 0;
  for (let i = 0; i <= m; i++) {
    if (i > 0) lnFact += Math.log(i);
    s += Math.exp(-x + i * lx - lnFact);
  }
  return Math.min(1, s);
}

export interface AgentsNeededInput {
  trafficErlangs: number;
  ahtS: number;
  thresholdS: number;
  /** Target fraction answered within thresholdS, 0 < targetSl < 1. */
  targetSl: number;
  /** Lines of the box; absent: plain Erlang C (unlimited lines). */
  lines?: number;
}

export interface AgentsNeeded {
  agents: number;
  /** Predicted service level of admitted callers with `agents`. */
  serviceLevel: number;
  /** Predicted blocking with `agents` (0 for plain Erlang C). */
  blocking: number;
  /** The target is out of reach with these lines. */
  linesLimited: boolean;
}

/** The fewest agents that reach the target (see the header for the finite-lines rule). */
export function agentsNeeded(q: AgentsNeededInput): AgentsNeeded {
  const { trafficErlangs: a, ahtS, thresholdS, targetSl, lines } = q;
  if (!(targetSl > 0 && targetSl < 1)) throw new RangeError(`targetSl must be between 0 and 1, got ${targetSl}`);
  if (!(ahtS > 0) || !Number.isFinite(a)) throw new RangeError('ahtS must be positive and trafficErlangs finite');
  if (a <= 0) return { agents: 0, serviceLevel: 1, blocking: 0, linesLimited: false };
  if (lines === undefined) {
    let n = Math.floor(a) + 1;
    while (serviceLevel(a, n, ahtS, thresholdS) < targetSl) n++;
    return { agents: n, serviceLevel: serviceLevel(a, n, ahtS, thresholdS), blocking: 0, linesLimited: false };
  }
  if (lines <= 0) return { agents: 0, serviceLevel: 1, blocking: 1, linesLimited: true };
  const figures: FiniteLinesFigures[] = [];
  for (let n = 1; n <= lines; n++) {
    const f = finiteLines(a, n, lines, ahtS, thresholdS);
    if (f.serviceLevelAll >= targetSl) return { agents: n, serviceLevel: f.serviceLevel, blocking: f.blocking, linesLimited: false };
    figures.push(f);
  }
  const best = (figures[lines - 1] as FiniteLinesFigures).serviceLevelAll;
  const n = figures.findIndex((f) => f.serviceLevelAll >= best - 0.005) + 1;
  const f = figures[n - 1] as FiniteLinesFigures;
  return { agents: n, serviceLevel: f.serviceLevel, blocking: f.blocking, linesLimited: true };
}

export interface StaffingOptions {
  lines: number;
  /** Default: query.targetSl, else 0.8. */
  targetSl?: number;
  /** Default: query.slThresholdS, else 20. */
  thresholdS?: number;
  /** IANA zone of the weekday/hour slots. Default "UTC". */
  timeZone?: string;
  /** The present, ms: hours after it are not observed yet. Default: query.to. */
  now?: number;
}

/** The busy fraction is capped here when estimating blocked callers. */
const MAX_BUSY_FRACTION = 0.95;

/** Staffing advice for every hour of the week, from the events of [query.from, query.to). */
export function staffingAdvice(events: Iterable<TypedEvent>, query: StaffingQuery, opts: StaffingOptions): StaffingAdvice {
  const { from, to } = query;
  const end = Math.max(from, Math.min(to, opts.now ?? to));
  const hours = new LocalHours(opts.timeZone ?? 'UTC');
  const inRange = (ts: number): boolean => ts >= from && ts < to;
  const wanted = (queue: string): boolean => query.queue === undefined || query.queue === queue;

  const observedMs = new Float64Array(WEEK_SLOTS);
  const busyMs = new Float64Array(WEEK_SLOTS);
  const offered = new Float64Array(WEEK_SLOTS);
  const handled = new Float64Array(WEEK_SLOTS);
  const handleMs = new Float64Array(WEEK_SLOTS);
  let handledAll = 0;
  let handleMsAll = 0;
  hours.split(from, end, (slot, ms) => {
    observedMs[slot] = (observedMs[slot] as number) + ms;
  });
  const agents = new AgentTimelines(from, end, (h) => {
    if (!inRange(h.completedAt) || !wanted(h.queue)) return;
    const slot = hours.slotOf(h.completedAt);
    handled[slot] = (handled[slot] as number) + 1;
    handleMs[slot] = (handleMs[slot] as number) + h.talkMs + h.wrapMs;
    handledAll++;
    handleMsAll += h.talkMs + h.wrapMs;
  });
  const lineTracker = new LineTracker(opts.lines, from, end, (start, stop) =>
    hours.split(start, stop, (slot, ms) => {
      busyMs[slot] = (busyMs[slot] as number) + ms;
    }),
  );

  /** A transfer back into a queue the call was in is not new demand. */
  const entries = new QueueEntries();
  for (const event of events) {
    const e = event as AnyEvent;
    if (e.type === 'call.ringing') lineTracker.ringing(e);
    else if (e.type === 'call.ended') {
      lineTracker.ended(e);
      entries.ended(e.callId ?? '');
    } else if (e.type === 'call.transferred') {
      lineTracker.transferred(e);
      if (e.callId !== null) entries.transfer(e.callId);
    } else if (e.type === 'agent.state') agents.state(e);
    else if (e.type === 'queue.complete') agents.complete(e);
    else if (e.type === 'queue.enter') {
      // Every entry counts (an overflowed call is demand on the queue it enters), but a transfer
      // into a queue the call was already in counts once, as in the KPIs.
      const repeat = entries.enter(e.callId ?? '', e.data.queue);
      if (!repeat && inRange(e.ts) && wanted(e.data.queue)) {
        const slot = hours.slotOf(e.ts);
        offered[slot] = (offered[slot] as number) + 1;
      }
    }
  }
  agents.finish();
  lineTracker.finish();
  return staffingFromSlots({ observedMs, busyMs, offered, handled, handleMs, handledAll, handleMsAll }, query, opts);
}

/** The per-slot sums behind the staffing advice (168 weekday×hour slots, local time). */
export interface StaffingSlotSums {
  /** Time of the range (up to `now`) in each slot. */
  observedMs: Float64Array;
  /** Time every line was busy, per slot. */
  busyMs: Float64Array;
  /** queue.enter events (every entry) per slot. */
  offered: Float64Array;
  /** Handled calls per slot of their queue.complete, and their talk + wrap-up. */
  handled: Float64Array;
  handleMs: Float64Array;
  handledAll: number;
  handleMsAll: number;
}

/** The staffing advice from per-slot sums (what staffingAdvice gathers from events; reports add them up from hourly roll-ups). */
export function staffingFromSlots(sums: StaffingSlotSums, query: StaffingQuery, opts: StaffingOptions): StaffingAdvice {
  const { from, to } = query;
  const targetSl = opts.targetSl ?? query.targetSl ?? KPI_DEFAULTS.targetSl;
  const thresholdS = opts.thresholdS ?? query.slThresholdS ?? KPI_DEFAULTS.slThresholdS;
  const timeZone = opts.timeZone ?? 'UTC';
  const { observedMs, busyMs, offered, handled, handleMs, handledAll, handleMsAll } = sums;
  const rangeAhtS = handledAll > 0 ? handleMsAll / handledAll / 1000 : null;
  const slots: StaffingSlot[] = [];
  for (let slot = 0; slot < WEEK_SLOTS; slot++) {
    const hoursObserved = (observedMs[slot] as number) / 3_600_000;
    const base = { weekday: Math.floor(slot / 24) + 1, hour: slot % 24, hoursObserved, offered: offered[slot] as number };
    if (hoursObserved <= 0) {
      slots.push({ ...base, ...NO_DATA });
      continue;
    }
    const offeredPerHour = base.offered / hoursObserved;
    const busyFraction = Math.min(1, (busyMs[slot] as number) / (observedMs[slot] as number));
    const arrivalsPerHour = offeredPerHour / (1 - Math.min(busyFraction, MAX_BUSY_FRACTION));
    const n = handled[slot] as number;
    const ahtS = n > 0 ? (handleMs[slot] as number) / n / 1000 : rangeAhtS;
    const common = { ...base, offeredPerHour, allLinesBusyFraction: opts.lines > 0 ? busyFraction : null, arrivalsPerHour, ahtS };
    if (arrivalsPerHour === 0) {
      slots.push({ ...common, trafficErlangs: 0, agents: 0, agentsErlangC: 0, serviceLevel: 1, blocking: 0, linesLimited: false });
      continue;
    }
    if (ahtS === null || ahtS <= 0) {
      slots.push({
        ...common,
        trafficErlangs: null,
        agents: null,
        agentsErlangC: null,
        serviceLevel: null,
        blocking: null,
        linesLimited: false,
      });
      continue;
    }
    const trafficErlangs = (arrivalsPerHour * ahtS) / 3600;
    const finite = agentsNeeded({ trafficErlangs, ahtS, thresholdS, targetSl, lines: opts.lines });
    const plain = agentsNeeded({ trafficErlangs, ahtS, thresholdS, targetSl });
    slots.push({
      ...common,
      trafficErlangs,
      agents: finite.agents,
      agentsErlangC: plain.agents,
      serviceLevel: finite.serviceLevel,
      blocking: finite.blocking,
      linesLimited: finite.linesLimited,
    });
  }

  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    queue: query.queue ?? null,
    timeZone,
    lines: opts.lines,
    targetSl,
    slThresholdS: thresholdS,
    ahtS: rangeAhtS,
    slots,
  };
}

const NO_DATA = {
  offeredPerHour: null,
  allLinesBusyFraction: null,
  arrivalsPerHour: null,
  ahtS: null,
  trafficErlangs: null,
  agents: null,
  agentsErlangC: null,
  serviceLevel: null,
  blocking: null,
  linesLimited: false,
} as const;

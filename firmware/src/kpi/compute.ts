/**
 * The KPI report from the event log: one pass over events in seq order, state kept per agent, per
 * line and per call in progress (never per event), so a year of events computes in linear time.
 *
 * The events may be any superset of the range's own: events before `from` only set up state
 * (agent states, busy lines, a call's earlier queues), events at or after `to` only close what the
 * range opened (the wrap-up after a call completed in the range, an overflow after a timeout in
 * the range). Nothing outside [from, to) is counted.
 *
 * Range edges: every count belongs to the range holding the time of its counting event (offered:
 * queue.enter; answered, service level, ASA: queue.connect; abandoned: queue.abandon; timedOut:
 * queue.exitTimeout; handled, ATT, ACW, AHT: queue.complete; missed: queue.ringNoAnswer), so a
 * call entering before `from` and answered after it is answered here but offered in the range
 * before. Durations of states (occupancy, logged-in, paused, all lines busy) are clipped to the
 * range, and to `now` so a range reaching into the future does not count time that has not passed.
 *
 * Top-level figures (no queue filter) are per call: an overflowed call (timed out of one queue,
 * entered another) is offered once, and its wait is the sum of its waits in every queue. byQueue
 * figures are per queue entry, with the wait in that queue (queue_log semantics).
 *
 * Transfers (call.transferred) end the agent's part as queue_log's TRANSFER does: the call stays
 * offered and answered once in the queue that answered it. The queue a transfer sends it to counts
 * it once too (offered, answered or abandoned there), and not again when that is a queue the call
 * was already in; top-level figures count the call once (answered by its first agent; a later
 * abandon or timeout is not counted). Handled counts agent handlings (queue.complete, as queue_log's
 * TRANSFER and COMPLETE rows): each agent who talked handled the call, with their own talk and
 * wrap-up, in their queue and in byAgent. A line a transfer dials out on is busy until the call ends.
 */
import { AgentTimelines, type HandledCall } from './agent-timeline.js';
import { type AnyEvent, CallCounter, ratio, seconds } from './call-counter.js';
import { LineTracker } from './line-tracker.js';
import { QueueEntries } from './queue-entries.js';
import type { TypedEvent } from '../events/catalog.js';
import { type AgentKpis, type CallKpis, KPI_DEFAULTS, type KpiQuery, type KpiReport } from './types.js';

export interface ComputeOptions {
  /** Shop lines the box has. */
  lines: number;
  /** The present, ms: state durations stop here when `to` is later. Default: `to`. */
  now?: number;
}

/** A sub-range of the query's range whose call figures are also counted on their own. */
export interface KpiBucket {
  from: number;
  to: number;
}

interface CallProgress {
  /** queue.enter events seen for this call. */
  entries: number;
  /** Wait in earlier queues (before an overflow). */
  priorWaitMs: number;
  /** A timeout waiting to learn whether the call overflowed; `counted` when it was in the range. */
  pendingExit: { queue: string; counted: boolean; ts: number } | null;
  /** A queue already connected the call (top-level: answered once). */
  answered: boolean;
  /** The current queue entry is a re-entry after a transfer (not counted in that queue again). */
  repeat: boolean;
}

interface AgentCounts {
  answered: number;
  handled: number;
  missed: number;
  talkMs: number;
  wrapMs: number;
}

/**
 * A post-call survey answer (`survey.score`, 1–5). Recognised by name so this module does not
 * depend on the survey events being in the catalog yet; malformed scores are ignored.
 */
function isSurveyScore(e: TypedEvent): e is TypedEvent & { data: { queue: string | null; score: number } } {
  if ((e.type as string) !== 'survey.score') return false;
  const d = e.data as unknown as { queue?: unknown; score?: unknown };
  return typeof d.score === 'number' && d.score >= 1 && d.score <= 5 && (d.queue === null || typeof d.queue === 'string');
}

const noCounts = (): AgentCounts => ({ answered: 0, handled: 0, missed: 0, talkMs: 0, wrapMs: 0 });

/** The map's value for `key`, made and stored first if missing. */
function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

export function computeKpis(events: Iterable<TypedEvent>, query: KpiQuery, opts: ComputeOptions): KpiReport {
  return computeKpisByBucket(events, query, opts, []).report;
}

/**
 * computeKpis, and in the same pass the call figures of each bucket (sorted, not overlapping,
 * inside the range): a bucket's figures are exactly those computeKpis gives for the bucket's own
 * range over the same events (every count belongs to the bucket holding its counting event), so
 * the hours of a month cost one pass instead of one computation each.
 */
export function computeKpisByBucket(
  events: Iterable<TypedEvent>,
  query: KpiQuery,
  opts: ComputeOptions,
  buckets: readonly KpiBucket[],
): { report: KpiReport; buckets: CallKpis[] } {
  const { from, to } = query;
  const slThresholdS = query.slThresholdS ?? KPI_DEFAULTS.slThresholdS;
  const shortAbandonS = query.shortAbandonS ?? KPI_DEFAULTS.shortAbandonS;
  const end = Math.max(from, Math.min(to, opts.now ?? to));
  const inRange = (ts: number): boolean => ts >= from && ts < to;
  const only = query.queue;
  const wanted = (queue: string): boolean => only === undefined || only === queue;

  const newCounter = (): CallCounter => new CallCounter(slThresholdS * 1000, shortAbandonS * 1000);
  const total = newCounter();
  const perBucket = buckets.map(newCounter);
  /** The counter of the bucket holding `ts`, or null. */
  const bucketAt = (ts: number): CallCounter | null => {
    let lo = 0;
    let hi = buckets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((buckets[mid] as KpiBucket).to <= ts) lo = mid + 1;
      else hi = mid;
    }
    const b = buckets[lo];
    return b !== undefined && b.from <= ts ? (perBucket[lo] as CallCounter) : null;
  };
  /** Top-level figures are per call (all queues) or per queue entry (one queue). */
  const perCall = only === undefined;
  const queues = new Map<string, CallCounter>();
  const queueCounter = (q: string): CallCounter => entry(queues, q, newCounter);
  const agentCounts = new Map<string, AgentCounts>();
  const agentCounter = (a: string): AgentCounts => entry(agentCounts, a, noCounts);
  const calls = new Map<string, CallProgress>();
  const progress = (id: string | null): CallProgress =>
    entry(calls, id ?? '', () => ({
      entries: 0,
      priorWaitMs: 0,
      pendingExit: null,
      answered: false,
      repeat: false,
    }));
  const entries = new QueueEntries();
  /**
   * A wait in `queue` ended (`count`: connect, abandon or timeout). Top level: once per call, with
   * the waits in every queue (not after a queue answered it); the queue: once per entry, not on a
   * re-entry after a transfer; a bucket as the top level (all queues) or the queue (one).
   */
  const waitEnded = (p: CallProgress, queue: string, waitMs: number, ts: number, count: (c: CallCounter, waitMs: number) => void): void => {
    const callWaitMs = p.priorWaitMs + waitMs;
    if (!p.answered) count(total, callWaitMs);
    if (!p.repeat) count(queueCounter(queue), waitMs);
    const b = (perCall ? !p.answered : !p.repeat) ? bucketAt(ts) : null;
    if (b) count(b, perCall ? callWaitMs : waitMs);
  };

  const onHandled = (h: HandledCall): void => {
    if (!inRange(h.completedAt) || !wanted(h.queue)) return;
    total.handle(h.talkMs, h.wrapMs);
    bucketAt(h.completedAt)?.handle(h.talkMs, h.wrapMs);
    queueCounter(h.queue).handle(h.talkMs, h.wrapMs);
    const a = agentCounter(h.agent);
    a.handled++;
    a.talkMs += h.talkMs;
    a.wrapMs += h.wrapMs;
  };
  const agents = new AgentTimelines(from, end, onHandled);
  const lines = new LineTracker(opts.lines, from, end);

  let csatSum = 0;
  let csatCount = 0;
  let resumed = 0;
  /** Each call's latest result set in the range. */
  const results = new Map<string, string>();

  for (const event of events) {
    const e = event as AnyEvent;
    const counted = inRange(e.ts);
    if (isSurveyScore(event)) {
      if (counted && (only === undefined || event.data.queue === only)) {
        csatSum += event.data.score;
        csatCount++;
      }
      continue;
    }
    switch (e.type) {
      case 'call.ringing':
        lines.ringing(e);
        break;
      case 'call.ended':
        lines.ended(e);
        calls.delete(e.callId ?? '');
        entries.ended(e.callId ?? '');
        break;
      case 'agent.state':
        agents.state(e);
        break;
      case 'queue.complete':
        agents.complete(e);
        break;
      case 'call.transferred':
        entries.transfer(e.callId ?? '');
        lines.transferred(e);
        break;
      case 'queue.enter': {
        const p = progress(e.callId);
        const exit = p.pendingExit;
        if (exit?.counted && wanted(exit.queue)) {
          total.overflowed++;
          queueCounter(exit.queue).overflowed++;
          const b = bucketAt(exit.ts);
          if (b) b.overflowed++;
        }
        p.pendingExit = null;
        p.repeat = entries.enter(e.callId ?? '', e.data.queue);
        if (counted && wanted(e.data.queue) && !p.repeat) {
          if (p.entries === 0) total.offered++;
          queueCounter(e.data.queue).offered++;
          const b = bucketAt(e.ts);
          if (b && (p.entries === 0 || !perCall)) b.offered++;
        }
        p.entries++;
        break;
      }
      case 'queue.connect': {
        const p = progress(e.callId);
        const { queue, agent, waitMs } = e.data;
        if (counted && wanted(queue)) {
          waitEnded(p, queue, waitMs, e.ts, (c, w) => c.connect(w));
          agentCounter(agent).answered++;
        }
        p.answered = true;
        break;
      }
      case 'queue.abandon': {
        const p = progress(e.callId);
        const { queue, waitMs } = e.data;
        if (counted && wanted(queue)) waitEnded(p, queue, waitMs, e.ts, (c, w) => c.abandon(w));
        break;
      }
      case 'queue.exitTimeout': {
        const p = progress(e.callId);
        const { queue, waitMs } = e.data;
        if (counted && wanted(queue)) waitEnded(p, queue, waitMs, e.ts, (c, w) => c.timeout(w));
        p.priorWaitMs += waitMs;
        p.pendingExit = { queue, counted, ts: e.ts };
        break;
      }
      case 'queue.resume':
        if (counted && wanted(e.data.queue)) resumed++;
        break;
      case 'call.disposition':
        if (counted && e.callId && (only === undefined || e.data.queue === only)) results.set(e.callId, e.data.code);
        break;
      case 'queue.ringNoAnswer':
        if (counted && e.data.why === 'timeout' && wanted(e.data.queue)) agentCounter(e.data.agent).missed++;
        break;
      default:
        break;
    }
  }
  agents.finish();
  lines.finish();

  const byAgent: AgentKpis[] = [];
  let busyMs = 0;
  let availableMs = 0;
  const times = agents.times();
  const names = new Set([...times.keys(), ...agentCounts.keys()]);
  for (const agent of [...names].sort()) {
    const t = times.get(agent);
    const c = agentCounts.get(agent) ?? noCounts();
    const loggedInMs = t ? t.available + t.ringing + t.onCall + t.wrapUp + t.paused : 0;
    const workMs = t ? t.onCall + t.wrapUp : 0;
    const pausedMs = t?.paused ?? 0;
    if (loggedInMs === 0 && c.answered === 0 && c.handled === 0 && c.missed === 0) continue;
    busyMs += workMs;
    availableMs += loggedInMs - pausedMs;
    byAgent.push({
      agent,
      answered: c.answered,
      handled: c.handled,
      missed: c.missed,
      talkS: c.talkMs / 1000,
      acwS: seconds(ratio(c.wrapMs, c.handled)),
      ahtS: seconds(ratio(c.talkMs + c.wrapMs, c.handled)),
      loggedInS: loggedInMs / 1000,
      pausedS: pausedMs / 1000,
      onCallS: (t?.onCall ?? 0) / 1000,
      wrapUpS: (t?.wrapUp ?? 0) / 1000,
      occupancy: ratio(workMs, loggedInMs - pausedMs),
    });
  }

  const byQueue = [...queues.entries()]
    .filter(([q]) => wanted(q))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([queue, c]) => ({ queue, ...c.figures() }));
  const top = only === undefined ? total.figures() : (queues.get(only) ?? newCounter()).figures();

  const report: KpiReport = {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    queue: only ?? null,
    slThresholdS,
    shortAbandonS,
    lines: opts.lines,
    ...top,
    occupancy: ratio(busyMs, availableMs),
    csat: ratio(csatSum, csatCount),
    csatResponses: csatCount,
    resumed,
    dispositions: tally(results.values()),
    callbacksPending: null,
    allLinesBusyMinutes: opts.lines > 0 ? lines.allBusyTotalMs / 60_000 : null,
    byQueue,
    byAgent,
  };
  return { report, buckets: perBucket.map((c) => c.figures()) };
}

/** code → how many calls have it. */
function tally(codes: Iterable<string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of codes) out[c] = (out[c] ?? 0) + 1;
  return out;
}

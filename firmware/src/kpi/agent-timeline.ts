/**
 * Agent state timelines and the wrap-up that follows each call, from agent.state and queue.complete
 * events fed in seq order. Streaming: one record per agent, no history kept.
 *
 * Time in each state is clipped to [from, end). An agent first seen through an agent.state event
 * is taken to have been in that event's `prev` state since before `from`, so the time before its
 * first change in the range counts even when nothing earlier was fed.
 *
 * Wrap-up of a call: the agent's wrapUp period that follows the call's queue.complete. Either order
 * of the two events within one transaction is understood: complete → (onCall→wrapUp), or
 * (onCall→wrapUp) → complete (then the wrap-up is claimed by the complete, matching callId when the
 * state event carries one). A complete whose agent leaves onCall straight to another state has a
 * wrap-up of 0. The handled call is reported through `onHandled` once its wrap-up is over; a call
 * still in wrap-up when the events run out is never reported (its handle time is not known yet).
 */
import type { AgentState, TypedEvent } from '../events/catalog.js';

export const AGENT_STATES: readonly AgentState[] = ['loggedOut', 'available', 'ringing', 'onCall', 'wrapUp', 'paused'];

export type StateTimes = Record<AgentState, number>;

/** A call an agent finished talking on, with the wrap-up that followed it. */
export interface HandledCall {
  callId: string | null;
  queue: string;
  agent: string;
  /** ts of the queue.complete event: the counting event of the handled call. */
  completedAt: number;
  talkMs: number;
  wrapMs: number;
}

interface Pending {
  callId: string | null;
  queue: string;
  agent: string;
  completedAt: number;
  talkMs: number;
}

interface Track {
  state: AgentState;
  since: number;
  ms: StateTimes;
  /** A completed call waiting for the agent's next state change. */
  awaiting: Pending | null;
  /** The current wrapUp period, and the call it belongs to (null until a complete claims it). */
  wrap: { since: number; callId: string | null; call: Pending | null } | null;
}

export function emptyStateTimes(): StateTimes {
  return { loggedOut: 0, available: 0, ringing: 0, onCall: 0, wrapUp: 0, paused: 0 };
}

export class AgentTimelines {
  private readonly agents = new Map<string, Track>();
  private finished = false;

  /** `end` ≤ `to`: time after it (the future, for a live report) is not counted. */
  constructor(
    private readonly from: number,
    private readonly end: number,
    private readonly onHandled: (call: HandledCall) => void,
  ) {}

  state(e: TypedEvent<'agent.state'>): void {
    const { agent, state, prev } = e.data;
    let t = this.agents.get(agent);
    if (t === undefined) {
      t = { state: prev, since: Number.NEGATIVE_INFINITY, ms: emptyStateTimes(), awaiting: null, wrap: null };
      this.agents.set(agent, t);
    }
    this.accrue(t, e.ts);
    const wasWrap = t.state === 'wrapUp';
    if (wasWrap && state !== 'wrapUp') {
      if (t.wrap?.call) this.report(t.wrap.call, e.ts - t.wrap.since);
      t.wrap = null;
    }
    if (!wasWrap && state === 'wrapUp') {
      t.wrap = { since: e.ts, callId: e.callId, call: t.awaiting };
      t.awaiting = null;
    } else if (state !== 'wrapUp' && t.awaiting !== null) {
      this.report(t.awaiting, 0);
      t.awaiting = null;
    }
    t.state = state;
    t.since = e.ts;
  }

  complete(e: TypedEvent<'queue.complete'>): void {
    const { agent, queue, talkMs } = e.data;
    const call: Pending = { callId: e.callId, queue, agent, completedAt: e.ts, talkMs: Math.max(0, talkMs) };
    let t = this.agents.get(agent);
    if (t === undefined) {
      // Never seen changing state: it was on this call since before the events start.
      t = { state: 'onCall', since: Number.NEGATIVE_INFINITY, ms: emptyStateTimes(), awaiting: null, wrap: null };
      this.agents.set(agent, t);
    }
    const w = t.wrap;
    if (w !== null && w.call === null && (w.callId === null || call.callId === null || w.callId === call.callId)) {
      w.call = call;
      return;
    }
    if (t.awaiting !== null) this.report(t.awaiting, 0);
    t.awaiting = call;
  }

  /** Close the open intervals at `end`; report completed calls that never entered wrap-up. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const t of this.agents.values()) {
      this.accrue(t, this.end);
      t.since = this.end;
      if (t.awaiting !== null) this.report(t.awaiting, 0);
      t.awaiting = null;
    }
  }

  /** Time per state in [from, end), per agent (call finish() first). */
  times(): Map<string, StateTimes> {
    const out = new Map<string, StateTimes>();
    for (const [agent, t] of this.agents) out.set(agent, t.ms);
    return out;
  }

  private accrue(t: Track, until: number): void {
    const lo = Math.max(t.since, this.from);
    const hi = Math.min(until, this.end);
    if (hi > lo) t.ms[t.state] += hi - lo;
  }

  private report(p: Pending, wrapMs: number): void {
    this.onHandled({ ...p, wrapMs: Math.max(0, wrapMs) });
  }
}

/**
 * The agents and their states: logged out, available, ringing, on call, wrap-up, paused (with a
 * reason and an optional maximum duration). Every change is recorded as an `agent.state` event.
 * Today's counters (calls, talk time) restart at local midnight in the shop's time zone and are
 * seeded from the event log at start, so "fewest calls today" survives a restart.
 */
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import type { AgentDef, AgentState, AgentView, PauseReason } from './types.js';
import { localDateString } from '../tz/zone.js';

export interface Agent extends AgentDef {
  state: AgentState;
  since: number;
  reason: string | null;
  callsToday: number;
  talkTodayMs: number;
  missedInARow: number;
  /** Last time the agent became available (longest-idle ordering). */
  idleSince: number;
  timer: TimerHandle | null;
}

export type RecordAgentState = (agent: string, state: AgentState, prev: AgentState, reason: string | null, callId: string | null) => void;

export class AgentBook {
  private readonly agents = new Map<string, Agent>();
  private day: string;

  constructor(
    defs: AgentDef[],
    private readonly clock: Clock,
    private readonly onChange: RecordAgentState,
    private pauseReasons: PauseReason[],
    private readonly timezone: string,
  ) {
    this.day = this.dayOf(clock.now());
    const now = clock.now();
    for (const d of defs) {
      this.agents.set(d.id, {
        ...d,
        state: 'loggedOut',
        since: now,
        reason: null,
        callsToday: 0,
        talkTodayMs: 0,
        missedInARow: 0,
        idleSince: now,
        timer: null,
      });
    }
  }

  /**
   * A live config change: agents kept by id keep their state and today's counters (name, extension
   * and skills take the new values); new agents are added logged out. Returns the agents no longer
   * in the config (still in the book: the ACD logs them out, then calls remove()).
   */
  reconfigure(defs: AgentDef[], pauseReasons: PauseReason[]): { added: Agent[]; removed: Agent[] } {
    this.pauseReasons = pauseReasons;
    const now = this.clock.now();
    const added: Agent[] = [];
    for (const d of defs) {
      const a = this.agents.get(d.id);
      if (!a) {
        const fresh: Agent = {
          ...d,
          state: 'loggedOut',
          since: now,
          reason: null,
          callsToday: 0,
          talkTodayMs: 0,
          missedInARow: 0,
          idleSince: now,
          timer: null,
        };
        this.agents.set(d.id, fresh);
        added.push(fresh);
        continue;
      }
      a.name = d.name;
      a.extension = d.extension;
      if (d.skills) a.skills = d.skills;
      else delete a.skills;
      if (d.loggedInAtStart !== undefined) a.loggedInAtStart = d.loggedInAtStart;
      else delete a.loggedInAtStart;
    }
    const ids = new Set(defs.map((d) => d.id));
    return { added, removed: [...this.agents.values()].filter((a) => !ids.has(a.id)) };
  }

  remove(id: string): void {
    const a = this.agents.get(id);
    if (a) this.cancelTimer(a);
    this.agents.delete(id);
  }

  /** Log in the agents configured to start logged in. */
  start(): void {
    for (const a of this.agents.values()) if (a.loggedInAtStart !== false) this.set(a, 'available', null, null);
  }

  stop(): void {
    for (const a of this.agents.values()) this.cancelTimer(a);
  }

  get(id: string): Agent | undefined {
    return this.agents.get(id);
  }

  all(): Agent[] {
    return [...this.agents.values()];
  }

  byExtension(channelId: string): Agent | undefined {
    for (const a of this.agents.values()) if (a.extension === channelId) return a;
    return undefined;
  }

  /** Today's counters from the event log (calls and talk time per agent since local midnight). */
  seedCounters(counts: Map<string, { calls: number; talkMs: number }>): void {
    for (const [id, c] of counts) {
      const a = this.agents.get(id);
      if (!a) continue;
      a.callsToday = c.calls;
      a.talkTodayMs = c.talkMs;
    }
  }

  /** ms timestamp of local midnight today in the shop's time zone. */
  startOfToday(): number {
    const now = this.clock.now();
    const day = this.dayOf(now);
    // Walk back to the first ms that still belongs to `day` (time zones have whole-minute offsets).
    let lo = now - 26 * 3_600_000;
    let hi = now;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.dayOf(mid) === day) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  set(a: Agent, state: AgentState, reason: string | null, callId: string | null): void {
    if (a.state === state && a.reason === reason) return;
    const prev = a.state;
    this.cancelTimer(a);
    a.state = state;
    a.reason = reason;
    a.since = this.clock.now();
    if (state === 'available') a.idleSince = a.since;
    this.onChange(a.id, state, prev, reason, callId);
  }

  /** A connected call finished: count it for today. */
  countCall(a: Agent, talkMs: number): void {
    this.rollDay();
    a.callsToday++;
    a.talkTodayMs += talkMs;
  }

  pause(a: Agent, reasonCode: string | null): void {
    const reason = this.pauseReasons.find((r) => r.code === reasonCode);
    this.set(a, 'paused', reason?.name ?? reasonCode ?? 'paused', null);
    if (reason && reason.maxS > 0) {
      a.timer = this.clock.setTimeout(() => {
        a.timer = null;
        if (a.state === 'paused') this.set(a, 'available', null, null);
      }, reason.maxS * 1000);
    }
  }

  /** Wrap-up for wrapUpS, then available (unless something else happened first). */
  wrapUp(a: Agent, wrapUpS: number, callId: string | null, then: () => void): void {
    if (wrapUpS <= 0) {
      this.set(a, 'available', null, callId);
      then();
      return;
    }
    this.set(a, 'wrapUp', null, callId);
    a.timer = this.clock.setTimeout(() => {
      a.timer = null;
      if (a.state !== 'wrapUp') return;
      this.set(a, 'available', null, null);
      then();
    }, wrapUpS * 1000);
  }

  view(a: Agent): AgentView {
    this.rollDay();
    return {
      id: a.id,
      name: a.name,
      extension: a.extension,
      state: a.state,
      since: new Date(a.since).toISOString(),
      reason: a.reason,
      callsToday: a.callsToday,
      talkTodayS: Math.round(a.talkTodayMs / 1000),
      missedInARow: a.missedInARow,
    };
  }

  private rollDay(): void {
    const day = this.dayOf(this.clock.now());
    if (day === this.day) return;
    this.day = day;
    for (const a of this.agents.values()) {
      a.callsToday = 0;
      a.talkTodayMs = 0;
    }
  }

  private dayOf(ts: number): string {
    return localDateString(ts, this.timezone);
  }

  private cancelTimer(a: Agent): void {
    a.timer?.cancel();
    a.timer = null;
  }
}

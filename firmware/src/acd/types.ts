/** Types shared by the ACD and the call engine that drives it. */
import type { AgentState, EventCatalog, EventType } from '../events/catalog.js';
import type { OverflowRule, PortOverflowRule } from './overflow.js';

export type { AgentState };

export type QueueStrategy =
  | 'longestIdle'
  | 'ringAll'
  | 'roundRobin'
  | 'fewestCalls'
  | 'leastTalkTime'
  | 'linear'
  | 'random'
  | 'skillsWeighted';

export interface AgentDef {
  id: string;
  name: string;
  extension: string;
  /** Skill name → level 1 (can) … 10 (expert). */
  skills?: Record<string, number>;
  /** Logged in when the box starts (default true). */
  loggedInAtStart?: boolean;
}

export interface QueueDef {
  id: string;
  name: string;
  strategy: QueueStrategy;
  members: string[];
  ringTimeoutS: number;
  maxWaitS: number;
  wrapUpS: number;
  /** Skills an agent needs (all of them) to be offered this queue's calls. */
  skills?: string[];
  /** Pause an agent after this many consecutive unanswered offers (0/absent: never). */
  autoPauseAfterMisses?: number;
  /** Where a caller goes after maxWaitS, or at once when no member is logged in. */
  overflowQueue?: string;
  /** Overflow rules tried in order (queue, owner's mobile, voicemail); when set, `overflowQueue` is not used. */
  overflow?: OverflowRule[];
  /** Abandoned-call resume: a caller who hung up while waiting and calls again within windowMin (default 10) keeps their place. */
  resume?: { windowMin?: number; skipIvr?: boolean };
  /** What waiting callers hear (default hold music). */
  music?: 'hold' | 'ringback';
  /** Announce position and estimated wait every N seconds (0/absent: never). */
  announceEveryS?: number;
  /** After the agent hangs up, ask the caller for a 1-5 satisfaction score. */
  survey?: boolean;
  /** Voicemail from the queue: waiting callers press `key` to leave a message; `onTimeout` sends callers the queue gives up on there. */
  voicemail?: { box: string; key?: string; onTimeout?: boolean };
  /** Wrap-up lasts until the agent sets a call result (at most DISPOSITION_HOLD_MAX_S more, then `none`). */
  dispositionRequired?: boolean;
  /** Waiting callers may press `key` to be called back, keeping their place. */
  callback?: { key: string; maxAttempts: number; retryS: number };
}

export interface PauseReason {
  code: string;
  name: string;
  /** After this long the agent is made available again (0: no limit). */
  maxS: number;
}

export interface AgentView {
  id: string;
  name: string;
  extension: string;
  state: AgentState;
  /** ISO time of the last state change. */
  since: string;
  reason: string | null;
  /** Today (shop time zone), from the event log: survives restarts. */
  callsToday: number;
  talkTodayS: number;
  missedInARow: number;
}

export interface QueueView {
  id: string;
  name: string;
  strategy: QueueStrategy;
  waiting: number;
  /** Callbacks keeping their place in this queue. */
  callbacks: number;
  /** Seconds the longest-waiting caller has waited, or 0. */
  longestWaitS: number;
  agents: Record<AgentState, number>;
}

/** What the ACD asks of the call engine. */
export interface AcdPort {
  /** Ring the agent's phone for the call; false when the phone cannot ring now. */
  offer(callId: string, agent: AgentDef, queue: QueueDef): boolean;
  /** Stop ringing the agent for the call. */
  withdraw(callId: string, agent: AgentDef): void;
  /** Nobody took the call within maxWaitS and there is no overflow: give up on it. */
  expire(callId: string, queueId: string): void;
  /**
   * Carry out an overflow rule (owner's mobile, voicemail) for a caller who left the queue: false
   * when it cannot be used now (the ACD tries the next rule). A mobile overflow that later comes to
   * nothing is reported with Acd.overflowFailed(). Absent: such rules are skipped.
   */
  overflow?(callId: string, queue: QueueDef, rule: PortOverflowRule): boolean;
  /** Persist one event (with the call's record when callId is set). */
  record<K extends EventType>(type: K, callId: string | null, data: EventCatalog[K]): void;
}

/** Types shared by the ACD and the call engine that drives it. */
export type AgentStatus = 'idle' | 'ringing' | 'busy' | 'wrapUp' | 'offline';
export type QueueStrategy = 'longestIdle' | 'ringAll' | 'roundRobin';

export interface AgentDef {
  id: string;
  name: string;
  extension: string;
}

export interface QueueDef {
  id: string;
  name: string;
  strategy: QueueStrategy;
  members: string[];
  ringTimeoutS: number;
  maxWaitS: number;
  wrapUpS: number;
}

export interface AgentView extends AgentDef {
  status: AgentStatus;
  /** ms timestamp of the last status change. */
  since: number;
  callsToday: number;
}

export interface QueueView {
  id: string;
  name: string;
  waiting: number;
  /** ms timestamp the longest-waiting caller entered, or null. */
  oldestEnqueuedAt: number | null;
}

/** What the ACD asks of the call engine. */
export interface AcdPort {
  /** Ring the agent's phone for the call; false when the phone cannot ring now. */
  offer(callId: string, agent: AgentDef): boolean;
  /** Stop ringing the agent for the call (ring timeout, or another agent took it). */
  withdraw(callId: string, agent: AgentDef): void;
  /** Nobody took the call within the queue's maxWaitS (or nobody can): give up on it. */
  expire(callId: string, queueId: string): void;
}

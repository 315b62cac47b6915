/** The ACD's records of waiting and connected calls. */
import type { TimerHandle } from '../../../hal/src/clock.js';
import type { QueueDef } from './types.js';

export interface Offer {
  at: number;
  timer: TimerHandle;
}

export interface Entry {
  callId: string;
  queue: QueueDef;
  /** When the call joined this queue: waits (CONNECT, ABANDON) are measured from here. */
  enqueuedAt: number;
  /**
   * Where the call stands among callers of the same priority: its arrival, or the first entry of
   * an abandoned call it resumes (abandoned-call resume), so it goes ahead of newer callers.
   */
  since: number;
  priority: number;
  origPosition: number;
  onlyAgent: string | null;
  /** The caller's number (for abandoned-call resume), when known. */
  caller: string | null;
  offers: Map<string, Offer>;
  tried: Set<string>;
  expiry: TimerHandle | null;
  /** A callback keeps the caller's place without a line: one agent is reserved while the box dials. */
  callback: boolean;
}

export interface Connected {
  queue: QueueDef;
  agent: string;
  waitMs: number;
  at: number;
}

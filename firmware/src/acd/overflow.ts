/**
 * Overflow rules (溢出规则): what happens to a caller who waited the queue's maxWaitS, or found no
 * member logged in. Rules are tried in order; a rule that cannot be used now (the target queue is
 * the same queue or too many hops away, the GSM channel is busy or absent, no voicemail, no caller
 * number for a callback) passes to
 * the next; after the last rule the queue gives up (voicemail.onTimeout or a hang-up).
 */
import type { QueueDef } from './types.js';

/** Queue overflow chains stop after this many hops, so queues overflowing into each other cannot loop. */
export const MAX_OVERFLOW_HOPS = 4;
/** How long the owner's mobile rings before the next rule (default of `ringS`). */
export const MOBILE_RING_S = 30;

export type OverflowRule =
  | { action: 'queue'; queue: string }
  /** Dial the owner's mobile over the GSM channel; the owner presses 1 to take the caller. */
  | { action: 'mobile'; number: string; ringS?: number }
  /** Voicemail box `box` (default: the queue's voicemail box). */
  | { action: 'voicemail'; box?: string }
  /** A callback (回拨) ahead of the waiting callers: the caller hears a confirmation and hangs up (needs the caller's number). */
  | { action: 'callback' };

/** A rule the call engine carries out (everything but another queue, which the ACD does itself). */
export type PortOverflowRule = Exclude<OverflowRule, { action: 'queue' }>;

/** The queue's rules: `overflow` when set, else the older `overflowQueue` as the only rule. */
export function overflowRules(queue: QueueDef): readonly OverflowRule[] {
  if (queue.overflow) return queue.overflow;
  return queue.overflowQueue ? [{ action: 'queue', queue: queue.overflowQueue }] : [];
}

/** A caller between rules: waiting for the engine to say whether a mobile overflow worked. */
export interface PendingOverflow {
  queue: QueueDef;
  priority: number;
  hops: number;
  /** Index of the rule to try next if this one comes to nothing. */
  next: number;
}

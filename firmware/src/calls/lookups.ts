/**
 * What the call engine may ask the shop's data during a call (a narrow interface, implemented in
 * box.ts from the back office): order status and authenticity codes for the IVR's self-service
 * lookups, the where-to-buy message, and a caller's queue priority (VIP). Also how a lookup's result
 * becomes an answer the IVR plays (lookup-run.ts). A lookup that throws is answered "unavailable"
 * and the caller goes on to the queue: the shop's data never drops a call.
 */
import type { LookupAnswer, LookupKind } from '../ivr/lookup-run.js';
import { codeVerdictPrompts, type OrderStatusWord, orderStatusPrompts } from '../ivr/lookup-speech.js';
import type { Language } from './engine-types.js';

export interface OrderLookup {
  number: string;
  status: OrderStatusWord;
  carrier: string | null;
}

export type CodeVerdict =
  | { verdict: 'genuine'; product: string; batch: string | null }
  | { verdict: 'repeat'; product: string; batch: string | null; previousChecks: number; firstCheckedAt: string }
  | { verdict: 'unknown' };

export interface CallLookups {
  /** The order with this number (the digits the caller keyed), or null. */
  orderStatus(number: string): OrderLookup | null;
  /** Checks (and logs) an authenticity code keyed by a caller. */
  checkCode(code: string, call: { callId: string; callerId: string | null }): CodeVerdict;
  /** The shop's where-to-buy message as 8 kHz audio in this language (or another), null when none is set. */
  whereToBuy(language: Language): Int16Array | null;
  /** A caller's queue priority from customer data (VIP), null when none. */
  callerPriority(callerId: string): number | null;
}

export interface AnswerContext {
  callId: string;
  callerId: string | null;
  language: Language;
  /** The shop's time zone (dates said to the caller). */
  timeZone: string;
  prompt(name: string): Int16Array;
  onError(kind: LookupKind, err: unknown): void;
}

/** The IVR's answer to a lookup: what to play and what comes next. */
export function answerLookup(lookups: CallLookups | undefined, kind: LookupKind, digits: string, c: AnswerContext): LookupAnswer {
  const say = (names: string[]): Int16Array[] => names.map((n) => c.prompt(n));
  if (!lookups) return { outcome: 'unavailable', clips: say(['lookup-unavailable']), next: 'fail' };
  try {
    if (kind === 'orderStatus') {
      const order = lookups.orderStatus(digits);
      if (!order) return { outcome: 'notFound', clips: say(['order-not-found']), next: 'retry' };
      return { outcome: `found:${order.status}`, clips: say(orderStatusPrompts(digits, order.status, order.carrier)), next: 'options' };
    }
    if (kind === 'authenticity') {
      const v = lookups.checkCode(digits, { callId: c.callId, callerId: c.callerId });
      return {
        outcome: v.verdict,
        clips: say(codeVerdictPrompts(v, { timeZone: c.timeZone, language: c.language })),
        next: v.verdict === 'unknown' ? 'retry' : 'options',
      };
    }
    const audio = lookups.whereToBuy(c.language);
    if (audio) return { outcome: 'message', clips: [audio], next: 'options' };
    return { outcome: 'noMessage', clips: say(['where-to-buy-none']), next: 'options' };
  } catch (err) {
    c.onError(kind, err);
    return { outcome: 'unavailable', clips: say(['lookup-unavailable']), next: 'fail' };
  }
}

/** The priority a call enters its queue with: the IVR action's, raised for a VIP caller (0..9). */
export function entryPriority(
  actionPriority: number | undefined,
  lookups: CallLookups | undefined,
  callerId: string | null,
  onError: (err: unknown) => void,
): number {
  const base = actionPriority ?? 0;
  if (!lookups || !callerId) return base;
  try {
    const vip = lookups.callerPriority(callerId);
    if (vip === null || !Number.isFinite(vip)) return base;
    return Math.max(base, Math.min(9, Math.max(0, Math.trunc(vip))));
  } catch (err) {
    onError(err);
    return base;
  }
}

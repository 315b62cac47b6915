/** Counters behind one set of call figures (all queues, or one queue) and their figures. */
import type { EventType, TypedEvent } from '../events/catalog.js';
import type { CallKpis } from './types.js';

/** The event catalog as a discriminated union: a switch on `type` narrows `data`. */
export type AnyEvent = { [K in EventType]: TypedEvent<K> }[EventType];

export class CallCounter {
  offered = 0;
  answered = 0;
  abandoned = 0;
  shortAbandoned = 0;
  timedOut = 0;
  overflowed = 0;
  answeredWithinThreshold = 0;
  waitSumMs = 0;
  longestWaitMs: number | null = null;
  handled = 0;
  talkSumMs = 0;
  wrapSumMs = 0;

  constructor(
    private readonly thresholdMs: number,
    private readonly shortAbandonMs: number,
  ) {}

  connect(waitMs: number): void {
    this.answered++;
    this.waitSumMs += waitMs;
    if (waitMs <= this.thresholdMs) this.answeredWithinThreshold++;
    this.waited(waitMs);
  }

  abandon(waitMs: number): void {
    this.abandoned++;
    if (waitMs < this.shortAbandonMs) this.shortAbandoned++;
    this.waited(waitMs);
  }

  timeout(waitMs: number): void {
    this.timedOut++;
    this.waited(waitMs);
  }

  handle(talkMs: number, wrapMs: number): void {
    this.handled++;
    this.talkSumMs += talkMs;
    this.wrapSumMs += wrapMs;
  }

  figures(): CallKpis {
    const slBase = this.answered + this.abandoned - this.shortAbandoned;
    return {
      offered: this.offered,
      answered: this.answered,
      abandoned: this.abandoned,
      shortAbandoned: this.shortAbandoned,
      timedOut: this.timedOut,
      overflowed: this.overflowed,
      answeredWithinThreshold: this.answeredWithinThreshold,
      serviceLevel: ratio(this.answeredWithinThreshold, this.answered),
      serviceLevelWithAbandons: ratio(this.answeredWithinThreshold, slBase),
      answerRate: ratio(this.answered, this.offered),
      abandonRate: ratio(this.abandoned, this.offered),
      asaS: seconds(ratio(this.waitSumMs, this.answered)),
      longestWaitS: seconds(this.longestWaitMs),
      handled: this.handled,
      attS: seconds(ratio(this.talkSumMs, this.handled)),
      acwS: seconds(ratio(this.wrapSumMs, this.handled)),
      ahtS: seconds(ratio(this.talkSumMs + this.wrapSumMs, this.handled)),
    };
  }

  private waited(ms: number): void {
    if (this.longestWaitMs === null || ms > this.longestWaitMs) this.longestWaitMs = ms;
  }
}

/** a ÷ b, or null when b is not positive (never NaN or Infinity). */
export function ratio(a: number, b: number): number | null {
  return b > 0 ? a / b : null;
}

export function seconds(ms: number | null): number | null {
  return ms === null ? null : ms / 1000;
}

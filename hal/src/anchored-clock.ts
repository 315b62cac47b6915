/**
 * A Clock whose wall reading follows the monotonic time from an anchor, so the durations computed
 * from its now() readings (a - b) cannot be bent by a wall-clock step: now() = anchorWall +
 * (monotonic() - anchorMono). The anchor is taken again from the underlying clock whenever
 * `mayResync()` says nothing is measuring (e.g. no call in progress), so a step (NTP after a boot
 * without an RTC, a technician setting the time) reaches the timestamps at the next quiet moment
 * instead of in the middle of a call. Timers and monotonic() are the underlying clock's.
 */
import type { Clock, TimerHandle } from './clock.js';

export class AnchoredClock implements Clock {
  private anchorWall: number;
  private anchorMono: number;

  constructor(
    private readonly base: Clock,
    private readonly mayResync: () => boolean,
  ) {
    this.anchorWall = base.now();
    this.anchorMono = base.monotonic();
  }

  /** Whole milliseconds like Date.now() (the records store them as integers; monotonic() may be fractional). */
  now(): number {
    if (this.mayResync()) this.resync();
    return Math.floor(this.anchorWall + (this.base.monotonic() - this.anchorMono));
  }

  /** How far the wall reading is from the underlying clock's (ms; 0 once in sync). */
  drift(): number {
    return this.anchorWall + (this.base.monotonic() - this.anchorMono) - this.base.now();
  }

  resync(): void {
    this.anchorWall = this.base.now();
    this.anchorMono = this.base.monotonic();
  }

  monotonic(): number {
    return this.base.monotonic();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.base.setTimeout(fn, ms);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.base.setInterval(fn, ms);
  }
}

/**
 * Time as the box sees it. Everything that waits or timestamps takes a Clock, so the whole call
 * path can run in virtual time in tests (VirtualClock) and in real time on the box (SystemClock).
 * Two readings: now() is wall time (timestamps; NTP or a technician may step it), monotonic() only
 * ever moves forward at the rate of real time (durations; timers run on it, like Node's).
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Milliseconds (may be fractional) from an arbitrary origin that a wall-clock step does not move (for durations). */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  setInterval(fn: () => void, ms: number): TimerHandle;
}

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
  monotonic(): number {
    return performance.now();
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    const t = setInterval(fn, ms);
    return { cancel: () => clearInterval(t) };
  }
}

interface VirtualTimer {
  id: number;
  at: number;
  every: number;
  fn: () => void;
  live: boolean;
}

/**
 * A clock that only moves when told to. Timers fire in due-time order (ties in creation order),
 * each seeing now() equal to its due time.
 */
export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: VirtualTimer[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1, 1, 0, 0)) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  /** The timers' timeline: equal to now() unless a subclass shifts the wall reading. */
  monotonic(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, 0);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, Math.max(1, ms));
  }

  /** Number of timers still scheduled. */
  pending(): number {
    return this.timers.length;
  }

  /** Advance time by ms, firing every timer that falls due on the way. */
  advance(ms: number): void {
    this.runTo(this.t + ms);
  }

  /** Advance until pred() is true, checking after every fired timer; throws if limitMs passes first. */
  advanceUntil(pred: () => boolean, limitMs: number): void {
    const end = this.t + limitMs;
    while (!pred()) {
      const next = this.timers[0];
      if (!next || next.at > end) {
        this.t = end;
        if (!pred()) throw new Error(`VirtualClock: condition not met within ${limitMs} ms`);
        return;
      }
      this.fireNext();
    }
  }

  /**
   * Like advance(), but lets promise continuations run after every timer (they would otherwise
   * wait until the whole advance is over). Use this when the code under test awaits driver actions.
   */
  async run(ms: number): Promise<void> {
    await this.runUntilAsync(() => false, ms, false);
  }

  /** Like advanceUntil(), flushing promise continuations after every timer. */
  async runUntil(pred: () => boolean, limitMs: number): Promise<void> {
    await this.runUntilAsync(pred, limitMs, true);
  }

  private async runUntilAsync(pred: () => boolean, limitMs: number, mustMeet: boolean): Promise<void> {
    const end = this.t + limitMs;
    await flush();
    while (!pred()) {
      const next = this.timers[0];
      if (!next || next.at > end) {
        this.t = end;
        if (mustMeet && !pred()) throw new Error(`VirtualClock: condition not met within ${limitMs} ms`);
        return;
      }
      this.fireNext();
      await flush();
    }
  }

  private runTo(end: number): void {
    for (;;) {
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.fireNext();
    }
    this.t = end;
  }

  private fireNext(): void {
    const timer = this.timers.shift();
    if (!timer) return;
    this.t = timer.at;
    if (timer.every > 0) {
      timer.at += timer.every;
      this.insert(timer);
    } else {
      timer.live = false;
    }
    timer.fn();
  }

  private add(fn: () => void, ms: number, every: number): TimerHandle {
    // Whole milliseconds, like Date.now(): fractional delays round up.
    const timer: VirtualTimer = { id: this.seq++, at: this.t + Math.max(0, Math.ceil(ms)), every: Math.ceil(every), fn, live: true };
    this.insert(timer);
    return {
      cancel: () => {
        if (!timer.live) return;
        timer.live = false;
        const i = this.timers.indexOf(timer);
        if (i >= 0) this.timers.splice(i, 1);
      },
    };
  }

  private insert(timer: VirtualTimer): void {
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.timers[mid] as VirtualTimer;
      if (m.at < timer.at || (m.at === timer.at && m.id < timer.id)) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
  }
}

function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

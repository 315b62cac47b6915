/**
 * Line signalling from GPIO edges, on the injected clock (so tests run in virtual time):
 * - `Debouncer`: a level counts once it has been stable for `ms`; reports the time it changed.
 * - `RingDetector`: ring-detect pulses (the opto follows the 25 Hz ring voltage) → ring bursts
 *   (a burst ends `ringDebounceMs` after the last pulse); a burst is a ring once its pulses have gone
 *   on for `ringMinMs` (clicks and short bursts are noise);
 *   the on/off cadence is measured and compared with the profile's; no burst for the profile's
 *   longest pause × 1.5 → ringing stopped.
 * - `HookDetector`: a debounced loop-current level → off hook, on hook (after `flashMaxMs` on hook),
 *   hook flash (an on-hook break of `flashMinMs`..`flashMaxMs`) and pulse-dialled digits (breaks
 *   up to `pulseBreakMaxMs`, counted by pulse-dial.ts's PulseDecoder).
 */
import type { Clock, TimerHandle } from '../../clock.js';
import type { LineProfile } from './hat-types.js';
import { PulseDecoder } from './pulse-dial.js';

export class Debouncer {
  private stable: 0 | 1;
  private pending: TimerHandle | null = null;
  private changedAt = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ms: number,
    initial: 0 | 1,
    /** The stable level changed; `at` is when the raw level changed to it. */
    private readonly onChange: (value: 0 | 1, at: number) => void,
  ) {
    this.stable = initial;
  }

  get value(): 0 | 1 {
    return this.stable;
  }

  input(value: 0 | 1): void {
    this.pending?.cancel();
    this.pending = null;
    if (value === this.stable) return;
    this.changedAt = this.clock.now();
    const at = this.changedAt;
    this.pending = this.clock.setTimeout(() => {
      this.pending = null;
      this.stable = value;
      this.onChange(value, at);
    }, this.ms);
  }

  dispose(): void {
    this.pending?.cancel();
    this.pending = null;
  }
}

export interface RingEvents {
  /** A ring burst was recognised (it has lasted ringMinMs); count from 1. */
  ring(count: number): void;
  /** A burst ended: its length and the pause before it (null for the first). */
  burst(onMs: number, offBeforeMs: number | null): void;
  /** No ring for long enough: the caller gave up (or the call was answered elsewhere). */
  stopped(): void;
}

export class RingDetector {
  private inBurst = false;
  private burstStart = 0;
  private lastEnd: number | null = null;
  private lastPulse = 0;
  private count = 0;
  private recognised = false;
  private endTimer: TimerHandle | null = null;
  private stopTimer: TimerHandle | null = null;
  /** The measured cadence of this call so far: [on, off, on, …] in ms. */
  readonly cadence: number[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly profile: Pick<LineProfile, 'ringDebounceMs' | 'ringMinMs' | 'ringCadence'>,
    private readonly on: RingEvents,
  ) {}

  get ringing(): boolean {
    return this.count > 0;
  }

  /** Whether the measured cadence matches the profile's (each value within 25 % or 100 ms). */
  cadenceMatches(): boolean {
    const want = this.profile.ringCadence.pattern;
    if (this.cadence.length < 2 || want.length === 0) return false;
    return this.cadence.every((ms, i) => {
      const nominal = want[i % want.length] as number;
      return Math.abs(ms - nominal) <= Math.max(nominal * 0.25, 100);
    });
  }

  /** A raw ring-detect level (1 = ring voltage present). */
  input(value: 0 | 1): void {
    const now = this.clock.now();
    if (value === 1) {
      this.lastPulse = now;
      this.endTimer?.cancel();
      this.endTimer = null;
      if (!this.inBurst) this.startBurst(now);
      this.check(now);
    } else if (this.inBurst) {
      this.lastPulse = now;
      this.check(now);
      this.endTimer?.cancel();
      this.endTimer = this.clock.setTimeout(() => this.endBurst(), this.profile.ringDebounceMs);
    }
  }

  /** Forget the call (answered, or the port reset). */
  reset(): void {
    for (const t of [this.endTimer, this.stopTimer]) t?.cancel();
    this.endTimer = this.stopTimer = null;
    this.inBurst = false;
    this.recognised = false;
    this.count = 0;
    this.lastEnd = null;
    this.cadence.length = 0;
  }

  private startBurst(now: number): void {
    this.inBurst = true;
    this.burstStart = now;
    this.recognised = false;
  }

  /** A burst is a ring once ring-detect activity goes on for ringMinMs (a click never does). */
  private check(now: number): void {
    if (this.recognised || now - this.burstStart < this.profile.ringMinMs) return;
    this.recognised = true;
    this.stopTimer?.cancel();
    this.stopTimer = null;
    if (this.lastEnd !== null) this.cadence.push(this.burstStart - this.lastEnd);
    this.count++;
    this.on.ring(this.count);
  }

  private endBurst(): void {
    this.endTimer = null;
    this.inBurst = false;
    if (!this.recognised) return; // a click on the line, not a ring
    const end = this.lastPulse;
    const onMs = end - this.burstStart;
    const offBefore = this.lastEnd === null ? null : this.burstStart - this.lastEnd;
    this.cadence.push(onMs);
    this.lastEnd = end;
    this.on.burst(onMs, offBefore);
    const longestOff = Math.max(0, ...this.profile.ringCadence.pattern.filter((_, i) => i % 2 === 1));
    this.stopTimer = this.clock.setTimeout(
      () => {
        this.stopTimer = null;
        this.reset();
        this.on.stopped();
      },
      Math.max(1000, longestOff * 1.5),
    );
  }
}

export interface HookEvents {
  offHook(): void;
  onHook(): void;
  flash(): void;
  /** A pulse-dialled digit (durationMs: first break to last make). */
  digit?(digit: string, durationMs: number): void;
}

export class HookDetector {
  private readonly debounce: Debouncer;
  private readonly pulses: PulseDecoder;
  private hangTimer: TimerHandle | null = null;
  private breakAt = 0;
  /** Off hook as the box reports it (a flash break keeps it off hook). */
  offHook = false;

  constructor(
    private readonly clock: Clock,
    private readonly profile: Pick<LineProfile, 'hookDebounceMs' | 'flashMinMs' | 'flashMaxMs' | 'pulseBreakMaxMs' | 'pulseDigitGapMs'>,
    initial: 0 | 1,
    private readonly on: HookEvents,
  ) {
    this.offHook = initial === 1;
    this.pulses = new PulseDecoder(clock, profile.pulseDigitGapMs, profile.hookDebounceMs, (d, ms) => on.digit?.(d, ms));
    this.debounce = new Debouncer(clock, profile.hookDebounceMs, initial, (v, at) => this.changed(v, at));
  }

  /** The raw loop-current level (1 = off hook). */
  input(value: 0 | 1): void {
    this.debounce.input(value);
  }

  dispose(): void {
    this.debounce.dispose();
    this.pulses.dispose();
    this.hangTimer?.cancel();
  }

  private changed(value: 0 | 1, at: number): void {
    if (value === 0) {
      if (!this.offHook) return;
      this.breakAt = at;
      this.pulses.breakBegan(at);
      const left = this.profile.flashMaxMs - (this.clock.now() - at);
      this.hangTimer = this.clock.setTimeout(
        () => {
          this.hangTimer = null;
          this.offHook = false;
          this.pulses.abort();
          this.on.onHook();
        },
        Math.max(0, left),
      );
      return;
    }
    if (this.hangTimer) {
      // Back off hook inside the flash window: a flash, a dial pulse, or a break of neither length.
      this.hangTimer.cancel();
      this.hangTimer = null;
      const len = at - this.breakAt;
      if (len >= this.profile.flashMinMs) {
        this.pulses.abort();
        this.on.flash();
      } else if (len <= this.profile.pulseBreakMaxMs) this.pulses.pulse(this.breakAt, at);
      else this.pulses.abort();
      return;
    }
    if (this.offHook) return;
    this.offHook = true;
    this.on.offHook();
  }
}

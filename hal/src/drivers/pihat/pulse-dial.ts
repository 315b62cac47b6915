/**
 * Pulse (rotary, 脉冲拨号) dialling, on the injected clock.
 * - `PulseDecoder`: an FXS phone's debounced hook breaks → digits. A break of at most
 *   `pulseBreakMaxMs` is one pulse (10 pps: ~60 ms break, ~40 ms make); a make (off hook) of
 *   `pulseDigitGapMs` or more ends the digit (the inter-digit pause is ≥ 300 ms); n pulses are the
 *   digit n, 10 pulses are 0. Breaks of `flashMinMs` and more are a hook flash or hanging up
 *   (HookDetector decides); a break between the two is neither and drops the digit in progress.
 * - `pulseSteps` / `PulseDialer`: the hook relay of an FXO port as a rotary dial for exchanges
 *   that do not take DTMF: each digit as n × (break, make), the make after a digit's last pulse
 *   lasting the inter-digit pause.
 */
import type { Clock, TimerHandle } from '../../clock.js';
import type { LineProfile } from './hat-types.js';

export type PulseTiming = Pick<LineProfile, 'pulseBreakMs' | 'pulseMakeMs' | 'pulseInterDigitMs'>;

export class PulseDecoder {
  private count = 0;
  private firstBreakAt = 0;
  private lastMakeAt = 0;
  private timer: TimerHandle | null = null;

  constructor(
    private readonly clock: Clock,
    /** A make this long ends the digit. */
    private readonly gapMs: number,
    /** The debounce delay of the hook input: a break is reported this long after it began. */
    private readonly debounceMs: number,
    private readonly onDigit: (digit: string, durationMs: number) => void,
  ) {}

  /** A dial pulse: the hook broke at `breakAt` and made again at `makeAt` (raw edge times). */
  pulse(breakAt: number, makeAt: number): void {
    this.breakBegan(breakAt);
    if (this.count === 0) this.firstBreakAt = breakAt;
    this.count++;
    this.lastMakeAt = makeAt;
    // Decide once a break that began inside the gap would have been reported (debounce later).
    const due = makeAt + this.gapMs + this.debounceMs - this.clock.now();
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = null;
        this.finish();
      },
      Math.max(0, due),
    );
  }

  /** A break began at `at` (reported after the debounce): a digit whose gap had passed ends first. */
  breakBegan(at: number): void {
    this.cancelTimer(); // the break's end decides (pulse(), or abort() for a flash or hanging up)
    if (this.count > 0 && at - this.lastMakeAt >= this.gapMs) this.finish();
  }

  /** A flash, hanging up or a break of no known length: the digit in progress is dropped. */
  abort(): void {
    this.cancelTimer();
    this.count = 0;
  }

  dispose(): void {
    this.abort();
  }

  private finish(): void {
    const n = this.count;
    this.count = 0;
    if (n === 0 || n > 10) return; // more than 10 pulses is no digit: dropped
    this.onDigit(n === 10 ? '0' : String(n), this.lastMakeAt - this.firstBreakAt);
  }

  private cancelTimer(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}

/** The hook relay levels (1 = off hook / seized) and how long each lasts, to pulse-dial `digits`. */
export function pulseSteps(digits: string, t: PulseTiming): { level: 0 | 1; ms: number }[] {
  if (!/^[0-9]+$/.test(digits)) throw new Error(`only 0-9 can be pulse-dialled (got "${digits}")`);
  const steps: { level: 0 | 1; ms: number }[] = [];
  [...digits].forEach((d, i) => {
    // Between digits the last pulse's make lasts the inter-digit pause instead.
    const last = steps.at(-1);
    if (i > 0 && last) last.ms = t.pulseInterDigitMs;
    const n = d === '0' ? 10 : Number(d);
    for (let k = 0; k < n; k++) {
      steps.push({ level: 0, ms: t.pulseBreakMs });
      steps.push({ level: 1, ms: t.pulseMakeMs });
    }
  });
  return steps;
}

/** Plays pulseSteps on a relay; `cancel()` stops at once (the caller decides the relay's level then). */
export class PulseDialer {
  private timer: TimerHandle | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly set: (level: 0 | 1) => void,
  ) {}

  get busy(): boolean {
    return this.timer !== null;
  }

  dial(digits: string, t: PulseTiming): void {
    const steps = pulseSteps(digits, t);
    const next = (i: number) => {
      const s = steps[i];
      if (!s) {
        this.timer = null;
        return;
      }
      this.set(s.level);
      this.timer = this.clock.setTimeout(() => next(i + 1), s.ms);
    };
    next(0);
  }

  cancel(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}

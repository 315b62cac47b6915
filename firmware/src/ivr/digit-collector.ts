/**
 * One try at collecting a number from the caller (an order number, an authenticity code): play the
 * clips (error prompts, then the request), digits may barge in; the number ends with the terminator
 * key or on reaching maxDigits, or on the inter-digit timeout once minDigits are in. No key within
 * firstDigitTimeoutS after the prompt ends is a timeout; a terminator with too few digits, a key
 * that is neither a digit nor the terminator, or an inter-digit timeout below minDigits is invalid.
 * Retries are the caller's (lookup-run.ts) business: one collector, one try.
 */
import type { FrameSource } from '../../../hal/src/audio.js';
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import { SequenceSource } from '../media/sequence.js';

export interface CollectSpec {
  minDigits: number;
  maxDigits: number;
  terminator?: '#' | '*' | 'none';
  firstDigitTimeoutS?: number;
  interDigitTimeoutS?: number;
  retries?: number;
  prompt?: string;
  invalidPrompt?: string;
  timeoutPrompt?: string;
}

export type ResolvedCollect = Required<CollectSpec>;

export const COLLECT_DEFAULTS = {
  terminator: '#',
  firstDigitTimeoutS: 8,
  interDigitTimeoutS: 4,
  retries: 2,
  invalidPrompt: 'invalid',
  timeoutPrompt: 'no-input',
} as const;

export function resolveCollect(
  spec: CollectSpec | undefined,
  fallback: { minDigits: number; maxDigits: number; prompt: string },
): ResolvedCollect {
  return {
    ...COLLECT_DEFAULTS,
    ...fallback,
    ...(spec ?? {}),
  } as ResolvedCollect;
}

/** How a try ended: a number (by terminator, by reaching max, by the inter-digit timeout), or a failure. */
export type CollectResult =
  | { ok: true; digits: string; end: 'terminator' | 'max' | 'interDigitTimeout' }
  | { ok: false; why: 'timeout' | 'invalid'; digits: string };

export interface CollectorHooks {
  play(source: FrameSource, onDone: () => void): void;
  stopPlayback(): void;
  result(r: CollectResult): void;
}

export class DigitCollector {
  private digits = '';
  private timer: TimerHandle | null = null;
  private over = false;

  constructor(
    private readonly spec: ResolvedCollect,
    private readonly clock: Clock,
    private readonly hooks: CollectorHooks,
  ) {}

  /** Play the clips (the last one asks for the number), then wait for the first key. */
  start(clips: Int16Array[]): void {
    this.hooks.play(new SequenceSource(clips), () =>
      this.arm(this.spec.firstDigitTimeoutS, () => this.end({ ok: false, why: 'timeout', digits: '' })),
    );
  }

  digit(d: string): void {
    if (this.over) return;
    this.hooks.stopPlayback();
    const term = this.spec.terminator;
    if (term !== 'none' && d === term) {
      if (this.digits.length >= this.spec.minDigits) this.end({ ok: true, digits: this.digits, end: 'terminator' });
      else this.end({ ok: false, why: 'invalid', digits: this.digits });
      return;
    }
    if (!/^[0-9]$/.test(d)) {
      this.end({ ok: false, why: 'invalid', digits: this.digits });
      return;
    }
    this.digits += d;
    if (this.digits.length >= this.spec.maxDigits) {
      this.end({ ok: true, digits: this.digits, end: 'max' });
      return;
    }
    this.arm(this.spec.interDigitTimeoutS, () => {
      if (this.digits.length >= this.spec.minDigits) this.end({ ok: true, digits: this.digits, end: 'interDigitTimeout' });
      else this.end({ ok: false, why: 'invalid', digits: this.digits });
    });
  }

  stop(): void {
    this.over = true;
    this.clear();
  }

  private arm(seconds: number, fn: () => void): void {
    if (this.over) return;
    this.clear();
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      fn();
    }, seconds * 1000);
  }

  private end(r: CollectResult): void {
    if (this.over) return;
    this.over = true;
    this.clear();
    this.hooks.result(r);
  }

  private clear(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}

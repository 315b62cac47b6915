/**
 * A self-service lookup in the IVR (order status, authenticity code, where to buy): collect the
 * number (orderStatus, authenticity) with retries, ask the answerer, play the answer, then offer
 * 1 = hear it again, 0 = an agent (the action's queue), 9 = hang up. A failed try (no key, wrong
 * length, unknown number) plays its prompt and asks again until the tries run out; then the caller
 * goes to the queue (or is hung up, `onFail: 'hangup'`).
 */
import type { FrameSource } from '../../../hal/src/audio.js';
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import { SequenceSource } from '../media/sequence.js';
import { type CollectResult, type CollectSpec, DigitCollector, type ResolvedCollect, resolveCollect } from './digit-collector.js';

export type LookupKind = 'orderStatus' | 'authenticity' | 'whereToBuy';

export interface LookupAction {
  action: 'lookup';
  lookup: LookupKind;
  queue: string;
  collect?: CollectSpec;
  onFail?: 'queue' | 'hangup';
}

/**
 * What the answerer found. `next`: play the clips and offer the options; or play them and ask for
 * the number again (a number not found counts as a failed try); or give up (lookup unavailable).
 */
export interface LookupAnswer {
  outcome: string;
  clips: Int16Array[];
  next: 'options' | 'retry' | 'fail';
}

export type LookupEnd = { action: 'queue'; queue: string } | { action: 'hangup' };

export interface LookupHooks {
  play(source: FrameSource, onDone: () => void): void;
  stopPlayback(): void;
  prompt(name: string): Int16Array;
  answer(kind: LookupKind, digits: string): LookupAnswer;
  /** A try at collecting ended (analytics: result and how many digits, never the digits). */
  onCollect(result: CollectResult): void;
  onLookup(outcome: string): void;
  /** An accepted option key (1, 0, 9). */
  onKey(digit: string): void;
  done(end: LookupEnd, reason: 'selected' | 'timeout' | 'invalid'): void;
}

/** Digits of each lookup when the config gives no `collect`. */
const DEFAULTS: Record<Exclude<LookupKind, 'whereToBuy'>, { minDigits: number; maxDigits: number; prompt: string }> = {
  orderStatus: { minDigits: 4, maxDigits: 20, prompt: 'enter-order-number' },
  authenticity: { minDigits: 6, maxDigits: 24, prompt: 'enter-code' },
};

/** How long the options wait for a key, and how often they are offered before hanging up. */
export const OPTIONS_TIMEOUT_S = 6;
export const OPTIONS_PLAYS = 3;

export class LookupRun {
  private readonly spec: ResolvedCollect | null;
  private collector: DigitCollector | null = null;
  private failures = 0;
  private answerClips: Int16Array[] = [];
  private optionPlays = 0;
  private inOptions = false;
  private timer: TimerHandle | null = null;
  private over = false;

  constructor(
    private readonly action: LookupAction,
    private readonly clock: Clock,
    private readonly hooks: LookupHooks,
  ) {
    this.spec = action.lookup === 'whereToBuy' ? null : resolveCollect(action.collect, DEFAULTS[action.lookup]);
  }

  /** The IVR node this run counts as in analytics. */
  get node(): string {
    return `lookup:${this.action.lookup}`;
  }

  start(): void {
    if (this.spec) this.ask([]);
    else this.answered(this.hooks.answer(this.action.lookup, ''));
  }

  digit(d: string): void {
    if (this.over) return;
    if (this.collector) {
      this.collector.digit(d);
      return;
    }
    if (!this.inOptions) return;
    this.clear();
    this.hooks.stopPlayback();
    if (d === '1') {
      this.hooks.onKey(d);
      this.optionPlays = 0;
      this.offer(this.answerClips);
    } else if (d === '0') {
      this.hooks.onKey(d);
      this.finish({ action: 'queue', queue: this.action.queue }, 'selected');
    } else if (d === '9') {
      this.hooks.onKey(d);
      this.inOptions = false;
      this.hooks.play(new SequenceSource([this.hooks.prompt('goodbye')]), () => this.finish({ action: 'hangup' }, 'selected'));
    } else {
      this.offer([this.hooks.prompt(this.spec?.invalidPrompt ?? 'invalid')]);
    }
  }

  stop(): void {
    this.over = true;
    this.collector?.stop();
    this.collector = null;
    this.clear();
  }

  private ask(before: Int16Array[]): void {
    const spec = this.spec as ResolvedCollect;
    this.collector = new DigitCollector(spec, this.clock, {
      play: (src, done) => this.hooks.play(src, done),
      stopPlayback: () => this.hooks.stopPlayback(),
      result: (r) => this.collected(r),
    });
    this.collector.start([...before, this.hooks.prompt(spec.prompt)]);
  }

  private collected(r: CollectResult): void {
    this.collector = null;
    if (this.over) return;
    this.hooks.onCollect(r);
    const spec = this.spec as ResolvedCollect;
    if (!r.ok) {
      this.failed([this.hooks.prompt(r.why === 'timeout' ? spec.timeoutPrompt : spec.invalidPrompt)], r.why);
      return;
    }
    this.answered(this.hooks.answer(this.action.lookup, r.digits));
  }

  private answered(a: LookupAnswer): void {
    this.hooks.onLookup(a.outcome);
    if (a.next === 'retry') this.failed(a.clips, 'invalid');
    else if (a.next === 'fail') this.giveUp(a.clips, 'invalid');
    else {
      this.answerClips = a.clips;
      this.offer(a.clips);
    }
  }

  private failed(clips: Int16Array[], why: 'timeout' | 'invalid'): void {
    this.failures++;
    if (this.failures > (this.spec?.retries ?? 0)) this.giveUp(clips, why);
    else this.ask(clips);
  }

  /** Play what there is to say, then the queue (or hang up). */
  private giveUp(clips: Int16Array[], why: 'timeout' | 'invalid'): void {
    const end: LookupEnd = this.action.onFail === 'hangup' ? { action: 'hangup' } : { action: 'queue', queue: this.action.queue };
    if (clips.length === 0) this.finish(end, why);
    else this.hooks.play(new SequenceSource(clips), () => this.finish(end, why));
  }

  /** Play `before` and the options, then wait for 1 / 0 / 9. */
  private offer(before: Int16Array[]): void {
    if (++this.optionPlays > OPTIONS_PLAYS) {
      this.finish({ action: 'hangup' }, 'timeout');
      return;
    }
    this.inOptions = true;
    this.hooks.play(new SequenceSource([...before, this.hooks.prompt('lookup-options')]), () => {
      if (this.over) return;
      this.clear();
      this.timer = this.clock.setTimeout(() => {
        this.timer = null;
        this.offer([]);
      }, OPTIONS_TIMEOUT_S * 1000);
    });
  }

  private finish(end: LookupEnd, reason: 'selected' | 'timeout' | 'invalid'): void {
    if (this.over) return;
    this.over = true;
    this.clear();
    this.hooks.done(end, reason);
  }

  private clear(): void {
    this.timer?.cancel();
    this.timer = null;
  }
}

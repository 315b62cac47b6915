/**
 * A small conference mixed in the box (up to a handful of legs): clocked by the caller's line like
 * `CallMedia`, each caller frame mixes one 20 ms frame for every leg. Each leg hears the sum of the
 * others, never itself (N-1 mixing):
 *
 * - `talk` legs (caller, agent, added parties, a barging supervisor) are heard by everyone;
 * - `listen` legs (a silent supervisor) hear everyone and are heard by nobody;
 * - `whisper` legs (a coaching supervisor) hear everyone and are heard only by legs that hear
 *   whispers (the agent), never by the caller.
 *
 * Clipping protection: the sum is taken in 32 bits and each leg's output has its own limiter (gain
 * cut at once to keep the frame's peak under LIMIT, then recovering slowly), so three loud talkers
 * come out quieter instead of hard-clipped. The frames of the other legs are those they sent since
 * the last caller frame; a leg that sent none counts as silent for that tick. No allocation per frame.
 */
import { FRAME_SAMPLES, type Frame } from '../../../hal/src/audio.js';
import type { Channel } from '../../../hal/src/channel.js';

export type MixMode = 'talk' | 'listen' | 'whisper';

/** Peak kept under this (about -0.1 dBFS of int16) by the limiter. */
export const LIMIT = 32_000;
/** Per frame, the limiter's gain moves this fraction of the way back to 1. */
const RELEASE = 0.05;

interface MixLeg {
  ch: Channel;
  mode: MixMode;
  hearsWhisper: boolean;
  last: Int16Array;
  fresh: boolean;
  gain: number;
}

export class ConferenceMix {
  private readonly legs: MixLeg[] = [];
  private readonly caller: MixLeg;
  private readonly talk = new Int32Array(FRAME_SAMPLES);
  private readonly whisper = new Int32Array(FRAME_SAMPLES);
  private readonly acc = new Int32Array(FRAME_SAMPLES);
  private readonly out = new Int16Array(FRAME_SAMPLES);
  private readonly others = new Int16Array(FRAME_SAMPLES);
  private readonly all = new Int16Array(FRAME_SAMPLES);
  private readonly listeners = new Set<(frame: Int16Array) => void>();

  constructor(callerLine: Channel) {
    this.caller = this.leg(callerLine, 'talk', false);
    this.legs.push(this.caller);
  }

  /** Add a leg (its frames now come to the mixer). `hearsWhisper`: the agent side of a whisper. */
  add(ch: Channel, mode: MixMode, hearsWhisper: boolean): void {
    if (this.find(ch)) return;
    const leg = this.leg(ch, mode, hearsWhisper);
    this.legs.push(leg);
    ch.setFrameSink((f) => {
      leg.last.set(f);
      leg.fresh = true;
    });
  }

  setMode(ch: Channel, mode: MixMode): void {
    const leg = this.find(ch);
    if (leg && leg !== this.caller) leg.mode = mode;
  }

  modeOf(ch: Channel): MixMode | null {
    return this.find(ch)?.mode ?? null;
  }

  /** Take a leg out (its frames go nowhere). */
  remove(ch: Channel): void {
    const i = this.legs.findIndex((l) => l.ch === ch);
    if (i <= 0) return;
    this.legs.splice(i, 1);
    ch.setFrameSink(null);
  }

  /** The legs besides the caller. */
  get size(): number {
    return this.legs.length - 1;
  }

  /** Hear the mix of the talking legs (caller included) each tick, e.g. a browser listening in; returns the unsubscriber. */
  listen(fn: (frame: Int16Array) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get listening(): number {
    return this.listeners.size;
  }

  /** Stop: every leg but the caller's is released (the caller's sink belongs to `CallMedia`). */
  detach(): void {
    for (const l of this.legs.splice(1)) l.ch.setFrameSink(null);
    this.listeners.clear();
  }

  /**
   * One caller frame: every leg gets its mix. Returns what the recording keeps beside the caller:
   * the talking legs other than the caller (agent, parties, a barging supervisor; whispers and
   * silent listeners are not recorded). The returned frame is reused on the next call.
   */
  fromCaller(frame: Frame): Int16Array {
    this.caller.last.set(frame);
    this.caller.fresh = true;
    const { talk, whisper } = this;
    talk.fill(0);
    whisper.fill(0);
    for (const l of this.legs) {
      if (!l.fresh || l.mode === 'listen') continue;
      const into = l.mode === 'talk' ? talk : whisper;
      const src = l.last;
      for (let i = 0; i < FRAME_SAMPLES; i++) (into[i] as number) += src[i] as number;
    }
    for (const l of this.legs) this.mixFor(l);
    const callerIn = this.caller.last;
    for (let i = 0; i < FRAME_SAMPLES; i++) this.others[i] = sat((talk[i] as number) - (callerIn[i] as number));
    if (this.listeners.size > 0) {
      // the whole mix only while a browser listens in (most frames have no listener)
      for (let i = 0; i < FRAME_SAMPLES; i++) this.all[i] = sat(talk[i] as number);
      for (const fn of this.listeners) fn(this.all);
    }
    for (const l of this.legs) l.fresh = false;
    return this.others;
  }

  private mixFor(l: MixLeg): void {
    const { acc, talk, whisper } = this;
    const own = l.fresh && l.mode === 'talk' ? l.last : null;
    let peak = 0;
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      let v = talk[i] as number;
      if (own) v -= own[i] as number;
      if (l.hearsWhisper) v += whisper[i] as number;
      acc[i] = v;
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
    }
    l.gain += (1 - l.gain) * RELEASE;
    if (peak * l.gain > LIMIT) l.gain = LIMIT / peak;
    const g = l.gain;
    const out = this.out;
    for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = sat(Math.round((acc[i] as number) * g));
    l.ch.write(out);
  }

  private find(ch: Channel): MixLeg | undefined {
    return this.legs.find((l) => l.ch === ch);
  }

  private leg(ch: Channel, mode: MixMode, hearsWhisper: boolean): MixLeg {
    return { ch, mode, hearsWhisper, last: new Int16Array(FRAME_SAMPLES), fresh: false, gain: 1 };
  }
}

function sat(v: number): number {
  return Math.min(32767, Math.max(-32768, v));
}

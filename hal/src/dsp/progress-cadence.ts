import type { ProgressProfile, ProgressTone } from './progress-profiles.js';
import { cadenceMatches, cadenceTolerance } from './progress-profiles.js';

const keeps = (ms: number, nominal: number): boolean => Math.abs(ms - nominal) <= KEEP_TOLERANCES * cadenceTolerance(nominal);
const keepMax = (nominal: number): number => nominal + KEEP_TOLERANCES * cadenceTolerance(nominal);

/*
 * Cadence tracking for the call-progress detector: turns on/off segments of tone classes into
 * recognised tones (see progress-profiles.ts for the rules). Segments come in as they end, with
 * times in ms; tick() tells how long the current segment has lasted. One tone is active at a
 * time; when its cadence breaks it ends, and the segments that made it are forgotten.
 * Preallocated history; nothing allocated per call.
 */

/** Segment symbol for "no tone" (silence, voice or anything else). */
export const OFF = -1;
/** A cadenced tone is recognised once the pause after its burst reaches this (or its own minimum). */
export const RECOGNIZE_OFF_MS = 1000;
/** A recognised tone keeps going while its segments stay within this many tolerances. */
export const KEEP_TOLERANCES = 1.5;
const HISTORY = 8;

export interface CadenceEvents {
  start(tone: number, startMs: number): void;
  end(endMs: number): void;
}

export class CadenceTracker {
  private readonly tones: readonly ProgressTone[];
  private readonly hSym = new Int32Array(HISTORY);
  private readonly hStart = new Float64Array(HISTORY);
  private readonly hEnd = new Float64Array(HISTORY);
  private head = 0;
  private count = 0;
  /** The current segment. */
  sym = OFF;
  startMs = 0;
  /** Index into profile.tones of the active tone, or -1; and where its last burst ended. */
  active = -1;
  lastBurstEnd = 0;

  constructor(
    profile: ProgressProfile,
    private readonly events: CadenceEvents,
  ) {
    this.tones = profile.tones;
  }

  reset(): void {
    this.head = this.count = 0;
    this.sym = OFF;
    this.startMs = 0;
    this.active = -1;
  }

  /** The current segment ends at `atMs` and a segment of `sym` begins. */
  segment(sym: number, atMs: number): void {
    if (sym === this.sym) return;
    const ended = this.sym;
    const dur = atMs - this.startMs;
    this.hSym[this.head] = ended;
    this.hStart[this.head] = this.startMs;
    this.hEnd[this.head] = atMs;
    this.head = (this.head + 1) % HISTORY;
    this.count = Math.min(this.count + 1, HISTORY);
    const endedStart = this.startMs;
    this.sym = sym;
    this.startMs = atMs;
    const tone = this.active >= 0 ? this.tones[this.active] : undefined;
    if (ended !== OFF) {
      if (tone && tone.cls === ended && tone.cycles >= 0 && keeps(dur, tone.onMs)) this.lastBurstEnd = atMs;
      else if (tone) this.stop(tone.cls === ended && tone.cycles < 0 ? atMs : this.lastBurstEnd);
      if (this.active < 0) this.burst(ended, dur, endedStart, atMs);
    } else if (tone && tone.cycles >= 0 && !keeps(dur, tone.offMs) && dur < tone.offMs) this.stop(this.lastBurstEnd);
  }

  /** The current segment has lasted until `nowMs`. */
  tick(nowMs: number): void {
    const segMs = nowMs - this.startMs;
    const tone = this.active >= 0 ? this.tones[this.active] : undefined;
    if (this.sym !== OFF) {
      if (tone && tone.cls === this.sym && tone.cycles >= 0 && segMs > keepMax(tone.onMs)) this.stop(this.startMs);
      for (let k = 0; k < this.tones.length; k++) {
        const t = this.tones[k] as ProgressTone;
        if (t.cls === this.sym && t.cycles < 0 && this.active !== k && segMs >= t.continuousMs) {
          this.stop(this.startMs);
          this.begin(k, this.startMs, nowMs);
        }
      }
    } else {
      if (tone && tone.cycles >= 0 && segMs > keepMax(tone.offMs)) this.stop(this.lastBurstEnd);
      if (this.active < 0) this.pause(segMs);
    }
  }

  /** End the active tone (its segments are no evidence for the next one). */
  stop(endMs: number): void {
    if (this.active < 0) return;
    this.active = -1;
    this.count = 0;
    this.events.end(endMs);
  }

  private begin(tone: number, startMs: number, lastBurstEnd: number): void {
    this.active = tone;
    this.lastBurstEnd = lastBurstEnd;
    this.events.start(tone, startMs);
  }

  /** cycles-0 tones (CNG): one burst of the right length has ended. */
  private burst(cls: number, durMs: number, startMs: number, endMs: number): void {
    for (let k = 0; k < this.tones.length; k++) {
      const t = this.tones[k] as ProgressTone;
      if (t.cls === cls && t.cycles === 0 && cadenceMatches(durMs, t.onMs)) {
        this.begin(k, startMs, endMs);
        return;
      }
    }
  }

  /** In a pause: do the last bursts and this pause make a cycles-1 or cycles-2 tone? */
  private pause(offMs: number): void {
    for (let k = 0; k < this.tones.length; k++) {
      const t = this.tones[k] as ProgressTone;
      if (t.cycles < 1 || this.count < 2 * t.cycles - 1) continue;
      const tolOff = cadenceTolerance(t.offMs);
      if (offMs < Math.min(t.offMs - tolOff, RECOGNIZE_OFF_MS) || offMs > t.offMs + tolOff) continue;
      const on1 = this.seg(0);
      if (this.hSym[on1] !== t.cls || !cadenceMatches(this.dur(on1), t.onMs)) continue;
      let first = on1;
      if (t.cycles === 2) {
        const off1 = this.seg(1);
        const on2 = this.seg(2);
        if (this.hSym[off1] !== OFF || !cadenceMatches(this.dur(off1), t.offMs)) continue;
        if (this.hSym[on2] !== t.cls || !cadenceMatches(this.dur(on2), t.onMs)) continue;
        first = on2;
      }
      this.begin(k, this.hStart[first] as number, this.hEnd[on1] as number);
      return;
    }
  }

  /** History slot of the k-th most recent segment. */
  private seg(k: number): number {
    return (this.head + HISTORY - 1 - k) % HISTORY;
  }

  private dur(slot: number): number {
    return (this.hEnd[slot] as number) - (this.hStart[slot] as number);
  }
}

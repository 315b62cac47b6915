import type { Frame, FrameSource } from '../audio.js';
import { SAMPLE_RATE } from '../audio.js';
import { SineOscillator } from './oscillator.js';

/** What a call-progress (or any cadenced) tone sounds like. Plain data: presets are ToneSpecs. */
export interface ToneSpec {
  /** One or two frequencies in Hz, played together. */
  readonly freqs: readonly number[];
  /** Level of each frequency component in dBm0: one value for all, or one per frequency. */
  readonly levelDbm0: number | readonly number[];
  /**
   * Cadence in ms, alternating on and off and starting with on: [on, off, on, off, ...].
   * Omitted or empty: continuous tone.
   */
  readonly cadenceMs?: readonly number[];
  /** Repeat the cadence forever (default true); when false the tone ends after one pass. */
  readonly repeat?: boolean;
}

export interface ToneOptions {
  /** Stop after this many ms in total (default: the tone's own end, or never). */
  readonly durationMs?: number;
}

const msToSamples = (ms: number): number => Math.round((ms * SAMPLE_RATE) / 1000);

/**
 * Renders a ToneSpec as 8 kHz PCM, one frame per `read()`. Phase-continuous across frames: the
 * oscillator state lives in the generator, so the output does not depend on how it is cut into
 * reads. Each on-segment of the cadence restarts the sines at phase 0 (no click at the start of
 * a burst); off-segments are digital silence. Cadence boundaries are sample-exact (ms × 8).
 *
 * `read(out)` fills all of `out` and returns true while the tone lasts; the read in which it
 * ends is padded with silence and still returns true; later reads return false (and zero `out`).
 * No allocation after construction.
 */
export class ToneGenerator implements FrameSource {
  private readonly osc = new SineOscillator();
  /** Segment lengths in samples; even index = on, odd = off. */
  private readonly segments: Int32Array;
  private readonly repeat: boolean;
  private readonly totalSamples: number;
  private segIndex = 0;
  private segLeft = 0;
  private produced = 0;
  private done = false;

  constructor(spec: ToneSpec, opts: ToneOptions = {}) {
    const freqs = spec.freqs;
    if (freqs.length < 1 || freqs.length > 2) {
      throw new RangeError(`ToneGenerator: one or two frequencies, got ${freqs.length}`);
    }
    const levels = typeof spec.levelDbm0 === 'number' ? freqs.map(() => spec.levelDbm0 as number) : spec.levelDbm0;
    this.osc.configure(freqs, levels);

    const cadence = spec.cadenceMs ?? [];
    for (const ms of cadence) {
      if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`ToneGenerator: bad cadence entry ${ms} ms`);
    }
    if (cadence.length > 0 && !cadence.some((ms) => msToSamples(ms) > 0)) {
      throw new RangeError('ToneGenerator: cadence has no non-zero segment');
    }
    // A continuous tone is one endless on-segment.
    this.segments = Int32Array.from(cadence.length > 0 ? cadence.map(msToSamples) : [0x7fffffff]);
    this.repeat = cadence.length === 0 ? true : (spec.repeat ?? true);

    const d = opts.durationMs;
    if (d !== undefined && !(d >= 0)) throw new RangeError(`ToneGenerator: bad durationMs ${d}`);
    this.totalSamples = d === undefined ? Number.POSITIVE_INFINITY : msToSamples(d);
    this.reset();
  }

  /** Start over from the beginning of the cadence. */
  reset(): void {
    this.segIndex = 0;
    this.segLeft = this.segments[0] as number;
    this.produced = 0;
    this.done = this.totalSamples === 0;
    this.osc.resetPhase();
  }

  /** True while the tone is in an on-segment (what a lamp or a test would show). */
  get isOn(): boolean {
    return !this.done && this.segIndex % 2 === 0;
  }

  /** True once the tone has ended (non-repeating cadence played, or durationMs reached). */
  get finished(): boolean {
    return this.done;
  }

  read(out: Frame): boolean {
    if (this.done) {
      out.fill(0);
      return false;
    }
    let i = 0;
    while (i < out.length) {
      if (this.produced >= this.totalSamples || !this.nextSegmentIfNeeded()) {
        this.done = true;
        out.fill(0, i);
        break;
      }
      const n = Math.min(out.length - i, this.segLeft, this.totalSamples - this.produced);
      if (this.segIndex % 2 === 0) this.osc.render(out, i, n);
      else out.fill(0, i, i + n);
      i += n;
      this.segLeft -= n;
      this.produced += n;
    }
    if (this.produced >= this.totalSamples || (this.segLeft === 0 && !this.hasMoreSegments())) {
      this.done = true;
    }
    return true;
  }

  private hasMoreSegments(): boolean {
    if (this.repeat) return true;
    for (let k = this.segIndex + 1; k < this.segments.length; k++) if ((this.segments[k] as number) > 0) return true;
    return false;
  }

  /** Move past exhausted (and zero-length) segments; false when the cadence has ended. */
  private nextSegmentIfNeeded(): boolean {
    while (this.segLeft === 0) {
      let next = this.segIndex + 1;
      if (next >= this.segments.length) {
        if (!this.repeat) return false;
        next = 0;
      }
      this.segIndex = next;
      this.segLeft = this.segments[next] as number;
      if (next % 2 === 0 && this.segLeft > 0) this.osc.resetPhase();
    }
    return true;
  }
}

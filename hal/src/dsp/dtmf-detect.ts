import { SAMPLE_RATE } from '../audio.js';
import { argmax4, goertzel8 } from './dtmf-goertzel.js';
import { DTMF_DIGITS } from './dtmf-tables.js';
import type { DtmfMeasurement } from './dtmf-validate.js';
import { DtmfValidator, WINDOW } from './dtmf-validate.js';
import { dbm0ToPower } from './level.js';

/*
 * DTMF detection to ITU-T Q.23/Q.24, in two stages.
 *
 * Stage 1, every DTMF_BLOCK_SIZE samples (cheap, runs on everything): the block's energy; if it
 * could hold two tones at the minimum level, 8 Goertzel filters (one per DTMF frequency) and
 * these checks, all loose enough to pass every valid key:
 *   level, twist (with BLOCK_ALLOWANCE_DB for off-tune tones), relative peak within each group,
 *   the pair's share of the block energy, and steadiness (both half-blocks hold similar energy,
 *   so a block the tone only partly covers does not count: this makes the duration limits).
 *
 * Stage 2, when stage 1 has seen the same key in MIN_HIT_BLOCKS consecutive blocks (rare on
 * speech): dtmf-validate.ts measures those two blocks precisely: each tone's frequency
 * (accepted within MAX_DEVIATION_PCT, so ±1.5 % passes and ±3.5 % fails, on either tone alone),
 * level and twist from a least-squares fit, the residual energy the two tones leave
 * (MAX_RESIDUAL_RATIO) and each tone's second harmonic (MAX_HARMONIC_DB). Only then is the
 * digit reported.
 *
 * Timing: onDigit fires when the digit is certain (after two blocks, 25.5 ms, plus the time
 * validation waited); it ends after END_MISS_BLOCKS blocks without it: a 10 ms dropout spoils
 * at most two blocks and is bridged, a 40 ms pause always spans three. 40 ms tones always give
 * two steady blocks; tones under 23 ms never do.
 *
 * Samples are consumed as they come: process() takes any length, the partial block carries over.
 * Nothing is allocated after construction.
 */

/** Goertzel block length: 102 samples = 12.75 ms at 8 kHz, bin width 78.4 Hz. */
export const DTMF_BLOCK_SIZE = WINDOW;
export const DTMF_BLOCK_MS = (DTMF_BLOCK_SIZE * 1000) / SAMPLE_RATE;

/** Weakest tone accepted by default, dBm0 per tone (works down to -36 dBm0 with margin). */
export const DEFAULT_MIN_LEVEL_DBM0 = -40;
/** Q.24: high-group tone up to this much above the low-group tone is accepted. */
export const NORMAL_TWIST_DB = 8;
/** Q.24: low-group tone up to this much above the high-group tone is accepted. */
export const REVERSE_TWIST_DB = 4;
/** Twist limits enforced are the accepted twist plus this (measurement margin). */
export const TWIST_MARGIN_DB = 0.5;
/** Largest accepted frequency error of each tone, percent (Q.24: accept 1.5, reject 3.5). */
export const MAX_DEVIATION_PCT = 2.5;
/** Largest share of the two blocks' energy the fitted pair may leave unexplained. */
export const MAX_RESIDUAL_RATIO = 0.07;
/** Highest second harmonic (of either tone, relative to that tone) accepted, dB. */
export const MAX_HARMONIC_DB = -12;
/** Stage 1: each tone beats the other frequencies of its group by this much. */
export const RELATIVE_PEAK_DB = 6;
/** Stage 1: level and twist checks are this much looser than stage 2 (off-tune tones lose energy). */
export const BLOCK_ALLOWANCE_DB = 3;
/** Stage 1: share of the block's energy the two tone bins must hold together. */
export const MIN_TONE_ENERGY_RATIO = 0.5;
/** Stage 1: weaker half-block energy over stronger half-block energy, at least. */
export const MIN_HALF_BLOCK_RATIO = 0.5;
/** Consecutive blocks with the same key before it is validated and reported. */
export const MIN_HIT_BLOCKS = 2;
/** Consecutive blocks without the key before it ends. */
export const END_MISS_BLOCKS = 3;

export interface DtmfDetectorOptions {
  /** Called once per digit, when it begins; durationMs is the duration seen so far. */
  onDigit?: (digit: string, durationMs: number) => void;
  /** Called when the digit ends, with its whole duration in ms. */
  onDigitEnd?: (digit: string, durationMs: number) => void;
  /** Weakest accepted tone, dBm0 per tone (default DEFAULT_MIN_LEVEL_DBM0). */
  minLevelDbm0?: number;
}

const N = DTMF_BLOCK_SIZE;
const HALF = N >> 1;
const db = (x: number): number => 10 ** (x / 10);
const RELATIVE_PEAK = db(RELATIVE_PEAK_DB);
const BLOCK_NORMAL_TWIST = db(NORMAL_TWIST_DB + TWIST_MARGIN_DB + BLOCK_ALLOWANCE_DB);
const BLOCK_REVERSE_TWIST = db(REVERSE_TWIST_DB + TWIST_MARGIN_DB + BLOCK_ALLOWANCE_DB);
const MAX_NORMAL_TWIST = db(NORMAL_TWIST_DB + TWIST_MARGIN_DB);
const MAX_REVERSE_TWIST = db(REVERSE_TWIST_DB + TWIST_MARGIN_DB);
const MAX_HARMONIC = db(MAX_HARMONIC_DB);

export class DtmfDetector {
  private readonly onDigit: ((digit: string, durationMs: number) => void) | undefined;
  private readonly onDigitEnd: ((digit: string, durationMs: number) => void) | undefined;
  /** Tone power (mean square of a sine, 16-bit units²) at minLevelDbm0. */
  private readonly minTonePower: number;
  private readonly minBlockTonePower: number;
  private readonly validator = new DtmfValidator();
  /** The previous block, then the block being filled: samples [0, N) and [N, 2N). */
  private readonly buf = new Float64Array(2 * N);
  private readonly power = new Float64Array(8);
  private n = 0;
  private blocks = 0;
  private prevEnergy = 0;

  // Block decisions → digits. Keys are indices into DTMF_DIGITS, -1 for none.
  private candidate = -1;
  private candidateBlocks = 0;
  private active = -1;
  private activeBlocks = 0;
  private misses = 0;

  constructor(opts: DtmfDetectorOptions = {}) {
    this.onDigit = opts.onDigit;
    this.onDigitEnd = opts.onDigitEnd;
    this.minTonePower = dbm0ToPower(opts.minLevelDbm0 ?? DEFAULT_MIN_LEVEL_DBM0);
    this.minBlockTonePower = this.minTonePower / db(BLOCK_ALLOWANCE_DB);
  }

  /** The digit currently held down, or null. */
  get activeDigit(): string | null {
    return this.active < 0 ? null : (DTMF_DIGITS[this.active] as string);
  }

  /**
   * Samples consumed since construction or reset(). Inside a callback it is the end of the block
   * that decided, so the digit began `position / 8 - durationMs` ms into the stream.
   */
  get position(): number {
    return this.blocks * N + this.n;
  }

  /** What stage 2 measured the last time it ran (frequencies, powers, residual, harmonics). */
  get lastMeasurement(): Readonly<DtmfMeasurement> {
    return this.validator.last;
  }

  /** Forget all state: partial block, candidate and active digit (no callbacks fire). */
  reset(): void {
    this.buf.fill(0);
    this.n = 0;
    this.blocks = 0;
    this.prevEnergy = 0;
    this.candidate = -1;
    this.candidateBlocks = 0;
    this.active = -1;
    this.activeBlocks = 0;
    this.misses = 0;
  }

  /** Feed samples (any count; 8 kHz linear PCM). Callbacks fire synchronously from here. */
  process(frame: Int16Array): void {
    const buf = this.buf;
    let n = this.n;
    for (let i = 0; i < frame.length; i++) {
      buf[N + n] = frame[i] as number;
      if (++n === N) {
        this.n = 0;
        this.block();
        n = this.n;
      }
    }
    this.n = n;
  }

  private block(): void {
    this.blocks++;
    const buf = this.buf;
    let e1 = 0;
    let e2 = 0;
    for (let i = N; i < N + HALF; i++) e1 += (buf[i] as number) * (buf[i] as number);
    for (let i = N + HALF; i < 2 * N; i++) e2 += (buf[i] as number) * (buf[i] as number);
    const energy = e1 + e2;
    // Two tones at the (loosened) minimum level hold at least this much energy.
    const hit = energy >= 2 * MIN_TONE_ENERGY_RATIO * this.minBlockTonePower * N ? this.classify(e1, e2) : -1;
    this.track(hit, energy);
    this.prevEnergy = energy;
    buf.copyWithin(0, N, 2 * N);
  }

  /** Stage 1: the key the finished block may hold (index into DTMF_DIGITS), or -1. */
  private classify(e1: number, e2: number): number {
    const power = this.power;
    goertzel8(this.buf, N, power);
    const row = argmax4(power, 0);
    const col = argmax4(power, 4);
    const rowPower = power[row] as number;
    const colPower = power[col] as number;
    if (rowPower < this.minBlockTonePower || colPower < this.minBlockTonePower) return -1;
    if (colPower > rowPower * BLOCK_NORMAL_TWIST || rowPower > colPower * BLOCK_REVERSE_TWIST) return -1;
    for (let k = 0; k < 4; k++) {
      if (k !== row && (power[k] as number) * RELATIVE_PEAK > rowPower) return -1;
      if (k + 4 !== col && (power[k + 4] as number) * RELATIVE_PEAK > colPower) return -1;
    }
    if (rowPower + colPower < (MIN_TONE_ENERGY_RATIO * (e1 + e2)) / N) return -1;
    if (Math.min(e1, e2) < MIN_HALF_BLOCK_RATIO * Math.max(e1, e2)) return -1;
    return row * 4 + (col - 4);
  }

  /** Stage 2 on the last two blocks: is `key` a real DTMF pair? */
  private validate(key: number, energy: number): boolean {
    const m = this.validator.measure(this.buf, 0, key >> 2, key & 3, this.prevEnergy + energy);
    return (
      Math.abs(m.rowDeviationPct) <= MAX_DEVIATION_PCT &&
      Math.abs(m.colDeviationPct) <= MAX_DEVIATION_PCT &&
      m.rowPower >= this.minTonePower &&
      m.colPower >= this.minTonePower &&
      m.colPower <= m.rowPower * MAX_NORMAL_TWIST &&
      m.rowPower <= m.colPower * MAX_REVERSE_TWIST &&
      m.residualRatio <= MAX_RESIDUAL_RATIO &&
      m.rowHarmonicRatio <= MAX_HARMONIC &&
      m.colHarmonicRatio <= MAX_HARMONIC
    );
  }

  /** Debounce block decisions into digit begin/end events. */
  private track(hit: number, energy: number): void {
    if (hit === this.candidate) this.candidateBlocks++;
    else {
      this.candidate = hit;
      this.candidateBlocks = 1;
    }

    if (this.active >= 0) {
      if (hit === this.active) {
        this.activeBlocks += this.misses + 1;
        this.misses = 0;
      } else if (++this.misses >= END_MISS_BLOCKS) {
        const ended = this.active;
        this.active = -1;
        this.onDigitEnd?.(DTMF_DIGITS[ended] as string, this.activeBlocks * DTMF_BLOCK_MS);
      }
    }

    if (this.active < 0 && this.candidate >= 0 && this.candidateBlocks >= MIN_HIT_BLOCKS && this.validate(this.candidate, energy)) {
      this.active = this.candidate;
      this.activeBlocks = this.candidateBlocks;
      this.misses = 0;
      this.onDigit?.(DTMF_DIGITS[this.active] as string, this.activeBlocks * DTMF_BLOCK_MS);
    }
  }
}

/** Inside onDigit(digit, durationMs): where the digit began, ms into the stream. */
export function digitStartMs(d: DtmfDetector, durationMs: number): number {
  return (d.position * 1000) / SAMPLE_RATE - durationMs;
}

/** Inside onDigitEnd: where the digit ended (END_MISS_BLOCKS blocks before the callback). */
export function digitEndMs(d: DtmfDetector): number {
  return ((d.position - END_MISS_BLOCKS * N) * 1000) / SAMPLE_RATE;
}

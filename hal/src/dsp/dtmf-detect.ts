import { SAMPLE_RATE } from '../audio.js';
import { DTMF_COL_FREQS, DTMF_DIGITS, DTMF_ROW_FREQS } from './dtmf-tables.js';
import { dbm0ToPower } from './level.js';

/*
 * DTMF detection (foundation version; a later issue hardens it to full ITU-T Q.23/Q.24).
 *
 * Signal path: every sample feeds 16 Goertzel filters (the 8 DTMF frequencies and their second
 * harmonics). Every DTMF_BLOCK_SIZE samples the block is classified as one key or none, then a
 * small state machine turns block decisions into digit events. Samples are consumed as they come,
 * so process() takes any length and the partial block carries over to the next call.
 *
 * Per-block checks, all thresholds below as named constants:
 *  1. level: the strongest row and column tones are each above minLevelDbm0;
 *  2. twist: column at most NORMAL_TWIST_DB above the row, row at most REVERSE_TWIST_DB above the
 *     column;
 *  3. relative peak: each tone beats every other frequency of its group by RELATIVE_PEAK_DB;
 *  4. second harmonic (talk-off): each tone's 2nd harmonic is well below it. A row's 2nd harmonic
 *     (1394-1882 Hz) lies in the column band; when it is within HARMONIC_GUARD_HZ of the detected
 *     column the column tone leaks into that bin at this block length, so the row check is
 *     skipped there (a longer block in the Q.24 version can lift this);
 *  5. energy ratio: the two tones hold at least MIN_TONE_ENERGY_RATIO of the block's energy.
 *     With 102-sample blocks this is also what rejects off-frequency tones: a tone 3.5 % off loses
 *     1.4-9.7 dB in its Goertzel bin, 1.5 % off only 0.25-1.4 dB;
 *  6. steadiness: both halves of the block hold similar energy (MIN_HALF_BLOCK_RATIO), so a
 *     block that the tone only partly covers does not count. This is what makes a 20 ms burst
 *     fail in every alignment while 40 ms always gives two full blocks.
 *
 * Timing: a digit is reported when the same key is seen in MIN_HIT_BLOCKS consecutive blocks
 * (25.5 ms), and ends after END_MISS_BLOCKS blocks without it. That is 3, not 2: a 10 ms dropout
 * that straddles a block boundary spoils two blocks, and must not split the digit in two, while
 * a 40 ms pause always spans three missed blocks. `onDigit` fires when the digit *begins*, with
 * the duration seen so far (typically 25.5 ms): callers (IVR menus, barge-in) want the key as
 * soon as it is certain, not after the user lets go. `onDigitEnd` reports the whole duration.
 */

/** Goertzel block length: 102 samples = 12.75 ms at 8 kHz, bin width 78.4 Hz. */
export const DTMF_BLOCK_SIZE = 102;
export const DTMF_BLOCK_MS = (DTMF_BLOCK_SIZE * 1000) / SAMPLE_RATE;

/** Weakest tone accepted by default, dBm0 per tone (works down to about -36 dBm0 with margin). */
export const DEFAULT_MIN_LEVEL_DBM0 = -40;
/** Highest accepted excess of the high-group tone over the low-group tone. */
export const NORMAL_TWIST_DB = 8;
/** Highest accepted excess of the low-group tone over the high-group tone. */
export const REVERSE_TWIST_DB = 4;
/** How far each tone must stand above every other frequency of its own group. */
export const RELATIVE_PEAK_DB = 8;
/** How far a row tone must stand above its own second harmonic. */
export const ROW_HARMONIC_DB = 6;
/** How far a column tone must stand above its own second harmonic. */
export const COL_HARMONIC_DB = 12;
/** A row's harmonic this close to the detected column is not checked (column leakage). */
export const HARMONIC_GUARD_HZ = 180;
/** Share of the block's energy the two tones must hold together. */
export const MIN_TONE_ENERGY_RATIO = 0.65;
/** Weaker half-block energy over stronger half-block energy, at least. */
export const MIN_HALF_BLOCK_RATIO = 0.7;
/** Consecutive blocks with the same key before it is reported. */
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

const NUM_TONES = 8; // 4 rows then 4 columns
const NUM_BINS = 2 * NUM_TONES; // fundamentals then second harmonics
const TONE_FREQS = [...DTMF_ROW_FREQS, ...DTMF_COL_FREQS];
const HALF_BLOCK = DTMF_BLOCK_SIZE >> 1;

const dbToPowerRatio = (db: number): number => 10 ** (db / 10);
const NORMAL_TWIST = dbToPowerRatio(NORMAL_TWIST_DB);
const REVERSE_TWIST = dbToPowerRatio(REVERSE_TWIST_DB);
const RELATIVE_PEAK = dbToPowerRatio(RELATIVE_PEAK_DB);
const ROW_HARMONIC = dbToPowerRatio(ROW_HARMONIC_DB);
const COL_HARMONIC = dbToPowerRatio(COL_HARMONIC_DB);

export class DtmfDetector {
  private readonly onDigit: ((digit: string, durationMs: number) => void) | undefined;
  private readonly onDigitEnd: ((digit: string, durationMs: number) => void) | undefined;
  /** Tone power (mean square of a sine, 16-bit units²) at minLevelDbm0. */
  private readonly minTonePower: number;

  // Goertzel bank: coefficient 2cos(ω) and the two state variables per bin.
  private readonly coefs = new Float64Array(NUM_BINS);
  private readonly s1 = new Float64Array(NUM_BINS);
  private readonly s2 = new Float64Array(NUM_BINS);
  /** Per-bin power of the last block, normalised to the mean power of a sine in that bin. */
  private readonly power = new Float64Array(NUM_BINS);
  private n = 0;
  private energyFirstHalf = 0;
  private energySecondHalf = 0;

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
    for (let k = 0; k < NUM_TONES; k++) {
      const f = TONE_FREQS[k] as number;
      this.coefs[k] = 2 * Math.cos((2 * Math.PI * f) / SAMPLE_RATE);
      this.coefs[k + NUM_TONES] = 2 * Math.cos((2 * Math.PI * 2 * f) / SAMPLE_RATE);
    }
  }

  /** The digit currently held down, or null. */
  get activeDigit(): string | null {
    return this.active < 0 ? null : (DTMF_DIGITS[this.active] as string);
  }

  /** Forget all state: partial block, candidate and active digit (no callbacks fire). */
  reset(): void {
    this.clearBlock();
    this.candidate = -1;
    this.candidateBlocks = 0;
    this.active = -1;
    this.activeBlocks = 0;
    this.misses = 0;
  }

  /** Feed samples (any count; 8 kHz linear PCM). Callbacks fire synchronously from here. */
  process(frame: Int16Array): void {
    const { coefs, s1, s2 } = this;
    for (let i = 0; i < frame.length; i++) {
      const x = frame[i] as number;
      for (let k = 0; k < NUM_BINS; k++) {
        const prev = s1[k] as number;
        s1[k] = (coefs[k] as number) * prev - (s2[k] as number) + x;
        s2[k] = prev;
      }
      if (this.n < HALF_BLOCK) this.energyFirstHalf += x * x;
      else this.energySecondHalf += x * x;
      if (++this.n === DTMF_BLOCK_SIZE) {
        this.track(this.classifyBlock());
        this.clearBlock();
      }
    }
  }

  private clearBlock(): void {
    this.s1.fill(0);
    this.s2.fill(0);
    this.n = 0;
    this.energyFirstHalf = 0;
    this.energySecondHalf = 0;
  }

  /** The key the finished block holds (index into DTMF_DIGITS), or -1. */
  private classifyBlock(): number {
    const { power, s1, s2, coefs } = this;
    const norm = 2 / (DTMF_BLOCK_SIZE * DTMF_BLOCK_SIZE);
    for (let k = 0; k < NUM_BINS; k++) {
      const a = s1[k] as number;
      const b = s2[k] as number;
      power[k] = (a * a + b * b - (coefs[k] as number) * a * b) * norm;
    }
    const row = argmax(power, 0);
    const col = argmax(power, 4);
    const rowPower = power[row] as number;
    const colPower = power[col] as number;

    // 1. level
    if (rowPower < this.minTonePower || colPower < this.minTonePower) return -1;
    // 2. twist
    if (colPower > rowPower * NORMAL_TWIST || rowPower > colPower * REVERSE_TWIST) return -1;
    // 3. relative peak within each group
    for (let k = 0; k < 4; k++) {
      if (k !== row && (power[k] as number) * RELATIVE_PEAK > rowPower) return -1;
      if (k + 4 !== col && (power[k + 4] as number) * RELATIVE_PEAK > colPower) return -1;
    }
    // 4. second harmonics
    if ((power[col + NUM_TONES] as number) * COL_HARMONIC > colPower) return -1;
    const rowHarmonicHz = 2 * (TONE_FREQS[row] as number);
    if (
      Math.abs(rowHarmonicHz - (TONE_FREQS[col] as number)) >= HARMONIC_GUARD_HZ &&
      (power[row + NUM_TONES] as number) * ROW_HARMONIC > rowPower
    ) {
      return -1;
    }
    // 5. the two tones hold most of the energy
    const meanPower = (this.energyFirstHalf + this.energySecondHalf) / DTMF_BLOCK_SIZE;
    if (rowPower + colPower < MIN_TONE_ENERGY_RATIO * meanPower) return -1;
    // 6. steady over the whole block
    const lo = Math.min(this.energyFirstHalf, this.energySecondHalf);
    const hi = Math.max(this.energyFirstHalf, this.energySecondHalf);
    if (lo < MIN_HALF_BLOCK_RATIO * hi) return -1;

    return row * 4 + (col - 4);
  }

  /** Debounce block decisions into digit begin/end events. */
  private track(hit: number): void {
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

    if (this.active < 0 && this.candidate >= 0 && this.candidateBlocks >= MIN_HIT_BLOCKS) {
      this.active = this.candidate;
      this.activeBlocks = this.candidateBlocks;
      this.misses = 0;
      this.onDigit?.(DTMF_DIGITS[this.active] as string, this.activeBlocks * DTMF_BLOCK_MS);
    }
  }
}

/** Index of the largest of values[from .. from+4). */
function argmax(values: Float64Array, from: number): number {
  let best = from;
  for (let k = from + 1; k < from + 4; k++) if ((values[k] as number) > (values[best] as number)) best = k;
  return best;
}

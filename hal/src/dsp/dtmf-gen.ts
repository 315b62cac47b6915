import type { Frame, FrameSource } from '../audio.js';
import { SAMPLE_RATE } from '../audio.js';
import { dtmfFrequencies } from './dtmf-tables.js';
import { SineOscillator } from './oscillator.js';

export interface DtmfGeneratorOptions {
  /** Tone duration per digit in ms (default 100). */
  readonly onMs?: number;
  /** Silence after each digit in ms, the last one included (default 100). */
  readonly offMs?: number;
  /** Level of each tone in dBm0 (default -10); with twist, the level of the low-group tone. */
  readonly levelDbm0?: number;
  /**
   * Twist in dB: high-group level minus low-group level (default 0). Positive is "normal" twist
   * (high group louder, as after a long line), negative is "reverse" twist.
   */
  readonly twistDb?: number;
  /** Shift both frequencies by this many percent (default 0), to simulate an off-tune sender. */
  readonly freqDeviationPct?: number;
  /** Shift only the low-group (row) frequency by this many percent, on top of freqDeviationPct. */
  readonly rowDeviationPct?: number;
  /** Shift only the high-group (column) frequency by this many percent, on top of freqDeviationPct. */
  readonly colDeviationPct?: number;
}

const msToSamples = (ms: number): number => Math.round((ms * SAMPLE_RATE) / 1000);

/**
 * Renders a digit string (0-9 * # A-D, case-insensitive) as DTMF audio: for each digit `onMs`
 * of the row+column tone pair, then `offMs` of silence (so the output lasts
 * digits × (onMs + offMs)). Each digit starts at phase 0. `read(out)` follows FrameSource:
 * true while there is audio (the last frame padded with silence), then false.
 * No allocation after construction.
 */
export class DtmfGenerator implements FrameSource {
  private readonly osc = new SineOscillator();
  private readonly digits: string;
  /** Row and column frequency of each digit, deviation applied: [row0, col0, row1, col1, ...]. */
  private readonly digitFreqs: Float64Array;
  private readonly onSamples: number;
  private readonly offSamples: number;
  private readonly levels: [number, number];
  private readonly freqs: [number, number] = [0, 0];
  private digitIndex = 0;
  /** Position inside the current digit's on+off period, in samples. */
  private pos = 0;

  constructor(digits: string, opts: DtmfGeneratorOptions = {}) {
    this.digits = digits;
    this.digitFreqs = new Float64Array(2 * digits.length);
    const both = opts.freqDeviationPct ?? 0;
    const rowFactor = (1 + both / 100) * (1 + (opts.rowDeviationPct ?? 0) / 100);
    const colFactor = (1 + both / 100) * (1 + (opts.colDeviationPct ?? 0) / 100);
    for (let i = 0; i < digits.length; i++) {
      const f = dtmfFrequencies(digits[i] as string);
      if (!f) throw new RangeError(`DtmfGenerator: ${JSON.stringify(digits[i])} is not a DTMF digit`);
      this.digitFreqs[2 * i] = f.row * rowFactor;
      this.digitFreqs[2 * i + 1] = f.col * colFactor;
    }
    const onMs = opts.onMs ?? 100;
    const offMs = opts.offMs ?? 100;
    if (!(onMs > 0) || !(offMs >= 0)) throw new RangeError(`DtmfGenerator: bad timing on=${onMs} off=${offMs} ms`);
    this.onSamples = msToSamples(onMs);
    this.offSamples = msToSamples(offMs);
    const level = opts.levelDbm0 ?? -10;
    this.levels = [level, level + (opts.twistDb ?? 0)];
    this.reset();
  }

  /** Total length of the rendered audio in ms. */
  get durationMs(): number {
    return (this.digits.length * (this.onSamples + this.offSamples) * 1000) / SAMPLE_RATE;
  }

  /** True once every digit and its trailing silence has been read. */
  get finished(): boolean {
    return this.digitIndex >= this.digits.length;
  }

  /** Start over from the first digit. */
  reset(): void {
    this.digitIndex = 0;
    this.pos = 0;
    if (this.digits.length > 0) this.startDigit();
  }

  read(out: Frame): boolean {
    if (this.finished) {
      out.fill(0);
      return false;
    }
    const period = this.onSamples + this.offSamples;
    let i = 0;
    while (i < out.length && !this.finished) {
      let n: number;
      if (this.pos < this.onSamples) {
        n = Math.min(out.length - i, this.onSamples - this.pos);
        this.osc.render(out, i, n);
      } else {
        n = Math.min(out.length - i, period - this.pos);
        out.fill(0, i, i + n);
      }
      i += n;
      this.pos += n;
      if (this.pos >= period) {
        this.digitIndex++;
        this.pos = 0;
        if (!this.finished) this.startDigit();
      }
    }
    if (i < out.length) out.fill(0, i);
    return true;
  }

  private startDigit(): void {
    this.freqs[0] = this.digitFreqs[2 * this.digitIndex] as number;
    this.freqs[1] = this.digitFreqs[2 * this.digitIndex + 1] as number;
    this.osc.configure(this.freqs, this.levels); // also resets the phase
  }
}

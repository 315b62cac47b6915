import { SAMPLE_RATE } from '../audio.js';
import type { FskSpec } from './fsk.js';
import { dbm0ToPower } from './level.js';

/*
 * Non-coherent FSK demodulator for 1200-baud caller ID (Bell 202, V.23): audio → bits.
 *
 *  - carrier detect: the signal power, smoothed over about 4 ms, above minLevelDbm0 turns the
 *    demodulator on, CARRIER_HYSTERESIS_DB below it turns it off. While off, a sample costs one
 *    multiply-add, so the watch can run on every line all the time;
 *  - per sample, complex correlation with the mark and the space frequency over the last
 *    CORRELATOR_SAMPLES (about one bit), as running sums; the bit is whichever energy is larger.
 *    The reference sines come from tables one period long (20, 40 or 80 samples at 8 kHz);
 *  - bit clock: a phase accumulator advancing baud/8000 per sample, pulled towards every
 *    transition of the raw decision (fast at first, then gently), sampled half a bit after the
 *    transitions, when the correlator window covers exactly one bit.
 * Framing (start/stop bits, seizure, marks) is the caller ID receiver's job (cid-receive.ts).
 * Nothing is allocated after construction.
 */

/** Correlation window: 7 samples ≈ one bit (6.67 samples) at 1200 baud. */
export const CORRELATOR_SAMPLES = 7;
/** Default carrier-detect threshold, dBm0. */
export const FSK_MIN_LEVEL_DBM0 = -48;
/** The carrier drops when the power falls this far below the threshold. */
export const CARRIER_HYSTERESIS_DB = 3;
/** Clock-recovery gain for the first transitions after carrier-up, then the steady gain. */
const LOCK_GAIN = 0.5;
const TRACK_GAIN = 0.15;
const LOCK_TRANSITIONS = 16;
/** Power smoothing: one-pole average with this coefficient (time constant 32 samples). */
const POWER_ALPHA = 1 / 32;

export interface FskDemodulatorOptions {
  /** Each demodulated bit (1 = mark), at the baud rate, while the carrier is up. */
  onBit: (bit: number) => void;
  /** Carrier detect changed. */
  onCarrier?: (on: boolean) => void;
  /** Carrier-detect threshold in dBm0 (default FSK_MIN_LEVEL_DBM0). */
  minLevelDbm0?: number;
}

/** Smallest number of samples holding a whole number of periods of `hz` (≤ SAMPLE_RATE). */
function periodSamples(hz: number): number {
  for (let n = 1; n < SAMPLE_RATE; n++) if (Number.isInteger((hz * n) / SAMPLE_RATE)) return n;
  return SAMPLE_RATE;
}

function table(hz: number, fn: (x: number) => number): Float64Array {
  const n = periodSamples(hz);
  return Float64Array.from({ length: n }, (_, i) => fn((2 * Math.PI * hz * i) / SAMPLE_RATE));
}

export class FskDemodulator {
  readonly spec: FskSpec;
  private readonly onBit: (bit: number) => void;
  private readonly onCarrier: ((on: boolean) => void) | undefined;
  private readonly onPower: number;
  private readonly offPower: number;
  private readonly markCos: Float64Array;
  private readonly markSin: Float64Array;
  private readonly spaceCos: Float64Array;
  private readonly spaceSin: Float64Array;
  /** Products in the window, per correlator: [markCos, markSin, spaceCos, spaceSin] × CORRELATOR_SAMPLES. */
  private readonly ring = new Float64Array(4 * CORRELATOR_SAMPLES);
  private readonly bitInc: number;
  private power = 0;
  private on = false;
  private mi = 0;
  private si = 0;
  private ri = 0;
  private mc = 0;
  private ms = 0;
  private sc = 0;
  private ss = 0;
  private raw = 1;
  private phase = 0;
  private transitions = 0;
  /** Samples consumed before the current process() call. */
  private base = 0;
  /** Sample position (since construction or reset) of the last bit passed to onBit. */
  lastBitAt = 0;
  // Mark-tone frequency tracking: the mark correlator's phase advance between mark bits.
  private prevBit = 0;
  private prevMc = 0;
  private prevMs = 0;
  private markTurn = 0;
  private markSamples = 0;

  constructor(spec: FskSpec, opts: FskDemodulatorOptions) {
    this.spec = spec;
    this.onBit = opts.onBit;
    this.onCarrier = opts.onCarrier;
    const min = opts.minLevelDbm0 ?? FSK_MIN_LEVEL_DBM0;
    this.onPower = dbm0ToPower(min);
    this.offPower = dbm0ToPower(min - CARRIER_HYSTERESIS_DB);
    this.markCos = table(spec.markHz, Math.cos);
    this.markSin = table(spec.markHz, Math.sin);
    this.spaceCos = table(spec.spaceHz, Math.cos);
    this.spaceSin = table(spec.spaceHz, Math.sin);
    this.bitInc = spec.baud / SAMPLE_RATE;
  }

  get carrier(): boolean {
    return this.on;
  }

  /**
   * How far the received mark tone is from this modem's mark frequency, Hz, averaged over the
   * mark bits since the carrier came up (NaN before two consecutive marks). A V.23 signal reads
   * about +100 Hz on a Bell 202 demodulator and vice versa; that tells the two apart.
   */
  get markOffsetHz(): number {
    return this.markSamples > 0 ? (-this.markTurn / this.markSamples) * (SAMPLE_RATE / (2 * Math.PI)) : Number.NaN;
  }

  /** Drop the carrier (without a callback) and forget all state. */
  reset(): void {
    this.power = 0;
    this.on = false;
    this.base = 0;
    this.restart();
  }

  process(frame: Int16Array): void {
    const { markCos, markSin, spaceCos, spaceSin, ring } = this;
    const mp = markCos.length;
    const sp = spaceCos.length;
    const W = CORRELATOR_SAMPLES;
    for (let i = 0; i < frame.length; i++) {
      const x = frame[i] as number;
      this.power += (x * x - this.power) * POWER_ALPHA;
      if (!this.on) {
        if (this.power < this.onPower) continue;
        this.restart();
        this.on = true;
        this.onCarrier?.(true);
      } else if (this.power < this.offPower) {
        this.on = false;
        this.onCarrier?.(false);
        continue;
      }
      const a = x * (markCos[this.mi] as number);
      const b = x * (markSin[this.mi] as number);
      const c = x * (spaceCos[this.si] as number);
      const d = x * (spaceSin[this.si] as number);
      if (++this.mi === mp) this.mi = 0;
      if (++this.si === sp) this.si = 0;
      const r = this.ri;
      this.mc += a - (ring[r] as number);
      this.ms += b - (ring[r + W] as number);
      this.sc += c - (ring[r + 2 * W] as number);
      this.ss += d - (ring[r + 3 * W] as number);
      ring[r] = a;
      ring[r + W] = b;
      ring[r + 2 * W] = c;
      ring[r + 3 * W] = d;
      if (++this.ri === W) this.ri = 0;

      const bit = this.mc * this.mc + this.ms * this.ms > this.sc * this.sc + this.ss * this.ss ? 1 : 0;
      if (bit !== this.raw) {
        this.raw = bit;
        // The transition marks a bit edge: pull phase 0 towards it.
        const err = this.phase < 0.5 ? this.phase : this.phase - 1;
        this.phase -= err * (this.transitions++ < LOCK_TRANSITIONS ? LOCK_GAIN : TRACK_GAIN);
        if (this.phase < 0) this.phase += 1;
      }
      const before = this.phase;
      this.phase += this.bitInc;
      if (this.phase >= 1) this.phase -= 1;
      if (before < 0.5 && before + this.bitInc >= 0.5) {
        const at = this.base + i;
        if (bit === 1 && this.prevBit === 1) {
          const re = this.mc * this.prevMc + this.ms * this.prevMs;
          const im = this.ms * this.prevMc - this.mc * this.prevMs;
          this.markTurn += Math.atan2(im, re);
          this.markSamples += at - this.lastBitAt;
        }
        this.prevBit = bit;
        this.prevMc = this.mc;
        this.prevMs = this.ms;
        this.lastBitAt = at;
        this.onBit(bit);
      }
    }
    this.base += frame.length;
  }

  private restart(): void {
    this.ring.fill(0);
    this.mc = this.ms = this.sc = this.ss = 0;
    this.ri = 0;
    this.raw = 1;
    this.phase = 0;
    this.transitions = 0;
    this.prevBit = 0;
    this.markTurn = 0;
    this.markSamples = 0;
  }
}

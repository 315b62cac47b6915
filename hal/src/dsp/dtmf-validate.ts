import { SAMPLE_RATE } from '../audio.js';
import { DTMF_COL_FREQS, DTMF_ROW_FREQS } from './dtmf-tables.js';
import { solve4 } from './linear-solve.js';

/*
 * Second stage of DTMF detection: a precise look at a candidate key, run only when the cheap
 * per-block stage (dtmf-detect.ts) has seen the same key in two consecutive blocks. It gets the
 * 2 × WINDOW samples of those two blocks and measures, per tone of the pair:
 *
 *  - frequency, from the phase advance of the tone between three overlapping WINDOW-sample
 *    windows (lag WINDOW/2 gives an unambiguous coarse offset up to ±78 Hz, lag WINDOW the fine
 *    one). Each window's complex amplitude is corrected once for the other tone's leakage and
 *    its own negative-frequency image, so the estimate stays within about 1 Hz at 8 dB twist.
 *    This is what rejects a ±3.5 % error on only ONE tone of the pair, which no energy check at
 *    this block length can (the README has the numbers);
 *  - amplitude, from a least-squares fit of both tones at their measured frequencies over all
 *    2 × WINDOW samples, and from it level and twist;
 *  - residual: the share of the energy that the two fitted sines do not explain (noise, speech,
 *    other tones, a gap in the tone). A DTMF pair at 15 dB SNR leaves about 3 %; speech and music
 *    leave far more; a tone shorter than the two blocks leaves about 10 %;
 *  - second harmonics of both tones, measured on that residual, so the column tone cannot leak
 *    into the row's harmonic bin (the foundation version had to skip that check for 3 keys).
 *
 * Everything is preallocated; validate() allocates nothing.
 */

/** Length of one analysis window (the detector's block), samples. */
export const WINDOW = 102;
const HALF = WINDOW / 2;
const SPAN = 2 * WINDOW;

/** Result of the last validate() call, for tests and diagnostics. */
export interface DtmfMeasurement {
  rowHz: number;
  colHz: number;
  /** Deviation from nominal in percent. */
  rowDeviationPct: number;
  colDeviationPct: number;
  /** Mean power of each fitted tone (16-bit units², a sine of peak A has A²/2). */
  rowPower: number;
  colPower: number;
  /** Residual energy over total energy, 0..1. */
  residualRatio: number;
  /** Second-harmonic power over the fundamental's power. */
  rowHarmonicRatio: number;
  colHarmonicRatio: number;
}

const TWO_PI = 2 * Math.PI;
const TONES = [...DTMF_ROW_FREQS, ...DTMF_COL_FREQS];
const omega = (hz: number): number => (TWO_PI * hz) / SAMPLE_RATE;

/** Σ_{n<N} e^{jθn} as [re, im]. */
function kernel(theta: number, n: number): [number, number] {
  const half = Math.sin(theta / 2);
  const mag = Math.abs(half) < 1e-12 ? n : Math.sin((n * theta) / 2) / half;
  const ph = (theta * (n - 1)) / 2;
  return [mag * Math.cos(ph), mag * Math.sin(ph)];
}

// Per tone: correlation tables over one window, the self-image kernel K(-2ω), and e^{-jω·lag}.
const COS = new Float64Array(8 * WINDOW);
const SIN = new Float64Array(8 * WINDOW);
const SELF = new Float64Array(16);
const ROT_HALF = new Float64Array(16);
const ROT_FULL = new Float64Array(16);
// Per key (row*4+col): K(ωc-ωr) and K(-(ωc+ωr)).
const CROSS = new Float64Array(16 * 4);
for (let t = 0; t < 8; t++) {
  const w = omega(TONES[t] as number);
  for (let n = 0; n < WINDOW; n++) {
    COS[t * WINDOW + n] = Math.cos(w * n);
    SIN[t * WINDOW + n] = Math.sin(w * n);
  }
  const [sr, si] = kernel(-2 * w, WINDOW);
  SELF[2 * t] = sr;
  SELF[2 * t + 1] = si;
  ROT_HALF[2 * t] = Math.cos(w * HALF);
  ROT_HALF[2 * t + 1] = -Math.sin(w * HALF);
  ROT_FULL[2 * t] = Math.cos(w * WINDOW);
  ROT_FULL[2 * t + 1] = -Math.sin(w * WINDOW);
}
for (let r = 0; r < 4; r++) {
  for (let c = 0; c < 4; c++) {
    const wr = omega(DTMF_ROW_FREQS[r] as number);
    const wc = omega(DTMF_COL_FREQS[c] as number);
    const [ar, ai] = kernel(wc - wr, WINDOW);
    const [br, bi] = kernel(-(wc + wr), WINDOW);
    CROSS.set([ar, ai, br, bi], (r * 4 + c) * 4);
  }
}

export class DtmfValidator {
  /** Complex amplitudes per window: [w][tone 0=row,1=col][re,im]. */
  private readonly amp = new Float64Array(3 * 2 * 2);
  private readonly basis = new Float64Array(4);
  private readonly gram = new Float64Array(16);
  private readonly rhs = new Float64Array(4);
  private readonly work = new Float64Array(4);
  private readonly coef = new Float64Array(4);
  readonly last: DtmfMeasurement = {
    rowHz: 0,
    colHz: 0,
    rowDeviationPct: 0,
    colDeviationPct: 0,
    rowPower: 0,
    colPower: 0,
    residualRatio: 1,
    rowHarmonicRatio: 0,
    colHarmonicRatio: 0,
  };

  /**
   * Measure key (row, col) in x[from .. from + 2·WINDOW). Fills and returns `last`.
   * `energy` is Σx² over that span (the caller has it already).
   */
  measure(x: Float64Array, from: number, row: number, col: number, energy: number): DtmfMeasurement {
    const m = this.last;
    this.windowAmplitudes(x, from, row, col);
    const rowW = this.frequencyOffset(row, 0);
    const colW = this.frequencyOffset(4 + col, 1);
    const fr = DTMF_ROW_FREQS[row] as number;
    const fc = DTMF_COL_FREQS[col] as number;
    m.rowHz = fr + (rowW * SAMPLE_RATE) / TWO_PI;
    m.colHz = fc + (colW * SAMPLE_RATE) / TWO_PI;
    m.rowDeviationPct = ((m.rowHz - fr) / fr) * 100;
    m.colDeviationPct = ((m.colHz - fc) / fc) * 100;
    this.fit(x, from, omega(m.rowHz), omega(m.colHz), energy);
    return m;
  }

  /** DFT of both tones in windows starting at 0, HALF, WINDOW, corrected for mutual leakage. */
  private windowAmplitudes(x: Float64Array, from: number, row: number, col: number): void {
    const a = this.amp;
    const ro = row * WINDOW;
    const co = (4 + col) * WINDOW;
    for (let w = 0; w < 3; w++) {
      const s = from + w * HALF;
      let rr = 0;
      let ri = 0;
      let cr = 0;
      let ci = 0;
      for (let n = 0; n < WINDOW; n++) {
        const v = x[s + n] as number;
        rr += v * (COS[ro + n] as number);
        ri -= v * (SIN[ro + n] as number);
        cr += v * (COS[co + n] as number);
        ci -= v * (SIN[co + n] as number);
      }
      // First estimates A = 2X/N, then X minus the other terms of the two-tone model:
      // X_r = (N/2)A + ½K(-2ωr)A* + ½K(ωc-ωr)B + ½K(-(ωc+ωr))B*.
      const g = 2 / WINDOW;
      const ar = rr * g;
      const ai = ri * g;
      const br = cr * g;
      const bi = ci * g;
      const k = (row * 4 + col) * 4;
      const k1r = CROSS[k] as number;
      const k1i = CROSS[k + 1] as number;
      const k2r = CROSS[k + 2] as number;
      const k2i = CROSS[k + 3] as number;
      const sr = SELF[2 * row] as number;
      const si = SELF[2 * row + 1] as number;
      const tr = SELF[2 * (4 + col)] as number;
      const ti = SELF[2 * (4 + col) + 1] as number;
      // Row: subtract ½[K_self·A* + K1·B + K2·B*].
      const rowLeakR = 0.5 * (sr * ar + si * ai + (k1r * br - k1i * bi) + (k2r * br + k2i * bi));
      const rowLeakI = 0.5 * (si * ar - sr * ai + (k1r * bi + k1i * br) + (k2i * br - k2r * bi));
      // Column: subtract ½[K_self·B* + conj(K1)·A + K2·A*].
      const colLeakR = 0.5 * (tr * br + ti * bi + (k1r * ar + k1i * ai) + (k2r * ar + k2i * ai));
      const colLeakI = 0.5 * (ti * br - tr * bi + (k1r * ai - k1i * ar) + (k2i * ar - k2r * ai));
      const o = w * 4;
      a[o] = (rr - rowLeakR) * g;
      a[o + 1] = (ri - rowLeakI) * g;
      a[o + 2] = (cr - colLeakR) * g;
      a[o + 3] = (ci - colLeakI) * g;
    }
  }

  /** Offset from nominal in rad/sample, from the phase advance between windows. */
  private frequencyOffset(tone: number, slot: number): number {
    const a = this.amp;
    const hr = ROT_HALF[2 * tone] as number;
    const hi = ROT_HALF[2 * tone + 1] as number;
    // Sum of A(w+1)·conj(A(w))·e^{-jω·HALF} over w = 0, 1.
    let sumR = 0;
    let sumI = 0;
    for (let w = 0; w < 2; w++) {
      const p = w * 4 + slot * 2;
      const q = p + 4;
      const xr = (a[q] as number) * (a[p] as number) + (a[q + 1] as number) * (a[p + 1] as number);
      const xi = (a[q + 1] as number) * (a[p] as number) - (a[q] as number) * (a[p + 1] as number);
      sumR += xr * hr - xi * hi;
      sumI += xr * hi + xi * hr;
    }
    const coarse = Math.atan2(sumI, sumR) / HALF;
    const p = slot * 2;
    const q = 8 + slot * 2;
    const xr = (a[q] as number) * (a[p] as number) + (a[q + 1] as number) * (a[p + 1] as number);
    const xi = (a[q + 1] as number) * (a[p] as number) - (a[q] as number) * (a[p + 1] as number);
    const fr = ROT_FULL[2 * tone] as number;
    const fi = ROT_FULL[2 * tone + 1] as number;
    const fine = Math.atan2(xr * fi + xi * fr, xr * fr - xi * fi);
    const turns = Math.round((coarse * WINDOW - fine) / TWO_PI);
    return (fine + TWO_PI * turns) / WINDOW;
  }

  /** Least-squares fit of two sines at wr, wc over the span; residual and harmonics. */
  private fit(x: Float64Array, from: number, wr: number, wc: number, energy: number): void {
    const { gram, rhs, work, coef, basis, last } = this;
    gram.fill(0);
    rhs.fill(0);
    const dr = Math.cos(wr);
    const ds = Math.sin(wr);
    const er = Math.cos(wc);
    const es = Math.sin(wc);
    let c1 = 1;
    let s1 = 0;
    let c2 = 1;
    let s2 = 0;
    for (let n = 0; n < SPAN; n++) {
      const v = x[from + n] as number;
      basis[0] = c1;
      basis[1] = s1;
      basis[2] = c2;
      basis[3] = s2;
      for (let i = 0; i < 4; i++) {
        const bi = basis[i] as number;
        rhs[i] = (rhs[i] as number) + v * bi;
        for (let j = i; j < 4; j++) gram[i * 4 + j] = (gram[i * 4 + j] as number) + bi * (basis[j] as number);
      }
      const n1 = c1 * dr - s1 * ds;
      s1 = s1 * dr + c1 * ds;
      c1 = n1;
      const n2 = c2 * er - s2 * es;
      s2 = s2 * er + c2 * es;
      c2 = n2;
    }
    for (let i = 0; i < 4; i++) for (let j = 0; j < i; j++) gram[i * 4 + j] = gram[j * 4 + i] as number;
    work.set(rhs);
    solve4(gram, work, coef);
    let explained = 0;
    for (let i = 0; i < 4; i++) explained += (coef[i] as number) * (rhs[i] as number);
    last.residualRatio = energy > 0 ? Math.max(0, energy - explained) / energy : 1;
    last.rowPower = ((coef[0] as number) ** 2 + (coef[1] as number) ** 2) / 2;
    last.colPower = ((coef[2] as number) ** 2 + (coef[3] as number) ** 2) / 2;

    // Second harmonics of the residual: Goertzel at 2ωr and 2ωc on x minus the fitted sines.
    const k1 = 2 * Math.cos(2 * wr);
    const k2 = 2 * Math.cos(2 * wc);
    let a1 = 0;
    let a2 = 0;
    let b1 = 0;
    let b2 = 0;
    c1 = 1;
    s1 = 0;
    c2 = 1;
    s2 = 0;
    const f0 = coef[0] as number;
    const f1 = coef[1] as number;
    const f2 = coef[2] as number;
    const f3 = coef[3] as number;
    for (let n = 0; n < SPAN; n++) {
      const r = (x[from + n] as number) - f0 * c1 - f1 * s1 - f2 * c2 - f3 * s2;
      const a0 = k1 * a1 - a2 + r;
      a2 = a1;
      a1 = a0;
      const b0 = k2 * b1 - b2 + r;
      b2 = b1;
      b1 = b0;
      const n1 = c1 * dr - s1 * ds;
      s1 = s1 * dr + c1 * ds;
      c1 = n1;
      const n2 = c2 * er - s2 * es;
      s2 = s2 * er + c2 * es;
      c2 = n2;
    }
    const norm = 2 / (SPAN * SPAN);
    const h1 = (a1 * a1 + a2 * a2 - k1 * a1 * a2) * norm;
    const h2 = (b1 * b1 + b2 * b2 - k2 * b1 * b2) * norm;
    last.rowHarmonicRatio = last.rowPower > 0 ? h1 / last.rowPower : 1;
    last.colHarmonicRatio = last.colPower > 0 ? h2 / last.colPower : 1;
  }
}

import { SAMPLE_RATE } from '../audio.js';
import { DTMF_COL_FREQS, DTMF_ROW_FREQS } from './dtmf-tables.js';
import { WINDOW } from './dtmf-validate.js';

/** The DTMF detector's stage-1 filter bank: 8 Goertzel filters run together over one block. */

const N = WINDOW;
const NORM = 2 / (N * N);
const COEFS = Float64Array.from([...DTMF_ROW_FREQS, ...DTMF_COL_FREQS], (f) => 2 * Math.cos((2 * Math.PI * f) / SAMPLE_RATE));

/**
 * Goertzel power of the 8 DTMF frequencies over buf[from .. from+DTMF_BLOCK_SIZE), normalised to the mean power
 * of a sine (A²/2). Unrolled: eight independent recurrences in locals run in parallel.
 */
export function goertzel8(buf: Float64Array, from: number, out: Float64Array): void {
  const k0 = COEFS[0] as number;
  const k1 = COEFS[1] as number;
  const k2 = COEFS[2] as number;
  const k3 = COEFS[3] as number;
  const k4 = COEFS[4] as number;
  const k5 = COEFS[5] as number;
  const k6 = COEFS[6] as number;
  const k7 = COEFS[7] as number;
  // biome-ignore format: the eight state pairs read best side by side
  let a0 = 0, b0 = 0, a1 = 0, b1 = 0, a2 = 0, b2 = 0, a3 = 0, b3 = 0;
  // biome-ignore format: as above
  let a4 = 0, b4 = 0, a5 = 0, b5 = 0, a6 = 0, b6 = 0, a7 = 0, b7 = 0;
  for (let i = from; i < from + N; i++) {
    const x = buf[i] as number;
    let t = k0 * a0 - b0 + x;
    b0 = a0;
    a0 = t;
    t = k1 * a1 - b1 + x;
    b1 = a1;
    a1 = t;
    t = k2 * a2 - b2 + x;
    b2 = a2;
    a2 = t;
    t = k3 * a3 - b3 + x;
    b3 = a3;
    a3 = t;
    t = k4 * a4 - b4 + x;
    b4 = a4;
    a4 = t;
    t = k5 * a5 - b5 + x;
    b5 = a5;
    a5 = t;
    t = k6 * a6 - b6 + x;
    b6 = a6;
    a6 = t;
    t = k7 * a7 - b7 + x;
    b7 = a7;
    a7 = t;
  }
  out[0] = (a0 * a0 + b0 * b0 - k0 * a0 * b0) * NORM;
  out[1] = (a1 * a1 + b1 * b1 - k1 * a1 * b1) * NORM;
  out[2] = (a2 * a2 + b2 * b2 - k2 * a2 * b2) * NORM;
  out[3] = (a3 * a3 + b3 * b3 - k3 * a3 * b3) * NORM;
  out[4] = (a4 * a4 + b4 * b4 - k4 * a4 * b4) * NORM;
  out[5] = (a5 * a5 + b5 * b5 - k5 * a5 * b5) * NORM;
  out[6] = (a6 * a6 + b6 * b6 - k6 * a6 * b6) * NORM;
  out[7] = (a7 * a7 + b7 * b7 - k7 * a7 * b7) * NORM;
}

/** Index of the largest of values[from .. from+4). */
export function argmax4(values: Float64Array, from: number): number {
  let best = from;
  for (let k = from + 1; k < from + 4; k++) if ((values[k] as number) > (values[best] as number)) best = k;
  return best;
}

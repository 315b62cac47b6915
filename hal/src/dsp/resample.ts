import { SAMPLE_RATE } from '../audio.js';
import { parseWav } from './wav.js';

/*
 * Sample-rate conversion to the 8 kHz channel rate, for prompts and music loaded from files.
 * It runs once at load time, not per frame, so it favours clarity over speed.
 *
 * Method: band-limited interpolation with a Kaiser-windowed sinc. Output sample n sits at input
 * position t = n · fromRate / toRate; it is the sum of the input samples around t weighted by
 * the low-pass kernel h(k − t). The kernel's cutoff (−6 dB) is RESAMPLE_CUTOFF_HZ = 3600 Hz
 * (below the new Nyquist of 4 kHz), its half-length RESAMPLE_HALF_WIDTH_S = 6 ms, and the Kaiser
 * β gives about 80 dB stopband: flat to about 3.39 kHz, stopband from about 3.81 kHz, so what
 * would alias (above 4 kHz) is removed. When upsampling from below 7.2 kHz the cutoff drops to
 * half the input rate.
 *
 * The fractional position t − ⌊t⌋ takes q distinct values, q = toRate / gcd(fromRate, toRate)
 * (80 for 44.1 kHz, 1 for 16/48 kHz); a kernel is precomputed for each, each normalised to unit
 * DC gain. For odd rates (q > RESAMPLE_MAX_PHASES) the position is rounded to 1/1024 sample,
 * an error below -70 dB in the passband.
 */

export const RESAMPLE_CUTOFF_HZ = 3600;
export const RESAMPLE_HALF_WIDTH_S = 0.006;
/** Kaiser β for about 80 dB stopband attenuation: 0.1102 · (80 − 8.7). */
export const RESAMPLE_KAISER_BETA = 7.857;
export const RESAMPLE_MAX_PHASES = 1024;

/** Resample mono PCM from `fromRate` (any positive integer rate) to 8000 Hz. */
export function resampleTo8k(samples: Int16Array, fromRate: number): Int16Array {
  return resample(samples, fromRate, SAMPLE_RATE);
}

/** Parse a WAV file (any format parseWav reads), downmix to mono and resample to 8 kHz. */
export function loadWavAs8k(buf: Buffer | Uint8Array): Int16Array {
  const wav = parseWav(buf);
  return resampleTo8k(wav.samples, wav.sampleRate);
}

/** Resample mono PCM between two positive integer rates (output is a new array). */
export function resample(samples: Int16Array, fromRate: number, toRate: number): Int16Array {
  for (const [name, rate] of [
    ['fromRate', fromRate],
    ['toRate', toRate],
  ] as const) {
    if (!(Number.isInteger(rate) && rate > 0)) throw new RangeError(`resample: ${name} must be a positive integer, got ${rate}`);
  }
  if (fromRate === toRate) return samples.slice();

  const g = gcd(fromRate, toRate);
  const p = fromRate / g; // input step per q outputs
  const q = toRate / g;
  const phases = Math.min(q, RESAMPLE_MAX_PHASES);
  const cutoffHz = Math.min(RESAMPLE_CUTOFF_HZ * (toRate / SAMPLE_RATE), fromRate / 2);
  const kernel = designKernel(cutoffHz / fromRate, RESAMPLE_HALF_WIDTH_S * fromRate, phases);

  const len = samples.length;
  const out = new Int16Array(Math.ceil((len * q) / p));
  for (let n = 0; n < out.length; n++) {
    // Input position n·p/q = i + phase/phases, in exact integer arithmetic.
    const num = n * p;
    let i = Math.floor(num / q);
    let phase = phases === q ? num - i * q : Math.round(((num - i * q) * phases) / q);
    if (phase === phases) {
      phase = 0;
      i++;
    }
    const taps = kernel.taps[phase] as Float32Array;
    // taps[m] weighs input sample i + m − half + 1.
    const first = i - kernel.half + 1;
    const mFrom = Math.max(0, -first);
    const mTo = Math.min(taps.length, len - first);
    let acc = 0;
    for (let m = mFrom; m < mTo; m++) acc += (taps[m] as number) * (samples[first + m] as number);
    out[n] = Math.min(32767, Math.max(-32768, Math.round(acc)));
  }
  return out;
}

interface Kernel {
  /** Taps on each side: taps[m] for m in [0, 2·half) is at offset m − half + 1. */
  half: number;
  /** One tap set per fractional phase j/phases. */
  taps: Float32Array[];
}

/**
 * Windowed-sinc low-pass kernels. `cutoff` in cycles per input sample, `halfWidth` in input
 * samples, one kernel per fractional delay j/phases.
 */
function designKernel(cutoff: number, halfWidth: number, phases: number): Kernel {
  const half = Math.ceil(halfWidth);
  const i0Beta = besselI0(RESAMPLE_KAISER_BETA);
  const taps: Float32Array[] = [];
  const tmp = new Float64Array(2 * half);
  for (let j = 0; j < phases; j++) {
    const frac = j / phases;
    let sum = 0;
    for (let m = 0; m < 2 * half; m++) {
      const tau = m - half + 1 - frac; // distance from the output position, in input samples
      const r = tau / halfWidth;
      const w = Math.abs(r) >= 1 ? 0 : besselI0(RESAMPLE_KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta;
      const v = 2 * cutoff * sinc(2 * cutoff * tau) * w;
      tmp[m] = v;
      sum += v;
    }
    const set = new Float32Array(2 * half);
    for (let m = 0; m < set.length; m++) set[m] = (tmp[m] as number) / sum;
    taps.push(set);
  }
  return { half, taps };
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** Modified Bessel function of the first kind, order 0 (power series). */
function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 100 && term > 1e-12 * sum; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Signal level measurement in dBm0 on 16-bit linear PCM.
 *
 * Reference used throughout hal/src/dsp: **0 dBm0 is a sine of peak amplitude 22793** (RMS
 * 22793 / √2 ≈ 16117.2) in 16-bit linear units. Consequences:
 *  - a full-scale sine (peak 32767) measures +3.15 dBm0 (G.711 gives +3.17 dBm0 for µ-law and
 *    +3.14 dBm0 for A-law; this reference sits between the two);
 *  - the µ-law digital milliwatt (1E 0B 0B 1E 9E 8B 8B 9E) decodes to -0.06 dBm0 and the A-law
 *    one (34 21 21 34 B4 A1 A1 B4) to +0.01 dBm0, both 0 dBm0 within 0.1 dB.
 * The level of a frame is its RMS relative to that sine's RMS, so it applies to any waveform
 * (a two-tone signal of -10 dBm0 per tone measures about -7 dBm0).
 */

/** Peak amplitude of a 0 dBm0 sine in 16-bit linear units. */
export const DBM0_SINE_PEAK = 22793;
/** RMS of a 0 dBm0 signal in 16-bit linear units. */
export const DBM0_REF_RMS = DBM0_SINE_PEAK / Math.SQRT2;
/** Level reported for digital silence (an all-zero frame) instead of -Infinity. */
export const LEVEL_FLOOR_DBM0 = -100;

/** Root mean square of the samples (0 for an empty frame). */
export function rms(frame: Int16Array): number {
  if (frame.length === 0) return 0;
  return Math.sqrt(meanSquare(frame));
}

/** Mean of the squared samples (0 for an empty frame). */
export function meanSquare(frame: Int16Array): number {
  const n = frame.length;
  if (n === 0) return 0;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const s = frame[i] as number;
    acc += s * s;
  }
  return acc / n;
}

/** Convert an RMS value (16-bit units) to dBm0, never below LEVEL_FLOOR_DBM0. */
export function rmsToDbm0(value: number): number {
  if (!(value > 0)) return LEVEL_FLOOR_DBM0;
  return Math.max(LEVEL_FLOOR_DBM0, 20 * Math.log10(value / DBM0_REF_RMS));
}

/** RMS level of the frame in dBm0 (LEVEL_FLOOR_DBM0 for digital silence). */
export function frameEnergyDbm0(frame: Int16Array): number {
  return rmsToDbm0(rms(frame));
}

/** Peak amplitude (16-bit units) of a sine at `dbm0`. */
export function dbm0ToAmplitude(dbm0: number): number {
  return DBM0_SINE_PEAK * 10 ** (dbm0 / 20);
}

/** Mean power (mean square, 16-bit units²) of any signal at `dbm0`. */
export function dbm0ToPower(dbm0: number): number {
  return DBM0_REF_RMS * DBM0_REF_RMS * 10 ** (dbm0 / 10);
}

/** True when the frame's RMS level is below `thresholdDbm0` (an empty frame is silent). */
export function isSilent(frame: Int16Array, thresholdDbm0 = -45): boolean {
  return meanSquare(frame) < dbm0ToPower(thresholdDbm0);
}

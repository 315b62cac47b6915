/**
 * Mixing and gain on int16 frames, saturating at the int16 limits (an Int16Array store would wrap
 * around instead, turning an overload into a loud click). Nothing here allocates.
 */

/** Round to the nearest integer and saturate to [-32768, 32767]. */
export function clamp16(v: number): number {
  if (v >= 32767) return 32767;
  if (v <= -32768) return -32768;
  return Math.round(v) || 0; // `|| 0` turns NaN (and -0) into 0
}

/** Linear amplitude factor of a gain in dB. */
export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

/**
 * out[i] = saturate(a[i] + b[i]) for every sample of `out`. `a` and `b` must be at least as long
 * as `out`; `out` may be `a` or `b` (in-place mixing). Returns `out`.
 */
export function mixInto(out: Int16Array, a: Int16Array, b: Int16Array): Int16Array {
  const n = out.length;
  if (a.length < n || b.length < n) {
    throw new RangeError(`mixInto: inputs hold ${a.length} and ${b.length} samples, output ${n}`);
  }
  for (let i = 0; i < n; i++) {
    const v = (a[i] as number) + (b[i] as number);
    out[i] = Math.min(32767, Math.max(-32768, v));
  }
  return out;
}

/**
 * out[i] = saturate(round(frame[i] · 10^(gainDb/20))). `out` defaults to `frame` (in place) and
 * must be at least as long as `frame`. Returns `out`.
 */
export function applyGain(frame: Int16Array, gainDb: number, out: Int16Array = frame): Int16Array {
  const n = frame.length;
  if (out.length < n) {
    throw new RangeError(`applyGain: output holds ${out.length} samples, input has ${n}`);
  }
  if (gainDb === 0) {
    if (out !== frame) out.set(frame);
    return out;
  }
  const g = dbToGain(gainDb);
  for (let i = 0; i < n; i++) out[i] = clamp16((frame[i] as number) * g);
  return out;
}

/** Small dense linear systems for the DSP's least-squares fits (no allocation). */

/** Solve the 4×4 system m·out = b in place (Gaussian elimination, partial pivoting). */
export function solve4(m: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let c = 0; c < 4; c++) {
    let p = c;
    for (let r = c + 1; r < 4; r++) if (Math.abs(m[r * 4 + c] as number) > Math.abs(m[p * 4 + c] as number)) p = r;
    if (p !== c) {
      for (let k = 0; k < 4; k++) {
        const t = m[c * 4 + k] as number;
        m[c * 4 + k] = m[p * 4 + k] as number;
        m[p * 4 + k] = t;
      }
      const t = b[c] as number;
      b[c] = b[p] as number;
      b[p] = t;
    }
    const d = m[c * 4 + c] as number;
    if (Math.abs(d) < 1e-9) {
      out.fill(0);
      return;
    }
    for (let r = c + 1; r < 4; r++) {
      const f = (m[r * 4 + c] as number) / d;
      if (f === 0) continue;
      for (let k = c; k < 4; k++) m[r * 4 + k] = (m[r * 4 + k] as number) - f * (m[c * 4 + k] as number);
      b[r] = (b[r] as number) - f * (b[c] as number);
    }
  }
  for (let r = 3; r >= 0; r--) {
    let s = b[r] as number;
    for (let k = r + 1; k < 4; k++) s -= (m[r * 4 + k] as number) * (out[k] as number);
    out[r] = s / (m[r * 4 + r] as number);
  }
}

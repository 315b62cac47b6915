/**
 * Pure helpers for the setup pages' config draft (no DOM, unit-tested in
 * test/unit/web-ui/config-values.test.ts).
 */

/**
 * An optional text setting as typed: trimmed, or — blank — its key removed (the box then keeps
 * none: no SIP outside-line prefix, no cloud user, no CA file) rather than saving "".
 */
export function setOptional<K extends string>(o: { [P in K]?: string }, key: K, typed: string): void {
  const v = typed.trim();
  if (v === '') delete o[key];
  else o[key] = v;
}

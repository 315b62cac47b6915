/** Local calendar days in the shop's time zone (IANA name, e.g. Asia/Shanghai), by ../../tz/zone.ts. */
import { localDateString, localDayStart } from '../../tz/zone.js';
import { invalid } from './validate.js';

/** "2026-11-27" for epoch ms `ms` in `tz`. */
export function localDate(ms: number, tz: string): string {
  return localDateString(ms, tz);
}

/** A YYYY-MM-DD day (validated, naming `field`) as UTC-midnight epoch ms. */
export function parseDay(value: unknown, field: string): number {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw invalid(field, 'must be a day YYYY-MM-DD');
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== value) throw invalid(field, 'must be a real day YYYY-MM-DD');
  return ms;
}

export const DAY_MS = 86_400_000;

/**
 * Epoch-ms bounds that surely contain every instant of the local days from..to (UTC-midnight ms
 * of parseDay), widened by a day each side for any offset; callers filter by localDate.
 */
export function widenedRange(fromUtcMs: number, toUtcMs: number): { lo: number; hi: number } {
  return { lo: fromUtcMs - DAY_MS, hi: toUtcMs + 2 * DAY_MS };
}

/** The first instant of a local day (given as parseDay's UTC-midnight ms) in `tz`. */
export { localDayStart };

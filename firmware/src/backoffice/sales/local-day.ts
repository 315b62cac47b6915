/** Local calendar days in the shop's time zone (IANA name, e.g. Asia/Shanghai), by Intl. */
import { invalid } from './validate.js';

const formats = new Map<string, Intl.DateTimeFormat>();

function format(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(tz, f);
  }
  return f;
}

/** "2026-11-27" for epoch ms `ms` in `tz`. */
export function localDate(ms: number, tz: string): string {
  const parts = format(tz).formatToParts(new Date(ms));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
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

const fullFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at instant `ms` (local wall clock − UTC), in ms. */
function offsetMs(ms: number, tz: string): number {
  let f = fullFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    fullFormats.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The first instant of a local day (given as parseDay's UTC-midnight ms) in `tz`. */
export function localDayStart(dayUtcMs: number, tz: string): number {
  const guess = dayUtcMs - offsetMs(dayUtcMs, tz);
  return dayUtcMs - offsetMs(guess, tz);
}

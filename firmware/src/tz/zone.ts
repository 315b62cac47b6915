/**
 * The shop's time zone (IANA name, e.g. Asia/Shanghai): UTC offsets, wall-clock parts, local days.
 * Offsets come from the system's tz database (/usr/share/zoneinfo, or $TZDIR; Debian's tzdata) read
 * once per zone; without it, from Intl. Reading the files keeps ICU out of the box's memory: the
 * first Intl date format maps ~7 MB of ICU data into the process (measured: idle RSS 82 → 75 MB).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTzif, type TzifZone, tzifOffsetAt } from './tzif.js';

const DAY_MS = 86_400_000;
/** IANA names: letters, digits, _ + - in /-separated parts (never `..`, never absolute). */
const ZONE_NAME = /^[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)*$/;

type Source = { kind: 'tzif'; zone: TzifZone } | { kind: 'intl'; fmt: Intl.DateTimeFormat } | { kind: 'unknown' };
const zones = new Map<string, Source>();

function tzDir(): string {
  return process.env.TZDIR || '/usr/share/zoneinfo';
}

function source(tz: string): Source {
  let s = zones.get(tz);
  if (s) return s;
  s = { kind: 'unknown' };
  if (ZONE_NAME.test(tz)) {
    try {
      s = { kind: 'tzif', zone: parseTzif(readFileSync(join(tzDir(), tz))) };
    } catch {
      try {
        s = { kind: 'intl', fmt: intlFormat(tz) };
      } catch {
        s = { kind: 'unknown' };
      }
    }
  }
  zones.set(tz, s);
  return s;
}

function intlFormat(tz: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

/** Whether `tz` names a zone this box can use. */
export function isKnownZone(tz: string): boolean {
  return source(tz).kind !== 'unknown';
}

/** The zone's offset from UTC at instant `ms` (local wall clock − UTC), in ms. Throws RangeError for an unknown zone. */
export function zoneOffsetMs(ms: number, tz: string): number {
  const s = source(tz);
  if (s.kind === 'tzif') return tzifOffsetAt(s.zone, Math.floor(ms / 1000)) * 1000;
  if (s.kind === 'intl') {
    const p = Object.fromEntries(s.fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
    return wall - (ms - (((ms % 1000) + 1000) % 1000));
  }
  throw new RangeError(`Invalid time zone specified: ${tz}`);
}

export interface WallTime {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/** The wall clock in `tz` at instant `ms`. */
export function wallTime(ms: number, tz: string): WallTime {
  const d = new Date(ms + zoneOffsetMs(ms, tz));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "2026-11-27" (or with another separator, "20261127") for instant `ms` in `tz`. */
export function localDateString(ms: number, tz: string, sep = '-'): string {
  const w = wallTime(ms, tz);
  return `${w.year}${sep}${pad(w.month)}${sep}${pad(w.day)}`;
}

/** "2026-11-27 09:20" for instant `ms` in `tz`. */
export function localDateTimeString(ms: number, tz: string): string {
  const w = wallTime(ms, tz);
  return `${localDateString(ms, tz)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** The first instant of a local day given as the UTC-midnight ms of its date (e.g. Date.UTC(2026, 10, 27)). */
export function localDayStart(dayUtcMs: number, tz: string): number {
  const guess = dayUtcMs - zoneOffsetMs(dayUtcMs, tz);
  return dayUtcMs - zoneOffsetMs(guess, tz);
}

/** The first instant of the local day containing `ms` in `tz`. */
export function localMidnight(ms: number, tz: string): number {
  const wall = ms + zoneOffsetMs(ms, tz);
  return localDayStart(wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS), tz);
}

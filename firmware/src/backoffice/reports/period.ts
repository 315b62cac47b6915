/**
 * Local calendar in the shop's time zone: local dates and times to instants, and the report
 * periods (day, ISO week starting Monday, month) as [from, to) ranges of instants. Offsets come
 * from the KPI module's LocalHours (Intl, DST and half-hour zones included).
 */
import { CallboxError } from '../../errors.js';
import { LocalHours } from '../../kpi/local-time.js';
import type { ReportPeriod } from './types.js';

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Days since 1970-01-01 of a valid YYYY-MM-DD, else VALIDATION_FAILED naming `field`. */
export function parseDate(value: unknown, field = 'date'): number {
  const m = typeof value === 'string' ? DATE_RE.exec(value) : null;
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = Date.UTC(y, mo - 1, d);
    const back = new Date(t);
    if (y >= 2000 && y <= 2100 && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) return t / DAY_MS;
  }
  throw new CallboxError('VALIDATION_FAILED', `${field} must be a date YYYY-MM-DD (2000..2100)`, { field });
}

/** Minutes after midnight of a valid HH:MM, else VALIDATION_FAILED naming `field`. */
export function parseHhmm(value: unknown, field: string): number {
  const m = typeof value === 'string' ? HHMM_RE.exec(value) : null;
  if (!m) throw new CallboxError('VALIDATION_FAILED', `${field} must be a time HH:MM (00:00..23:59)`, { field });
  return Number(m[1]) * 60 + Number(m[2]);
}

/** YYYY-MM-DD of a day number (days since 1970-01-01). */
export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export class LocalCalendar {
  readonly hours: LocalHours;

  constructor(readonly timeZone: string) {
    this.hours = new LocalHours(timeZone);
  }

  /** The instant local wall time `day` + `minutes` happens (the later reading in a DST gap/overlap). */
  instant(day: number, minutes = 0): number {
    const wall = day * DAY_MS + minutes * 60_000;
    let t = wall - this.hours.offsetMs(wall);
    t = wall - this.hours.offsetMs(t);
    return t;
  }

  /** The local day number (days since 1970-01-01 in local time) holding instant `ts`. */
  dayOf(ts: number): number {
    return Math.floor((ts + this.hours.offsetMs(ts)) / DAY_MS);
  }

  /** Local minutes after midnight of `ts`. */
  minuteOf(ts: number): number {
    const local = ts + this.hours.offsetMs(ts);
    return Math.floor((local - Math.floor(local / DAY_MS) * DAY_MS) / 60_000);
  }

  /** The local dates [first, last] as [from, to) instants. */
  dateRange(first: number, last: number): { from: number; to: number } {
    return { from: this.instant(first), to: this.instant(last + 1) };
  }
}

export interface PeriodRange {
  period: ReportPeriod;
  label: string;
  /** Local day numbers of the period, in order. */
  days: number[];
  from: number;
  to: number;
}

/** The day, ISO week (Monday first) or month holding local date `date`. */
export function periodRange(cal: LocalCalendar, period: ReportPeriod, date: string): PeriodRange {
  const day = parseDate(date);
  let first = day;
  let last = day;
  let label = date;
  if (period === 'week') {
    const weekday = (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Monday
    first = day - weekday;
    last = first + 6;
    label = isoWeekLabel(first);
  } else if (period === 'month') {
    const d = new Date(day * DAY_MS);
    first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS;
    last = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS - 1;
    label = date.slice(0, 7);
  }
  const days: number[] = [];
  for (let x = first; x <= last; x++) days.push(x);
  return { period, label, days, ...cal.dateRange(first, last) };
}

/** "2026-W48" of the ISO week starting Monday `monday`. */
function isoWeekLabel(monday: number): string {
  const thursday = monday + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1) / DAY_MS;
  const week = Math.floor((thursday - jan1) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

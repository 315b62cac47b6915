/**
 * Business hours in the shop's time zone: opening intervals per weekday and holiday dates
 * (local YYYY-MM-DD, closed all day). Intervals are [open, close) in local HH:MM; an interval may
 * end at 24:00.
 */
import { wallTime } from '../tz/zone.js';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface HoursDef {
  weekly: Partial<Record<Weekday, { open: string; close: string }[]>>;
  holidays: string[];
}

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The local weekday, date (YYYY-MM-DD) and minute of the day of `ts` in `tz`. */
export function localTime(ts: number, tz: string): { weekday: Weekday; date: string; minute: number } {
  const w = wallTime(ts, tz);
  return {
    weekday: WEEKDAYS[w.weekday] ?? 'mon',
    date: `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`,
    minute: w.hour * 60 + w.minute,
  };
}

export function toMinute(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function isOpen(hours: HoursDef, tz: string, ts: number): boolean {
  const { weekday, date, minute } = localTime(ts, tz);
  if (hours.holidays.includes(date)) return false;
  return (hours.weekly[weekday] ?? []).some((iv) => minute >= toMinute(iv.open) && minute < toMinute(iv.close));
}

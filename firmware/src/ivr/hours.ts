/**
 * Business hours in the shop's time zone: opening intervals per weekday and holiday dates
 * (local YYYY-MM-DD, closed all day). Intervals are [open, close) in local HH:MM; an interval may
 * end at 24:00.
 */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface HoursDef {
  weekly: Partial<Record<Weekday, { open: string; close: string }[]>>;
  holidays: string[];
}

const WEEKDAYS: Record<string, Weekday> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };
const formats = new Map<string, Intl.DateTimeFormat>();

function format(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(tz, f);
  }
  return f;
}

/** The local weekday, date (YYYY-MM-DD) and minute of the day of `ts` in `tz`. */
export function localTime(ts: number, tz: string): { weekday: Weekday; date: string; minute: number } {
  const parts: Record<string, string> = {};
  for (const p of format(tz).formatToParts(ts)) parts[p.type] = p.value;
  return {
    weekday: WEEKDAYS[parts.weekday ?? 'Mon'] ?? 'mon',
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
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

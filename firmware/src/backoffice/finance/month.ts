/**
 * Months ('YYYY-MM') in the shop's time zone: parse, [from, to) instants, the month and the local
 * date of an instant. Offsets from the KPI module's LocalHours (Intl; DST zones included).
 */
import { CallboxError } from '../../errors.js';
import { LocalHours } from '../../kpi/local-time.js';

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DAY_MS = 86_400_000;

/** The month if `value` is a valid 'YYYY-MM' (2000..2100), else VALIDATION_FAILED naming `field`. */
export function parseMonth(value: unknown, field = 'month'): string {
  const m = typeof value === 'string' ? MONTH_RE.exec(value) : null;
  if (!m || Number(m[1]) < 2000 || Number(m[1]) > 2100) {
    throw new CallboxError('VALIDATION_FAILED', `${field} must be a month YYYY-MM (2000..2100)`, { field });
  }
  return value as string;
}

/** 'YYYY-MM' shifted by `n` months. */
export function addMonths(month: string, n: number): string {
  const y = Number(month.slice(0, 4));
  const mo = Number(month.slice(5, 7)) - 1 + n;
  const yy = y + Math.floor(mo / 12);
  const mm = ((mo % 12) + 12) % 12;
  return `${yy}-${String(mm + 1).padStart(2, '0')}`;
}

export class ShopCalendar {
  private readonly hours: LocalHours;

  constructor(readonly timeZone: string) {
    this.hours = new LocalHours(timeZone);
  }

  /** The instant of local midnight starting day `day` (days since 1970-01-01, local). */
  private midnight(day: number): number {
    const wall = day * DAY_MS;
    let t = wall - this.hours.offsetMs(wall);
    t = wall - this.hours.offsetMs(t);
    return t;
  }

  /** The month's [from, to) instants. */
  range(month: string): { from: number; to: number } {
    const y = Number(month.slice(0, 4));
    const m = Number(month.slice(5, 7)) - 1;
    return { from: this.midnight(Date.UTC(y, m, 1) / DAY_MS), to: this.midnight(Date.UTC(y, m + 1, 1) / DAY_MS) };
  }

  /** Local 'YYYY-MM-DD' of an instant. */
  dateOf(ts: number): string {
    return new Date(ts + this.hours.offsetMs(ts)).toISOString().slice(0, 10);
  }

  /** Local 'YYYY-MM' of an instant. */
  monthOf(ts: number): string {
    return this.dateOf(ts).slice(0, 7);
  }
}

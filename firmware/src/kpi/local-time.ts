/**
 * Hours of the week in a time zone: which weekday×hour slot an instant falls in, and where the
 * next local hour starts. UTC offsets come from the tz module (../tz/zone.ts), cached per UTC day
 * (a zone changes its offset at most once in a day).
 */
import { isKnownZone, zoneOffsetMs } from '../tz/zone.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Slots per week: 7 days × 24 hours. */
export const WEEK_SLOTS = 168;

export class LocalHours {
  /** UTC day → its offset in ms, or null when the offset changes during that day. */
  private readonly dayOffsets = new Map<number, number | null>();
  private readonly hourOffsets = new Map<number, number>();

  /** Throws RangeError for an unknown time zone. */
  constructor(readonly timeZone: string) {
    if (!isKnownZone(timeZone)) throw new RangeError(`Invalid time zone specified: ${timeZone}`);
  }

  /** The zone's UTC offset at `ts`, in ms (e.g. +8 h for Asia/Shanghai). */
  offsetMs(ts: number): number {
    const day = Math.floor(ts / DAY_MS);
    let dayOffset = this.dayOffsets.get(day);
    if (dayOffset === undefined) {
      const first = this.exactOffset(day * DAY_MS);
      dayOffset = first === this.exactOffset(day * DAY_MS + DAY_MS - 1000) ? first : null;
      this.dayOffsets.set(day, dayOffset);
    }
    if (dayOffset !== null) return dayOffset;
    const hour = Math.floor(ts / HOUR_MS);
    let hourOffset = this.hourOffsets.get(hour);
    if (hourOffset === undefined) {
      hourOffset = this.exactOffset(hour * HOUR_MS);
      this.hourOffsets.set(hour, hourOffset);
    }
    return hourOffset;
  }

  /** The weekday×hour slot of `ts`: 0 = Monday 00:00–01:00 … 167 = Sunday 23:00–24:00. */
  slotOf(ts: number): number {
    const local = ts + this.offsetMs(ts);
    const day = Math.floor(local / DAY_MS);
    // 1970-01-01 was a Thursday (Monday-based index 3).
    const weekdayIndex = (((day + 3) % 7) + 7) % 7;
    return weekdayIndex * 24 + Math.floor((local - day * DAY_MS) / HOUR_MS);
  }

  /** The instant the local hour after the one holding `ts` starts. */
  nextHour(ts: number): number {
    const off = this.offsetMs(ts);
    const next = (Math.floor((ts + off) / HOUR_MS) + 1) * HOUR_MS - off;
    return next > ts ? next : ts + HOUR_MS;
  }

  /** Calls `fn(slot, ms)` for each piece of [start, stop) within one local hour. */
  split(start: number, stop: number, fn: (slot: number, ms: number) => void): void {
    let t = start;
    while (t < stop) {
      const b = Math.min(this.nextHour(t), stop);
      fn(this.slotOf(t), b - t);
      t = b;
    }
  }

  private exactOffset(ts: number): number {
    return zoneOffsetMs(ts, this.timeZone);
  }
}

/**
 * Calling hours (拨打时段): per weekday windows "HH:MM-HH:MM" in the shop's time zone. A customer
 * is only called inside a window (end exclusive). Times are read with Intl in the zone, so
 * daylight-saving zones work too.
 */
import { CallboxError } from '../../errors.js';
import type { CallingHours, Weekday } from './types.js';
import { localDateTimeString, wallTime } from '../../tz/zone.js';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Every day 09:00–12:00 and 14:00–20:00 (no calls at lunch or at night). */
export function defaultCallingHours(): CallingHours {
  const day = ['09:00-12:00', '14:00-20:00'];
  return Object.fromEntries(WEEKDAYS.map((d) => [d, [...day]])) as CallingHours;
}

const WINDOW = /^([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-4]):([0-5][0-9])$/;

function minutes(h: string, m: string): number {
  return Number(h) * 60 + Number(m);
}

/** [from, to) minutes of a window, or null when malformed. */
function parseWindow(w: string): [number, number] | null {
  const m = WINDOW.exec(w);
  if (!m) return null;
  const from = minutes(m[1] as string, m[2] as string);
  const to = minutes(m[3] as string, m[4] as string);
  return from < to && to <= 24 * 60 ? [from, to] : null;
}

/** Validates calling hours from input; VALIDATION_FAILED naming `callingHours.<day>`. */
export function checkCallingHours(value: unknown): CallingHours {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CallboxError('VALIDATION_FAILED', 'callingHours must be an object of weekday → ["HH:MM-HH:MM", …]', {
      field: 'callingHours',
    });
  }
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!WEEKDAYS.includes(k as Weekday)) {
      throw new CallboxError('VALIDATION_FAILED', `callingHours.${k} is not a weekday (mon..sun)`, { field: `callingHours.${k}` });
    }
  }
  const out = {} as CallingHours;
  for (const d of WEEKDAYS) {
    const list = o[d] ?? [];
    const field = `callingHours.${d}`;
    if (!Array.isArray(list) || list.length > 8 || list.some((w) => typeof w !== 'string' || !parseWindow(w))) {
      throw new CallboxError('VALIDATION_FAILED', `${field} must be a list of up to 8 windows like "09:00-12:00" (start before end)`, {
        field,
      });
    }
    out[d] = [...(list as string[])];
  }
  return out;
}

const BY_INDEX = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** The weekday and minute of the day of `ms` in `timeZone`. */
export function localTime(ms: number, timeZone: string): { day: Weekday; minute: number } {
  const w = wallTime(ms, timeZone);
  return { day: BY_INDEX[w.weekday] as Weekday, minute: w.hour * 60 + w.minute };
}

/** True when `ms` falls inside one of the day's windows in `timeZone`. */
export function withinCallingHours(hours: CallingHours, timeZone: string, ms: number): boolean {
  const { day, minute } = localTime(ms, timeZone);
  return (hours[day] ?? []).some((w) => {
    const r = parseWindow(w);
    return r !== null && minute >= r[0] && minute < r[1];
  });
}

/** The first moment ≥ `ms` inside the calling hours (jumping window start to window start), or null when there are none. */
export function nextCallingTime(hours: CallingHours, timeZone: string, ms: number): number | null {
  let t = ms;
  for (let i = 0; i < 32; i++) {
    if (withinCallingHours(hours, timeZone, t)) return t;
    const { day, minute } = localTime(t, timeZone);
    let delta: number | null = null;
    for (let k = 0; k < 8 && delta === null; k++) {
      const d = WEEKDAYS[(WEEKDAYS.indexOf(day) + k) % 7] as Weekday;
      const starts = (hours[d] ?? [])
        .map(parseWindow)
        .filter((r): r is [number, number] => r !== null)
        .map((r) => r[0])
        .filter((s) => k > 0 || s > minute)
        .sort((a, b) => a - b);
      if (starts.length) delta = k * 1440 + (starts[0] as number) - minute;
    }
    if (delta === null) return null;
    // local minutes are whole UTC minutes in every zone the box supports; DST days loop once more
    t = (Math.floor(t / 60_000) + delta) * 60_000;
  }
  return null;
}

/** How far ahead a callback may be scheduled. */
export const CALLBACK_MAX_AHEAD_MS = 366 * 86_400_000;

/**
 * A callback time must be now or later (a minute's grace), within a year and inside the calling
 * hours: VALIDATION_FAILED naming `field` with `details.reason` `past`, `tooFar` or
 * `outsideCallingHours` (then `details.next`: the next calling time, ISO and `nextLocal` on the
 * shop's clock, or null when the list has no calling hours at all).
 */
export function checkCallbackTime(hours: CallingHours, timeZone: string, at: number, now: number, field: string): void {
  const fail = (problem: string, details: Record<string, unknown>) =>
    new CallboxError('VALIDATION_FAILED', `${field} ${problem}`, { field, ...details });
  if (at < now - 60_000) throw fail('is in the past', { reason: 'past' });
  if (at > now + CALLBACK_MAX_AHEAD_MS) throw fail('is more than a year ahead', { reason: 'tooFar' });
  if (!withinCallingHours(hours, timeZone, at)) {
    const next = nextCallingTime(hours, timeZone, Math.max(at, now));
    throw fail(
      `is outside the calling hours (${timeZone})${next === null ? '' : `: the next calling time is ${localDateTimeString(next, timeZone)}`}`,
      {
        reason: 'outsideCallingHours',
        next: next === null ? null : new Date(next).toISOString(),
        nextLocal: next === null ? null : localDateTimeString(next, timeZone),
      },
    );
  }
}

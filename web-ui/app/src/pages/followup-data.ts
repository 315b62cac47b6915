/**
 * Pure helpers of the follow-ups page (no DOM; unit-tested): open items grouped into overdue
 * (due before today), due today and later by the browser's local day, soonest first; the
 * outcomes a person may record; a `datetime-local` value ↔ an ISO time.
 */
import type { FollowupItem, FollowupOutcome } from '../../../../firmware/src/service/types.js';

/** Outcomes in the order the form offers them: closing ones first. */
export const OUTCOMES: readonly FollowupOutcome[] = ['reached', 'refused', 'wrong_number', 'no_answer', 'busy', 'callback_later'];

/** Items still to work (the rest are closed: done, failed, skipped, cancelled). */
export const OPEN_STATES = ['pending', 'offered', 'dialing'] as const;

export interface FollowupGroups {
  overdue: FollowupItem[];
  today: FollowupItem[];
  later: FollowupItem[];
}

/** Groups open items by `nextAt` (when they are due next) against the local day of `now`. */
export function groupFollowups(items: readonly FollowupItem[], now: Date): FollowupGroups {
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
  const open = items
    .filter((i) => (OPEN_STATES as readonly string[]).includes(i.state))
    .sort((a, b) => Date.parse(a.nextAt) - Date.parse(b.nextAt) || a.id.localeCompare(b.id));
  const out: FollowupGroups = { overdue: [], today: [], later: [] };
  for (const i of open) {
    const at = Date.parse(i.nextAt);
    if (at < start) out.overdue.push(i);
    else if (at < end) out.today.push(i);
    else out.later.push(i);
  }
  return out;
}

/** A Date → the value of an `<input type="datetime-local">` in local time ("2026-11-27T16:00"). */
export function localInputValue(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A `datetime-local` value (local time) → ISO 8601 in UTC; null when empty or not a time. */
export function isoFromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

const WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

/**
 * A day's calling hours as typed ("09:00-12:00 14:00-20:00", commas too) → the API's windows;
 * null when one is not "HH:MM-HH:MM" with the start before the end, or there are more than 8.
 */
export function parseWindows(text: string): string[] | null {
  const parts = text.split(/[\s,，;；、]+/).filter(Boolean);
  if (parts.length > 8) return null;
  for (const w of parts) {
    const m = WINDOW.exec(w);
    if (!m) return null;
    const [from, to] = w.split('-').map((x) => Number(x.slice(0, 2)) * 60 + Number(x.slice(3))) as [number, number];
    if (from >= to) return null;
  }
  return parts;
}

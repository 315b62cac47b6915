/**
 * Attendance (考勤) and staffing against the Erlang advice, from the agents' log-ins and log-outs
 * in the event log (`agent.state`: logged in = any state but loggedOut).
 *
 * Per shift (rules in README.md): logged in at the start (or logging in within LATE_GRACE_MIN
 * after it) is on time, later is `late` by the minutes after the start; logged out for good more
 * than EARLY_GRACE_MIN before the end is `earlyLeave`; no logged-in time in the shift is `absent`.
 * A shift not yet over is judged on what happened so far (`upcoming` before it starts).
 */
import type { StaffingAdvice } from '../../kpi/types.js';
import type { Database } from '../../store/db.js';
import { EventWindow } from '../../store/event-window.js';
import { iso } from './input.js';
import type { LocalCalendar } from './period.js';
import { type ShiftRow, shiftSpan } from './shift-store.js';
import type { AttendanceRow, AttendanceStatus, ReportStaffingRow } from './types.js';

export const LATE_GRACE_MIN = 5;
export const EARLY_GRACE_MIN = 5;
/** A log-in this long before a shift starts still counts as the shift's first log-in. */
const EARLY_LOGIN_MS = 3_600_000;
/** Agent state is read from this long before the first shift (the first event's `prev` says the state before it). */
const LOOKBACK_MS = 24 * 3_600_000;
const MIN = 60_000;

/** Logged-in intervals [start, end) per agent; an open interval ends at Infinity. */
export type Presence = Map<string, Array<[number, number]>>;

/** Presence from agent.state events in seq order (the first event of each agent gives its state before via `prev`). */
export function presenceFrom(events: Iterable<{ ts: number; type: string; data: unknown }>, since: number): Presence {
  const out: Presence = new Map();
  const open = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'agent.state') continue;
    const d = e.data as { agent?: unknown; state?: unknown; prev?: unknown };
    if (typeof d.agent !== 'string') continue;
    const agent = d.agent;
    if (!out.has(agent)) {
      out.set(agent, []);
      if (d.prev !== 'loggedOut' && d.prev !== undefined) open.set(agent, since);
    }
    const inNow = d.state !== 'loggedOut';
    const was = open.get(agent);
    if (inNow && was === undefined) open.set(agent, e.ts);
    else if (!inNow && was !== undefined) {
      if (e.ts > was) (out.get(agent) as Array<[number, number]>).push([was, e.ts]);
      open.delete(agent);
    }
  }
  for (const [agent, start] of open) (out.get(agent) as Array<[number, number]>).push([start, Number.POSITIVE_INFINITY]);
  return out;
}

/** agent.state events with from ≤ ts < to, in seq order. */
export function readPresence(db: Database, from: number, to: number): Presence {
  const w = new EventWindow(db).seqs(from, to);
  const rows = w
    ? db
        .prepare<[number, number, number, number], { ts: number; type: string; data: string }>(
          "SELECT ts, type, data FROM events WHERE seq BETWEEN ? AND ? AND ts >= ? AND ts < ? AND type = 'agent.state' ORDER BY seq",
        )
        .all(w[0], w[1], from, to)
    : [];
  return presenceFrom(
    rows.map((r) => ({ ts: r.ts, type: r.type, data: JSON.parse(r.data) as unknown })),
    from,
  );
}

/** Attendance of `shifts`; `known` is the presence already read for a window covering them (a report's events). */
export function attendanceRows(db: Database, cal: LocalCalendar, shifts: ShiftRow[], now: number, known?: Presence): AttendanceRow[] {
  if (shifts.length === 0) return [];
  const spans = shifts.map((s) => shiftSpan(cal, s));
  const from = Math.min(...spans.map((s) => s.start)) - LOOKBACK_MS;
  const to = Math.min(now, Math.max(...spans.map((s) => s.end)));
  const presence = known ?? readPresence(db, from, Math.max(from, to));
  return shifts.map((s, i) => judge(s, spans[i] as { start: number; end: number }, presence.get(s.agent) ?? [], now));
}

function judge(s: ShiftRow, span: { start: number; end: number }, intervals: Array<[number, number]>, now: number): AttendanceRow {
  const { start } = span;
  const end = Math.min(span.end, now);
  const base = { shiftId: s.id, agent: s.agent, date: s.date, start: s.start, end: s.end };
  if (now <= start) {
    return { ...base, firstLoginAt: null, lastLogoutAt: null, lateMin: 0, earlyLeaveMin: 0, workedMin: 0, status: 'upcoming' };
  }
  let worked = 0;
  let firstLogin: number | null = null;
  let lastOut: number | null = null;
  for (const [a, b] of intervals) {
    const lo = Math.max(a, start);
    const hi = Math.min(b, end);
    if (hi > lo) worked += hi - lo;
    if (b > start && a < end) {
      if (firstLogin === null && a >= start - EARLY_LOGIN_MS) firstLogin = a;
      else if (firstLogin === null) firstLogin = start;
      lastOut = b;
    }
  }
  if (worked === 0 || firstLogin === null) {
    return {
      ...base,
      firstLoginAt: null,
      lastLogoutAt: null,
      lateMin: 0,
      earlyLeaveMin: 0,
      workedMin: 0,
      status: now >= span.end ? 'absent' : 'upcoming',
    };
  }
  const lateMs = firstLogin - start;
  const lateMin = lateMs > LATE_GRACE_MIN * MIN ? Math.floor(lateMs / MIN) : 0;
  const stayed = lastOut === null || lastOut >= end || now < span.end;
  const earlyMs = stayed ? 0 : span.end - (lastOut as number);
  const earlyLeaveMin = earlyMs > EARLY_GRACE_MIN * MIN ? Math.floor(earlyMs / MIN) : 0;
  const status: AttendanceStatus =
    lateMin > 0 && earlyLeaveMin > 0 ? 'lateAndEarlyLeave' : lateMin > 0 ? 'late' : earlyLeaveMin > 0 ? 'earlyLeave' : 'ok';
  return {
    ...base,
    firstLoginAt: iso(firstLogin),
    lastLogoutAt: stayed || lastOut === null ? null : iso(lastOut),
    lateMin,
    earlyLeaveMin,
    workedMin: Math.floor(worked / MIN),
    status,
  };
}

/**
 * Per weekday×hour of the period: the Erlang advice from the period's own demand, the mean agents
 * on shift and the mean agents logged in (each over the hours of that slot the period covered).
 */
export function staffingRows(
  cal: LocalCalendar,
  advice: StaffingAdvice,
  range: { from: number; to: number },
  now: number,
  presence: Presence,
  shiftSpans: Array<{ start: number; end: number }>,
): ReportStaffingRow[] {
  const end = Math.max(range.from, Math.min(range.to, now));
  const observed = new Float64Array(168);
  const scheduled = new Float64Array(168);
  const loggedIn = new Float64Array(168);
  cal.hours.split(range.from, end, (slot, ms) => {
    observed[slot] = (observed[slot] as number) + ms;
  });
  const add = (arr: Float64Array, a: number, b: number) =>
    cal.hours.split(Math.max(a, range.from), Math.min(b, end), (slot, ms) => {
      arr[slot] = (arr[slot] as number) + ms;
    });
  for (const s of shiftSpans) add(scheduled, s.start, s.end);
  for (const list of presence.values()) for (const [a, b] of list) add(loggedIn, a, b);
  const rows: ReportStaffingRow[] = [];
  for (let slot = 0; slot < 168; slot++) {
    const obs = observed[slot] as number;
    if (obs <= 0) continue;
    const adv = advice.slots[slot];
    const sch = (scheduled[slot] as number) / obs;
    const inn = (loggedIn[slot] as number) / obs;
    if ((adv?.offered ?? 0) === 0 && sch === 0 && inn === 0) continue;
    const advised = adv?.agents ?? null;
    rows.push({
      weekday: Math.floor(slot / 24) + 1,
      hour: slot % 24,
      hoursObserved: adv?.hoursObserved ?? obs / 3_600_000,
      offeredPerHour: adv?.offeredPerHour ?? null,
      advised,
      scheduled: round2(sch),
      loggedIn: round2(inn),
      gap: advised === null ? null : round2(inn - advised),
    });
  }
  return rows;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

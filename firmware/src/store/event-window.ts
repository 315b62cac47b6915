/**
 * Where a time range lies in the event log: the seq window of its UTC hours, from the directory
 * `event_hours` (schema step 18; a trigger keeps it in each append's transaction). Readers select
 * `seq BETWEEN lo AND hi AND ts >= from AND ts < to`: the primary key gives the rows in seq order,
 * the ts test keeps the range's own. Exact also for events appended late with an earlier ts.
 */
import type { Statement } from 'better-sqlite3';
import type { Database } from './db.js';

export const HOUR_MS = 3_600_000;

/** SQLite's `ts / 3600000` (integer division truncates toward zero). */
export const hourOf = (ts: number): number => Math.trunc(ts / HOUR_MS);

export class EventWindow {
  private readonly span: Statement<[number, number], { lo: number | null; hi: number | null }>;
  private readonly next: Statement<[number], { hour: number; lo: number; hi: number }>;
  private readonly firstIn: Statement<[number, number, number, number], { seq: number }>;

  constructor(db: Database) {
    this.span = db.prepare('SELECT MIN(lo) AS lo, MAX(hi) AS hi FROM event_hours WHERE hour BETWEEN ? AND ?');
    this.next = db.prepare('SELECT hour, lo, hi FROM event_hours WHERE hour >= ? ORDER BY hour LIMIT 1');
    this.firstIn = db.prepare('SELECT seq FROM events WHERE seq BETWEEN ? AND ? AND ts >= ? AND ts < ? ORDER BY ts, seq LIMIT 1');
  }

  /** The seq window holding every event with from ≤ ts < to (maybe more), or null when none can. */
  seqs(from: number, to: number): [number, number] | null {
    if (to <= from) return null;
    const w = this.span.get(hourOf(from), hourOf(to - 1));
    return w && w.lo !== null && w.hi !== null ? [w.lo, w.hi] : null;
  }

  /** The seq of the first event (by ts, then seq) with ts ≥ from, or null. */
  firstAt(from: number): number | null {
    for (let h = this.next.get(hourOf(from)); h !== undefined; h = this.next.get(h.hour + 1)) {
      const r = this.firstIn.get(h.lo, h.hi, Math.max(from, h.hour * HOUR_MS), (h.hour + 1) * HOUR_MS);
      if (r) return r.seq;
    }
    return null;
  }
}

/**
 * Staff shifts (排班) in SQLite (schema step 13): an agent of the config, a local date, a start
 * and an end (HH:MM; an end at or before the start ends the next day). One transaction per write
 * with its audit row. Two shifts of one agent may not overlap.
 */
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor } from '../common/types.js';
import { CallboxError } from '../../errors.js';
import { checkVersion, invalid, iso, notFound, text } from './input.js';
import { type LocalCalendar, dateOf, parseDate, parseHhmm } from './period.js';
import type { Shift, ShiftInput } from './types.js';

export interface ShiftRow {
  id: string;
  agent: string;
  date: string;
  start: string;
  end: string;
  note: string;
  created_at: number;
  updated_at: number;
  version: number;
}

const shiftOf = (r: ShiftRow): Shift => ({
  id: r.id,
  agent: r.agent,
  date: r.date,
  start: r.start,
  end: r.end,
  note: r.note,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  version: r.version,
});

/** The shift's [start, end) instants in the shop's zone. */
export function shiftSpan(cal: LocalCalendar, r: { date: string; start: string; end: string }): { start: number; end: number } {
  const day = parseDate(r.date);
  const s = parseHhmm(r.start, 'start');
  const e = parseHhmm(r.end, 'end');
  return { start: cal.instant(day, s), end: e > s ? cal.instant(day, e) : cal.instant(day + 1, e) };
}

export class ShiftStore {
  constructor(
    private readonly d: BackOfficeDeps,
    private readonly cal: () => LocalCalendar,
  ) {}

  /** Shifts starting on local dates [from, to] (both optional), by date, start, agent. */
  rows(q: { from?: string; to?: string; agent?: string }): ShiftRow[] {
    const from = q.from === undefined ? '0000-00-00' : dateOf(parseDate(q.from, 'from'));
    const to = q.to === undefined ? '9999-99-99' : dateOf(parseDate(q.to, 'to'));
    return this.d.db
      .prepare<[string, string, string | null, string | null], ShiftRow>(
        `SELECT * FROM staff_shifts WHERE date >= ? AND date <= ? AND (? IS NULL OR agent = ?)
         ORDER BY date, start, agent, id LIMIT 10000`,
      )
      .all(from, to, q.agent ?? null, q.agent ?? null);
  }

  list(q: { from?: string; to?: string; agent?: string }): Shift[] {
    return this.rows(q).map(shiftOf);
  }

  get(id: string): Shift {
    return shiftOf(this.row(id));
  }

  create(actor: Actor, input: ShiftInput): Shift {
    const now = this.d.clock.now();
    const row: ShiftRow = { id: this.d.newId(), ...this.fields(input), created_at: now, updated_at: now, version: 1 };
    this.d.db.transaction(() => {
      this.checkOverlap(row);
      this.d.db
        .prepare(
          `INSERT INTO staff_shifts (id, agent, date, start, end, note, created_at, updated_at, version)
           VALUES (@id, @agent, @date, @start, @end, @note, @created_at, @updated_at, @version)`,
        )
        .run(row);
      this.d.audit.record(actor.username, 'shift.create', 'shift', row.id, { agent: row.agent, date: row.date });
    })();
    return shiftOf(row);
  }

  update(actor: Actor, id: string, patch: Partial<ShiftInput> & { version?: number }): Shift {
    return this.d.db.transaction(() => {
      const old = this.row(id);
      checkVersion(`shift ${id}`, old.version, patch.version);
      const merged: ShiftInput = {
        agent: patch.agent ?? old.agent,
        date: patch.date ?? old.date,
        start: patch.start ?? old.start,
        end: patch.end ?? old.end,
        note: patch.note ?? old.note,
      };
      const row: ShiftRow = { ...old, ...this.fields(merged, old.agent), updated_at: this.d.clock.now(), version: old.version + 1 };
      this.checkOverlap(row);
      this.d.db
        .prepare(
          `UPDATE staff_shifts SET agent = @agent, date = @date, start = @start, end = @end, note = @note,
             updated_at = @updated_at, version = @version WHERE id = @id`,
        )
        .run(row);
      this.d.audit.record(actor.username, 'shift.update', 'shift', id, { version: row.version });
      return shiftOf(row);
    })();
  }

  delete(actor: Actor, id: string): void {
    this.d.db.transaction(() => {
      this.row(id);
      this.d.db.prepare('DELETE FROM staff_shifts WHERE id = ?').run(id);
      this.d.audit.record(actor.username, 'shift.delete', 'shift', id);
    })();
  }

  private fields(input: Partial<ShiftInput>, keepAgent?: string): Pick<ShiftRow, 'agent' | 'date' | 'start' | 'end' | 'note'> {
    const agent = text(input.agent, 'agent', 32);
    const agents = this.d.config().agents.map((a) => a.id);
    if (agent !== keepAgent && !agents.includes(agent)) throw invalid('agent', `must be one of the agents (${agents.join(', ')})`);
    const date = dateOf(parseDate(input.date, 'date'));
    const s = parseHhmm(input.start, 'start');
    const e = parseHhmm(input.end, 'end');
    if (s === e) throw invalid('end', 'must differ from start (an end before the start ends the next day)');
    return {
      agent,
      date,
      start: input.start as string,
      end: input.end as string,
      note: input.note === undefined ? '' : text(input.note, 'note', 500, 0),
    };
  }

  private checkOverlap(row: ShiftRow): void {
    const cal = this.cal();
    const span = shiftSpan(cal, row);
    const day = parseDate(row.date);
    for (const other of this.rows({ from: dateOf(day - 1), to: dateOf(day + 1), agent: row.agent })) {
      if (other.id === row.id) continue;
      const o = shiftSpan(cal, other);
      if (o.start < span.end && span.start < o.end) {
        throw new CallboxError(
          'CONFLICT',
          `agent ${row.agent} already has shift ${other.id} on ${other.date} ${other.start}-${other.end}`,
          {
            shiftId: other.id,
          },
        );
      }
    }
  }

  private row(id: string): ShiftRow {
    const r = this.d.db.prepare<[string], ShiftRow>('SELECT * FROM staff_shifts WHERE id = ?').get(id);
    if (!r) throw notFound('shift', id);
    return r;
  }
}

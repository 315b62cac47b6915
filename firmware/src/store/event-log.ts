/**
 * The append-only event log: every state change of a call, queue entry or agent, in order. KPIs,
 * reports, the dashboard stream and the cloud stream are computed from it. Rows cannot be updated
 * or deleted (triggers refuse it). Callers append inside the transaction that changes the records.
 * Stored compact in `event_log` (type ids, binary JSON); `events` is a view with the type's name and
 * the JSON text (schema step 27).
 */
import type { Statement } from 'better-sqlite3';
import type { Database } from './db.js';
import { EVENT_TYPE_SEED, eventTypeId, type SeededEventType } from './schema/27-event-log-compact.js';

/** The columns of an event as the `events` view shows them (schema step 27): for reads of `event_log`. */
export const EVENT_COLUMNS = 'seq, ts, (SELECT name FROM event_types WHERE id = type_id) AS type, call_id, json(data) AS data';
const SEEDED: ReadonlySet<string> = new Set(EVENT_TYPE_SEED);

export interface EventEntry {
  seq: number;
  /** ms since the epoch. */
  ts: number;
  type: string;
  callId: string | null;
  data: unknown;
}

interface EventRow {
  seq: number;
  ts: number;
  type: string;
  call_id: string | null;
  data: string;
}

const MAX_READ = 1000;

export class EventLog {
  private readonly insert: Statement<[number, string, string | null, string]>;
  private readonly addType: Statement<[string]>;
  private readonly after: Statement<[number, number], EventRow>;
  private readonly last: Statement<[number], EventRow>;

  constructor(db: Database) {
    // the type's id is looked up in the insert itself: an id cached from a transaction that was
    // rolled back would name no type (a NOT NULL error instead of a silent loss)
    this.insert = db.prepare(
      'INSERT INTO event_log (ts, type_id, call_id, data) VALUES (?, (SELECT id FROM event_types WHERE name = ?), ?, jsonb(?))',
    );
    this.addType = db.prepare('INSERT OR IGNORE INTO event_types (name) VALUES (?)');
    this.after = db.prepare(`SELECT ${EVENT_COLUMNS} FROM event_log WHERE seq > ? ORDER BY seq LIMIT ?`);
    this.last = db.prepare(`SELECT * FROM (SELECT ${EVENT_COLUMNS} FROM event_log ORDER BY seq DESC LIMIT ?) ORDER BY seq`);
  }

  /** Append one event; returns its sequence number. `ts` is an integer ms timestamp from the clock. */
  append(type: string, callId: string | null, data: unknown, ts: number): number {
    const json = JSON.stringify(data ?? null);
    if (!SEEDED.has(type)) this.addType.run(type);
    return Number(this.insert.run(ts, type, callId, json).lastInsertRowid);
  }

  /** Events with seq > `seq`, oldest first, at most `limit` (1..1000). */
  since(seq: number, limit = 100): EventEntry[] {
    return this.after.all(seq, clamp(limit)).map(toEntry);
  }

  /** The last `limit` events (1..1000), oldest first. */
  tail(limit = 100): EventEntry[] {
    return this.last.all(clamp(limit)).map(toEntry);
  }
}

function clamp(limit: number): number {
  const n = Math.trunc(limit);
  return n >= 1 ? Math.min(n, MAX_READ) : 1;
}

function toEntry(r: EventRow): EventEntry {
  return { seq: r.seq, ts: r.ts, type: r.type, callId: r.call_id, data: JSON.parse(r.data) as unknown };
}

/**
 * SQL for "the row's type is one of `types`" on `event_log`: the fixed ids of seeded types (a
 * partial index is used only when the query has its very term: `type_id = N` for one type, the
 * same `IN` list in the same order for several), a lookup by name for the others. `types` are the code's own constants, never input.
 */
export function typeIn(types: readonly string[]): string {
  const ids: number[] = [];
  const names: string[] = [];
  for (const t of types) {
    if (SEEDED.has(t)) ids.push(eventTypeId(t as SeededEventType));
    else names.push(`'${t.replaceAll("'", "''")}'`);
  }
  const parts: string[] = [];
  if (ids.length === 1) parts.push(`type_id = ${ids.join('')}`);
  else if (ids.length > 1) parts.push(`type_id IN (${ids.join(', ')})`);
  if (names.length > 0) parts.push(`type_id IN (SELECT id FROM event_types WHERE name IN (${names.join(', ')}))`);
  return parts.length === 0 ? '0' : parts.length === 1 ? parts.join('') : `(${parts.join(' OR ')})`;
}

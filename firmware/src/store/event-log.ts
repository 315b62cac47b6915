/**
 * The append-only event log: every state change of a call, queue entry or agent, in order. KPIs,
 * reports, the dashboard stream and the cloud stream are computed from it. Rows cannot be updated
 * or deleted (triggers refuse it). Callers append inside the transaction that changes the records.
 */
import type { Statement } from 'better-sqlite3';
import type { Database } from './db.js';

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
  private readonly after: Statement<[number, number], EventRow>;
  private readonly last: Statement<[number], EventRow>;

  constructor(db: Database) {
    this.insert = db.prepare('INSERT INTO events (ts, type, call_id, data) VALUES (?, ?, ?, ?)');
    this.after = db.prepare('SELECT seq, ts, type, call_id, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
    this.last = db.prepare('SELECT * FROM (SELECT seq, ts, type, call_id, data FROM events ORDER BY seq DESC LIMIT ?) ORDER BY seq');
  }

  /** Append one event; returns its sequence number. `ts` is an integer ms timestamp from the clock. */
  append(type: string, callId: string | null, data: unknown, ts: number): number {
    const json = JSON.stringify(data ?? null);
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

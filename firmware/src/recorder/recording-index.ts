/** The `recordings` table (schema step 2 in store/db.ts): prepared statements and row mapping. */
import type { Statement } from 'better-sqlite3';
import type { Database } from '../store/db.js';
import type { RecordingInfo, RecordingState, StoredFormat } from './types.js';

export interface RecordingRow {
  id: string;
  call_id: string;
  queue: string | null;
  path: string;
  format: StoredFormat;
  channels: 1 | 2;
  started_at: number;
  ended_at: number | null;
  duration_ms: number;
  bytes: number;
  state: RecordingState;
  legal_hold: 0 | 1;
}

export interface FinishedFields {
  id: string;
  state: RecordingState;
  ended_at: number | null;
  duration_ms: number;
  bytes: number;
}

const COLUMNS = 'id, call_id, queue, path, format, channels, started_at, ended_at, duration_ms, bytes, state, legal_hold';
export const MAX_LIST = 500;

export class RecordingIndex {
  private readonly insertRow: Statement<[RecordingRow]>;
  private readonly finishRow: Statement<[FinishedFields]>;
  private readonly deleteRow: Statement<[string]>;
  private readonly byId: Statement<[string], RecordingRow>;
  private readonly recent: Statement<[number], RecordingRow>;
  private readonly recentOfCall: Statement<[string, number], RecordingRow>;
  private readonly openRows: Statement<[], RecordingRow>;
  private readonly hold: Statement<[number, string]>;
  private readonly olderThan: Statement<[number], RecordingRow>;
  private readonly deletable: Statement<[], RecordingRow>;
  private readonly total: Statement<[], { n: number | null }>;
  private readonly compressed: Statement<[string, number, string]>;

  constructor(db: Database) {
    const params = COLUMNS.split(', ')
      .map((c) => `@${c}`)
      .join(', ');
    this.insertRow = db.prepare(`INSERT INTO recordings (${COLUMNS}) VALUES (${params})`);
    this.finishRow = db.prepare(
      'UPDATE recordings SET state = @state, ended_at = @ended_at, duration_ms = @duration_ms, bytes = @bytes WHERE id = @id',
    );
    this.deleteRow = db.prepare('DELETE FROM recordings WHERE id = ?');
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM recordings WHERE id = ?`);
    this.recent = db.prepare(`SELECT ${COLUMNS} FROM recordings ORDER BY started_at DESC, id DESC LIMIT ?`);
    this.recentOfCall = db.prepare(`SELECT ${COLUMNS} FROM recordings WHERE call_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`);
    this.openRows = db.prepare(`SELECT ${COLUMNS} FROM recordings WHERE state = 'recording' ORDER BY started_at, id`);
    this.hold = db.prepare('UPDATE recordings SET legal_hold = ? WHERE id = ?');
    const candidates = "FROM recordings WHERE legal_hold = 0 AND state <> 'recording'";
    this.olderThan = db.prepare(`SELECT ${COLUMNS} ${candidates} AND started_at < ? ORDER BY started_at, id`);
    this.deletable = db.prepare(`SELECT ${COLUMNS} ${candidates} ORDER BY started_at, id`);
    this.total = db.prepare('SELECT SUM(bytes) AS n FROM recordings');
    this.compressed = db.prepare("UPDATE recordings SET path = ?, bytes = ?, format = 'opus' WHERE id = ?");
  }

  insert(row: RecordingRow): void {
    this.insertRow.run(row);
  }

  finish(fields: FinishedFields): void {
    this.finishRow.run(fields);
  }

  remove(id: string): void {
    this.deleteRow.run(id);
  }

  get(id: string): RecordingRow | undefined {
    return this.byId.get(id);
  }

  /** Newest first. */
  list(callId: string | null, limit: number): RecordingRow[] {
    return callId === null ? this.recent.all(limit) : this.recentOfCall.all(callId, limit);
  }

  /** Rows left in state 'recording', oldest first. */
  open(): RecordingRow[] {
    return this.openRows.all();
  }

  /** Returns false when there is no such recording. */
  setLegalHold(id: string, on: boolean): boolean {
    return this.hold.run(on ? 1 : 0, id).changes > 0;
  }

  /** Retention candidates (not held, not being recorded) started before `ms`, oldest first. */
  startedBefore(ms: number): RecordingRow[] {
    return this.olderThan.all(ms);
  }

  /** Every retention candidate, oldest first. */
  deletableOldestFirst(): RecordingRow[] {
    return this.deletable.all();
  }

  totalBytes(): number {
    return this.total.get()?.n ?? 0;
  }

  setCompressed(id: string, path: string, bytes: number): void {
    this.compressed.run(path, bytes, id);
  }
}

export function toInfo(r: RecordingRow): RecordingInfo {
  return {
    id: r.id,
    callId: r.call_id,
    queue: r.queue,
    path: r.path,
    format: r.format,
    channels: r.channels,
    startedAt: new Date(r.started_at).toISOString(),
    endedAt: r.ended_at === null ? null : new Date(r.ended_at).toISOString(),
    durationMs: r.duration_ms,
    bytes: r.bytes,
    state: r.state,
    legalHold: r.legal_hold === 1,
  };
}

/**
 * The `voicemails` table (schema step 4 in store/db.ts): prepared statements, row mapping, and the
 * voicemail events, appended in the same transaction as the row change they explain. Each saved
 * voicemail and each later change (heard, handled, note) also queues its metadata (toInfo) in the
 * cloud outbox (`rec/voicemail`) in that transaction; the table has no version column, so the
 * version is the change time in ms, kept above the last queued version of the same voicemail.
 */
import type { Statement, Transaction } from 'better-sqlite3';
import type { EventCatalog } from '../events/catalog.js';
import type { Database } from '../store/db.js';
import { EventLog } from '../store/event-log.js';
import type { StoredVoicemailState, VoicemailInfo, VoicemailState } from './types.js';

export interface VoicemailRow {
  id: string;
  call_id: string;
  box: string;
  caller_id: string | null;
  created_at: number;
  duration_ms: number;
  path: string;
  state: StoredVoicemailState;
  handled_by: string | null;
  handled_at: number | null;
  note: string | null;
}

export interface StateChange {
  id: string;
  state: VoicemailState;
  handled_by: string | null;
  handled_at: number | null;
  /** undefined keeps the note. */
  note?: string | null;
  /** When (ms, the box's clock): the outbox row's time and version. */
  ts: number;
}

const COLUMNS = 'id, call_id, box, caller_id, created_at, duration_ms, path, state, handled_by, handled_at, note';
export const MAX_LIST = 500;

export class VoicemailIndex {
  private readonly events: EventLog;
  private readonly insertRow: Statement<[VoicemailRow]>;
  private readonly byId: Statement<[string], VoicemailRow>;
  private readonly recent: Statement<[number], VoicemailRow>;
  private readonly recentIn: Statement<[string, number], VoicemailRow>;
  private readonly openRows: Statement<[], VoicemailRow>;
  private readonly completeRow: Statement<[number, string]>;
  private readonly deleteRow: Statement<[string]>;
  private readonly stateRow: Statement<[string, string | null, number | null, string]>;
  private readonly noteRow: Statement<[string | null, string]>;
  private readonly savedTx: Transaction<(id: string, durationMs: number, ts: number) => void>;
  private readonly discardTx: Transaction<(id: string | null, box: string, reason: string, ts: number) => void>;
  private readonly stateTx: Transaction<(c: StateChange) => boolean>;
  private readonly toOutbox: Statement<[string, number, number, string]>;
  private readonly lastVersion: Statement<[string], { v: number | null }>;

  constructor(db: Database) {
    this.events = new EventLog(db);
    const params = COLUMNS.split(', ')
      .map((c) => `@${c}`)
      .join(', ');
    this.insertRow = db.prepare(`INSERT INTO voicemails (${COLUMNS}) VALUES (${params})`);
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM voicemails WHERE id = ?`);
    const done = "state <> 'recording'";
    this.recent = db.prepare(`SELECT ${COLUMNS} FROM voicemails WHERE ${done} ORDER BY created_at DESC, id DESC LIMIT ?`);
    this.recentIn = db.prepare(`SELECT ${COLUMNS} FROM voicemails WHERE state = ? ORDER BY created_at DESC, id DESC LIMIT ?`);
    this.openRows = db.prepare(`SELECT ${COLUMNS} FROM voicemails WHERE state = 'recording' ORDER BY created_at, id`);
    this.completeRow = db.prepare("UPDATE voicemails SET state = 'new', duration_ms = ? WHERE id = ? AND state = 'recording'");
    this.deleteRow = db.prepare('DELETE FROM voicemails WHERE id = ?');
    this.stateRow = db.prepare(`UPDATE voicemails SET state = ?, handled_by = ?, handled_at = ? WHERE id = ? AND ${done}`);
    this.noteRow = db.prepare('UPDATE voicemails SET note = ? WHERE id = ?');
    this.toOutbox = db.prepare("INSERT INTO outbox (stream, record_id, version, ts, body) VALUES ('voicemail', ?, ?, ?, ?)");
    this.lastVersion = db.prepare("SELECT MAX(version) AS v FROM outbox WHERE stream = 'voicemail' AND record_id = ?");
    this.savedTx = db.transaction((id: string, durationMs: number, ts: number) => {
      const row = this.byId.get(id);
      if (!row || this.completeRow.run(durationMs, id).changes === 0) return;
      this.event('voicemail.saved', { box: row.box, voicemailId: id, durationMs }, ts);
      this.queue(id, ts);
    });
    this.discardTx = db.transaction((id: string | null, box: string, reason: string, ts: number) => {
      if (id !== null) this.deleteRow.run(id);
      this.event('voicemail.discarded', { box, reason }, ts);
    });
    this.stateTx = db.transaction((c: StateChange) => {
      if (this.stateRow.run(c.state, c.handled_by, c.handled_at, c.id).changes === 0) return false;
      if (c.note !== undefined) this.noteRow.run(c.note, c.id);
      this.queue(c.id, c.ts);
      return true;
    });
  }

  insert(row: VoicemailRow): void {
    this.insertRow.run(row);
  }

  get(id: string): VoicemailRow | undefined {
    return this.byId.get(id);
  }

  /** Voicemails (not messages being recorded), newest first. */
  list(state: VoicemailState | null, limit: number): VoicemailRow[] {
    return state === null ? this.recent.all(limit) : this.recentIn.all(state, limit);
  }

  /** Rows left in state 'recording', oldest first. */
  open(): VoicemailRow[] {
    return this.openRows.all();
  }

  /** 'recording' → 'new' with its duration, and the voicemail.saved event, in one transaction. */
  saved(id: string, durationMs: number, ts: number): void {
    this.savedTx(id, durationMs, ts);
  }

  /** Delete the row (if any) and append voicemail.discarded, in one transaction. */
  discarded(id: string | null, box: string, reason: string, ts: number): void {
    this.discardTx(id, box, reason, ts);
  }

  /** False when there is no such voicemail (or it is still being recorded). */
  setState(c: StateChange): boolean {
    return this.stateTx(c);
  }

  /** The voicemail's metadata (not its audio) to the cloud outbox, inside the caller's transaction. */
  private queue(id: string, ts: number): void {
    const row = this.byId.get(id);
    if (!row) return;
    const version = Math.max(Math.trunc(ts), (this.lastVersion.get(id)?.v ?? 0) + 1);
    this.toOutbox.run(id, version, ts, JSON.stringify(toInfo(row)));
  }

  private event<K extends 'voicemail.saved' | 'voicemail.discarded'>(type: K, data: EventCatalog[K], ts: number): void {
    this.events.append(type, null, data, ts);
  }
}

export function toInfo(r: VoicemailRow): VoicemailInfo {
  return {
    id: r.id,
    callId: r.call_id,
    box: r.box,
    callerId: r.caller_id,
    createdAt: new Date(r.created_at).toISOString(),
    durationMs: r.duration_ms,
    state: r.state === 'recording' ? 'new' : r.state,
    handledBy: r.handled_by,
    handledAt: r.handled_at === null ? null : new Date(r.handled_at).toISOString(),
    note: r.note,
  };
}

/**
 * Callback requests (回拨): a caller who pressed the callback key keeps their place in the queue
 * without holding a line; the box dials them back when an agent is free. Rows survive restarts
 * (waiting callbacks rejoin their queues at start).
 */
import type { Statement } from 'better-sqlite3';
import type { Database } from './db.js';

export type CallbackState = 'waiting' | 'dialing' | 'done' | 'failed';

export interface CallbackRecord {
  id: string;
  /** The call in which the caller asked for it. */
  callId: string;
  queue: string;
  number: string;
  requestedAt: string;
  state: CallbackState;
  attempts: number;
  /** The outbound call that reached the customer and an agent, when done. */
  resultCallId: string | null;
  updatedAt: string;
}

interface Row {
  id: string;
  call_id: string;
  queue: string;
  number: string;
  requested_at: number;
  state: CallbackState;
  attempts: number;
  result_call_id: string | null;
  updated_at: number;
}

/** The table is schema step 5 (store/schema/05-callbacks.ts). */

export class CallbackStore {
  private readonly insert: Statement<[string, string, string, string, number, number]>;
  private readonly update: Statement<[CallbackState, number, string | null, number, string]>;
  private readonly byId: Statement<[string], Row>;
  private readonly byState: Statement<[string, number], Row>;
  private readonly recent: Statement<[number], Row>;

  constructor(db: Database) {
    this.insert = db.prepare(
      "INSERT INTO callbacks (id, call_id, queue, number, requested_at, state, attempts, updated_at) VALUES (?, ?, ?, ?, ?, 'waiting', 0, ?)",
    );
    this.update = db.prepare('UPDATE callbacks SET state = ?, attempts = ?, result_call_id = ?, updated_at = ? WHERE id = ?');
    this.byId = db.prepare('SELECT * FROM callbacks WHERE id = ?');
    this.byState = db.prepare('SELECT * FROM callbacks WHERE state = ? ORDER BY requested_at LIMIT ?');
    this.recent = db.prepare('SELECT * FROM callbacks ORDER BY requested_at DESC LIMIT ?');
  }

  add(id: string, callId: string, queue: string, number: string, at: number): void {
    this.insert.run(id, callId, queue, number, at, at);
  }

  set(id: string, state: CallbackState, attempts: number, resultCallId: string | null, at: number): void {
    this.update.run(state, attempts, resultCallId, at, id);
  }

  get(id: string): CallbackRecord | null {
    const r = this.byId.get(id);
    return r ? toRecord(r) : null;
  }

  list(opts: { state?: CallbackState; limit: number }): CallbackRecord[] {
    const limit = Math.max(1, Math.min(500, Math.trunc(opts.limit)));
    return (opts.state ? this.byState.all(opts.state, limit) : this.recent.all(limit)).map(toRecord);
  }
}

function toRecord(r: Row): CallbackRecord {
  return {
    id: r.id,
    callId: r.call_id,
    queue: r.queue,
    number: r.number,
    requestedAt: new Date(r.requested_at).toISOString(),
    state: r.state,
    attempts: r.attempts,
    resultCallId: r.result_call_id,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

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
  /** The outbound attempt (its call record's id) that reached the customer and an agent, when done. */
  resultCallId: string | null;
  updatedAt: string;
}

/** One outbound attempt of a callback: its own call record (`callId`, direction outbound). */
export interface CallbackAttempt {
  callId: string;
  callbackId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The call in which the caller asked for the callback. */
  originalCallId: string;
  channel: string;
  startedAt: string;
  endedAt: string | null;
  /** The attempt's call outcome: answered, notAccepted (no answer, refused, a voicemail) or failed. */
  outcome: string | null;
}

interface AttemptRow {
  call_id: string;
  callback_id: string;
  attempt: number;
  original_call_id: string;
  channel: string;
  started_at: number;
  ended_at: number | null;
  outcome: string | null;
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
  private readonly insertAttempt: Statement<[string, string, number, string, string, number]>;
  private readonly closeAttempt: Statement<[number, string, string]>;
  private readonly attemptsOf: Statement<[string], AttemptRow>;

  constructor(db: Database) {
    this.insert = db.prepare(
      "INSERT INTO callbacks (id, call_id, queue, number, requested_at, state, attempts, updated_at) VALUES (?, ?, ?, ?, ?, 'waiting', 0, ?)",
    );
    this.update = db.prepare('UPDATE callbacks SET state = ?, attempts = ?, result_call_id = ?, updated_at = ? WHERE id = ?');
    this.byId = db.prepare('SELECT * FROM callbacks WHERE id = ?');
    this.byState = db.prepare('SELECT * FROM callbacks WHERE state = ? ORDER BY requested_at LIMIT ?');
    this.recent = db.prepare('SELECT * FROM callbacks ORDER BY requested_at DESC LIMIT ?');
    this.insertAttempt = db.prepare(
      'INSERT OR REPLACE INTO callback_attempts (call_id, callback_id, attempt, original_call_id, channel, started_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.closeAttempt = db.prepare('UPDATE callback_attempts SET ended_at = ?, outcome = ? WHERE call_id = ? AND ended_at IS NULL');
    this.attemptsOf = db.prepare('SELECT * FROM callback_attempts WHERE callback_id = ? ORDER BY attempt');
  }

  /** An outbound attempt started (its call record is `a.callId`). */
  addAttempt(a: { callId: string; callbackId: string; attempt: number; originalCallId: string; channel: string }, at: number): void {
    this.insertAttempt.run(a.callId, a.callbackId, a.attempt, a.originalCallId, a.channel, at);
  }

  /** The attempt's call ended with `outcome`. */
  endAttempt(callId: string, outcome: string, at: number): void {
    this.closeAttempt.run(at, outcome, callId);
  }

  /** Every attempt of a callback, first first. */
  attempts(callbackId: string): CallbackAttempt[] {
    return this.attemptsOf.all(callbackId).map((r) => ({
      callId: r.call_id,
      callbackId: r.callback_id,
      attempt: r.attempt,
      originalCallId: r.original_call_id,
      channel: r.channel,
      startedAt: new Date(r.started_at).toISOString(),
      endedAt: r.ended_at === null ? null : new Date(r.ended_at).toISOString(),
      outcome: r.outcome,
    }));
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

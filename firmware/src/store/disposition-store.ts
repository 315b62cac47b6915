/**
 * The call result (通话小结) of a call that is no longer live: the `calls.disposition` column, its
 * `call.disposition` event and, for an ended call, a new version of the call in the cloud outbox
 * (stream `calls`, version = the event's seq, so it is newer than the version sent at the call's
 * end) — in one transaction. A live call's result goes through the engine's journal instead.
 */
import type { Statement, Transaction } from 'better-sqlite3';
import { CallboxError } from '../errors.js';
import type { CallDisposition, CallRecord } from '../service/types.js';
import type { CallStore } from './call-store.js';
import type { Database } from './db.js';

export interface DispositionEvent {
  type: 'call.disposition';
  ts: number;
  data: unknown;
}

export class DispositionStore {
  private readonly update: Statement<[string, string]>;
  private readonly toOutbox: Statement<[string, number, number, string]>;
  private readonly tx: Transaction<(callId: string, d: CallDisposition, e: DispositionEvent) => CallRecord>;

  constructor(
    db: Database,
    private readonly calls: CallStore,
  ) {
    this.update = db.prepare('UPDATE calls SET disposition = ? WHERE id = ?');
    this.toOutbox = db.prepare("INSERT INTO outbox (stream, record_id, version, ts, body) VALUES ('calls', ?, ?, ?, ?)");
    this.tx = db.transaction((callId: string, d: CallDisposition, e: DispositionEvent) => {
      if (this.update.run(JSON.stringify(d), callId).changes !== 1) {
        throw new CallboxError('NOT_FOUND', `no call with id ${JSON.stringify(callId)}`, { id: callId });
      }
      const seq = this.calls.events.append(e.type, callId, e.data, e.ts);
      const call = this.calls.getCall(callId) as CallRecord;
      if (call.state === 'ended') this.toOutbox.run(callId, seq, e.ts, JSON.stringify(call));
      return call;
    });
  }

  getCall(id: string): CallRecord | null {
    return this.calls.getCall(id);
  }

  setDisposition(callId: string, d: CallDisposition, event: DispositionEvent): CallRecord {
    return this.tx(callId, d, event);
  }
}

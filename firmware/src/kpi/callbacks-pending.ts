/**
 * 待回呼量: callback requests open at a moment, from the event log. A request is open from its
 * `callback.requested` until `callback.accepted` or a final `callback.failed` (retries keep it
 * open). Reads only callback events (partial index events_callbacks, schema steps 15 and 27).
 */
import type { Statement } from 'better-sqlite3';
import type { Database } from '../store/db.js';
import { typeIn } from '../store/event-log.js';

interface Row {
  type: string;
  data: string;
}

/** The callback events before a time, in order: read through the partial index events_callbacks. */
export const CALLBACK_EVENTS_SQL = `SELECT (SELECT name FROM event_types WHERE id = type_id) AS type, json(data) AS data FROM event_log INDEXED BY events_callbacks
       WHERE ${typeIn(['callback.requested', 'callback.accepted', 'callback.failed'])} AND ts < ?
       ORDER BY seq`;

export class CallbacksPending {
  private readonly stmt: Statement<[number], Row>;

  constructor(db: Database) {
    this.stmt = db.prepare(CALLBACK_EVENTS_SQL);
  }

  /** Requests open just before `at` (ms), optionally of one queue. */
  at(at: number, queue?: string): number {
    const open = new Map<string, string>();
    for (const row of this.stmt.iterate(at)) {
      let data: { callbackId?: unknown; queue?: unknown; final?: unknown };
      try {
        data = JSON.parse(row.data) as typeof data;
      } catch {
        continue;
      }
      const id = typeof data.callbackId === 'string' ? data.callbackId : null;
      if (id === null) continue;
      if (row.type === 'callback.requested') open.set(id, typeof data.queue === 'string' ? data.queue : '');
      else if (row.type === 'callback.accepted' || data.final === true) open.delete(id);
    }
    if (queue === undefined) return open.size;
    let n = 0;
    for (const q of open.values()) if (q === queue) n++;
    return n;
  }
}

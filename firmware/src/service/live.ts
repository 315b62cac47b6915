/**
 * The live event feed of the service API (service.live): every event the call engine records,
 * with its event-log seq, handed to subscribers synchronously after the record is written. A
 * subscriber that throws is logged and kept away from the engine; subscribers must not block (the
 * web server's SSE hub only queues). `since` reads the log itself, for resuming after a reconnect.
 */
import type { Statement } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Clock } from '../../../hal/src/clock.js';
import type { TypedEmitter } from '../../../hal/src/events.js';
import type { EngineEvents } from '../calls/engine-types.js';
import type { Database } from '../store/db.js';
import type { EventLog } from '../store/event-log.js';
import { localMidnight } from '../tz/zone.js';
import type { LiveEvent, LiveService } from './types.js';

export interface LiveFeedDeps {
  db: Database;
  events: EventLog;
  engineEvents: TypedEmitter<EngineEvents>;
  clock: Clock;
  log: Logger;
  timeZone: () => string;
}

export class LiveFeed implements LiveService {
  private readonly subscribers = new Set<(e: LiveEvent) => void>();
  private readonly maxSeq: Statement<[], { seq: number | null }>;
  private unhook: (() => void) | null = null;

  constructor(private readonly d: LiveFeedDeps) {
    this.maxSeq = d.db.prepare('SELECT max(seq) AS seq FROM events');
  }

  subscribe(fn: (e: LiveEvent) => void): () => void {
    this.subscribers.add(fn);
    // Listen to the engine only while someone listens here: no cost for a box nobody watches.
    this.unhook ??= this.d.engineEvents.on('event', (e) => this.publish(e));
    return () => {
      this.subscribers.delete(fn);
      if (this.subscribers.size === 0 && this.unhook) {
        this.unhook();
        this.unhook = null;
      }
    };
  }

  since(seq: number, limit: number): LiveEvent[] {
    return this.d.events.since(Math.max(0, Math.trunc(seq)), limit);
  }

  lastSeq(): number {
    return this.maxSeq.get()?.seq ?? 0;
  }

  todayStart(): number {
    return localMidnight(this.d.clock.now(), this.d.timeZone());
  }

  private publish(e: EngineEvents['event']): void {
    // The journal writes the row before it emits: the newest seq is this event's.
    const ev: LiveEvent = { seq: this.lastSeq(), ts: e.ts, type: e.type, callId: e.callId, data: e.data };
    for (const fn of [...this.subscribers]) {
      try {
        fn(ev);
      } catch (err) {
        this.d.log.warn({ err: String(err), type: e.type }, 'a live subscriber failed');
      }
    }
  }
}

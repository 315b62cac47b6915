/**
 * The cloud outbox (schema step 6): every business record change that the cloud must receive is
 * put here in the same transaction as the change (call `put` inside `db.transaction`). The MQTT
 * sync (issue 7) sends pending rows in seq order per stream and marks them acked after the cloud's
 * rec-ack. Redelivery is harmless: the cloud keeps the highest version per record id.
 * The sender (firmware/src/cloud/outbox-sender.ts) keeps what is in flight in memory: after a
 * restart or a reconnect it resends from the first unacked row. Acked rows are pruned after a week;
 * pending rows are never dropped (the sender raises an alarm above a bound instead).
 */
import type { Statement } from 'better-sqlite3';
import type { Database } from '../../store/db.js';

/** The record streams of the cloud contract (`rec/{stream}`). */
export type OutboxStream = 'tickets' | 'orders' | 'customers' | 'calls' | 'voicemail' | 'surveys' | 'kb' | 'products' | 'commissions';

export interface OutboxRow {
  seq: number;
  stream: OutboxStream;
  id: string;
  version: number;
  ts: string;
  body: unknown;
}

interface Row {
  seq: number;
  stream: OutboxStream;
  record_id: string;
  version: number;
  ts: number;
  body: string;
}

export class Outbox {
  private readonly insert: Statement<[string, string, number, number, string]>;
  private readonly pendingStmt: Statement<[string, number, number], Row>;
  private readonly ackRangeStmt: Statement<[number, string, number, number]>;
  private readonly countStmt: Statement<[], { stream: string; n: number }>;
  private readonly maxSeqStmt: Statement<[string], { m: number | null }>;
  private readonly pruneStmt: Statement<[number]>;

  constructor(
    db: Database,
    private readonly now: () => number,
  ) {
    this.insert = db.prepare('INSERT INTO outbox (stream, record_id, version, ts, body) VALUES (?, ?, ?, ?, ?)');
    this.pendingStmt = db.prepare('SELECT * FROM outbox WHERE stream = ? AND acked_at IS NULL AND seq > ? ORDER BY seq LIMIT ?');
    this.ackRangeStmt = db.prepare('UPDATE outbox SET acked_at = ? WHERE stream = ? AND seq > ? AND seq <= ? AND acked_at IS NULL');
    this.countStmt = db.prepare('SELECT stream, COUNT(*) AS n FROM outbox WHERE acked_at IS NULL GROUP BY stream');
    this.maxSeqStmt = db.prepare('SELECT MAX(seq) AS m FROM outbox WHERE stream = ?');
    this.pruneStmt = db.prepare('DELETE FROM outbox WHERE acked_at IS NOT NULL AND acked_at < ?');
  }

  /** Queue one record version for the cloud. `body` is the record as the API returns it. */
  put(stream: OutboxStream, id: string, version: number, body: unknown): void {
    this.insert.run(stream, id, version, this.now(), JSON.stringify(body) ?? 'null');
  }

  /** At most `limit` rows not yet acked, oldest first, after `afterSeq` (a limit below 1 gives none). */
  pending(stream: OutboxStream, limit: number, afterSeq = 0): OutboxRow[] {
    // SQLite reads a negative LIMIT as "no limit": clamp, so a bad limit never dumps the backlog.
    const n = Number.isFinite(limit) ? Math.max(0, Math.trunc(limit)) : 0;
    if (n === 0) return [];
    return this.pendingStmt.all(stream, afterSeq, n).map((r) => ({
      seq: r.seq,
      stream: r.stream,
      id: r.record_id,
      version: r.version,
      ts: new Date(r.ts).toISOString(),
      body: JSON.parse(r.body) as unknown,
    }));
  }

  /** The cloud committed everything of `stream` up to `seq`. Returns the rows marked. */
  ack(stream: OutboxStream, seq: number): number {
    return this.ackRange(stream, 0, seq); // seq starts at 1
  }

  /** The cloud committed one batch: the rows of `stream` after `from` up to `seq`. Returns the rows marked. */
  ackRange(stream: OutboxStream, from: number, seq: number): number {
    return this.ackRangeStmt.run(this.now(), stream, from, seq).changes;
  }

  /** Pending rows per stream. */
  backlog(): Record<string, number> {
    return Object.fromEntries(this.countStmt.all().map((r) => [r.stream, r.n]));
  }

  /** Pending rows in all streams. */
  depth(): number {
    let n = 0;
    for (const v of Object.values(this.backlog())) n += v;
    return n;
  }

  /** The highest seq ever written to `stream` (0 when none). */
  maxSeq(stream: OutboxStream): number {
    return this.maxSeqStmt.get(stream)?.m ?? 0;
  }

  /** Delete rows acked before `before` (ms). Returns how many. */
  prune(before: number): number {
    return this.pruneStmt.run(before).changes;
  }
}

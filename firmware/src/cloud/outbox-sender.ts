/**
 * Drains the SQLite outbox to `rec/{stream}`: batches of ≤100 records or ≤64 KB, `seq` = the outbox
 * seq of the batch's last row, a few batches in flight per stream, in seq order (one MQTT session
 * keeps QoS 1 order). Each batch also says where it starts (`from`: the seq of the batch published
 * before it on this connection, 0 for the first): it holds every pending row of the stream in
 * (from, seq]. The cloud answers `rec-ack/{stream}` `{seq, from}` after its commit, and only the rows
 * of that batch are marked done: a batch the broker dropped (the consumer away) stays pending even
 * when a later one is acked. An ack without `from` (older consumers) is cumulative: every row up to
 * seq. Reconnect or an ack overdue: resend from the first unacked row (the cloud
 * keeps the highest version per id, so a resend is harmless). Pending rows are never dropped: above
 * `alarmRows` the sender raises the "outbox full" alarm (log, /metrics, telemetry).
 */
import type { Logger } from 'pino';
import type { Outbox, OutboxRow, OutboxStream } from '../backoffice/common/outbox.js';
import { STREAMS } from './topics.js';

export const BATCH_MAX_RECORDS = 100;
export const BATCH_MAX_BYTES = 64 * 1024;

export interface SenderOptions {
  outbox: Outbox;
  log: Logger;
  now: () => number;
  /** Publish a batch (QoS 1); false when offline. */
  publish: (stream: OutboxStream, payload: Buffer) => boolean;
  alarmRows: number;
  /** Batches in flight per stream (default 8). */
  window?: number;
  /** Resend from the last ack when an ack is this late (default 30 s). */
  ackTimeoutMs?: number;
}

interface Flight {
  seq: number;
  sentAt: number;
}

export class OutboxSender {
  private connected = false;
  /** The highest row seq published on this connection, per stream. */
  private readonly sent = new Map<OutboxStream, number>();
  private readonly inflight = new Map<OutboxStream, Flight[]>();
  /** The highest seq ever published per stream: an ack above it is clamped (it cannot cover unsent rows). */
  private readonly maxPublished = new Map<OutboxStream, number>();
  lastSyncAt: number | null = null;
  recordsSent = 0;
  batchesSent = 0;
  bytesSent = 0;
  alarm = false;
  private depthCache: { at: number; n: number } | null = null;

  constructor(private readonly o: SenderOptions) {}

  onConnect(): void {
    this.connected = true;
    this.sent.clear();
    this.inflight.clear();
    this.pumpAll();
  }

  onDisconnect(): void {
    this.connected = false;
    this.sent.clear();
    this.inflight.clear();
  }

  /**
   * `rec-ack/{stream}` `{seq, from}`: the cloud committed the batch (from, seq]; without `from`
   * (older consumers), every row of the stream up to seq.
   */
  onAck(stream: OutboxStream, seq: number, from?: number): void {
    const top = this.maxPublished.get(stream) ?? 0;
    const upTo = Math.min(seq, top);
    if (seq > top) this.o.log.warn({ stream, seq, top }, 'cloud: ack above anything sent: clamped');
    if (upTo > (from ?? 0)) this.o.outbox.ackRange(stream, from ?? 0, upTo);
    this.lastSyncAt = this.o.now();
    this.depthCache = null;
    const list = this.inflight.get(stream);
    // a batch ack settles that batch; a cumulative one every batch up to seq
    if (list) this.inflight.set(stream, list.filter(from === undefined ? (f) => f.seq > upTo : (f) => f.seq !== seq));
    this.pump(stream);
  }

  /** The cloud refused a batch (one before it was lost): send the stream again from its first unacked row. */
  restart(stream: OutboxStream): void {
    this.sent.delete(stream);
    this.inflight.set(stream, []);
    this.pump(stream);
  }

  /** Called every ~500 ms: overdue acks restart the stream from its last ack; new rows go out. */
  tick(): void {
    if (!this.connected) return;
    const limit = this.o.ackTimeoutMs ?? 30_000;
    const now = this.o.now();
    for (const [stream, list] of this.inflight) {
      if (list.length && now - (list[0] as Flight).sentAt > limit) {
        this.o.log.warn({ stream, seq: list[0]?.seq }, 'cloud: ack overdue: resending from the last ack');
        this.sent.delete(stream);
        this.inflight.set(stream, []);
      }
    }
    this.pumpAll();
  }

  pumpAll(): void {
    for (const s of STREAMS) this.pump(s);
  }

  private pump(stream: OutboxStream): void {
    const window = this.o.window ?? 8;
    let list = this.inflight.get(stream);
    if (!list) {
      list = [];
      this.inflight.set(stream, list);
    }
    while (this.connected && list.length < window) {
      const rows = this.o.outbox.pending(stream, BATCH_MAX_RECORDS, this.sent.get(stream) ?? 0);
      if (rows.length === 0) return;
      const { seq, count, payload } = buildBatch(rows, this.sent.get(stream) ?? 0);
      if (!this.o.publish(stream, payload)) return;
      this.sent.set(stream, seq);
      this.maxPublished.set(stream, Math.max(seq, this.maxPublished.get(stream) ?? 0));
      list.push({ seq, sentAt: this.o.now() });
      this.batchesSent++;
      this.bytesSent += payload.length;
      this.recordsSent += count;
    }
  }

  /** Pending rows (cached 5 s: a COUNT over a long backlog is not free). Raises/clears the alarm. */
  depth(fresh = false): number {
    const now = this.o.now();
    if (!fresh && this.depthCache && now - this.depthCache.at < 5000) return this.depthCache.n;
    const n = this.o.outbox.depth();
    this.depthCache = { at: now, n };
    const full = n >= this.o.alarmRows;
    if (full && !this.alarm)
      this.o.log.error({ pending: n, alarmRows: this.o.alarmRows }, 'cloud: outbox full: records keep queueing, none are dropped');
    if (!full && this.alarm) this.o.log.info({ pending: n }, 'cloud: outbox below its bound again');
    this.alarm = full;
    return n;
  }
}

/**
 * Take rows while the batch stays ≤64 KB (a single bigger record still goes, alone). `from`: the seq
 * the batch continues from (every pending row of the stream after it, up to `seq`, is in the batch).
 */
export function buildBatch(rows: OutboxRow[], from = 0): { seq: number; count: number; payload: Buffer } {
  const parts: string[] = [];
  let bytes = 0;
  let seq = 0;
  for (const r of rows) {
    const part = JSON.stringify({ id: r.id, version: r.version, ts: r.ts, body: r.body });
    const size = Buffer.byteLength(part) + 1;
    if (parts.length > 0 && bytes + size + 60 > BATCH_MAX_BYTES) break;
    parts.push(part);
    bytes += size;
    seq = r.seq;
  }
  const payload = Buffer.from(`{"seq":${seq},"from":${from},"records":[${parts.join(',')}]}`, 'utf8');
  return { seq, count: parts.length, payload };
}

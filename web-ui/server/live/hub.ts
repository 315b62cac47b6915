/**
 * The fan-out of the live stream: one subscription to `service.live` for all SSE clients. Every
 * engine event goes to every client at once (`event: event`, id = the event log seq); a wallboard
 * snapshot follows, coalesced (one per `snapshotDelayMs`, shared by all clients). Writes never wait:
 * a client whose unsent output passes `maxBufferBytes` is dropped, so a slow phone can never hold
 * the box back. Heartbeat comments keep idle connections open through proxies. The follow-up
 * dialer's offers (`event: offer`, no id: not in the event log, never replayed) go only to the
 * agent they are for and to clients that see every offer (supervisors).
 */
import type { BoxService, LiveEvent, OfferNotice } from '../../../firmware/src/service/types.js';
import { buildSnapshot, maskPhone, type TodayFigures, todayFigures, type WallboardSnapshot } from './snapshot.js';

export interface LiveClient {
  /** Write a chunk; returns the bytes still waiting to go out (the connection's buffer). */
  write(chunk: string): number;
  /** Drop the connection. */
  drop(reason: string): void;
  /** Whether this client may see full phone numbers in raw events. */
  phones: boolean;
  /** The agent whose follow-up offers this client gets (absent: none). */
  agent?: string | null;
  /** Gets every agent's follow-up offers (followups.write: owner, supervisor). */
  allOffers?: boolean;
}

export interface LiveHubOptions {
  heartbeatMs?: number;
  snapshotDelayMs?: number;
  /** Also refresh the snapshot this often when nothing happens (times, line states). */
  idleSnapshotMs?: number;
  maxBufferBytes?: number;
  /** Today's KPIs read the event log: at most this often. */
  kpiMinAgeMs?: number;
  now?: () => number;
}

/** At most this many missed events are replayed; a longer gap gets the snapshot alone. */
const MAX_REPLAY = 200;

/** SSE frame. `data` is one JSON line (JSON never holds a raw newline). */
export function frame(event: string, data: unknown, id?: number): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

const PHONE = /^\+?\d{7,}$/;

/** Phone-number-like strings masked, recursively. */
export function maskDeep(v: unknown): unknown {
  if (typeof v === 'string') return PHONE.test(v) ? maskPhone(v) : v;
  if (Array.isArray(v)) return v.map(maskDeep);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskDeep(x)]));
  return v;
}

export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  private unsubscribe: (() => void) | null = null;
  private unsubscribeOffers: (() => void) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private idle: NodeJS.Timeout | null = null;
  private pending: NodeJS.Timeout | null = null;
  private kpi: { at: number; value: TodayFigures | null; dirty: boolean } = { at: 0, value: null, dirty: true };
  private readonly o: Required<LiveHubOptions>;
  dropped = 0;

  constructor(
    private readonly service: BoxService,
    opts: LiveHubOptions = {},
  ) {
    this.o = {
      heartbeatMs: opts.heartbeatMs ?? 15_000,
      snapshotDelayMs: opts.snapshotDelayMs ?? 50,
      idleSnapshotMs: opts.idleSnapshotMs ?? 5_000,
      maxBufferBytes: opts.maxBufferBytes ?? 256 * 1024,
      kpiMinAgeMs: opts.kpiMinAgeMs ?? 500,
      now: opts.now ?? Date.now,
    };
  }

  get size(): number {
    return this.clients.size;
  }

  /**
   * Add a client: replays the logged events after `lastEventId` (when the gap is small enough),
   * then sends a fresh snapshot, then live events. Returns the function that removes it.
   */
  add(client: LiveClient, lastEventId: number | null): () => void {
    // Written without the slow-client check: a reconnect must make progress, never be dropped
    // before it got what it asked for (the socket's buffer takes it).
    if (lastEventId !== null) {
      const missed = this.service.live.since(lastEventId, MAX_REPLAY);
      const complete = missed.length < MAX_REPLAY || (missed.at(-1)?.seq ?? 0) >= this.service.live.lastSeq();
      if (complete) for (const e of missed) client.write(this.eventFrame(e, client.phones));
    }
    client.write(frame('snapshot', this.snapshot(), this.service.live.lastSeq()));
    this.clients.add(client);
    if (this.unsubscribe === null) this.start();
    return () => this.remove(client);
  }

  /** The current snapshot (today's KPIs cached for kpiMinAgeMs). */
  snapshot(): WallboardSnapshot {
    const now = this.o.now();
    if (this.kpi.dirty && now - this.kpi.at >= this.o.kpiMinAgeMs) {
      try {
        const from = this.service.live.todayStart();
        this.kpi = { at: now, value: todayFigures(this.service.kpis.report({ from, to: Math.max(now, from + 1) })), dirty: false };
      } catch {
        this.kpi = { at: now, value: this.kpi.value, dirty: false };
      }
    }
    return buildSnapshot(this.service, this.kpi.value, now);
  }

  close(): void {
    for (const c of [...this.clients]) c.drop('server closing');
    this.clients.clear();
    this.stop();
  }

  private start(): void {
    this.unsubscribe = this.service.live.subscribe((e) => this.onEvent(e));
    this.unsubscribeOffers = this.service.followups.onOffer((n) => this.onOffer(n));
    this.heartbeat = setInterval(() => this.broadcast(() => `: ping ${this.o.now()}\n\n`), this.o.heartbeatMs);
    this.heartbeat.unref();
    this.idle = setInterval(() => this.scheduleSnapshot(), this.o.idleSnapshotMs);
    this.idle.unref();
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribeOffers?.();
    this.unsubscribe = this.unsubscribeOffers = null;
    for (const t of [this.heartbeat, this.idle, this.pending]) if (t) clearTimeout(t);
    this.heartbeat = this.idle = this.pending = null;
  }

  private remove(client: LiveClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0) this.stop();
  }

  private onEvent(e: LiveEvent): void {
    if (e.type.startsWith('queue.') || e.type.startsWith('call.') || e.type.startsWith('callback.')) this.kpi.dirty = true;
    const frames = new Map<boolean, string>();
    this.broadcast((c) => {
      let f = frames.get(c.phones);
      if (f === undefined) {
        f = this.eventFrame(e, c.phones);
        frames.set(c.phones, f);
      }
      return f;
    });
    this.scheduleSnapshot();
  }

  private onOffer(n: OfferNotice): void {
    const chunk = frame('offer', n);
    for (const c of [...this.clients]) if (c.allOffers || (c.agent != null && c.agent === n.agent)) this.send(c, chunk);
  }

  private scheduleSnapshot(): void {
    if (this.pending || this.clients.size === 0) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      if (this.clients.size === 0) return;
      const s = this.snapshot();
      const chunk = frame('snapshot', s, s.seq);
      this.broadcast(() => chunk);
      // KPIs skipped for freshness: come back once they may be recomputed.
      if (this.kpi.dirty) this.scheduleSnapshotIn(this.o.kpiMinAgeMs);
    }, this.o.snapshotDelayMs);
    this.pending.unref();
  }

  private scheduleSnapshotIn(ms: number): void {
    const t = setTimeout(() => this.scheduleSnapshot(), ms);
    t.unref();
  }

  private eventFrame(e: LiveEvent, phones: boolean): string {
    const data = { seq: e.seq, ts: e.ts, type: e.type, callId: e.callId, data: phones ? e.data : maskDeep(e.data) };
    return frame('event', data, e.seq);
  }

  private broadcast(chunkFor: (c: LiveClient) => string): void {
    for (const c of [...this.clients]) this.send(c, chunkFor(c));
  }

  private send(c: LiveClient, chunk: string): void {
    let queued: number;
    try {
      queued = c.write(chunk);
    } catch {
      queued = Number.POSITIVE_INFINITY;
    }
    if (queued > this.o.maxBufferBytes) {
      this.dropped++;
      this.clients.delete(c);
      c.drop('too slow');
      if (this.clients.size === 0) this.stop();
    }
  }
}

/**
 * The reference fleet consumer: subscribes to every box's records (a shared subscription
 * `$share/<group>/cb/v1/+/rec/#` when a group is given, so several instances split the traffic),
 * stores each batch in one transaction, and only then acks it: `rec-ack/{stream}` `{seq, from}`. Also keeps
 * each box's status, reported config and telemetry, and sends commands and desired configs.
 */
import { randomUUID } from 'node:crypto';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { CallboxError } from '../../errors.js';
import { parseTopic, TOPIC_ROOT } from '../topics.js';
import type { FleetJob, FleetRecord, FleetStoreApi } from './fleet-store.js';
import { type UploadAck, UploadReceiver } from './fleet-uploads.js';

export interface FleetConsumerOptions {
  url: string;
  store: FleetStoreApi;
  /** Shared-subscription group: several consumers with the same group split the records. */
  group?: string;
  /**
   * Keep each stream's first arrivals in order (default: on without a group): a batch that does not
   * continue what the store holds (one before it was lost) is not stored and is answered with a
   * refused ack, so the box sends again from its first unacked record at once. Off for a group: a
   * round-robin shared subscription gives a device's batches to several instances, out of order.
   */
  strictOrder?: boolean;
  clientId?: string;
  username?: string;
  password?: string;
  /** PEM: the broker's CA, and a client certificate and key (mqtts://). */
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  /** Subscribe to the records (default true; a command-line client sending one command does not). */
  records?: boolean;
  /** Tests: a consumer that never acks. */
  ack?: boolean;
  /** Persistent session (records queue at the broker while the consumer is down). Default true. */
  persistent?: boolean;
  onBatch?: (deviceId: string, stream: string, seq: number, records: FleetRecord[]) => void;
  onError?: (topic: string, message: string) => void;
  /** Every OTA job update (`jobs/{jobId}/update`), after it is stored. */
  onJob?: (job: FleetJob) => void;
  /** Store recording uploads (`upload/{uploadId}`) under this folder; absent: not subscribed. */
  files?: string;
  /** Tests: false drops a chunk unstored and unacked (a consumer that died). */
  uploadGate?: (uploadId: string, index: number) => boolean;
  onUpload?: (deviceId: string, uploadId: string, ack: UploadAck) => unknown;
}

export interface CommandReply {
  requestId: string | null;
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
  chunk?: number;
  chunks?: number;
}

interface Waiter {
  replies: CommandReply[];
  done: (r: CommandReply[]) => void;
}

export class FleetConsumer {
  private client: MqttClient | null = null;
  private readonly uploadsIn: UploadReceiver | null;
  /** Store work runs one message after the other (an async store must not commit out of order). */
  private chain: Promise<void> = Promise.resolve();
  private readonly waiters = new Map<string, Waiter>();
  readonly clientId: string;
  batches = 0;
  records = 0;
  rejected = 0;
  /** Batches refused because one before them had not arrived (strictOrder). */
  refused = 0;

  constructor(private readonly o: FleetConsumerOptions) {
    this.clientId = o.clientId ?? `fleet-${randomUUID().slice(0, 8)}`;
    this.uploadsIn = o.files ? new UploadReceiver(o.store, o.files) : null;
  }

  async start(): Promise<void> {
    const opts: IClientOptions = {
      clientId: this.clientId,
      protocolVersion: 5,
      clean: this.o.persistent === false,
      properties: { sessionExpiryInterval: this.o.persistent === false ? 0 : 3600 },
      reconnectPeriod: 500,
      connectTimeout: 5000,
      ...(this.o.username ? { username: this.o.username } : {}),
      ...(this.o.password ? { password: this.o.password } : {}),
      ...(this.o.tls ?? {}),
    };
    const client = await mqtt.connectAsync(this.o.url, opts);
    this.client = client;
    client.on('message', (topic, payload, packet) => this.onMessage(topic, payload, packet));
    client.on('error', () => undefined);
    const rec = `${TOPIC_ROOT}/+/rec/#`;
    await client.subscribeAsync(
      [
        this.o.group ? `$share/${this.o.group}/${rec}` : rec,
        `${TOPIC_ROOT}/+/status`,
        `${TOPIC_ROOT}/+/config/reported`,
        `${TOPIC_ROOT}/+/tel`,
        `${TOPIC_ROOT}/+/res/#`,
        `${TOPIC_ROOT}/+/jobs/+/update`,
        ...(this.uploadsIn ? [`${TOPIC_ROOT}/+/upload/+`] : []),
      ],
      { qos: 1 },
    );
  }

  async stop(): Promise<void> {
    const c = this.client;
    await this.chain; // the acks of what was stored go out first
    this.client = null;
    if (c) await c.endAsync();
  }

  private onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const t = parseTopic(topic);
    if (!t) return;
    let doc: unknown;
    try {
      doc = payload.length ? JSON.parse(payload.toString('utf8')) : null;
    } catch (e) {
      this.o.onError?.(topic, `not JSON: ${(e as Error).message}`);
      return;
    }
    if (t.kind === 'rec' && t.name) this.onRecords(t.deviceId, t.name, doc);
    else if (t.kind === 'status' && doc) this.serial(topic, () => this.o.store.setDevice(t.deviceId, 'status', doc));
    else if (t.kind === 'config' && t.name === 'reported') this.serial(topic, () => this.o.store.setDevice(t.deviceId, 'reported', doc));
    else if (t.kind === 'tel') this.serial(topic, () => this.o.store.setDevice(t.deviceId, 'telemetry', doc));
    else if (t.kind === 'res') this.onReply(doc as CommandReply, packet);
    else if (t.kind === 'jobs' && t.name?.endsWith('/update')) this.onJob(t.deviceId, doc);
    else if (t.kind === 'upload' && t.name && this.uploadsIn) this.onUploadChunk(t.deviceId, t.name, doc);
  }

  /** Queue store work after the work before it; a failure is reported and nothing is acked. */
  private serial(topic: string, fn: () => unknown): void {
    this.chain = this.chain
      .then(async () => {
        await fn();
      })
      .catch((e) => this.o.onError?.(topic, `store failed: ${(e as Error).message}`));
  }

  private onRecords(deviceId: string, stream: string, doc: unknown): void {
    const batch = doc as { seq?: unknown; from?: unknown; records?: unknown };
    const from = batch?.from;
    const badFrom = from !== undefined && !(typeof from === 'number' && Number.isInteger(from) && from >= 0);
    if (!batch || typeof batch.seq !== 'number' || badFrom || !Array.isArray(batch.records) || !batch.records.every(isRecord)) {
      this.rejected++;
      this.o.onError?.(`${deviceId}/rec/${stream}`, 'malformed batch: not acked');
      return;
    }
    const records = batch.records as FleetRecord[];
    const seq = batch.seq;
    this.serial(`${deviceId}/rec/${stream}`, async () => {
      const strict = from !== undefined && (this.o.strictOrder ?? !this.o.group);
      const changed = await this.o.store.applyBatch(deviceId, stream, seq, records, strict ? (from as number) : undefined); // committed before the ack
      if (changed === null) {
        this.refused++;
        if (this.o.ack !== false)
          this.client?.publish(`${TOPIC_ROOT}/${deviceId}/rec-ack/${stream}`, JSON.stringify({ seq, from, refused: 'gap' }), { qos: 1 });
        return;
      }
      this.batches++;
      this.records += records.length;
      this.o.onBatch?.(deviceId, stream, seq, records);
      // the batch's own ack (seq and from): a batch lost before it stays pending on the box
      const ack = from === undefined ? { seq } : { seq, from };
      if (this.o.ack !== false) this.client?.publish(`${TOPIC_ROOT}/${deviceId}/rec-ack/${stream}`, JSON.stringify(ack), { qos: 1 });
    });
  }

  private onJob(deviceId: string, doc: unknown): void {
    const u = doc as Record<string, unknown> | null;
    if (!u || typeof u.jobId !== 'string' || typeof u.status !== 'string' || typeof u.percent !== 'number' || typeof u.at !== 'string') {
      this.o.onError?.(`${deviceId}/jobs`, 'malformed job update ignored');
      return;
    }
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    const job: FleetJob = {
      deviceId,
      jobId: u.jobId,
      status: u.status,
      step: str(u.step),
      percent: u.percent,
      version: str(u.version),
      reason: str(u.reason),
      code: str(u.code),
      at: u.at,
    };
    this.serial(`${deviceId}/jobs`, async () => {
      await this.o.store.setJob(job);
      this.o.onJob?.(job);
    });
  }

  private onUploadChunk(deviceId: string, uploadId: string, doc: unknown): void {
    const index = (doc as { index?: unknown } | null)?.index;
    if (this.o.uploadGate && typeof index === 'number' && !this.o.uploadGate(uploadId, index)) return;
    this.serial(`${deviceId}/upload/${uploadId}`, async () => {
      const ack = await (this.uploadsIn as UploadReceiver).onChunk(deviceId, uploadId, doc);
      if (!ack) return;
      this.client?.publish(`${TOPIC_ROOT}/${deviceId}/upload-ack/${uploadId}`, JSON.stringify(ack), { qos: 1 });
      await this.o.onUpload?.(deviceId, uploadId, ack);
    });
  }

  private onReply(reply: CommandReply, packet: IPublishPacket): void {
    const corr = packet.properties?.correlationData;
    const id = corr ? Buffer.from(corr).toString('utf8') : reply?.requestId;
    const w = id ? this.waiters.get(id) : undefined;
    if (!w) return;
    w.replies.push(reply);
    const total = typeof reply.chunks === 'number' ? reply.chunks : 1;
    if (w.replies.length >= total) {
      this.waiters.delete(id as string);
      w.done(w.replies.sort((a, b) => (a.chunk ?? 0) - (b.chunk ?? 0)));
    }
  }

  /** Send `cmd/{name}` and wait for every reply message (chunks). Rejects UNAVAILABLE on timeout. */
  command(
    deviceId: string,
    name: string,
    args: Record<string, unknown> = {},
    o: { timeoutMs?: number; expirySeconds?: number; requestId?: string; expiresAt?: string } = {},
  ): Promise<CommandReply[]> {
    const c = this.client;
    if (!c) return Promise.reject(new CallboxError('UNAVAILABLE', 'fleet consumer not connected'));
    const requestId = o.requestId ?? randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(requestId);
        reject(new CallboxError('UNAVAILABLE', `no reply from ${deviceId} to ${name} within ${o.timeoutMs ?? 10_000} ms`));
      }, o.timeoutMs ?? 10_000);
      this.waiters.set(requestId, {
        replies: [],
        done: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
      this.publishCommand(
        deviceId,
        name,
        { requestId, args, ...(o.expiresAt ? { expiresAt: o.expiresAt } : {}) },
        requestId,
        o.expirySeconds,
      );
    });
  }

  /** Publish a command without waiting (the reply, if any, is dropped unless someone waits for it). */
  publishCommand(deviceId: string, name: string, body: unknown, requestId: string, expirySeconds?: number): void {
    this.client?.publish(`${TOPIC_ROOT}/${deviceId}/cmd/${name}`, typeof body === 'string' ? body : JSON.stringify(body), {
      qos: 1,
      properties: {
        responseTopic: `${TOPIC_ROOT}/${deviceId}/res/${this.clientId}`,
        correlationData: Buffer.from(requestId),
        contentType: 'application/json',
        ...(expirySeconds ? { messageExpiryInterval: expirySeconds } : {}),
      },
    });
  }

  /** Publish a desired config (retained). */
  async desired(deviceId: string, version: number, config: unknown, restart = false): Promise<void> {
    const c = this.client;
    if (!c) throw new CallboxError('UNAVAILABLE', 'fleet consumer not connected');
    await c.publishAsync(`${TOPIC_ROOT}/${deviceId}/config/desired`, JSON.stringify({ version, config, ...(restart ? { restart } : {}) }), {
      qos: 1,
      retain: true,
    });
  }

  /** Raw publish (tests: malformed and oversized payloads). */
  async raw(topic: string, payload: string | Buffer, opts: { retain?: boolean } = {}): Promise<void> {
    await this.client?.publishAsync(topic, payload, { qos: 1, retain: opts.retain ?? false });
  }
}

function isRecord(r: unknown): boolean {
  const x = r as FleetRecord;
  return typeof x === 'object' && x !== null && typeof x.id === 'string' && Number.isInteger(x.version) && typeof x.ts === 'string';
}

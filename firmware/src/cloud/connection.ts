/**
 * The MQTT session of the box: connects with a persistent session (clean:false + session expiry,
 * so commands queue at the broker while the box is offline), a retained birth on `status`, a
 * retained last will `{state:"lost"}` (no will delay) and `{state:"offline"}` before a clean stop.
 * Reconnects itself with exponential backoff and full jitter. Never throws at its users: offline
 * is a normal state of the box.
 */
import { randomUUID } from 'node:crypto';
import type { IClientOptions, IClientPublishOptions, IPublishPacket, MqttClient } from 'mqtt';

/** mqtt.js is loaded when the cloud is first started: a box without a cloud never loads it. */
let mqttConnect: typeof import('mqtt')['connect'] | null = null;
import type { Logger } from 'pino';
import { encode } from './envelope.js';
import { type CloudSettings, connectOptions } from './settings.js';
import type { DeviceTopics } from './topics.js';

export type MessageHandler = (topic: string, payload: Buffer, packet: IPublishPacket) => void;

export interface ConnectionOptions {
  settings: CloudSettings;
  topics: DeviceTopics;
  log: Logger;
  fw: string;
  bootId: string;
  now: () => number;
  /** Topics to subscribe at every connect (QoS 1). */
  subscriptions: string[];
  onMessage: MessageHandler;
  onConnect: () => void;
  onDisconnect: () => void;
  /** Backoff bounds in ms (tests shorten them). */
  backoff?: { minMs: number; maxMs: number };
}

export class CloudConnection {
  private client: MqttClient | null = null;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  session = '';
  connected = false;
  lastConnectedAt: number | null = null;
  lastError: string | null = null;
  reconnects = 0;

  constructor(private readonly o: ConnectionOptions) {}

  async start(): Promise<void> {
    this.stopping = false;
    if (!mqttConnect) {
      // Node gives the package's named exports; the split production bundle (scripts/build.mjs)
      // hands a CommonJS module over as `default` only.
      const mod = (await import('mqtt')) as typeof import('mqtt') & { default?: typeof import('mqtt') };
      mqttConnect = mod.connect ?? mod.default?.connect;
    }
    this.open();
  }

  private options(): IClientOptions {
    const s = this.o.settings;
    this.session = randomUUID();
    const base = connectOptions(s);
    return {
      ...base,
      ...(s.protocolVersion === 5 ? { properties: { sessionExpiryInterval: s.sessionExpiryS } } : {}),
      will: {
        topic: this.o.topics.status,
        payload: encode({ state: 'lost', session: this.session }),
        qos: 1,
        retain: true,
        ...(s.protocolVersion === 5 ? { properties: { willDelayInterval: 0, contentType: 'application/json' } } : {}),
      },
    };
  }

  private open(): void {
    let client: MqttClient;
    try {
      if (!mqttConnect) throw new Error('mqtt.js is not loaded');
      client = mqttConnect(this.o.settings.url, this.options());
    } catch (e) {
      this.lastError = (e as Error).message;
      this.o.log.error({ err: this.lastError }, 'cloud: cannot connect');
      this.scheduleRetry();
      return;
    }
    this.client = client;
    client.on('connect', (connack) => {
      this.attempt = 0;
      this.connected = true;
      this.lastConnectedAt = this.o.now();
      this.lastError = null;
      this.o.log.info({ url: this.o.settings.url, sessionPresent: connack.sessionPresent }, 'cloud: connected');
      this.publish(
        this.o.topics.status,
        { state: 'online', session: this.session, fw: this.o.fw, bootId: this.o.bootId, ts: new Date(this.o.now()).toISOString() },
        { qos: 1, retain: true },
      );
      if (this.o.subscriptions.length) {
        client.subscribe(this.o.subscriptions, { qos: 1 }, (err) => {
          if (err) this.o.log.error({ err: err.message }, 'cloud: subscribe failed');
        });
      }
      this.o.onConnect();
    });
    client.on('message', (topic, payload, packet) => {
      try {
        this.o.onMessage(topic, payload, packet);
      } catch (e) {
        this.o.log.error({ topic, err: String(e) }, 'cloud: message handler failed');
      }
    });
    client.on('error', (err) => {
      this.lastError = err.message;
      this.o.log.warn({ err: err.message }, 'cloud: connection error');
    });
    client.on('close', () => {
      const was = this.connected;
      this.connected = false;
      if (was) {
        this.o.log.warn('cloud: disconnected');
        this.o.onDisconnect();
      } else {
        this.lastError ??= 'connection closed before the broker accepted it';
      }
      if (!this.stopping && this.client === client) this.scheduleRetry();
    });
  }

  /** Exponential backoff with full jitter: random(0, min(max, base·2^attempt)), at least minMs. */
  private scheduleRetry(): void {
    if (this.stopping || this.retryTimer) return;
    const { minMs, maxMs } = this.o.backoff ?? { minMs: 500, maxMs: 60_000 };
    const cap = Math.min(maxMs, minMs * 2 ** Math.min(this.attempt, 20));
    const delay = Math.max(minMs, Math.round(Math.random() * cap));
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.stopping) return;
      this.reconnects++;
      const old = this.client;
      this.client = null;
      old?.removeAllListeners();
      old?.on('error', () => {});
      old?.end(true);
      this.open();
    }, delay);
    this.retryTimer.unref?.();
  }

  /** Publish JSON (or ready bytes); false when offline (nothing is queued in memory). */
  publish(topic: string, body: unknown, opts: IClientPublishOptions = { qos: 1 }, done?: (err?: Error) => void): boolean {
    const c = this.client;
    if (!c || !this.connected) return false;
    const payload = Buffer.isBuffer(body) ? body : encode(body);
    const props = this.o.settings.protocolVersion === 5 ? { ...opts.properties, contentType: 'application/json' } : undefined;
    c.publish(topic, payload, { ...opts, ...(props ? { properties: props } : {}) }, (err) => done?.(err ?? undefined));
    return true;
  }

  /** Reconnect now with new settings (rotated credentials). */
  reconfigure(settings: CloudSettings): void {
    this.o.settings = settings;
    const old = this.client;
    this.client = null;
    this.connected = false;
    old?.removeAllListeners();
    old?.on('error', () => {});
    old?.end(true);
    this.attempt = 0;
    if (!this.stopping) this.open();
  }

  /** Publish `{state:"offline"}` (retained), disconnect cleanly (no will). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const c = this.client;
    this.client = null;
    if (!c) return;
    if (this.connected) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000);
        c.publish(
          this.o.topics.status,
          encode({ state: 'offline', session: this.session, ts: new Date(this.o.now()).toISOString() }),
          { qos: 1, retain: true },
          () => {
            clearTimeout(t);
            resolve();
          },
        );
      });
    }
    this.connected = false;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        c.end(true);
        resolve();
      }, 2000);
      c.end(false, {}, () => {
        clearTimeout(t);
        resolve();
      });
    });
    c.removeAllListeners();
    c.on('error', () => {});
  }
}

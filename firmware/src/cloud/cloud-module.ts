/**
 * The cloud client as a box Module (box.ts adds it when the cloud is configured). start() only
 * begins connecting: a broker that is down, unreachable or refusing is normal (the box works
 * offline, records wait in the outbox), so this module never fails the box.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { IPublishPacket } from 'mqtt';
import type { OutboxStream } from '../backoffice/common/outbox.js';
import type { Module } from '../modules.js';
import type { CloudStatusSnapshot } from '../service/types.js';
import { builtinCommands } from './commands-builtin.js';
import { CommandDispatcher } from './commands.js';
import { ConfigSync } from './config-sync.js';
import { CloudConnection } from './connection.js';
import { decodeObject } from './envelope.js';
import type { CloudHost } from './host.js';
import type { OtaJobs, OtaJobsOptions } from './ota-jobs.js';
import { OutboxSender } from './outbox-sender.js';
import { RecordingUploads } from './rec-upload.js';
import { type CloudSettings, connectOptions } from './settings.js';
import { CloudStateFile } from './state-file.js';
import { CpuMeter, telemetryMessage } from './telemetry.js';
import { type DeviceTopics, deviceTopics, STREAMS } from './topics.js';

const PRUNE_AFTER_MS = 7 * 24 * 3600 * 1000;

export class CloudModule implements Module {
  readonly name = 'cloud';
  readonly topics: DeviceTopics;
  readonly sender: OutboxSender;
  readonly configSync: ConfigSync;
  readonly commands: CommandDispatcher;
  readonly ota: OtaJobs;
  readonly uploads: RecordingUploads;
  private readonly conn: CloudConnection;
  private readonly state: CloudStateFile;
  private readonly cpu = new CpuMeter();
  private readonly startedAt: number;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private settings: CloudSettings,
    private readonly host: CloudHost,
    opts: { backoff?: { minMs: number; maxMs: number }; ackTimeoutMs?: number } = {},
  ) {
    const { log, now } = host;
    this.startedAt = now();
    this.topics = deviceTopics(settings.deviceId);
    this.state = new CloudStateFile(host.dataDir ? join(host.dataDir, 'cloud-state.json') : null);
    this.sender = new OutboxSender({
      outbox: host.outbox,
      log,
      now,
      alarmRows: settings.outboxAlarmRows,
      ...(opts.ackTimeoutMs ? { ackTimeoutMs: opts.ackTimeoutMs } : {}),
      publish: (stream, payload) => this.conn.publish(this.topics.rec(stream), payload, { qos: 1 }),
    });
    this.configSync = new ConfigSync({
      configStore: host.configStore,
      state: this.state,
      log,
      now,
      requestRestart: host.requestRestart,
      apply: host.applyConfig ?? null,
      report: (r) => this.conn.publish(this.topics.configReported, r, { qos: 1, retain: true }),
    });
    const publishJob: OtaJobsOptions['publish'] = (rest, body, retain, done) =>
      this.conn.publish(`${this.topics.prefix}${rest}`, body, { qos: 1, retain }, () => done());
    // the box's jobs (browser uploads too): the box resumes and stops them, this module relays them
    this.ota = host.otaJobs;
    this.ota.setPublisher(publishJob);
    this.uploads = new RecordingUploads({
      dataDir: host.dataDir,
      log,
      now,
      recording: host.recording ?? null,
      publish: (rest, body) => this.conn.publish(`${this.topics.prefix}${rest}`, body, { qos: 1 }),
    });
    this.commands = new CommandDispatcher({
      topics: this.topics,
      state: this.state,
      log,
      now,
      handlers: builtinCommands({
        host,
        startedAt: this.startedAt,
        settings: () => this.settings,
        sync: () => ({ backlog: host.outbox.backlog(), alarm: this.sender.alarm, lastSyncAt: this.sender.lastSyncAt }),
        reconnect: (s) => {
          this.settings = s;
          this.conn.reconfigure(s);
        },
        otaStart: (args) => this.ota.start(args),
        recordingUpload: (args) => this.uploads.start(args),
      }),
      publish: (topic, body, correlation, done) =>
        this.conn.publish(topic, body, { qos: 1, ...(correlation ? { properties: { correlationData: correlation } } : {}) }, () =>
          done?.(),
        ),
    });
    this.conn = new CloudConnection({
      settings,
      topics: this.topics,
      log,
      fw: host.fw,
      bootId: randomUUID(),
      now,
      subscriptions: [this.topics.configDesired, this.topics.cmdWildcard, this.topics.recAckWildcard, this.topics.uploadAckWildcard],
      onMessage: (topic, payload, packet) => this.onMessage(topic, payload, packet),
      onConnect: () => {
        this.sender.onConnect();
        this.ota.onConnect();
        this.uploads.onConnect();
      },
      onDisconnect: () => {
        this.sender.onDisconnect();
        this.ota.onDisconnect();
        this.uploads.onDisconnect();
      },
      ...(opts.backoff ? { backoff: opts.backoff } : {}),
    });
  }

  async start(): Promise<void> {
    // unreadable TLS files fail the module here (health shows why); the box runs on without the cloud
    connectOptions(this.settings);
    this.state.promotePending();
    this.host.outbox.prune(this.host.now() - PRUNE_AFTER_MS);
    this.sender.depth();
    this.uploads.load();
    await this.conn.start();
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(() => {
        try {
          fn();
        } catch (e) {
          this.host.log.error({ err: String(e) }, 'cloud: periodic task failed');
        }
      }, ms);
      t.unref?.();
      this.timers.push(t);
    };
    every(500, () => {
      this.sender.tick();
      this.uploads.tick();
    });
    every(this.settings.telemetryIntervalS * 1000, () => this.publishTelemetry());
    every(3600_000, () => this.host.outbox.prune(this.host.now() - PRUNE_AFTER_MS));
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.ota.onDisconnect();
    await this.conn.stop();
  }

  status(): CloudStatusSnapshot {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      enabled: true,
      connected: this.conn.connected,
      deviceId: this.settings.deviceId,
      outboxDepth: this.sender.depth(),
      outboxAlarm: this.sender.alarm,
      lastSyncAt: iso(this.sender.lastSyncAt),
      lastConnectedAt: iso(this.conn.lastConnectedAt),
      lastError: this.conn.lastError,
    };
  }

  publishTelemetry(): boolean {
    const msg = telemetryMessage(this.host.telemetry(), {
      now: this.host.now(),
      cpu: this.cpu,
      dataDir: this.host.dataDir,
      outboxDepth: this.sender.depth(),
      outboxAlarm: this.sender.alarm,
    });
    return this.conn.publish(this.topics.tel, msg, { qos: 0 });
  }

  private onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const rest = topic.startsWith(this.topics.prefix) ? topic.slice(this.topics.prefix.length) : null;
    if (rest === null) return;
    if (rest === 'config/desired') {
      void this.configSync.onDesired(payload);
    } else if (rest.startsWith('cmd/')) {
      void this.commands
        .onCommand(rest.slice(4), payload, packet)
        .catch((e) => this.host.log.error({ err: String(e) }, 'cloud: command failed'));
    } else if (rest.startsWith('rec-ack/')) {
      this.onAck(rest.slice(8), payload);
    } else if (rest.startsWith('upload-ack/')) {
      try {
        this.uploads.onAck(rest.slice(11), decodeObject(payload, rest));
      } catch (e) {
        this.host.log.warn({ topic: rest, err: (e as Error).message }, 'cloud: malformed upload ack ignored');
      }
    }
  }

  private onAck(stream: string, payload: Buffer): void {
    if (!(STREAMS as readonly string[]).includes(stream)) {
      this.host.log.warn({ stream }, 'cloud: ack for an unknown stream ignored');
      return;
    }
    let seq: unknown;
    let from: unknown;
    let refused: unknown;
    try {
      ({ seq, from, refused } = decodeObject(payload, `rec-ack/${stream}`));
    } catch (e) {
      this.host.log.warn({ stream, err: (e as Error).message }, 'cloud: malformed ack ignored');
      return;
    }
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
      this.host.log.warn({ stream, seq }, 'cloud: ack without a valid seq ignored');
      return;
    }
    if (from !== undefined && (typeof from !== 'number' || !Number.isSafeInteger(from) || from < 0 || from >= seq)) {
      this.host.log.warn({ stream, seq, from }, 'cloud: ack with an invalid from ignored');
      return;
    }
    if (refused !== undefined) {
      // nothing done: send again from the first unacked record (a batch before this one was lost)
      this.host.log.info({ stream, seq, from, refused }, 'cloud: batch refused by the cloud: resending from the first unacked record');
      this.sender.restart(stream as OutboxStream);
      return;
    }
    this.sender.onAck(stream as OutboxStream, seq, from);
  }
}

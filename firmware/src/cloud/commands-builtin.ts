/**
 * The commands every box answers: ping, diagnostics, logs (chunked), selftest, reboot,
 * rotate-credentials, and ota-start (an OTA job: ota-jobs.ts).
 */
import { CallboxError } from '../errors.js';
import { Chunks, type CommandHandler } from './commands.js';
import type { CloudHost } from './host.js';
import type { CloudSettings } from './settings.js';
import { diskFigures } from './telemetry.js';

/** Exit code of a requested restart (EX_TEMPFAIL): the service manager restarts the box on it. */
export const RESTART_EXIT_CODE = 75;

export interface BuiltinContext {
  host: CloudHost;
  startedAt: number;
  settings: () => CloudSettings;
  /** Outbox backlog per stream, alarm, last ack time. */
  sync: () => { backlog: Record<string, number>; alarm: boolean; lastSyncAt: number | null };
  /** Reconnect with new credentials. */
  reconnect: (s: CloudSettings) => void;
  /** Start an OTA job (OtaJobs.start). */
  otaStart: (args: Record<string, unknown>) => unknown;
  /** Start (or resume) a recording upload (RecordingUploads.start). */
  recordingUpload: (args: Record<string, unknown>) => unknown;
}

const LOG_MAX = 5000;
const LINES_PER_CHUNK = 200;

interface EventRow {
  seq: number;
  ts: number;
  type: string;
  call_id: string | null;
  data: string;
}

function intArg(args: Record<string, unknown>, name: string, dflt: number, min: number, max: number): number {
  const v = args[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new CallboxError('VALIDATION_FAILED', `args.${name}: an integer ${min}..${max}`);
  }
  return v;
}

export function builtinCommands(c: BuiltinContext): Record<string, CommandHandler> {
  const { host } = c;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    ping: () => ({ pong: true, ts: iso(host.now()), uptimeS: Math.round((host.now() - c.startedAt) / 1000) }),

    diagnostics: () => {
      const d = host.diagnostics();
      const sync = c.sync();
      return {
        versions: { fw: host.fw, node: process.version, platform: `${process.platform}-${process.arch}` },
        uptimeS: Math.round((host.now() - c.startedAt) / 1000),
        channels: d.channels,
        modules: d.modules,
        disk: diskFigures(host.dataDir),
        memory: { rssBytes: process.memoryUsage().rss, heapUsedBytes: process.memoryUsage().heapUsed },
        outbox: { backlog: sync.backlog, alarm: sync.alarm, lastSyncAt: iso(sync.lastSyncAt) },
      };
    },

    // The box's event log (calls, queues, agents: firmware/src/events/catalog.ts) after `afterSeq`,
    // in chunks of 200 lines. Process logs go to the service manager's journal, not here.
    logs: ({ args }) => {
      const afterSeq = intArg(args, 'afterSeq', 0, 0, Number.MAX_SAFE_INTEGER);
      const limit = intArg(args, 'limit', 1000, 1, LOG_MAX);
      const rows = host.db
        .prepare('SELECT seq, ts, type, call_id, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?')
        .all(afterSeq, limit) as EventRow[];
      const lines = rows.map((r) => ({ seq: r.seq, ts: iso(r.ts), type: r.type, callId: r.call_id, data: JSON.parse(r.data) as unknown }));
      const parts: unknown[] = [];
      for (let i = 0; i < lines.length || parts.length === 0; i += LINES_PER_CHUNK) {
        parts.push({ lines: lines.slice(i, i + LINES_PER_CHUNK), lastSeq: rows.at(-1)?.seq ?? afterSeq });
      }
      return new Chunks(parts);
    },

    selftest: () => {
      const checks: { name: string; ok: boolean; detail: string }[] = [];
      const integrity = host.db.pragma('quick_check', { simple: true });
      checks.push({ name: 'database', ok: integrity === 'ok', detail: String(integrity) });
      const disk = diskFigures(host.dataDir);
      const freeOk = disk.freeBytes === null || disk.freeBytes > 100 * 1024 * 1024;
      checks.push({
        name: 'disk',
        ok: freeOk,
        detail: disk.freeBytes === null ? 'unknown' : `${Math.round(disk.freeBytes / 1048576)} MiB free`,
      });
      const d = host.diagnostics();
      const failed = d.modules.filter((m) => m.state === 'failed');
      checks.push({
        name: 'modules',
        ok: failed.length === 0,
        detail: failed.length ? failed.map((m) => `${m.name}: ${m.error ?? 'failed'}`).join('; ') : `${d.modules.length} ok`,
      });
      const broken = d.channels.filter((ch) => ch.state === 'error');
      checks.push({
        name: 'channels',
        ok: broken.length === 0,
        detail: broken.length ? broken.map((ch) => ch.id).join(', ') : `${d.channels.length} ok`,
      });
      const sync = c.sync();
      checks.push({ name: 'outbox', ok: !sync.alarm, detail: sync.alarm ? 'outbox full' : 'below its bound' });
      return { passed: checks.every((k) => k.ok), checks };
    },

    reboot: ({ after }) => {
      const restart = host.requestRestart;
      if (!restart) throw new CallboxError('UNAVAILABLE', 'this process was started without a service manager hook: cannot restart');
      after(() => setTimeout(() => restart('cloud command reboot'), 200).unref?.());
      return { restarting: true, exitCode: RESTART_EXIT_CODE };
    },

    'rotate-credentials': async ({ args, after }) => {
      const { username, password } = args;
      if (typeof password !== 'string' || password.length < 8 || password.length > 1024) {
        throw new CallboxError('VALIDATION_FAILED', 'args.password: a string of 8 to 1024 characters');
      }
      if (username !== undefined && (typeof username !== 'string' || username.length < 1 || username.length > 256)) {
        throw new CallboxError('VALIDATION_FAILED', 'args.username: a string of 1 to 256 characters');
      }
      const next: CloudSettings = { ...c.settings(), password, ...(typeof username === 'string' ? { username } : {}) };
      // MQTT sends no password without a user name (mqtt.js would just close the connection)
      if (next.username === undefined)
        throw new CallboxError('VALIDATION_FAILED', 'args.username: required (this box has no user name yet)');
      let persisted = false;
      const store = host.configStore;
      if (store?.get().cloud) {
        await store.update((draft) => {
          if (!draft.cloud) return;
          draft.cloud.password = password;
          if (typeof username === 'string') draft.cloud.username = username;
        });
        persisted = true;
      }
      after(() => setTimeout(() => c.reconnect(next), 100).unref?.());
      return { rotated: true, persisted, reconnecting: true };
    },

    // {jobId, url, sha256, size, version?}: the job's progress goes to jobs/{jobId}/update
    'ota-start': ({ args }) => c.otaStart(args),

    // {recordingId, uploadId?}: the file goes in chunks on upload/{uploadId}, resumed from the last ack
    'recording-upload': ({ args }) => c.recordingUpload(args),
  };
}

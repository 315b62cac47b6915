/**
 * `callbox fleet …`: the reference cloud side on the command line.
 *   consume  (--db FILE | --store postgres://…) [--url U] [--group G] [--client-id ID] [--files DIR]   store, ack, keep status
 *   devices  --db FILE                                          devices, state, records (JSON)
 *   records  --db FILE --device D [--stream S]                  a device's stored records (JSON)
 *   cmd      [--url U] DEVICE NAME [ARGS_JSON] [--timeout S]    send a command, print the replies
 *   config   [--url U] DEVICE FILE --version N [--restart]      publish a desired config, print the report
 *   ota-start [--url U] DEVICE BUNDLE (--serve H:P | --bundle-url URL) [--job-id J]   an OTA job, followed to its end
 *   jobs     --db FILE [--device D]                             the OTA jobs the consumer saw (JSON)
 *   upload   [--url U] DEVICE RECORDING_ID --files DIR [--db FILE]   fetch one recording (chunked, resumable)
 * --url defaults to CALLBOX_MQTT_URL. Exit codes: 0 ok, 1 failure or error reply, 64 bad command line.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type CommandReply, FleetConsumer } from './fleet-consumer.js';
import { otaStart } from './fleet-ota.js';
import { fetchRecording } from './fleet-upload-cli.js';
import { type FleetStoreApi, SqliteFleetStore } from './fleet-store.js';

const USAGE = `callbox fleet — the reference cloud consumer (docs/mqtt.md)

  callbox fleet consume (--db FILE | --store postgres://…) [--url URL] [--group G] [--client-id ID] [--files DIR]
  callbox fleet devices (--db FILE | --store postgres://…)
  callbox fleet records (--db FILE | --store postgres://…) --device ID [--stream S]
  callbox fleet cmd [--url URL] DEVICE NAME [ARGS_JSON] [--timeout S]
  callbox fleet config [--url URL] DEVICE CONFIG.json --version N [--restart] [--timeout S]
  callbox fleet ota-start [--url URL] DEVICE BUNDLE (--serve HOST:PORT | --bundle-url URL)
                          [--job-id J] [--timeout S (default 900)]
  callbox fleet jobs (--db FILE | --store postgres://…) [--device ID]
  callbox fleet upload [--url URL] DEVICE RECORDING_ID --files DIR [--db FILE] [--timeout S (default 300)]
  (consume --files DIR also stores the uploads the boxes send)

--url defaults to CALLBOX_MQTT_URL. With --group, consumers share the records
($share/<group>/cb/v1/+/rec/#).
`;

const OPTIONS = {
  url: { type: 'string' },
  db: { type: 'string' },
  group: { type: 'string' },
  'client-id': { type: 'string' },
  device: { type: 'string' },
  stream: { type: 'string' },
  timeout: { type: 'string' },
  version: { type: 'string' },
  restart: { type: 'boolean', default: false },
  serve: { type: 'string' },
  'bundle-url': { type: 'string' },
  'job-id': { type: 'string' },
  files: { type: 'string' },
  store: { type: 'string' },
} as const;

class UsageError extends Error {}

const out = (v: unknown) => process.stdout.write(`${JSON.stringify(v)}\n`);

export async function runFleet(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`callbox fleet: ${(e as Error).message}\n\n${USAGE}`);
    return 64;
  }
  const { values: v, positionals: pos } = parsed;
  try {
    const url = () => {
      const u = v.url ?? process.env.CALLBOX_MQTT_URL;
      if (!u) throw new UsageError('--url (or CALLBOX_MQTT_URL) is required');
      return u;
    };
    const db = () => {
      if (!v.db) throw new UsageError('--db FILE is required');
      return v.db;
    };
    // --store postgres://… (a fleet's PostgreSQL) or --db FILE (SQLite)
    const openStore = async (): Promise<{ store: FleetStoreApi; name: string }> => {
      if (v.store) {
        if (!/^postgres(ql)?:\/\//.test(v.store)) throw new UsageError('--store takes a postgres://user@host:port/db URL');
        const { PgFleetStore, redact } = await import('./pg-store.js');
        return { store: await PgFleetStore.open(v.store), name: redact(v.store) };
      }
      return { store: new SqliteFleetStore(db()), name: db() };
    };
    const timeoutMs = (dflt = '10') => {
      const s = Number(v.timeout ?? dflt);
      if (!Number.isFinite(s) || s <= 0) throw new UsageError(`--timeout takes seconds, got "${v.timeout}"`);
      return s * 1000;
    };
    switch (sub) {
      case 'consume': {
        const u = url();
        const { store, name } = await openStore();
        return await consume(u, store, name, v.group, v['client-id'], v.files);
      }
      case 'upload': {
        const [device, recordingId] = pos;
        if (!device || !recordingId) throw new UsageError('upload needs DEVICE and RECORDING_ID');
        if (!v.files) throw new UsageError('upload needs --files DIR (where the recording is stored)');
        const store = new SqliteFleetStore(v.db ?? ':memory:');
        try {
          return await fetchRecording({ url: url(), store, device, recordingId, files: v.files, timeoutMs: timeoutMs('300'), print: out });
        } finally {
          store.close();
        }
      }
      case 'devices': {
        const { store } = await openStore();
        out(await store.devices());
        await store.close();
        return 0;
      }
      case 'records': {
        if (!v.device) throw new UsageError('--device is required');
        const { store } = await openStore();
        out(await store.records(v.device, v.stream));
        await store.close();
        return 0;
      }
      case 'cmd': {
        const [device, name, argsText] = pos;
        if (!device || !name) throw new UsageError('cmd needs DEVICE and NAME');
        let args: Record<string, unknown> = {};
        if (argsText) {
          try {
            args = JSON.parse(argsText) as Record<string, unknown>;
          } catch (e) {
            throw new UsageError(`ARGS_JSON: ${(e as Error).message}`);
          }
        }
        return await withConsumer(url(), async (c) => {
          const replies: CommandReply[] = await c.command(device, name, args, { timeoutMs: timeoutMs() });
          for (const r of replies) out(r);
          return replies.every((r) => r.ok) ? 0 : 1;
        });
      }
      case 'config': {
        const [device, file] = pos;
        const version = Number(v.version);
        if (!device || !file) throw new UsageError('config needs DEVICE and CONFIG.json');
        if (!Number.isInteger(version) || version < 1) throw new UsageError('--version N (an integer ≥ 1) is required');
        const config = JSON.parse(readFileSync(file, 'utf8')) as unknown;
        const store = new SqliteFleetStore(':memory:');
        return await withConsumer(
          url(),
          async (c) => {
            await c.desired(device, version, config, v.restart);
            const end = Date.now() + timeoutMs();
            while (Date.now() < end) {
              const rep = store.devices().find((d) => d.deviceId === device)?.reported as { version?: number; status?: string } | undefined;
              if (rep?.version === version) {
                out(rep);
                return rep.status === 'rejected' ? 1 : 0;
              }
              await new Promise((r) => setTimeout(r, 100));
            }
            process.stderr.write(
              `callbox fleet: no report of version ${version} from ${device} yet (the box may be offline; the desired config is retained)\n`,
            );
            return 1;
          },
          store,
        );
      }
      case 'ota-start': {
        const [device, bundle] = pos;
        if (!device || !bundle) throw new UsageError('ota-start needs DEVICE and BUNDLE');
        if (!v.serve === !v['bundle-url']) throw new UsageError('ota-start needs --serve HOST:PORT or --bundle-url URL');
        const store = new SqliteFleetStore(v.db ?? ':memory:');
        try {
          return await otaStart({
            url: url(),
            store,
            device,
            bundle,
            timeoutMs: timeoutMs('900'),
            print: out,
            ...(v.serve ? { serve: v.serve } : {}),
            ...(v['bundle-url'] ? { bundleUrl: v['bundle-url'] } : {}),
            ...(v['job-id'] ? { jobId: v['job-id'] } : {}),
          });
        } finally {
          store.close();
        }
      }
      case 'jobs': {
        const { store } = await openStore();
        out(await store.jobs(v.device));
        await store.close();
        return 0;
      }
      default:
        process.stdout.write(USAGE);
        return sub === undefined || sub === 'help' ? 0 : 64;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`callbox fleet: ${e.message}\n\n${USAGE}`);
      return 64;
    }
    process.stderr.write(`callbox fleet: ${(e as Error).message}\n`);
    return 1;
  }
}

async function withConsumer(
  url: string,
  fn: (c: FleetConsumer) => Promise<number>,
  store = new SqliteFleetStore(':memory:'),
): Promise<number> {
  // a short-lived client: no records subscription, no persistent session
  const c = new FleetConsumer({ url, store, persistent: false, records: false });
  await c.start();
  try {
    return await fn(c);
  } finally {
    await c.stop();
    store.close();
  }
}

async function consume(
  url: string,
  store: FleetStoreApi,
  dbName: string,
  group?: string,
  clientId?: string,
  files?: string,
): Promise<number> {
  const consumer = new FleetConsumer({
    url,
    store,
    ...(files ? { files } : {}),
    ...(group ? { group } : {}),
    ...(clientId ? { clientId } : {}),
    onError: (topic, message) => out({ level: 'warn', topic, msg: message }),
  });
  await consumer.start();
  out({ msg: 'fleet consumer ready', url, db: dbName, group: group ?? null, clientId: consumer.clientId });
  const report = setInterval(
    () => out({ msg: 'fleet progress', batches: consumer.batches, records: consumer.records, rejected: consumer.rejected }),
    5000,
  );
  return new Promise((resolve) => {
    const stop = () => {
      clearInterval(report);
      void consumer.stop().then(async () => {
        await store.close();
        out({ msg: 'fleet consumer stopped', batches: consumer.batches, records: consumer.records });
        resolve(0);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

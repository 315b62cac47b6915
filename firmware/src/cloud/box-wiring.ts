/**
 * How box.ts plugs the cloud client in: settings from config + environment, the host adapter over
 * the box, and a status function for health and /metrics; and the box's OTA jobs (an `ota` module
 * that resumes them), which run with or without the cloud. Bad cloud or OTA settings (an env device
 * id that does not fit, an unreadable certificate, a bad CALLBOX_OTA_INSTALLER) become a failed,
 * non-essential module: health shows why, the box runs on.
 */
import type { Database } from 'better-sqlite3';
import type { Box, BoxOptions } from '../box.js';
import type { ConfigStore } from '../config/config-store.js';
import type { Module } from '../modules.js';
import type { LoopLagMonitor } from '../service/loop-lag.js';
import type { CloudStatusSnapshot } from '../service/types.js';
import { CloudModule } from './cloud-module.js';
import { OtaJobs, type OtaJobsOptions } from './ota-jobs.js';
import { otaSettingsFromEnv } from './ota-settings.js';
import { resolveCloudSettings } from './settings.js';

export interface CloudWiring {
  modules: Module[];
  status: () => CloudStatusSnapshot | null;
  /** The box's OTA jobs (cloud `ota-start` and browser uploads); null without CALLBOX_OTA_ROOT. */
  ota: OtaJobs | null;
}

const failed = (name: string, message: string): Module => ({
  name,
  start: () => Promise.reject(new Error(message)),
  stop: () => undefined,
});

export function cloudModule(w: {
  box: Box;
  db: Database;
  configStore: ConfigStore | null;
  lag: LoopLagMonitor;
  opts: BoxOptions;
}): CloudWiring {
  const { box, db, opts } = w;
  const log = opts.log.child({ ns: 'cloud' });
  // OTA jobs run with or without the cloud: a bundle may come from the setup page
  let ota: ReturnType<typeof otaSettingsFromEnv> = null;
  const otaModules: Module[] = [];
  try {
    ota = otaSettingsFromEnv(opts.env ?? {});
  } catch (e) {
    otaModules.push(failed('ota', (e as Error).message));
  }
  const { jobs, module } = boxOtaJobs({
    dataDir: opts.dataDir,
    settings: ota,
    log: opts.log.child({ ns: 'ota' }),
    now: () => opts.clock.now(),
  });
  if (module) otaModules.push(module);
  const otaJobs = ota ? jobs : null;
  let settings: ReturnType<typeof resolveCloudSettings>;
  try {
    settings = resolveCloudSettings(box.config.cloud, opts.env ?? {});
  } catch (e) {
    return { modules: [...otaModules, failed('cloud', (e as Error).message)], status: () => null, ota: otaJobs };
  }
  if (!settings) return { modules: otaModules, status: () => null, ota: otaJobs };
  const waiting = db.prepare("SELECT COUNT(*) AS n FROM calls WHERE state = 'queued'");
  const cloud = new CloudModule(settings, {
    db,
    outbox: box.backOffice.outbox,
    log,
    now: () => opts.clock.now(),
    fw: opts.version,
    dataDir: opts.dataDir,
    configStore: w.configStore,
    applyConfig: (next) => box.applyConfig(next, { actor: 'cloud', source: 'cloud' }),
    requestRestart: opts.requestRestart ?? null,
    otaJobs: jobs,
    recording: (id) => {
      const r = box.recorder.get(id);
      const path = r && box.recorder.filePath(id);
      if (!r || !path) return null;
      const meta = { callId: r.callId, format: r.format, channels: r.channels, startedAt: r.startedAt, durationMs: r.durationMs };
      return { path, state: r.state, meta };
    },
    diagnostics: () => ({
      channels: box.channels().map((c) => ({ id: c.id, kind: c.kind, state: c.state })),
      modules: box.runner.statuses(),
    }),
    telemetry: () => {
      const channels = box.channels();
      const now = opts.clock.now();
      const midnight = now - (now % 86_400_000);
      let serviceLevel: number | null = null;
      try {
        serviceLevel = box.service.kpis.report({ from: midnight, to: now + 1 }).serviceLevel;
      } catch {
        // no KPI figures yet
      }
      return {
        linesTotal: box.config.lines.length,
        linesBusy: channels.filter((c) => box.config.lines.some((l) => l.channel === c.id) && c.state !== 'idle').length,
        callsActive: box.engine.activeCount(),
        callsWaiting: (waiting.get() as { n: number }).n,
        serviceLevel,
        eventLoopLagP99S: w.lag.figures().p99S,
      };
    },
  });
  return { modules: [...otaModules, cloud], status: () => cloud.status(), ota: otaJobs };
}

/**
 * The box's OTA job runner and, when OTA is set up (`settings`), the `ota` module that resumes its
 * jobs at start and stops them — with or without the cloud, whose module only relays them. Without
 * settings the runner answers a cloud `ota-start` with UNAVAILABLE and has nothing to resume.
 */
export function boxOtaJobs(o: Omit<OtaJobsOptions, 'publish'>): { jobs: OtaJobs; module: Module | null } {
  const jobs = new OtaJobs({ ...o, publish: () => false });
  return { jobs, module: o.settings ? { name: 'ota', start: () => jobs.resume(), stop: () => jobs.stop() } : null };
}

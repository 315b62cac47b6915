/**
 * Installs a signed bundle: verify → refuse a downgrade → unpack into a temp folder (each file
 * fsynced) renamed to releases/<version> → record the pending install → switch `current`
 * atomically → restart → health check within a deadline → confirm; otherwise switch back,
 * restart the previous release and report FAILED with the reason. Runs outside the app (a
 * supervisor process: the app restarts under it); a power cut at any point leaves a `current`
 * that boots (the launcher's boot counter covers a cut after the switch).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { KeyObject } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { removeStaleUnpacks } from './boot.js';
import { type Manifest, verifyBundle } from './bundle.js';
import type { HealthVerdict } from './health.js';
import type { JobReporter, JobStep, JobUpdate } from './jobs.js';
import { fsyncDir, OtaLayout, type OtaState } from './layout.js';
import { OtaError } from './ota-error.js';
import { compareVersions } from './version.js';

export interface InstallOptions {
  root: string;
  /** Bundle bytes or its path. */
  bundle: Buffer | string;
  publicKey: KeyObject;
  jobId: string;
  /** Restart the box (it comes back on whatever `current` points at). */
  restart: () => Promise<void>;
  /** One health probe of the restarted box, for the given version. */
  probe: (version: string) => Promise<HealthVerdict>;
  /** How long the new release has to become healthy (default 60 s). */
  healthDeadlineMs?: number;
  healthIntervalMs?: number;
  reporter?: JobReporter;
  /** Called after each unpacked file (progress; tests use it to cut the power mid-unpack). */
  onUnpackFile?: (done: number, total: number) => void;
  now?: () => Date;
}

export async function installBundle(opts: InstallOptions): Promise<JobUpdate> {
  const layout = new OtaLayout(opts.root);
  const now = opts.now ?? (() => new Date());
  let version: string | null = null;
  let step: JobStep | null = null;
  const report = async (u: Omit<JobUpdate, 'jobId' | 'at' | 'version'>): Promise<JobUpdate> => {
    const full: JobUpdate = { jobId: opts.jobId, version, at: now().toISOString(), ...u };
    await opts.reporter?.update(full);
    return full;
  };
  const progress = (s: JobStep, percent: number) => {
    step = s;
    return report({ status: 'IN_PROGRESS', step: s, percent });
  };
  await report({ status: 'QUEUED', step: null, percent: 0 });
  let manifest: Manifest;
  try {
    await progress('verify', 5);
    const bytes = typeof opts.bundle === 'string' ? readFileSync(opts.bundle) : opts.bundle;
    const verified = verifyBundle(bytes, opts.publicKey);
    manifest = verified.manifest;
    version = manifest.version;
    refusePending(layout.readState());
    refuseDowngrade(manifest, layout.currentVersion());
    await progress('unpack', 10);
    await unpack(layout, verified.files, manifest.version, (done, total) => {
      opts.onUnpackFile?.(done, total);
      if (done === total || done % 16 === 0)
        void report({ status: 'IN_PROGRESS', step: 'unpack', percent: 10 + Math.floor((50 * done) / total) });
    });
  } catch (err) {
    return report({ status: 'FAILED', step, percent: 100, reason: (err as Error).message, code: (err as OtaError).code ?? 'INTERNAL' });
  }
  const previous = layout.currentVersion();
  await progress('switch', 70);
  layout.writeState({
    ...layout.readState(),
    pending: { version: manifest.version, previous, jobId: opts.jobId, startedAt: now().toISOString() },
  });
  layout.setBootCount(0);
  layout.switchCurrent(manifest.version);
  await progress('restart', 75);
  let verdict: HealthVerdict;
  try {
    await opts.restart();
    verdict = await waitHealthy(layout, manifest.version, opts, (p) => progress('health', p));
  } catch (err) {
    verdict = { ok: false, reason: `restart failed: ${(err as Error).message}` };
  }
  if (verdict.ok) {
    await progress('confirm', 98);
    const state = layout.readState();
    layout.writeState({ ...state, confirmed: manifest.version, pending: null });
    layout.setBootCount(0);
    pruneReleases(layout, [manifest.version, previous]);
    return report({ status: 'SUCCEEDED', step: null, percent: 100 });
  }
  return rollback(layout, opts, manifest.version, previous, verdict.reason, progress, report, now);
}

/** OtaError BUSY while an install waits for its confirmation (or the launcher's rollback). */
export function refusePending(state: OtaState): void {
  if (state.pending) throw new OtaError('BUSY', `an install of ${state.pending.version} is pending; confirm or roll it back first`);
}

/** OtaError DOWNGRADE unless the bundle is newer than `running` and `running` meets its minVersion. */
export function refuseDowngrade(manifest: Manifest, running: string | null): void {
  if (running === null) return;
  if (compareVersions(manifest.version, running) <= 0) {
    throw new OtaError('DOWNGRADE', `bundle version ${manifest.version} is not newer than the running ${running}; downgrades are refused`);
  }
  if (manifest.minVersion && compareVersions(running, manifest.minVersion) < 0) {
    throw new OtaError('DOWNGRADE', `bundle ${manifest.version} needs at least ${manifest.minVersion} running; this box runs ${running}`);
  }
}

async function unpack(
  layout: OtaLayout,
  files: Map<string, { data: Buffer; executable: boolean }>,
  version: string,
  onFile: (done: number, total: number) => void,
): Promise<void> {
  mkdirSync(layout.releases, { recursive: true });
  removeStaleUnpacks(layout);
  const tmp = join(layout.releases, `.unpack-${version}-${process.pid}`);
  mkdirSync(tmp);
  const dirs = new Set<string>([tmp]);
  let done = 0;
  for (const [path, f] of files) {
    const abs = join(tmp, path);
    const dir = dirname(abs);
    if (!dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    const fd = openSync(abs, 'wx', f.executable ? 0o755 : 0o644);
    try {
      for (let off = 0; off < f.data.length; ) off += writeSync(fd, f.data, off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(abs, f.executable ? 0o755 : 0o644);
    onFile(++done, files.size);
    if (done % 64 === 0) await sleep(0);
  }
  for (const d of dirs) fsyncDir(d);
  const final = layout.releaseDir(version);
  if (existsSync(final)) rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  fsyncDir(layout.releases);
}

async function waitHealthy(
  layout: OtaLayout,
  version: string,
  opts: InstallOptions,
  progress: (percent: number) => Promise<unknown>,
): Promise<HealthVerdict> {
  const deadlineMs = opts.healthDeadlineMs ?? 60_000;
  const interval = opts.healthIntervalMs ?? 500;
  const start = Date.now();
  let last: HealthVerdict = { ok: false, reason: 'no health probe yet' };
  while (Date.now() - start < deadlineMs) {
    if (layout.currentVersion() !== version) {
      const rb = layout.readState().lastRollback;
      return { ok: false, reason: rb?.from === version ? rb.reason : `current no longer points at ${version}` };
    }
    last = await opts.probe(version);
    if (last.ok) return last;
    await progress(80 + Math.floor((15 * (Date.now() - start)) / deadlineMs));
    await sleep(interval);
  }
  return { ok: false, reason: `not healthy within ${deadlineMs} ms: ${last.reason}` };
}

async function rollback(
  layout: OtaLayout,
  opts: InstallOptions,
  version: string,
  previous: string | null,
  reason: string,
  progress: (s: JobStep, p: number) => Promise<JobUpdate>,
  report: (u: Omit<JobUpdate, 'jobId' | 'at' | 'version'>) => Promise<JobUpdate>,
  now: () => Date,
): Promise<JobUpdate> {
  await progress('rollback', 96);
  const state = layout.readState();
  const launcherDidIt = layout.currentVersion() !== version;
  if (previous && !launcherDidIt) {
    layout.switchCurrent(previous);
    layout.writeState({
      confirmed: previous,
      pending: null,
      lastRollback: { from: version, to: previous, reason, at: now().toISOString() },
    });
    layout.setBootCount(0);
    try {
      await opts.restart();
    } catch (err) {
      reason += `; restarting ${previous} failed too: ${(err as Error).message}`;
    }
  } else if (launcherDidIt) {
    layout.writeState({ ...state, pending: null });
  }
  return report({ status: 'FAILED', step: 'health', percent: 100, reason, code: 'HEALTH_FAILED', rolledBackTo: layout.currentVersion() });
}

/** Keep the given releases, remove the others (never `current`). */
function pruneReleases(layout: OtaLayout, keep: (string | null)[]): void {
  const current = layout.currentVersion();
  for (const name of readdirSync(layout.releases)) {
    if (name.startsWith('.') || name === current || keep.includes(name)) continue;
    rmSync(join(layout.releases, name), { recursive: true, force: true });
  }
}

/**
 * OTA jobs started by the cloud (`cmd/ota-start`: download the signed bundle, resumable,
 * ota-download.ts) or by an upload from the browser (`startUpload`: the bundle is already in the
 * job folder, no download step), then run the installer (`callbox ota install`, firmware/src/ota/install.ts)
 * as a detached process that outlives the box's restart, and relay its job updates on
 * `jobs/{jobId}/update`; `jobs/notify` (retained) lists the recent jobs. Each job is a JSON file
 * in `<dataDir>/ota-jobs/` written at every step, so a restart of the box (the installer's own
 * restart, a power cut, kill -9) resumes the download or goes on reading the installer's output,
 * and every update reaches the cloud once the box is connected again.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { CallboxError } from '../errors.js';
import { type JobStatus, type JobStep, type JobUpdate, jobUpdateTopic } from '../ota/jobs.js';
import { DownloadError, downloadBundle, partPath } from './ota-download.js';
import { alive, readInstallerLines, tail } from './ota-installer-output.js';
import { readJsonFiles, writeJsonFile } from './state-file.js';

export interface OtaHostSettings {
  /** The OTA root (releases/, current, ota/state.json): CALLBOX_OTA_ROOT. */
  root: string;
  /** The release public key (PEM file): CALLBOX_OTA_PUBKEY. */
  publicKeyFile: string;
  /** How the installer restarts the box: CALLBOX_OTA_RESTART_CMD (default `systemctl restart callbox`). */
  restartCmd: string;
  /** The box's own HTTP base the installer probes (/healthz): CALLBOX_OTA_HEALTH_URL. */
  healthUrl: string;
  healthDeadlineS: number;
  /** argv of `callbox ota install` (the options are appended). */
  installer: string[];
}

interface Job {
  jobId: string;
  /** 'upload': the bundle came from the browser (no download; the installer's percent is the job's). Absent: cloud. */
  source?: 'cloud' | 'upload';
  url: string;
  sha256: string;
  size: number;
  version: string | null;
  status: JobStatus;
  step: JobStep | null;
  percent: number;
  createdAt: string;
  updatedAt: string;
  installerPid: number | null;
  /** Bytes of the installer's output already read. */
  logOffset: number;
  /** Every update of the job, in order; `sent` of them were taken by the broker. */
  updates: JobUpdate[];
  sent: number;
}

export interface OtaJobsOptions {
  dataDir: string | null;
  settings: OtaHostSettings | null;
  log: Logger;
  now: () => number;
  /** Publish (false: not connected); `done` once the broker has it. The cloud module may set it later (`setPublisher`). */
  publish: (rest: string, body: unknown, retain: boolean, done: () => void) => boolean;
}

/** A job as the setup page shows it: its last update, where it came from and when it started. */
export type OtaJobView = JobUpdate & { source: 'cloud' | 'upload'; createdAt: string };

const DOWNLOAD_SHARE = 40;
const MAX_BYTES = 1024 ** 3;
const KEEP_JOBS = 20;
const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;
const TERMINAL: JobStatus[] = ['SUCCEEDED', 'FAILED'];

export class OtaJobs {
  private readonly dir: string | null;
  private readonly jobs = new Map<string, Job>();
  private readonly inflight = new Map<string, number>();
  private abort = new AbortController();
  private timers: NodeJS.Timeout[] = [];
  private connected = false;
  private publish: OtaJobsOptions['publish'];

  constructor(private readonly o: OtaJobsOptions) {
    this.dir = o.dataDir ? join(o.dataDir, 'ota-jobs') : null;
    this.publish = o.publish;
  }

  /** Where updates go (the cloud module of a box whose jobs it does not own). */
  setPublisher(publish: OtaJobsOptions['publish']): void {
    this.publish = publish;
  }

  /** The OTA root and release key the installer is given (null: OTA not set up). */
  get settings(): OtaHostSettings | null {
    return this.dir ? this.o.settings : null;
  }

  /** Where an uploaded bundle of job `jobId` is written before `startUpload`. */
  bundleFile(jobId: string): string {
    if (!this.dir || !JOB_ID.test(jobId)) throw new CallboxError('VALIDATION_FAILED', `jobId: must match ${JOB_ID}`);
    mkdirSync(this.dir, { recursive: true });
    return join(this.dir, `${jobId}.bundle`);
  }

  /** The job that has not ended yet, if any (one job at a time). */
  active(): { jobId: string; status: JobStatus } | null {
    const j = [...this.jobs.values()].find((x) => !TERMINAL.includes(x.status));
    return j ? { jobId: j.jobId, status: j.status } : null;
  }

  /**
   * A bundle uploaded from the browser, already at `bundleFile(jobId)` and checked by the caller:
   * recorded QUEUED, then the same detached installer as a cloud job (no download step).
   */
  startUpload(jobId: string, meta: { size: number; sha256: string; version: string }): { jobId: string; status: JobStatus } {
    if (!this.o.settings || !this.dir) throw new CallboxError('UNAVAILABLE', 'OTA is not set up on this box (CALLBOX_OTA_ROOT)');
    const busy = this.active();
    if (busy) throw new CallboxError('CONFLICT', `OTA job ${busy.jobId} is ${busy.status}; one job at a time`);
    const job = this.newJob(jobId, { url: '', ...meta });
    job.source = 'upload';
    this.record(job);
    return { jobId, status: 'QUEUED' };
  }

  /** The newest jobs (cloud and upload) with their last update, newest first. */
  recent(n = 5): OtaJobView[] {
    return [...this.jobs.values()]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, n)
      .flatMap((j) => {
        const last = j.updates.at(-1);
        return last ? [{ ...last, source: j.source ?? 'cloud', createdAt: j.createdAt }] : [];
      });
  }

  /** At start: load the jobs and go on with the unfinished ones. */
  resume(): void {
    this.abort = new AbortController();
    if (!this.dir) return;
    for (const job of readJsonFiles(this.dir, this.o.log, 'ota: unreadable job file ignored') as (Job | null)[])
      if (typeof job?.jobId === 'string' && Array.isArray(job.updates)) this.jobs.set(job.jobId, job);
    for (const job of this.jobs.values()) if (!TERMINAL.includes(job.status)) void this.run(job);
  }

  stop(): void {
    this.abort.abort(new Error('box stopping'));
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.connected = false;
  }

  onConnect(): void {
    this.connected = true;
    this.inflight.clear();
    for (const job of this.jobs.values()) this.flush(job);
    this.notify();
  }

  onDisconnect(): void {
    this.connected = false;
  }

  /** `cmd/ota-start`: validate the job document, record the job QUEUED and start it. */
  start(args: Record<string, unknown>): { jobId: string; status: JobStatus; accepted: boolean } {
    const s = this.o.settings;
    if (!s || !this.dir)
      throw new CallboxError('UNAVAILABLE', 'OTA is not set up on this box (CALLBOX_OTA_ROOT, a data folder); nothing was started');
    const { jobId, url, size, version } = args;
    const sha256 = typeof args.sha256 === 'string' ? args.sha256.toLowerCase() : args.sha256;
    if (typeof jobId !== 'string' || !JOB_ID.test(jobId)) throw new CallboxError('VALIDATION_FAILED', `args.jobId: must match ${JOB_ID}`);
    if (typeof url !== 'string' || url.length > 2048 || !/^https?:\/\/\S+$/.test(url))
      throw new CallboxError('VALIDATION_FAILED', 'args.url: an http:// or https:// URL the box can reach (at most 2048 characters)');
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256))
      throw new CallboxError('VALIDATION_FAILED', 'args.sha256: the bundle sha256 as 64 hex digits');
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_BYTES)
      throw new CallboxError('VALIDATION_FAILED', `args.size: the bundle size in bytes, 1..${MAX_BYTES}`);
    if (version !== undefined && (typeof version !== 'string' || version.length < 1 || version.length > 64))
      throw new CallboxError('VALIDATION_FAILED', 'args.version: a string of 1 to 64 characters');
    const known = this.jobs.get(jobId);
    if (known) return { jobId, status: known.status, accepted: false };
    const active = this.active();
    if (active) throw new CallboxError('CONFLICT', `OTA job ${active.jobId} is ${active.status}; one job at a time`);
    this.record(this.newJob(jobId, { url, sha256, size, version: typeof version === 'string' ? version : null }));
    return { jobId, status: 'QUEUED', accepted: true };
  }

  private newJob(jobId: string, m: { url: string; sha256: string; size: number; version: string | null }): Job {
    const at = new Date(this.o.now()).toISOString();
    return {
      jobId,
      ...m,
      status: 'QUEUED',
      step: null,
      percent: 0,
      createdAt: at,
      updatedAt: at,
      installerPid: null,
      logOffset: 0,
      updates: [],
      sent: 0,
    };
  }

  /** Record a new job QUEUED and run it. */
  private record(job: Job): void {
    this.jobs.set(job.jobId, job);
    this.update(job, { status: 'QUEUED', step: null, percent: 0 });
    this.prune();
    setImmediate(() => void this.run(job));
  }

  /** Summaries of the recent jobs, newest first (`jobs/notify`). */
  list(): { jobId: string; status: JobStatus; step: JobStep | null; percent: number; version: string | null; updatedAt: string }[] {
    return [...this.jobs.values()]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, 10)
      .map((j) => ({ jobId: j.jobId, status: j.status, step: j.step, percent: j.percent, version: j.version, updatedAt: j.updatedAt }));
  }

  private async run(job: Job): Promise<void> {
    const s = this.o.settings;
    const signal = this.abort.signal;
    if (!s || !this.dir) return this.fail(job, 'download', 'UNAVAILABLE', 'OTA is no longer set up on this box (CALLBOX_OTA_ROOT)');
    if (job.installerPid === null && job.source === 'upload') this.spawnInstaller(job, s);
    else if (job.installerPid === null) {
      const file = this.bundlePath(job);
      let last = -1;
      this.update(job, { status: 'IN_PROGRESS', step: 'download', percent: job.percent });
      try {
        await downloadBundle(job, {
          file,
          signal,
          onProgress: (bytes) => {
            const p = Math.floor((DOWNLOAD_SHARE * bytes) / job.size);
            if (p > last && p > job.percent) {
              last = p;
              this.update(job, { status: 'IN_PROGRESS', step: 'download', percent: p });
            }
          },
        });
      } catch (e) {
        if (signal.aborted) return; // the box stops: the next start resumes the download
        const code = e instanceof DownloadError ? e.code : 'DOWNLOAD_FAILED';
        return this.fail(job, 'download', code, (e as Error).message);
      }
      if (signal.aborted) return;
      this.spawnInstaller(job, s);
    }
    this.follow(job);
  }

  private spawnInstaller(job: Job, s: OtaHostSettings): void {
    const [cmd, ...pre] = s.installer;
    const out = openSync(this.logPath(job), 'w');
    const err = openSync(this.errPath(job), 'w');
    try {
      const child = spawn(
        cmd as string,
        [
          ...pre,
          ...['--root', s.root, '--bundle', this.bundlePath(job), '--pub', s.publicKeyFile],
          ...['--restart-cmd', s.restartCmd, '--url', s.healthUrl, '--job-id', job.jobId, '--deadline-s', String(s.healthDeadlineS)],
        ],
        { detached: true, stdio: ['ignore', out, err] },
      );
      child.on('error', (e) => this.o.log.error({ jobId: job.jobId, err: e.message }, 'ota: installer did not start'));
      child.unref();
      job.installerPid = child.pid ?? -1;
      job.logOffset = 0;
      this.save(job);
      this.o.log.info({ jobId: job.jobId, pid: child.pid }, 'ota: installer started');
    } finally {
      closeSync(out);
      closeSync(err);
    }
  }

  /** Read the installer's JSON lines as they come; a dead installer without a last word FAILED. */
  private follow(job: Job): void {
    let quietDead = 0;
    const t = setInterval(() => {
      this.readLog(job);
      if (TERMINAL.includes(job.status)) return this.stopTimer(t);
      if (alive(job.installerPid)) return;
      if (++quietDead < 3) return; // read the last lines once more before judging
      this.stopTimer(t);
      const stderr = tail(this.errPath(job));
      this.fail(
        job,
        job.step ?? 'verify',
        'INSTALLER_EXITED',
        `the installer (pid ${job.installerPid}) ended without a result${stderr ? `: ${stderr}` : ''}`,
      );
    }, 200);
    t.unref?.();
    this.timers.push(t);
  }

  private stopTimer(t: NodeJS.Timeout): void {
    clearInterval(t);
    this.timers = this.timers.filter((x) => x !== t);
  }

  private readLog(job: Job): void {
    const read = readInstallerLines(this.logPath(job), job.logOffset);
    if (!read) return;
    job.logOffset = read.offset;
    for (const bad of read.bad) this.o.log.warn({ jobId: job.jobId, line: bad }, 'ota: installer line is not JSON');
    for (const u of read.updates) {
      if (u.status === 'QUEUED') continue; // the job was queued before its download
      const terminal = TERMINAL.includes(u.status);
      const share = job.source === 'upload' ? 0 : DOWNLOAD_SHARE;
      this.update(job, {
        status: u.status,
        step: u.step,
        percent: terminal ? 100 : share + Math.floor(((100 - share) * u.percent) / 100),
        ...(u.version ? { version: u.version } : {}),
        ...(u.reason !== undefined ? { reason: u.reason } : {}),
        ...(u.code !== undefined ? { code: u.code } : {}),
        ...(u.rolledBackTo !== undefined ? { rolledBackTo: u.rolledBackTo } : {}),
      });
    }
    this.save(job);
  }

  private fail(job: Job, step: JobStep, code: string, reason: string): void {
    this.o.log.warn({ jobId: job.jobId, code, reason }, 'ota: job failed');
    this.update(job, { status: 'FAILED', step, percent: 100, code, reason });
  }

  private update(job: Job, u: Omit<JobUpdate, 'jobId' | 'at' | 'version'> & { version?: string | null }): void {
    const at = new Date(this.o.now()).toISOString();
    if (u.version) job.version = u.version;
    const full: JobUpdate = { ...u, jobId: job.jobId, version: job.version, at };
    const changed = full.status !== job.status || full.step !== job.step || job.updates.length === 0;
    job.status = full.status;
    job.step = full.step;
    job.percent = full.percent;
    job.updatedAt = at;
    job.updates.push(full);
    if (TERMINAL.includes(job.status)) {
      rmSync(this.bundlePath(job), { force: true });
      rmSync(partPath(this.bundlePath(job)), { force: true });
    }
    this.save(job);
    this.flush(job);
    if (changed) this.notify();
  }

  /** Hand the updates the broker has not taken yet to it, in order. */
  private flush(job: Job): void {
    if (!this.connected) return;
    const from = Math.max(job.sent, this.inflight.get(job.jobId) ?? 0);
    for (let i = from; i < job.updates.length; i++) {
      const ok = this.publish(jobUpdateTopic(job.jobId), job.updates[i], false, () => {
        if (i + 1 > job.sent) {
          job.sent = i + 1;
          this.save(job);
        }
      });
      if (!ok) return;
      this.inflight.set(job.jobId, i + 1);
    }
  }

  private notify(): void {
    if (this.connected) this.publish('jobs/notify', { jobs: this.list(), ts: new Date(this.o.now()).toISOString() }, true, () => undefined);
  }

  /** Keep the newest KEEP_JOBS job files. */
  private prune(): void {
    const old = [...this.jobs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(KEEP_JOBS);
    for (const j of old) {
      if (!TERMINAL.includes(j.status)) continue;
      this.jobs.delete(j.jobId);
      for (const p of [this.jsonPath(j), this.logPath(j), this.errPath(j)]) rmSync(p, { force: true });
    }
  }

  private save(job: Job): void {
    if (!this.dir) return;
    mkdirSync(this.dir, { recursive: true });
    writeJsonFile(this.jsonPath(job), job);
  }

  private jsonPath = (j: Job) => join(this.dir as string, `${j.jobId}.json`);
  private bundlePath = (j: Job) => join(this.dir as string, `${j.jobId}.bundle`);
  private logPath = (j: Job) => join(this.dir as string, `${j.jobId}.install.log`);
  private errPath = (j: Job) => join(this.dir as string, `${j.jobId}.install.err`);
}

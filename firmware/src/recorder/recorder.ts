/**
 * The call recorder: one WAV file per recording under the recordings folder, indexed in SQLite
 * (table `recordings`). The call engine starts a recording when a call is bridged, feeds it one
 * frame per side every 20 ms, and stops it when the bridge ends; a transferred call starts another
 * recording with the same call id (one call, one set of recordings).
 *
 * Files: `<dir>/YYYY-MM-DD/<id>.wav` (UTC date of the start), id `YYYYMMDD-HHMMSS-<callId>-<hex>`.
 */
import { randomBytes } from 'node:crypto';
import { statfsSync } from 'node:fs';
import { access, constants, mkdir, open, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../../hal/src/clock.js';
import type { RecordingConfig } from '../config/schema.js';
import { CallboxError } from '../errors.js';
import type { Database } from '../store/db.js';
import { opusUnavailable, wavToOpus } from './compress.js';
import { FileRecording, type StopResult } from './recording.js';
import { MAX_LIST, RecordingIndex, type RecordingRow, toInfo } from './recording-index.js';
import type { ListRecordingsQuery, Recording, RecordingInfo, RecordingOptions } from './types.js';
import { durationMsOf, finalizeWavFile, type WavLayout } from './wav-header.js';

const DAY_MS = 86_400_000;
const MIB = 1024 * 1024;

/** The per-queue override: `record` on a queue, absent to follow `recording.enabled`. */
export interface QueueRecordSetting {
  id: string;
  record?: boolean | undefined;
}

/** A recording that failed: when, the message (naming the file) and the OS cause (ENOSPC...). */
export interface RecorderFailure {
  at: number;
  message: string;
  cause?: string;
}

export interface RecorderOptions {
  db: Database;
  clock: Clock;
  log: Logger;
  /** The recordings folder (created if missing). */
  dir: string;
  /** Read at every start/retention/compression, so config changes apply to the next call. */
  config: () => RecordingConfig;
  /** The queues' `record` overrides (default: none). */
  queues?: () => readonly QueueRecordSetting[];
  /** The ffmpeg binary for compress 'opus' (default 'ffmpeg' on PATH). */
  ffmpeg?: string;
}

/** Whether a call bridged from `queue` is recorded: the queue's `record`, else `recording.enabled`. */
export function shouldRecord(cfg: RecordingConfig, queues: readonly QueueRecordSetting[], queue: string | null): boolean {
  if (queue !== null) {
    const override = queues.find((q) => q.id === queue)?.record;
    if (override !== undefined) return override;
  }
  return cfg.enabled;
}

function layoutOf(row: Pick<RecordingRow, 'format' | 'channels'>): WavLayout | null {
  return row.format === 'opus' ? null : { format: row.format, channels: row.channels };
}

function errCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** recording.minFreeMB when absent. */
export const DEFAULT_MIN_FREE_MB = 64;

export class Recorder {
  private readonly opts: RecorderOptions;
  private readonly index: RecordingIndex;
  private readonly log: Logger;
  private readonly dir: string;
  private readonly active = new Map<string, FileRecording>();
  private readonly stopping = new Set<Promise<void>>();
  /** Post-stop steps (compression), one at a time. */
  private post: Promise<void> = Promise.resolve();
  /** Retention runs, one at a time. */
  private housekeeping: Promise<unknown> = Promise.resolve();
  private opusProblem: Promise<string | null> | null = null;
  private toldOpusProblem = false;
  private lastFailure: RecorderFailure | null = null;

  constructor(opts: RecorderOptions) {
    this.opts = opts;
    this.log = opts.log;
    this.dir = resolve(opts.dir);
    this.index = new RecordingIndex(opts.db);
  }

  /**
   * Start recording a bridged call, or null when recording is off for its queue. Never throws: a
   * folder that cannot be written gives a Recording whose `error` says so (a CallboxError
   * UNAVAILABLE naming the file and the cause), which ignores its frames and leaves no index row.
   */
  start(opts: RecordingOptions): Recording | null {
    const cfg = this.opts.config();
    if (!shouldRecord(cfg, this.opts.queues?.() ?? [], opts.queue)) return null;
    const layout: WavLayout = { format: cfg.format, channels: cfg.channels === 'stereo' ? 2 : 1 };
    const stamp = new Date(opts.startedAt).toISOString(); // 2026-01-01T01:00:00.000Z
    const safeCall = opts.callId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
    const id = `${stamp.slice(0, 10).replaceAll('-', '')}-${stamp.slice(11, 19).replaceAll(':', '')}-${safeCall}-${randomBytes(3).toString('hex')}`;
    const path = `${stamp.slice(0, 10)}/${id}.wav`;
    let failure: Error | undefined = this.lowOnSpace(id, cfg.minFreeMB ?? DEFAULT_MIN_FREE_MB);
    try {
      if (failure) throw failure;
      this.index.insert({
        id,
        call_id: opts.callId,
        queue: opts.queue,
        path,
        format: layout.format,
        channels: layout.channels,
        started_at: opts.startedAt,
        ended_at: null,
        duration_ms: 0,
        bytes: 0,
        state: 'recording',
        legal_hold: 0,
      });
    } catch (e) {
      failure ??= new CallboxError('UNAVAILABLE', `recording ${id}: cannot write its index row: ${(e as Error).message}`);
    }
    const rec = new FileRecording({
      id,
      callId: opts.callId,
      file: join(this.dir, path),
      layout,
      log: this.log,
      onStopped: (r, result) => this.stopped(r, result),
      onStopping: (p) => {
        this.stopping.add(p);
        void p.finally(() => this.stopping.delete(p));
      },
      onFailure: (e) => this.failed(e),
      ...(failure ? { failure } : {}),
    });
    if (!failure) {
      this.active.set(id, rec);
      this.log.info(
        { recording: id, callId: opts.callId, queue: opts.queue, format: layout.format, channels: layout.channels },
        'recording started',
      );
    }
    return rec;
  }

  /**
   * At start, before any call: check the folder, then finalize every recording a crash left in
   * state 'recording' (header rewritten from the file's real length, torn last write cut off, row
   * marked 'repaired' with its duration and an end time of start + duration). A row whose file is
   * gone is marked 'missing' and logged. Throws CallboxError UNAVAILABLE when the folder cannot be
   * created or written.
   */
  async repairOnStart(): Promise<{ repaired: number; missing: number }> {
    await this.checkFolder();
    let repaired = 0;
    let missing = 0;
    for (const row of this.index.open()) {
      if (this.active.has(row.id)) continue;
      const layout = layoutOf(row);
      if (layout === null) continue;
      let fh: Awaited<ReturnType<typeof open>>;
      try {
        fh = await open(this.abs(row.path), 'r+');
      } catch (e) {
        if (errCode(e) !== 'ENOENT') {
          this.log.error({ recording: row.id, err: e }, 'recording left by a crash cannot be opened; will retry at next start');
          continue;
        }
        this.index.finish({ id: row.id, state: 'missing', ended_at: null, duration_ms: 0, bytes: 0 });
        this.log.warn({ recording: row.id, callId: row.call_id, path: row.path }, 'recording left by a crash has no file; marked missing');
        missing++;
        continue;
      }
      try {
        const { dataBytes, fileBytes } = await finalizeWavFile(fh, layout);
        await fh.datasync();
        const duration = durationMsOf(layout, dataBytes);
        this.index.finish({ id: row.id, state: 'repaired', ended_at: row.started_at + duration, duration_ms: duration, bytes: fileBytes });
        this.log.info({ recording: row.id, callId: row.call_id, durationMs: duration }, 'recording left by a crash repaired');
        repaired++;
      } catch (e) {
        this.log.error({ recording: row.id, err: e }, 'recording left by a crash could not be repaired');
      } finally {
        await fh.close().catch(() => {});
      }
    }
    return { repaired, missing };
  }

  /**
   * Delete recordings, oldest first, that started more than retentionDays before `now`, then more
   * while the folder holds more than quotaMB (MiB, counting the index's sizes plus the audio of
   * recordings in progress). A recording on legal hold or still being recorded is never deleted.
   */
  enforceRetention(now: number = this.opts.clock.now()): Promise<{ deleted: number; freedBytes: number }> {
    const run = this.housekeeping.then(() => this.retention(now));
    this.housekeeping = run.catch(() => {});
    return run;
  }

  /** Newest first; limit clamped to 1..500 (default 100). */
  list(q: ListRecordingsQuery = {}): RecordingInfo[] {
    const n = Math.trunc(q.limit ?? 100);
    const limit = n >= 1 ? Math.min(n, MAX_LIST) : 1;
    return this.index.list(q.callId ?? null, limit).map(toInfo);
  }

  get(id: string): RecordingInfo | null {
    const row = this.index.get(id);
    return row ? toInfo(row) : null;
  }

  /** Put a recording on legal hold (never deleted by retention) or release it. NOT_FOUND if unknown. */
  setLegalHold(id: string, on: boolean): RecordingInfo {
    if (!this.index.setLegalHold(id, on)) throw new CallboxError('NOT_FOUND', `no recording ${JSON.stringify(id)}`);
    this.log.info({ recording: id, legalHold: on }, on ? 'recording put on legal hold' : 'recording released from legal hold');
    return this.get(id) as RecordingInfo;
  }

  /** The absolute path of a recording's file, or null when there is no such recording. */
  filePath(id: string): string | null {
    const row = this.index.get(id);
    return row ? this.abs(row.path) : null;
  }

  /** Resolves when every stop in progress and every queued post-stop step (compression) is done. */
  async drain(): Promise<void> {
    while (this.stopping.size > 0) await Promise.all([...this.stopping]);
    await this.post;
  }

  private async checkFolder(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
      await access(this.dir, constants.W_OK);
    } catch (e) {
      throw new CallboxError('UNAVAILABLE', `recordings folder ${this.dir} cannot be written: ${(e as Error).message}`, {
        dir: this.dir,
        cause: errCode(e),
      });
    }
  }

  /** A row's path inside the folder; refuses anything that would leave it. */
  private abs(rel: string): string {
    const p = resolve(this.dir, rel);
    const back = relative(this.dir, p);
    if (back === '' || back.startsWith('..') || isAbsolute(back)) {
      throw new CallboxError('INTERNAL', `recording path ${JSON.stringify(rel)} is outside the recordings folder`);
    }
    return p;
  }

  /** A failure when the recordings' filesystem has less than `minFreeMB` free (0: never). */
  private lowOnSpace(id: string, minFreeMB: number): CallboxError | undefined {
    if (minFreeMB <= 0) return undefined;
    let free: number;
    try {
      const s = statfsSync(this.dir);
      free = s.bavail * s.bsize;
    } catch {
      return undefined; // no folder yet: creating the file says what is wrong
    }
    if (free >= minFreeMB * MIB) return undefined;
    const msg = `recording ${id}: ${(free / MIB).toFixed(1)} MiB free under ${this.dir}, below recording.minFreeMB (${minFreeMB}): not recording, the room is kept for the database`;
    return new CallboxError('UNAVAILABLE', msg, { cause: 'ENOSPC', freeBytes: free });
  }

  /**
   * The last recording failure (disk full, folder gone, index not writable) while no recording has
   * completed since: the health alarm RECORDING_FAILED. Cleared by the next complete recording.
   */
  failure(): RecorderFailure | null {
    return this.lastFailure;
  }

  private failed(e: Error): void {
    const cause = (e as { details?: { cause?: unknown } }).details?.cause;
    this.lastFailure = {
      at: this.opts.clock.now(),
      message: e.message,
      ...(typeof cause === 'string' ? { cause } : {}),
    };
  }

  private stopped(rec: FileRecording, result: StopResult): void {
    this.active.delete(rec.id);
    if (!rec.error && result.finalized) this.lastFailure = null;
    if (!result.opened) {
      this.index.remove(rec.id);
      this.log.error({ recording: rec.id, callId: rec.callId }, 'recording has no file; its index row is removed');
      return;
    }
    if (!result.finalized) return; // stays 'recording': repairOnStart finishes it
    const duration = durationMsOf(rec.layout, result.dataBytes);
    this.index.finish({ id: rec.id, state: 'complete', ended_at: result.endedAt, duration_ms: duration, bytes: result.fileBytes });
    this.log.info({ recording: rec.id, callId: rec.callId, durationMs: duration, bytes: result.fileBytes }, 'recording complete');
    if (this.opts.config().compress === 'opus') {
      this.post = this.post.then(() => this.compress(rec.id, rec.layout.channels)).catch(() => {});
    }
  }

  /** Replace a complete WAV by Ogg/Opus, or keep it and log why not. */
  private async compress(id: string, channels: 1 | 2): Promise<void> {
    const bin = this.opts.ffmpeg ?? 'ffmpeg';
    this.opusProblem ??= opusUnavailable(bin);
    const problem = await this.opusProblem;
    if (problem !== null) {
      const level = this.toldOpusProblem ? 'debug' : 'warn';
      this.toldOpusProblem = true;
      this.log[level]({ recording: id, reason: problem }, `recording kept as WAV: ${problem}`);
      return;
    }
    const row = this.index.get(id);
    if (!row || row.format === 'opus' || row.legal_hold === 1) return;
    const rel = row.path.replace(/\.wav$/, '.opus');
    const src = this.abs(row.path);
    const dst = this.abs(rel);
    const part = `${dst}.part`;
    try {
      await wavToOpus(bin, src, part, channels);
      await rename(part, dst);
      const bytes = (await stat(dst)).size;
      if (!this.index.get(id)) {
        await unlink(dst); // deleted by retention meanwhile
        return;
      }
      this.index.setCompressed(id, rel, bytes);
      await unlink(src);
      this.log.info({ recording: id, wavBytes: row.bytes, opusBytes: bytes }, 'recording compressed to Opus');
    } catch (e) {
      await unlink(part).catch(() => {});
      this.log.warn({ recording: id, err: e }, 'recording compression failed; kept as WAV');
    }
  }

  private async retention(now: number): Promise<{ deleted: number; freedBytes: number }> {
    const cfg = this.opts.config();
    let deleted = 0;
    let freedBytes = 0;
    for (const row of this.index.startedBefore(now - cfg.retentionDays * DAY_MS)) {
      const freed = await this.remove(row, 'age');
      if (freed === null) continue;
      freedBytes += freed;
      deleted++;
    }
    const quota = cfg.quotaMB * MIB;
    let used = this.index.totalBytes();
    for (const rec of this.active.values()) used += rec.bytesSoFar;
    if (used > quota) {
      for (const row of this.index.deletableOldestFirst()) {
        if (used <= quota) break;
        const freed = await this.remove(row, 'quota');
        if (freed === null) continue;
        freedBytes += freed;
        used -= row.bytes;
        deleted++;
      }
      if (used > quota) {
        this.log.warn({ usedBytes: used, quotaBytes: quota }, 'recordings over quota: what is left is on legal hold or being recorded');
      }
    }
    if (deleted > 0) this.log.info({ deleted, freedBytes }, 'recording retention');
    return { deleted, freedBytes };
  }

  /**
   * Delete the file, then its row (a crash in between leaves a row, not an orphan file). Returns
   * the bytes freed, or null when the file could not be deleted (row kept).
   */
  private async remove(row: RecordingRow, why: 'age' | 'quota'): Promise<number | null> {
    const file = this.abs(row.path);
    let freed = 0;
    try {
      freed = (await stat(file)).size;
      await unlink(file);
    } catch (e) {
      if (errCode(e) !== 'ENOENT') {
        this.log.error({ recording: row.id, err: e }, 'recording file cannot be deleted');
        return null;
      }
      freed = 0;
    }
    this.index.remove(row.id);
    this.log.debug({ recording: row.id, why, bytes: freed }, 'recording deleted');
    const parent = dirname(file);
    if (parent !== this.dir && parent.startsWith(this.dir + sep)) await rmdir(parent).catch(() => {});
    return freed;
  }
}

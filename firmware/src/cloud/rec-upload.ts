/**
 * Recording upload on request (`cmd/recording-upload`): one recording's file in chunks of 48 KiB
 * (a JSON message of at most 64 KB with the data in base64) on `upload/{uploadId}`, each with its
 * sha256 and the whole file's; the cloud stores them in order and acks `upload-ack/{uploadId}`
 * `{index}` (every chunk up to index stored). At most 8 chunks in flight; reconnect, restart or an
 * ack more than 15 s late: resend from the first unacked chunk. The upload's state is a JSON file
 * in `<dataDir>/uploads/`, so a restart resumes from the last acked chunk, not from the start.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import { CallboxError } from '../errors.js';
import type { RecordingRef } from './host.js';
import { sha256File } from './ota-download.js';
import { readJsonFiles, writeJsonFile } from './state-file.js';

export const UPLOAD_CHUNK_BYTES = 48 * 1024;
const WINDOW = 8;
const ACK_TIMEOUT_MS = 15_000;
const UPLOAD_ID = /^[A-Za-z0-9_-]{1,64}$/;

interface Upload {
  uploadId: string;
  recordingId: string;
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
  sha256: string;
  chunks: number;
  /** Chunks 0..acked-1 are stored by the cloud. */
  acked: number;
  status: 'sending' | 'done' | 'failed';
  error: string | null;
  meta: Record<string, unknown>;
  createdAt: string;
}

export interface UploadOptions {
  dataDir: string | null;
  log: Logger;
  now: () => number;
  recording: ((id: string) => RecordingRef | null) | null;
  publish: (rest: string, body: unknown) => boolean;
}

export class RecordingUploads {
  private readonly dir: string | null;
  private readonly uploads = new Map<string, Upload>();
  /** Next chunk to send, and when the last ack (or first send) happened, per upload. */
  private readonly next = new Map<string, { index: number; since: number }>();
  private connected = false;

  constructor(private readonly o: UploadOptions) {
    this.dir = o.dataDir ? join(o.dataDir, 'uploads') : null;
  }

  load(): void {
    if (!this.dir) return;
    for (const u of readJsonFiles(this.dir, this.o.log, 'upload: unreadable state file ignored') as (Upload | null)[])
      if (typeof u?.uploadId === 'string') this.uploads.set(u.uploadId, u);
  }

  onConnect(): void {
    this.connected = true;
    this.next.clear();
    for (const u of this.uploads.values()) this.pump(u);
  }

  onDisconnect(): void {
    this.connected = false;
  }

  /** Every 500 ms: an ack overdue → send again from the first unacked chunk. */
  tick(): void {
    const now = Date.now();
    for (const u of this.uploads.values()) {
      const n = this.next.get(u.uploadId);
      if (u.status === 'sending' && n && n.index > u.acked && now - n.since > ACK_TIMEOUT_MS) {
        this.o.log.warn({ uploadId: u.uploadId, acked: u.acked }, 'upload: ack overdue, sending again from the last ack');
        this.next.set(u.uploadId, { index: u.acked, since: now });
        this.pump(u);
      }
    }
  }

  /** `cmd/recording-upload {recordingId, uploadId?}`. */
  async start(args: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!this.dir || !this.o.recording) throw new CallboxError('UNAVAILABLE', 'recording upload needs a data folder and the recorder');
    const { recordingId } = args;
    if (typeof recordingId !== 'string' || recordingId.length < 1 || recordingId.length > 128)
      throw new CallboxError('VALIDATION_FAILED', 'args.recordingId: a recording id');
    const uploadId = args.uploadId ?? `rec-${recordingId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60)}`;
    if (typeof uploadId !== 'string' || !UPLOAD_ID.test(uploadId))
      throw new CallboxError('VALIDATION_FAILED', `args.uploadId: must match ${UPLOAD_ID}`);
    const rec = this.o.recording(recordingId);
    if (!rec) throw new CallboxError('NOT_FOUND', `no recording ${JSON.stringify(recordingId)}`);
    if (rec.state === 'recording') throw new CallboxError('CONFLICT', `recording ${recordingId} is still being written`);
    if (rec.state === 'missing') throw new CallboxError('NOT_FOUND', `recording ${recordingId}: its file is missing`);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(rec.path);
    } catch (e) {
      throw new CallboxError('NOT_FOUND', `recording ${recordingId}: cannot read its file (${(e as Error).message})`);
    }
    const known = this.uploads.get(uploadId);
    // an upload under way resumes; a finished or failed one asked for again starts over (the cloud lost it)
    if (known?.status === 'sending' && known.recordingId === recordingId && known.size === st.size && known.mtimeMs === st.mtimeMs) {
      this.pump(known);
      return this.summary(known, known.acked);
    }
    const u: Upload = {
      uploadId,
      recordingId,
      path: rec.path,
      name: basename(rec.path),
      size: st.size,
      mtimeMs: st.mtimeMs,
      sha256: await sha256File(rec.path),
      chunks: Math.max(1, Math.ceil(st.size / UPLOAD_CHUNK_BYTES)),
      acked: 0,
      status: 'sending',
      error: null,
      meta: rec.meta,
      createdAt: new Date(this.o.now()).toISOString(),
    };
    this.uploads.set(uploadId, u);
    this.next.delete(uploadId);
    this.save(u);
    setImmediate(() => this.pump(u));
    return this.summary(u, 0);
  }

  /** `upload-ack/{uploadId}` `{index}` or `{index, error}`. */
  onAck(uploadId: string, doc: Record<string, unknown>): void {
    const u = this.uploads.get(uploadId);
    if (u?.status !== 'sending') return;
    const { index, error } = doc;
    if (error !== undefined) {
      u.status = 'failed';
      u.error = typeof error === 'object' && error ? JSON.stringify(error) : String(error);
      this.o.log.error({ uploadId, error: u.error }, 'upload: the cloud refused the upload');
      this.save(u);
      return;
    }
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
      this.o.log.warn({ uploadId, index }, 'upload: ack without a valid index ignored');
      return;
    }
    const sent = this.next.get(uploadId)?.index ?? u.acked;
    const acked = Math.min(index + 1, sent, u.chunks); // never past what was sent
    if (acked <= u.acked) return;
    u.acked = acked;
    if (u.acked === u.chunks) {
      u.status = 'done';
      this.o.log.info({ uploadId, recordingId: u.recordingId, bytes: u.size }, 'upload: complete');
    }
    this.next.set(uploadId, { index: Math.max(sent, u.acked), since: Date.now() });
    this.save(u);
    this.pump(u);
  }

  private pump(u: Upload): void {
    if (!this.connected || u.status !== 'sending') return;
    const n = this.next.get(u.uploadId) ?? { index: u.acked, since: Date.now() };
    if (n.index < u.acked) n.index = u.acked;
    while (n.index < u.chunks && n.index < u.acked + WINDOW) {
      const body = this.chunk(u, n.index);
      if (!body) return;
      if (!this.o.publish(`upload/${u.uploadId}`, body)) break;
      if (n.index === u.acked) n.since = Date.now();
      n.index++;
    }
    this.next.set(u.uploadId, n);
  }

  private chunk(u: Upload, index: number): Record<string, unknown> | null {
    const offset = index * UPLOAD_CHUNK_BYTES;
    const buf = Buffer.alloc(Math.min(UPLOAD_CHUNK_BYTES, u.size - offset));
    try {
      const fd = openSync(u.path, 'r');
      try {
        readSync(fd, buf, 0, buf.length, offset);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      u.status = 'failed';
      u.error = `cannot read ${u.path}: ${(e as Error).message}`;
      this.o.log.error({ uploadId: u.uploadId, err: u.error }, 'upload: failed');
      this.save(u);
      return null;
    }
    return {
      uploadId: u.uploadId,
      recordingId: u.recordingId,
      name: u.name,
      index,
      chunks: u.chunks,
      offset,
      size: u.size,
      sha256: u.sha256,
      chunkSha256: createHash('sha256').update(buf).digest('hex'),
      meta: u.meta,
      data: buf.toString('base64'),
    };
  }

  private summary(u: Upload, resumeFrom: number): Record<string, unknown> {
    return {
      uploadId: u.uploadId,
      recordingId: u.recordingId,
      size: u.size,
      sha256: u.sha256,
      chunks: u.chunks,
      chunkBytes: UPLOAD_CHUNK_BYTES,
      status: u.status,
      resumeFrom,
    };
  }

  private save(u: Upload): void {
    if (!this.dir) return;
    mkdirSync(this.dir, { recursive: true });
    writeJsonFile(join(this.dir, `${u.uploadId}.json`), u);
  }
}

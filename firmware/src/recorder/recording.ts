/**
 * One recording being written: 20 ms ticks are encoded into a preallocated ~1 s chunk; a full
 * chunk is appended to the file asynchronously (one write in flight at a time, in order) while the
 * next chunk fills. Nothing on the frame path allocates, touches the file system or throws.
 *
 * Crash safety: the header (placeholder sizes) is written when the file is created; the index row
 * exists before the file does (the Recorder inserts it). A kill -9 loses at most the chunk being
 * filled plus the one being written (~2 s); the file keeps whole appended chunks, and
 * Recorder.repairOnStart rewrites the header from the file's length.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { FRAME_SAMPLES } from '../../../hal/src/audio.js';
import { clamp16, linearToAlaw, linearToUlaw } from '../../../hal/src/dsp/index.js';
import { CallboxError } from '../errors.js';
import type { Recording } from './types.js';
import { blockAlign, finalizeWavFile, headerBytes, type WavLayout, wavHeader } from './wav-header.js';

/** Ticks (20 ms) per chunk: one append per second of audio. */
export const TICKS_PER_CHUNK = 50;
/** Chunks allowed to wait for a slow disk (30 s of audio); past that, audio is dropped and logged. */
export const MAX_PENDING_CHUNKS = 30;

export interface StopResult {
  endedAt: number;
  /** The file was created (its header written). */
  opened: boolean;
  /** The header now holds the real sizes. False leaves the row for repairOnStart. */
  finalized: boolean;
  dataBytes: number;
  fileBytes: number;
}

export interface FileRecordingInit {
  id: string;
  callId: string;
  /** Absolute path of the WAV file (created here; must not exist). */
  file: string;
  layout: WavLayout;
  log: Logger;
  /** Called once the file is closed (or could not be created). Its errors are logged. */
  onStopped(rec: FileRecording, result: StopResult): void | Promise<void>;
  /** Called once with the promise of the first stop() (so the owner can wait for it). */
  onStopping?(p: Promise<void>): void;
  /** A recording that failed before it started (e.g. the index row could not be written). */
  failure?: Error;
  /** Called once, at the first failure (the disk is full, the folder went away...). */
  onFailure?(e: Error): void;
}

interface Chunk {
  bytes: Uint8Array;
  view: DataView;
}

function newChunk(size: number): Chunk {
  const bytes = new Uint8Array(size);
  return { bytes, view: new DataView(bytes.buffer) };
}

export class FileRecording implements Recording {
  readonly id: string;
  readonly callId: string;
  readonly file: string;
  readonly layout: WavLayout;
  private readonly log: Logger;
  private readonly init: FileRecordingInit;
  private readonly header: number;
  private readonly chunkBytes: number;
  private readonly tickBytes: number;
  private chunk: Chunk;
  private pos = 0;
  private readonly spare: Chunk[] = [];
  private pending = 0;
  private chain: Promise<void>;
  private fh: FileHandle | null = null;
  /** Audio bytes appended to the file. */
  private appended = 0;
  private droppedTicks = 0;
  private paused = false;
  private closed = false;
  private dead = false;
  private stopping: Promise<void> | null = null;
  private firstError: Error | null = null;

  constructor(init: FileRecordingInit) {
    this.init = init;
    this.id = init.id;
    this.callId = init.callId;
    this.file = init.file;
    this.layout = init.layout;
    this.log = init.log;
    this.header = headerBytes(init.layout.format);
    this.tickBytes = FRAME_SAMPLES * blockAlign(init.layout);
    this.chunkBytes = this.tickBytes * TICKS_PER_CHUNK;
    this.chunk = newChunk(this.chunkBytes);
    if (init.failure) {
      this.fail(init.failure, 'start');
      this.chain = Promise.resolve();
    } else {
      this.chain = this.openFile();
    }
  }

  get error(): Error | null {
    return this.firstError;
  }

  /** Audio bytes buffered or written so far (what the file will hold at stop). */
  get bytesSoFar(): number {
    return this.appended + this.pending * this.chunkBytes + this.pos;
  }

  frame(caller: Int16Array | null, agent: Int16Array | null): void {
    if (this.closed || this.dead) return;
    try {
      if (this.paused) this.tick(null, null);
      else this.tick(caller, agent);
      if (this.pos + this.tickBytes > this.chunkBytes) this.flushChunk();
    } catch (e) {
      this.fail(e, 'buffer audio for');
    }
  }

  pause(reason: string): void {
    if (this.paused || this.closed) return;
    this.paused = true;
    this.log.info({ recording: this.id, callId: this.callId, reason }, 'recording paused');
  }

  resume(): void {
    if (!this.paused || this.closed) return;
    this.paused = false;
    this.log.info({ recording: this.id, callId: this.callId }, 'recording resumed');
  }

  get isPaused(): boolean {
    return this.paused;
  }

  stop(endedAt: number): Promise<void> {
    if (this.stopping === null) {
      this.stopping = this.finish(endedAt);
      this.init.onStopping?.(this.stopping);
    }
    return this.stopping;
  }

  /** Resolves with the audio bytes in the file once the chunks handed over so far are written. */
  async whenWritten(): Promise<number> {
    await this.chain;
    return this.appended;
  }

  private tick(caller: Int16Array | null, agent: Int16Array | null): void {
    const { bytes, view } = this.chunk;
    const format = this.layout.format;
    let p = this.pos;
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const c = caller === null ? 0 : (caller[i] ?? 0);
      const a = agent === null ? 0 : (agent[i] ?? 0);
      if (this.layout.channels === 1) {
        p = put(format, bytes, view, p, clamp16(c + a));
      } else {
        p = put(format, bytes, view, p, c);
        p = put(format, bytes, view, p, a);
      }
    }
    this.pos = p;
  }

  /** Hand the filled part of the chunk to the writer and continue in a spare chunk. */
  private flushChunk(): void {
    const c = this.chunk;
    const len = this.pos;
    if (len === 0) return;
    this.pos = 0;
    if (this.pending >= MAX_PENDING_CHUNKS) {
      if (this.droppedTicks === 0) {
        this.log.warn({ recording: this.id, pending: this.pending }, 'recording disk too slow: dropping audio');
      }
      this.droppedTicks += len / this.tickBytes;
      return;
    }
    this.pending++;
    this.chain = this.chain.then(() => this.append(c, len));
    this.chunk = this.spare.pop() ?? newChunk(this.chunkBytes);
  }

  private async openFile(): Promise<void> {
    let fh: FileHandle | null = null;
    try {
      await mkdir(dirname(this.file), { recursive: true });
      fh = await open(this.file, 'wx');
      const h = wavHeader(this.layout, null);
      await fh.write(h, 0, h.length, 0);
      this.fh = fh;
    } catch (e) {
      await fh?.close().catch(() => {});
      this.fail(e, 'create');
    }
  }

  private async append(c: Chunk, len: number): Promise<void> {
    try {
      const fh = this.fh;
      if (fh === null || this.dead) return;
      let off = 0;
      while (off < len) {
        const { bytesWritten } = await fh.write(c.bytes, off, len - off, this.header + this.appended + off);
        off += bytesWritten;
      }
      this.appended += len;
    } catch (e) {
      this.fail(e, 'write to');
    } finally {
      this.pending--;
      this.spare.push(c);
    }
  }

  private async finish(endedAt: number): Promise<void> {
    this.closed = true;
    this.flushChunk();
    await this.chain;
    const result: StopResult = { endedAt, opened: this.fh !== null, finalized: false, dataBytes: 0, fileBytes: 0 };
    const fh = this.fh;
    if (fh !== null) {
      try {
        const sizes = await finalizeWavFile(fh, this.layout);
        await fh.datasync();
        result.finalized = true;
        result.dataBytes = sizes.dataBytes;
        result.fileBytes = sizes.fileBytes;
      } catch (e) {
        this.fail(e, 'finalize');
      } finally {
        await fh.close().catch(() => {});
        this.fh = null;
      }
    }
    if (this.droppedTicks > 0) {
      this.log.warn({ recording: this.id, droppedMs: this.droppedTicks * 20 }, 'recording lost audio to a slow disk');
    }
    try {
      await this.init.onStopped(this, result);
    } catch (e) {
      this.log.error({ recording: this.id, err: e }, 'recording index update failed; repaired at next start');
    }
  }

  /** Remember the first failure, log it, and stop taking audio. */
  private fail(e: unknown, what: string): void {
    this.dead = true;
    if (this.firstError !== null) return;
    const cause = e instanceof Error ? e.message : String(e);
    const code = (e as { code?: unknown } | null)?.code;
    this.firstError =
      e instanceof CallboxError
        ? e
        : new CallboxError('UNAVAILABLE', `recording ${this.id}: cannot ${what} ${this.file}: ${cause}`, {
            recording: this.id,
            file: this.file,
            ...(typeof code === 'string' ? { cause: code } : {}),
          });
    this.log.error({ recording: this.id, callId: this.callId, err: this.firstError }, 'recording failed');
    this.init.onFailure?.(this.firstError);
  }
}

/** Store one sample at byte `p` in the recording's format; returns the next position. */
function put(format: WavLayout['format'], bytes: Uint8Array, view: DataView, p: number, s: number): number {
  switch (format) {
    case 'pcm16':
      view.setInt16(p, s, true);
      return p + 2;
    case 'ulaw':
      bytes[p] = linearToUlaw(s);
      return p + 1;
    case 'alaw':
      bytes[p] = linearToAlaw(s);
      return p + 1;
  }
}

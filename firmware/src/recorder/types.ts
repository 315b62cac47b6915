/** The recorder's public types: what the call engine holds during a call, and the index rows. */

export interface RecordingOptions {
  /** The call this recording belongs to (a transferred call keeps its id: one call, one set). */
  callId: string;
  /** The queue the call was bridged from, or null (direct extension, outbound...). */
  queue: string | null;
  /** ms since the epoch, from the injected clock. */
  startedAt: number;
}

export interface Recording {
  readonly id: string;
  /**
   * One 20 ms tick: the frame heard from each side (null when that side sent nothing this tick).
   * Called up to 50×/s per call: allocates nothing, buffers ~1 s before each asynchronous append,
   * never blocks on the file system and never throws (a failure is logged and kept in `error`).
   */
  frame(caller: Int16Array | null, agent: Int16Array | null): void;
  /**
   * Paused time is written as silence (the file keeps the call's timeline: second N of the file is
   * second N of the call, and the duration is the call's), never the audio. Idempotent.
   */
  pause(reason: string): void;
  /** Back to recording the audio. Idempotent. */
  resume(): void;
  /**
   * Flush, finalize the WAV header sizes and the index row. Idempotent (every call returns the same
   * promise). Never rejects: a failure is logged and kept in `error`; a row left 'recording' is
   * repaired at the next start.
   */
  stop(endedAt: number): Promise<void>;
  /** The first failure of this recording (folder not writable, disk full...), or null. */
  readonly error: Error | null;
}

export type RecordingFormat = 'pcm16' | 'ulaw' | 'alaw';
/** 'opus' once the optional post-stop compression has replaced the WAV. */
export type StoredFormat = RecordingFormat | 'opus';
/**
 * recording: being written (or the box died while it was); complete: stopped normally;
 * repaired: finalized at start after a crash; missing: the file was gone at repair time.
 */
export type RecordingState = 'recording' | 'complete' | 'repaired' | 'missing';

export interface RecordingInfo {
  id: string;
  callId: string;
  queue: string | null;
  /** Relative to the recordings folder, '/'-separated. */
  path: string;
  format: StoredFormat;
  channels: 1 | 2;
  /** ISO time. */
  startedAt: string;
  endedAt: string | null;
  durationMs: number;
  /** Size of the file (0 while recording). */
  bytes: number;
  state: RecordingState;
  legalHold: boolean;
}

export interface ListRecordingsQuery {
  callId?: string;
  /** Clamped to 1..500; default 100. */
  limit?: number;
}

/**
 * Voicemail: callers leave messages in configured boxes; each kept message is a WAV file under
 * `<dataDir>/voicemail/` and a row of the `voicemails` table, a task for the owner (new → heard →
 * handled). The call engine hands a caller over with take() and forwards '#' and the hang-up to
 * the session it returns. Files and crash safety come from the recorder (FileRecording,
 * finalizeWavFile): the row exists before the file, and a message cut by a crash is finished at
 * the next start by repairOnStart().
 *
 * Files: `<dir>/YYYY-MM-DD/<id>.wav` (UTC date), id `YYYYMMDD-HHMMSS-<box>-<6 hex>`; 8 kHz 16-bit mono.
 */
import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, rmdir, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Logger } from 'pino';
import type { FrameSource } from '../../../hal/src/audio.js';
import type { Clock } from '../../../hal/src/clock.js';
import { ToneGenerator } from '../../../hal/src/dsp/tone.js';
import type { VoicemailBoxConfig, VoicemailConfig } from '../config/schema.js';
import { CallboxError } from '../errors.js';
import type { CallMedia } from '../media/leg-media.js';
import { FileRecording, type StopResult } from '../recorder/recording.js';
import type { Recording } from '../recorder/types.js';
import { durationMsOf } from '../recorder/wav-header.js';
import type { Database } from '../store/db.js';
import { FRAME_BYTES, finishCrashedFile, LAYOUT, trimWav } from './message-file.js';
import { DEFAULT_SILENCE_DBM0, type Kept } from './speech.js';
import type {
  ListVoicemailQuery,
  StopCause,
  TakeOptions,
  TakeResult,
  VoicemailInfo,
  VoicemailLanguage,
  VoicemailSession,
  VoicemailState,
} from './types.js';
import { MAX_LIST, toInfo, VoicemailIndex, type VoicemailRow } from './voicemail-index.js';
import { type Decision, type SessionHost, type SessionSettings, VoicemailCall } from './voicemail-session.js';

export const DEFAULT_GREETING = 'voicemail-greeting';
export const DEFAULT_MAX_LENGTH_S = 120;
export const DEFAULT_SILENCE_STOP_S = 5;
/** A message with less speech than this is discarded (tooShort). */
export const DEFAULT_MIN_SPEECH_MS = 1000;
/** The beep before recording: 1000 Hz, 300 ms, -10 dBm0. */
export const BEEP_HZ = 1000;
export const BEEP_MS = 300;
export const BEEP_DBM0 = -10;
export const MAX_NOTE_LENGTH = 2000;
export const VOICEMAIL_STATES: readonly VoicemailState[] = ['new', 'heard', 'handled'];

const FRAME_MS = 20;

export interface VoicemailBoxOptions {
  db: Database;
  clock: Clock;
  log: Logger;
  /** The box's data folder; messages go to `<dataDir>/voicemail/` (created if missing). */
  dataDir: string;
  /** The `voicemail` config section, read at every take() so a change applies to the next caller. */
  config: () => VoicemailConfig | undefined;
  /** A prompt by name and language (the greeting). */
  prompt: (name: string, language: VoicemailLanguage) => Int16Array;
  /** Least speech a message needs (default DEFAULT_MIN_SPEECH_MS). */
  minSpeechMs?: number;
  /** Frames below this level are silence (default DEFAULT_SILENCE_DBM0). */
  silenceDbm0?: number;
}

/** A box's settings with the defaults applied. */
export function boxSettings(box: VoicemailBoxConfig | undefined): { greeting: string; maxLengthS: number; silenceStopS: number } {
  return {
    greeting: box?.greeting ?? DEFAULT_GREETING,
    maxLengthS: box?.maxLengthS ?? DEFAULT_MAX_LENGTH_S,
    silenceStopS: box?.silenceStopS ?? DEFAULT_SILENCE_STOP_S,
  };
}

function errCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

interface MessageFile {
  rec: FileRecording;
  path: string;
  result: StopResult | null;
}

export class VoicemailBox {
  readonly dir: string;
  private readonly o: VoicemailBoxOptions;
  private readonly log: Logger;
  private readonly index: VoicemailIndex;
  private readonly host: SessionHost;
  /** Messages being recorded or saved, by id (repair leaves them alone). */
  private readonly files = new Map<string, MessageFile>();
  private readonly live = new Set<VoicemailCall>();
  private readonly ending = new Set<Promise<TakeResult>>();
  /** What makes a frame speech and a message long enough (live and at repair). */
  private readonly rules: { silenceDbm0: number; minSpeechFrames: number };

  constructor(opts: VoicemailBoxOptions) {
    this.o = opts;
    this.log = opts.log;
    this.dir = resolve(opts.dataDir, 'voicemail');
    this.index = new VoicemailIndex(opts.db);
    this.rules = {
      silenceDbm0: opts.silenceDbm0 ?? DEFAULT_SILENCE_DBM0,
      minSpeechFrames: Math.ceil((opts.minSpeechMs ?? DEFAULT_MIN_SPEECH_MS) / FRAME_MS),
    };
    this.host = {
      clock: opts.clock,
      log: opts.log,
      prompt: (name, language) => opts.prompt(name, language),
      beep: (): FrameSource => new ToneGenerator({ freqs: [BEEP_HZ], levelDbm0: BEEP_DBM0 }, { durationMs: BEEP_MS }),
      begin: (o, startedAt) => this.begin(o, startedAt),
      end: (rec, o, kept, decision, cause) => this.track(this.end(rec, o, kept, decision, cause)),
      nothing: (o, reason) => this.discard(null, o.box, reason),
    };
  }

  /**
   * A caller leaves a message in `opts.box`: greeting, beep, recording. `done` runs once with the
   * result, after the file and row are final. Never throws; an unknown box records with defaults.
   */
  take(media: CallMedia, opts: TakeOptions, done: (result: TakeResult) => void): VoicemailSession {
    const cfg = this.o.config()?.boxes.find((b) => b.id === opts.box);
    if (!cfg) this.log.warn({ box: opts.box, callId: opts.callId }, 'voicemail: no such box in the config; using the defaults');
    const s = boxSettings(cfg);
    const settings: SessionSettings = {
      greeting: s.greeting,
      maxLengthS: s.maxLengthS,
      silenceFrames: Math.round((s.silenceStopS * 1000) / FRAME_MS),
      minSpeechFrames: this.rules.minSpeechFrames,
      silenceDbm0: this.rules.silenceDbm0,
    };
    const call = new VoicemailCall(media, opts, settings, this.host, done);
    this.live.add(call);
    void call.finished.then(() => this.live.delete(call));
    this.log.info({ callId: opts.callId, box: opts.box }, 'voicemail: greeting');
    call.start();
    return call;
  }

  /**
   * At start, before any call: check the folder, then finish every message a crash left in state
   * 'recording': the WAV header is rewritten from the file, trailing silence is cut, and the message
   * is kept (state 'new', voicemail.saved) or discarded (tooShort / noMessage) by the same rules as
   * a live one. A row without a file is deleted (voicemail.discarded 'missing'). Throws CallboxError
   * UNAVAILABLE when the folder cannot be created or written.
   */
  async repairOnStart(): Promise<{ saved: number; discarded: number; missing: number }> {
    await this.checkFolder();
    const out = { saved: 0, discarded: 0, missing: 0 };
    for (const row of this.index.open()) {
      if (this.files.has(row.id)) continue;
      try {
        const r = await this.repair(row);
        out[r]++;
      } catch (e) {
        this.log.error({ voicemail: row.id, err: e }, 'voicemail left by a crash could not be repaired; will retry at next start');
      }
    }
    return out;
  }

  /** Newest first; limit clamped to 1..500 (default 100). Messages still being recorded are not listed. */
  list(q: ListVoicemailQuery = {}): VoicemailInfo[] {
    if (q.state !== undefined && !VOICEMAIL_STATES.includes(q.state)) {
      throw new CallboxError('VALIDATION_FAILED', `state must be one of ${VOICEMAIL_STATES.join(', ')}`, { field: 'state' });
    }
    const n = Math.trunc(q.limit ?? 100);
    const limit = n >= 1 ? Math.min(n, MAX_LIST) : 1;
    return this.index.list(q.state ?? null, limit).map(toInfo);
  }

  get(id: string): VoicemailInfo | null {
    const row = this.index.get(id);
    return row && row.state !== 'recording' ? toInfo(row) : null;
  }

  /** The absolute path of a voicemail's WAV file, or null when there is no such voicemail. */
  filePath(id: string): string | null {
    const row = this.index.get(id);
    return row && row.state !== 'recording' ? this.abs(row.path) : null;
  }

  /**
   * Move a voicemail to `state` (any of new, heard, handled: a handled task can be reopened).
   * 'handled' records `by` and the time (kept when it was handled already); leaving 'handled'
   * clears them. `note` replaces the note (null clears it; undefined keeps it). NOT_FOUND for an
   * unknown voicemail, VALIDATION_FAILED for a bad state or a note over MAX_NOTE_LENGTH.
   */
  setState(id: string, state: VoicemailState, by: string, note?: string | null): VoicemailInfo {
    if (!VOICEMAIL_STATES.includes(state)) {
      throw new CallboxError('VALIDATION_FAILED', `state must be one of ${VOICEMAIL_STATES.join(', ')}`, { field: 'state' });
    }
    if (note !== undefined && note !== null && (typeof note !== 'string' || note.length > MAX_NOTE_LENGTH)) {
      throw new CallboxError('VALIDATION_FAILED', `note must be a string of at most ${MAX_NOTE_LENGTH} characters`, { field: 'note' });
    }
    const row = this.index.get(id);
    if (!row || row.state === 'recording') throw new CallboxError('NOT_FOUND', `no voicemail ${JSON.stringify(id)}`);
    const keep = state === 'handled' && row.state === 'handled';
    const handledBy = state !== 'handled' ? null : keep ? row.handled_by : by;
    const handledAt = state !== 'handled' ? null : keep ? row.handled_at : this.o.clock.now();
    const changed = this.index.setState({
      id,
      state,
      handled_by: handledBy,
      handled_at: handledAt,
      ...(note !== undefined ? { note } : {}),
      ts: this.o.clock.now(),
    });
    if (!changed) throw new CallboxError('NOT_FOUND', `no voicemail ${JSON.stringify(id)}`);
    this.log.info({ voicemail: id, state, prev: row.state, by }, 'voicemail state changed');
    return this.get(id) as VoicemailInfo;
  }

  /** End every session still going (as if its caller hung up: what was recorded is saved), then drain. */
  async shutdown(): Promise<void> {
    for (const call of [...this.live]) call.callerGone();
    await this.drain();
  }

  /** Resolves when every message being saved is final. */
  async drain(): Promise<void> {
    while (this.ending.size > 0) await Promise.all([...this.ending]);
  }

  // ---- the session's host ----

  private begin(opts: TakeOptions, startedAt: number): Recording {
    const stamp = new Date(startedAt).toISOString();
    const safeBox = opts.box.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32);
    const id = `${stamp.slice(0, 10).replaceAll('-', '')}-${stamp.slice(11, 19).replaceAll(':', '')}-${safeBox}-${randomBytes(3).toString('hex')}`;
    const path = `${stamp.slice(0, 10)}/${id}.wav`;
    let failure: Error | undefined;
    try {
      this.index.insert({
        id,
        call_id: opts.callId,
        box: opts.box,
        caller_id: opts.callerId,
        created_at: startedAt,
        duration_ms: 0,
        path,
        state: 'recording',
        handled_by: null,
        handled_at: null,
        note: null,
      });
    } catch (e) {
      failure = new CallboxError('UNAVAILABLE', `voicemail ${id}: cannot write its index row: ${(e as Error).message}`);
    }
    const entry: MessageFile = { path, result: null, rec: undefined as unknown as FileRecording };
    entry.rec = new FileRecording({
      id,
      callId: opts.callId,
      file: join(this.dir, path),
      layout: LAYOUT,
      log: this.log,
      onStopped: (_rec, result) => {
        entry.result = result;
      },
      ...(failure ? { failure } : {}),
    });
    this.files.set(id, entry);
    this.log.info({ voicemail: id, callId: opts.callId, box: opts.box }, 'voicemail: recording');
    return entry.rec;
  }

  private track(p: Promise<TakeResult>): Promise<TakeResult> {
    this.ending.add(p);
    void p.finally(() => this.ending.delete(p));
    return p;
  }

  private async end(rec: Recording, opts: TakeOptions, kept: Kept, decision: Decision, cause: StopCause): Promise<TakeResult> {
    const failed: TakeResult = { voicemailId: null, reason: 'failed' };
    const entry = this.files.get(rec.id);
    try {
      await rec.stop(this.o.clock.now());
      const result = entry?.result ?? null;
      if (!entry || result === null || !result.opened) {
        this.log.error({ voicemail: rec.id, callId: opts.callId, err: rec.error }, 'voicemail could not be written');
        this.discard(rec.id, opts.box, 'failed');
        return failed;
      }
      if (!result.finalized) {
        this.log.error({ voicemail: rec.id, callId: opts.callId }, 'voicemail file not finalized; repaired at next start');
        return failed;
      }
      const file = this.abs(entry.path);
      const log = { voicemail: rec.id, callId: opts.callId, box: opts.box, cause, speechMs: kept.speechFrames * FRAME_MS };
      if (decision !== 'saved') {
        if (!(await this.removeFile(rec.id, file))) return { voicemailId: null, reason: decision };
        this.discard(rec.id, opts.box, decision);
        this.log.info({ ...log, reason: decision }, 'voicemail discarded');
        return { voicemailId: null, reason: decision };
      }
      const keepBytes = Math.min(kept.frames * FRAME_BYTES, result.dataBytes);
      if (keepBytes < result.dataBytes) await trimWav(file, keepBytes);
      const durationMs = durationMsOf(LAYOUT, keepBytes);
      this.index.saved(rec.id, durationMs, this.o.clock.now());
      this.log.info({ ...log, durationMs, trimmedMs: durationMsOf(LAYOUT, result.dataBytes - keepBytes) }, 'voicemail saved');
      return { voicemailId: rec.id, reason: 'saved' };
    } catch (e) {
      this.log.error({ voicemail: rec.id, callId: opts.callId, err: e }, 'voicemail could not be saved; repaired at next start');
      return failed;
    } finally {
      this.files.delete(rec.id);
    }
  }

  /** Delete the row (if any) and log the discarded event; a database failure is logged. */
  private discard(id: string | null, box: string, reason: string): void {
    try {
      this.index.discarded(id, box, reason, this.o.clock.now());
    } catch (e) {
      this.log.error({ voicemail: id, box, reason, err: e }, 'voicemail: the discarded event could not be written');
    }
  }

  /** Delete a message's file (and its day folder when emptied). False when it cannot: the row stays for repair. */
  private async removeFile(id: string, file: string): Promise<boolean> {
    try {
      await unlink(file);
    } catch (e) {
      if (errCode(e) !== 'ENOENT') {
        this.log.error({ voicemail: id, err: e }, 'voicemail file cannot be deleted; retried at next start');
        return false;
      }
    }
    const parent = dirname(file);
    if (parent !== this.dir && parent.startsWith(this.dir + sep)) await rmdir(parent).catch(() => {});
    return true;
  }

  private async repair(row: VoicemailRow): Promise<'saved' | 'discarded' | 'missing'> {
    const file = this.abs(row.path);
    let r: Awaited<ReturnType<typeof finishCrashedFile>>;
    try {
      r = await finishCrashedFile(file, this.rules);
    } catch (e) {
      if (errCode(e) !== 'ENOENT') throw e;
      this.index.discarded(row.id, row.box, 'missing', this.o.clock.now());
      this.log.warn({ voicemail: row.id, callId: row.call_id, path: row.path }, 'voicemail left by a crash has no file; row deleted');
      return 'missing';
    }
    if (r.decision === 'saved') {
      this.index.saved(row.id, r.durationMs, this.o.clock.now());
      this.log.info({ voicemail: row.id, callId: row.call_id, durationMs: r.durationMs }, 'voicemail left by a crash repaired and kept');
      return 'saved';
    }
    if (!(await this.removeFile(row.id, file))) throw new Error(`cannot delete ${file}`);
    this.index.discarded(row.id, row.box, r.decision, this.o.clock.now());
    this.log.info({ voicemail: row.id, callId: row.call_id, reason: r.decision }, 'voicemail left by a crash discarded');
    return 'discarded';
  }

  private async checkFolder(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
      await access(this.dir, constants.W_OK);
    } catch (e) {
      throw new CallboxError('UNAVAILABLE', `voicemail folder ${this.dir} cannot be written: ${(e as Error).message}`, {
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
      throw new CallboxError('INTERNAL', `voicemail path ${JSON.stringify(rel)} is outside the voicemail folder`);
    }
    return p;
  }
}

/**
 * The where-to-buy message the IVR plays, per language: a WAV the owner recorded (PCM 16-bit mono,
 * 8 or 16 kHz, 0.5..120 s, checked with the HAL's WAV reader) or a text the box speaks with
 * espeak-ng (a run-time Debian dependency; rendered once when set, stored as 8 kHz WAV).
 */
import { execFile } from 'node:child_process';
import { encodeWav16, parseWav, WavFormatError } from '../../../../hal/src/dsp/wav.js';
import { resampleTo8k } from '../../../../hal/src/dsp/resample.js';
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor } from '../common/types.js';
import type { WhereToBuyMessage } from './types.js';

export type Language = 'zh-CN' | 'en';
export const MAX_WAV_BYTES = 4 * 1024 * 1024;
export const MAX_TEXT = 500;
const MIN_MS = 500;
const MAX_MS = 120_000;
const VOICES: Record<Language, string> = { 'zh-CN': 'cmn', en: 'en-us' };

interface MessageRow {
  language: Language;
  source: 'upload' | 'text';
  text: string | null;
  wav: Buffer;
  duration_ms: number;
  updated_by: string;
  updated_at: number;
  version: number;
}

function toMessage(r: MessageRow): WhereToBuyMessage {
  return {
    language: r.language,
    source: r.source,
    text: r.text,
    durationMs: r.duration_ms,
    updatedBy: r.updated_by,
    updatedAt: new Date(r.updated_at).toISOString(),
    version: r.version,
  };
}

/** The upload as the IVR can play it, or VALIDATION_FAILED naming what is wrong. */
export function checkMessageWav(bytes: Uint8Array): { durationMs: number } {
  const bad = (why: string): CallboxError => new CallboxError('VALIDATION_FAILED', `body ${why}`, { field: 'body' });
  if (bytes.length === 0) throw bad('is empty: send a WAV file');
  if (bytes.length > MAX_WAV_BYTES) throw new CallboxError('PAYLOAD_TOO_LARGE', `the WAV is larger than ${MAX_WAV_BYTES} bytes`);
  let wav: ReturnType<typeof parseWav>;
  try {
    wav = parseWav(bytes, { strict: true });
  } catch (err) {
    if (err instanceof WavFormatError) throw bad(`is not a readable WAV (${err.message})`);
    throw err;
  }
  if (wav.format !== 'pcm' || wav.bitsPerSample !== 16) throw bad(`must be 16-bit PCM (got ${wav.format} ${wav.bitsPerSample}-bit)`);
  if (wav.channels !== 1) throw bad(`must be mono (got ${wav.channels} channels)`);
  if (wav.sampleRate !== 8000 && wav.sampleRate !== 16000) throw bad(`must be 8000 or 16000 Hz (got ${wav.sampleRate})`);
  const durationMs = Math.round((wav.samples.length * 1000) / wav.sampleRate);
  if (durationMs < MIN_MS || durationMs > MAX_MS) throw bad(`must last ${MIN_MS / 1000}..${MAX_MS / 1000} s (got ${durationMs / 1000} s)`);
  return { durationMs };
}

/** espeak-ng's WAV of `text` (its own rate), or UNAVAILABLE when it is not installed or fails. */
export function speak(text: string, language: Language, bin = 'espeak-ng'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      ['-v', VOICES[language], '-s', language === 'en' ? '160' : '150', '--stdout', text],
      { encoding: 'buffer', timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout) => {
        if (err) {
          const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
          reject(
            new CallboxError(
              'UNAVAILABLE',
              missing ? 'espeak-ng is not installed: upload a recorded WAV instead' : `espeak-ng failed: ${err.message}`,
            ),
          );
        } else resolve(stdout);
      },
    );
  });
}

export class WhereToBuyStore {
  constructor(
    private readonly deps: BackOfficeDeps,
    private readonly espeak = 'espeak-ng',
  ) {}

  get(language: Language): WhereToBuyMessage | null {
    const row = this.row(language);
    return row ? toMessage(row) : null;
  }

  wav(language: Language): Uint8Array | null {
    return this.row(language)?.wav ?? null;
  }

  setAudio(actor: Actor, language: Language, bytes: Uint8Array): WhereToBuyMessage {
    const { durationMs } = checkMessageWav(bytes);
    return this.save(actor, language, 'upload', null, Buffer.from(bytes), durationMs);
  }

  async setText(actor: Actor, language: Language, text: string): Promise<WhereToBuyMessage> {
    const t = text.trim();
    if (t === '' || t.length > MAX_TEXT)
      throw new CallboxError('VALIDATION_FAILED', `text must be 1..${MAX_TEXT} characters`, { field: 'text' });
    const spoken = parseWav(await speak(t, language, this.espeak));
    const samples = resampleTo8k(spoken.samples, spoken.sampleRate);
    const durationMs = Math.round(samples.length / 8);
    return this.save(actor, language, 'text', t, encodeWav16(samples, 8000), durationMs);
  }

  clear(language: Language): boolean {
    return this.deps.db.prepare("DELETE FROM selfservice_messages WHERE kind = 'whereToBuy' AND language = ?").run(language).changes > 0;
  }

  private row(language: Language): MessageRow | undefined {
    return this.deps.db.prepare("SELECT * FROM selfservice_messages WHERE kind = 'whereToBuy' AND language = ?").get(language) as
      | MessageRow
      | undefined;
  }

  private save(
    actor: Actor,
    language: Language,
    source: 'upload' | 'text',
    text: string | null,
    wav: Buffer,
    durationMs: number,
  ): WhereToBuyMessage {
    const now = this.deps.clock.now();
    this.deps.db
      .prepare(
        `INSERT INTO selfservice_messages (kind, language, source, text, wav, duration_ms, updated_by, updated_at)
         VALUES ('whereToBuy', ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(kind, language) DO UPDATE SET source = excluded.source, text = excluded.text, wav = excluded.wav,
           duration_ms = excluded.duration_ms, updated_by = excluded.updated_by, updated_at = excluded.updated_at, version = version + 1`,
      )
      .run(language, source, text, wav, durationMs, actor.username, now);
    return toMessage(this.row(language) as MessageRow);
  }
}

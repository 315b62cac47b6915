/**
 * The shop's own voice prompts (service.prompts): `<data-dir>/prompts/<language>/<name>.wav` over
 * the built-in `firmware/prompts/`. Every file written is an 8 kHz 16-bit mono WAV made on the box
 * — an upload converted by ffmpeg, a text spoken by espeak-ng and converted by sox — written to a
 * temporary name and renamed into place (a call never reads half a file), then the PromptLibrary
 * forgets its cached clip so the next call plays the new one. Names and languages are checked
 * against fixed patterns before they become paths (no traversal).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWav } from '../../../hal/src/dsp/wav.js';
import type { Actor } from '../backoffice/common/types.js';
import { CallboxError } from '../errors.js';
import { writeFileAtomic } from '../ota/layout.js';
import {
  PROMPT_LANGUAGES,
  PROMPT_NAME_PATTERN,
  PROMPT_TTS_MAX,
  PROMPT_UPLOAD_MAX,
  type PromptInfo,
  type PromptLanguage,
  type PromptsService,
} from './prompt-types.js';

const MAX_SECONDS = 300;
const VOICES: Record<PromptLanguage, string> = { 'zh-CN': 'cmn', en: 'en' };

export interface PromptFilesDeps {
  builtInDir: string;
  dir: string;
  forget: (name: string) => void;
  audit: (actor: string, action: string, entity: string, id: string | null, detail: unknown) => void;
}

function run(cmd: string, args: string[], timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { timeout: timeoutMs }, (err, _out, stderr) =>
      err ? reject(new Error(String(stderr).trim().split('\n').pop() || err.message)) : resolve(),
    ),
  );
}

/** Seconds of audio in a WAV file (read by hal/src/dsp/wav.ts), or null when it is not one. */
function wavSeconds(wav: Buffer): number | null {
  try {
    const w = parseWav(wav);
    return Math.round((w.samples.length / w.sampleRate) * 100) / 100;
  } catch {
    return null;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The prompts in `<dir>/<language>/`: the names of its `<name>.wav` files that are valid names. */
export function promptNamesIn(dir: string, language: PromptLanguage): string[] {
  let files: string[];
  try {
    files = readdirSync(join(dir, language));
  } catch {
    return []; // no such language folder
  }
  return files.filter((f) => f.endsWith('.wav') && PROMPT_NAME_PATTERN.test(f.slice(0, -4))).map((f) => f.slice(0, -4));
}

/** Whether `path` (in a backup) is `prompts/<language>/<name>.wav` with a known language and a valid name. */
export function isPromptPath(path: string): boolean {
  const m = /^prompts\/([^/]+)\/([^/]+)\.wav$/.exec(path);
  return m !== null && (PROMPT_LANGUAGES as readonly string[]).includes(m[1] as string) && PROMPT_NAME_PATTERN.test(m[2] as string);
}

export class PromptFiles implements PromptsService {
  constructor(private readonly d: PromptFilesDeps) {}

  private check(language: string, name: string): PromptLanguage {
    if (!(PROMPT_LANGUAGES as readonly string[]).includes(language))
      throw new CallboxError('VALIDATION_FAILED', `language must be one of ${PROMPT_LANGUAGES.join(', ')}`, { field: 'language' });
    if (!PROMPT_NAME_PATTERN.test(name))
      throw new CallboxError('VALIDATION_FAILED', 'name must be 1-64 lower-case letters, digits and dashes (like "welcome")', {
        field: 'name',
      });
    return language as PromptLanguage;
  }

  /** The shop's own file of a prompt and the built-in one (either may not exist). */
  private files(language: PromptLanguage, name: string): { own: string; builtIn: string } {
    return { own: join(this.d.dir, language, `${name}.wav`), builtIn: join(this.d.builtInDir, language, `${name}.wav`) };
  }

  private info(language: PromptLanguage, name: string): PromptInfo {
    const { own, builtIn } = this.files(language, name);
    const custom = isFile(own);
    const hasBuiltIn = isFile(builtIn);
    const inUse = custom ? own : hasBuiltIn ? builtIn : null;
    return { language, name, custom, builtIn: hasBuiltIn, durationS: inUse ? wavSeconds(readFileSync(inUse)) : null };
  }

  list(): PromptInfo[] {
    return PROMPT_LANGUAGES.flatMap((language) => {
      const names = new Set([...promptNamesIn(this.d.builtInDir, language), ...promptNamesIn(this.d.dir, language)]);
      return [...names].sort().map((name) => this.info(language, name));
    });
  }

  audio(language: string, name: string): Buffer | null {
    const { own, builtIn } = this.files(this.check(language, name), name);
    const inUse = isFile(own) ? own : isFile(builtIn) ? builtIn : null;
    return inUse ? readFileSync(inUse) : null;
  }

  /** Converts `input` (a file in `work`) with `convert` into the prompt, checks it, renames it into place. */
  private async install(lang: PromptLanguage, name: string, work: string, convert: (out: string) => Promise<void>): Promise<PromptInfo> {
    const out = join(work, 'out.wav');
    await convert(out);
    const wav = readFileSync(out);
    const seconds = wavSeconds(wav);
    if (seconds === null || seconds <= 0) throw new CallboxError('VALIDATION_FAILED', 'the file holds no audio', { field: 'file' });
    if (seconds > MAX_SECONDS)
      throw new CallboxError('VALIDATION_FAILED', `a prompt may last at most ${MAX_SECONDS} s (this one: ${seconds} s)`, { field: 'file' });
    writeFileAtomic(join(this.d.dir, lang, `${name}.wav`), wav);
    this.d.forget(name);
    return this.info(lang, name);
  }

  private async withWork<T>(fn: (work: string) => Promise<T>): Promise<T> {
    const work = mkdtempSync(join(tmpdir(), 'callbox-prompt-'));
    try {
      return await fn(work);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  async upload(actor: Actor, language: string, name: string, data: Buffer, source: 'upload' | 'recording'): Promise<PromptInfo> {
    const lang = this.check(language, name);
    if (data.length === 0) throw new CallboxError('VALIDATION_FAILED', 'the file is empty', { field: 'file' });
    if (data.length > PROMPT_UPLOAD_MAX)
      throw new CallboxError('PAYLOAD_TOO_LARGE', `a prompt file may have at most ${PROMPT_UPLOAD_MAX} bytes`, {
        limit: PROMPT_UPLOAD_MAX,
      });
    const info = await this.withWork(async (work) => {
      const input = join(work, 'in');
      writeFileSync(input, data);
      return this.install(lang, name, work, async (out) => {
        try {
          await run('ffmpeg', [
            '-nostdin',
            '-v',
            'error',
            '-i',
            input,
            '-t',
            String(MAX_SECONDS + 1),
            '-ac',
            '1',
            '-ar',
            '8000',
            '-c:a',
            'pcm_s16le',
            '-f',
            'wav',
            '-y',
            out,
          ]);
        } catch (err) {
          throw new CallboxError('VALIDATION_FAILED', `not an audio file the box can read (${(err as Error).message.slice(0, 200)})`, {
            field: 'file',
          });
        }
      });
    });
    this.d.audit(actor.username, 'prompt.upload', 'prompt', `${lang}/${name}`, { source, bytes: data.length, seconds: info.durationS });
    return info;
  }

  async tts(actor: Actor, language: string, name: string, text: string): Promise<PromptInfo> {
    const lang = this.check(language, name);
    const said = text.trim();
    if (said === '' || said.length > PROMPT_TTS_MAX)
      throw new CallboxError('VALIDATION_FAILED', `text must have 1..${PROMPT_TTS_MAX} characters`, { field: 'text' });
    const info = await this.withWork(async (work) => {
      const spoken = join(work, 'tts.wav');
      const input = join(work, 'text.txt');
      writeFileSync(input, said);
      return this.install(lang, name, work, async (out) => {
        await run('espeak-ng', ['-v', VOICES[lang], '-s', lang === 'zh-CN' ? '150' : '160', '-f', input, '-w', spoken]);
        await run('sox', [spoken, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', out]);
      });
    });
    this.d.audit(actor.username, 'prompt.tts', 'prompt', `${lang}/${name}`, { text: said, seconds: info.durationS });
    return info;
  }

  revert(actor: Actor, language: string, name: string): PromptInfo | null {
    const lang = this.check(language, name);
    const { own } = this.files(lang, name);
    if (!isFile(own)) return null;
    rmSync(own, { force: true });
    this.d.forget(name);
    this.d.audit(actor.username, 'prompt.revert', 'prompt', `${lang}/${name}`, {});
    return this.info(lang, name);
  }
}

/**
 * Voice prompts by name and language, read from `<dir>/<language>/<name>.wav` (any rate and format
 * the WAV reader supports, resampled to 8 kHz once and cached). The shop's own recordings in
 * `<overrideDir>/<language>/<name>.wav` (uploaded, recorded or spoken by TTS on the setup page)
 * come first; `forget(name)` drops the cached clip after one changes. A missing or broken prompt is
 * logged once and replaced by a short beep so a call never stalls on a missing file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { loadWavAs8k } from '../../../hal/src/dsp/resample.js';

export class PromptLibrary {
  private readonly cache = new Map<string, Int16Array>();

  constructor(
    private readonly dir: string,
    private readonly language: string,
    private readonly log: Logger,
    private readonly overrideDir?: string,
  ) {}

  /** Drop the cached clips of `name` (every language): the next call reads the file again. */
  forget(name: string): void {
    for (const key of [...this.cache.keys()]) if (key.endsWith(`/${name}`)) this.cache.delete(key);
  }

  /** The prompt in `language` (default: the shop's), falling back to English, then to a beep. */
  get(name: string, language = this.language): Int16Array {
    const key = `${language}/${name}`;
    let clip = this.cache.get(key);
    if (!clip) {
      clip = this.load(name, language);
      this.cache.set(key, clip);
    }
    return clip;
  }

  /** A music clip from `<dir>/music/<name>.wav` (hold music), or a beep when missing. */
  music(name: string): Int16Array {
    const key = `music/${name}`;
    let clip = this.cache.get(key);
    if (!clip) {
      clip = this.load(name, 'music', false);
      this.cache.set(key, clip);
    }
    return clip;
  }

  private load(name: string, language: string, fallback = true): Int16Array {
    const tried: string[] = [];
    for (const lang of fallback ? new Set([language, this.language, 'en']) : [language]) {
      for (const dir of this.overrideDir ? [this.overrideDir, this.dir] : [this.dir]) {
        const path = join(dir, lang, `${name}.wav`);
        tried.push(path);
        try {
          return loadWavAs8k(readFileSync(path));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
            this.log.warn({ path, err: String(err) }, 'prompt unreadable');
          }
        }
      }
    }
    this.log.warn({ prompt: name, tried }, 'prompt missing: playing a beep instead');
    return beep();
  }
}

/** 400 ms of 800 Hz at about -12 dBm0. */
function beep(): Int16Array {
  const out = new Int16Array(3200);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(5700 * Math.sin((2 * Math.PI * 800 * i) / 8000));
  return out;
}

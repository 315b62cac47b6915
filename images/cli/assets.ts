/**
 * Where the shipped assets (prompts, simulated voices) are: beside the executable in a release,
 * in the source tree when run from a checkout. CALLBOX_ASSETS_DIR overrides.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWavAs8k } from '../../hal/src/dsp/resample.js';

export function assetsRoot(): string {
  const env = process.env.CALLBOX_ASSETS_DIR;
  if (env) return resolve(env);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'firmware', 'prompts'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export function promptsDir(root = assetsRoot()): string {
  return join(root, 'firmware', 'prompts');
}

/** The built browser app (scripts/build-app.mjs → dist/app). */
export function webAppDir(root = assetsRoot()): string {
  return join(root, 'dist', 'app');
}

/** The simulated callers' and agents' speech clips; null (synthetic voice) where absent. */
export function simSpeech(root = assetsRoot()): { caller: Int16Array | null; agent: Int16Array | null } {
  const load = (name: string) => {
    try {
      return loadWavAs8k(readFileSync(join(root, 'hal', 'src', 'drivers', 'sim', 'voices', `${name}.wav`)));
    } catch {
      return null;
    }
  };
  return { caller: load('caller'), agent: load('agent') };
}

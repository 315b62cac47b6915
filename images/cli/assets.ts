/**
 * Where the shipped assets (prompts, simulated voices, the web app) are: beside the executable in
 * a release folder (`prompts/`, `app/`, `voices/`: the layout `make image` writes, images/README.md),
 * in the source tree when run from a checkout (`firmware/prompts`, `dist/app`, the sim voices).
 * CALLBOX_ASSETS_DIR overrides. The single executable's `import.meta.url` is its own path.
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
    if (existsSync(join(dir, 'firmware', 'prompts')) || isReleaseLayout(dir)) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/** A release folder: the executable with `prompts/` and `app/` beside it. */
export function isReleaseLayout(dir: string): boolean {
  return existsSync(join(dir, 'prompts')) && existsSync(join(dir, 'app', 'index.html'));
}

export function promptsDir(root = assetsRoot()): string {
  return isReleaseLayout(root) ? join(root, 'prompts') : join(root, 'firmware', 'prompts');
}

/** The built browser app (scripts/build-app.mjs → dist/app). */
export function webAppDir(root = assetsRoot()): string {
  return isReleaseLayout(root) ? join(root, 'app') : join(root, 'dist', 'app');
}

/** The simulated callers' and agents' speech clips; null (synthetic voice) where absent. */
export function simSpeech(root = assetsRoot()): { caller: Int16Array | null; agent: Int16Array | null } {
  const load = (name: string) => {
    try {
      const dir = isReleaseLayout(root) ? join(root, 'voices') : join(root, 'hal', 'src', 'drivers', 'sim', 'voices');
      return loadWavAs8k(readFileSync(join(dir, `${name}.wav`)));
    } catch {
      return null;
    }
  };
  return { caller: load('caller'), agent: load('agent') };
}

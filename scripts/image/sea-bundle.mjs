// The single-executable (Node SEA) bundle: images/cli/callbox.ts → one CommonJS file, no chunks.
// Node's SEA runs exactly one CommonJS script whose `require` knows only the built-in modules, and
// (Node 20) it has no dynamic `import()` of files. So, unlike scripts/build.mjs (split ESM):
// - every `await import('./x.js')` of our own code is bundled in (esbuild inlines it in a non-split
//   CJS build); exceljs, mqtt and the other pure-JS packages are bundled too;
// - the native packages (better-sqlite3, serialport, onoff) resolve to a small module that
//   requires the real package from beside the executable with `module.createRequire`:
//   `<exe dir>/linux-<arch>/node_modules/<pkg>` (dist/, where both architectures sit side by
//   side), else `<exe dir>/node_modules/<pkg>` (a release folder);
// - `import.meta.url` (assets.ts finds the prompts and the web app from it) is the executable's URL.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

export const NATIVE_PACKAGES = ['better-sqlite3', 'serialport', 'onoff'];
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const POSTJECT = new URL('../../node_modules/.bin/postject', import.meta.url).pathname;

const nativeShim = (name) => `
const { createRequire } = require('node:module');
const { existsSync } = require('node:fs');
const { dirname, join } = require('node:path');
const exeDir = dirname(process.execPath);
const bases = [join(exeDir, 'linux-' + process.arch), exeDir];
const base = bases.find((b) => existsSync(join(b, 'node_modules', ${JSON.stringify(name)}))) ?? exeDir;
module.exports = createRequire(join(base, 'callbox.cjs'))(${JSON.stringify(name)});
`;

const seaPlugin = {
  name: 'callbox-sea',
  setup(b) {
    const filter = new RegExp(`^(${NATIVE_PACKAGES.join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'sea-native' }));
    b.onLoad({ filter: /.*/, namespace: 'sea-native' }, (args) => ({ contents: nativeShim(args.path), loader: 'js' }));
    // hal/src/gpio-onoff.ts loads onoff with `await import(name)` (a variable, so that neither the
    // type check nor the ESM bundle needs it): here it goes through the shim above.
    b.onLoad({ filter: /hal[\\/]src[\\/]gpio-onoff\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const replaced = text.replace('(await import(name))', "(await import('onoff'))");
      if (replaced === text) throw new Error('gpio-onoff.ts: the onoff import moved; update scripts/image/sea-bundle.mjs');
      return { contents: replaced, loader: 'ts' };
    });
  },
};

/** Writes `outfile` (CommonJS, Node 20) from the source tree at `cwd`; returns esbuild's warnings. */
export async function buildSeaBundle({ outfile, version, cwd = process.cwd() }) {
  const result = await build({
    entryPoints: ['images/cli/callbox.ts'],
    absWorkingDir: cwd,
    outfile,
    bundle: true,
    splitting: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: false,
    legalComments: 'none',
    define: { __CALLBOX_VERSION__: JSON.stringify(version), 'import.meta.url': '__cbExeUrl' },
    banner: { js: "const __cbExeUrl = require('node:url').pathToFileURL(process.execPath).href;" },
    plugins: [seaPlugin],
    logLevel: 'error',
  });
  return result.warnings;
}

/**
 * The SEA blob of the CommonJS file `main`, written to `blob` (its sea-config.json beside it). No
 * code cache or snapshot: the one blob serves both architectures.
 */
export function writeSeaBlob(main, blob) {
  const config = join(dirname(blob), 'sea-config.json');
  const sea = { main, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false };
  writeFileSync(config, `${JSON.stringify(sea, null, 2)}\n`);
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** `exe`: a copy of the stock Node binary `node` with `blob` injected (postject). */
export function injectSeaBlob(node, blob, exe) {
  rmSync(exe, { force: true });
  copyFileSync(node, exe);
  chmodSync(exe, 0o755);
  // postject (LIEF) prints "Can't find string offset for section name '.note…'" for Node's ELF:
  // harmless; its output is shown only when it fails.
  try {
    execFileSync(POSTJECT, [exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], { stdio: 'pipe' });
  } catch (err) {
    process.stderr.write(String(err.stderr ?? ''));
    throw err;
  }
}

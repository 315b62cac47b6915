// Repository sources (TypeScript) loaded by a plain Node script without a TypeScript loader: bundled
// by esbuild into one ESM file under node_modules/.cache (inside the repository, so the npm packages
// left out of the bundle resolve from there), imported, and the file deleted again.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BUNDLE_CACHE = join(ROOT, 'node_modules', '.cache', 'callbox-bundles');
let made = 0;

/**
 * Bundles and imports `entries`: a module path (from the repository root, e.g.
 * 'firmware/src/acd/acd.ts', or an npm package name) → the names to export from it, or '*' for
 * all. `external`: the npm packages left out of the bundle (imported at run time), or true for all
 * of them; CommonJS packages bundled in get a `require`. `name` names the file while it exists.
 */
export async function bundleSources(entries, { name = 'sources', external = [] } = {}) {
  const contents = Object.entries(entries)
    .map(([from, names]) => {
      const spec = /\.[cm]?[jt]sx?$/.test(from) ? `./${from}` : from;
      return names === '*' ? `export * from '${spec}';` : `export { ${names.join(', ')} } from '${spec}';`;
    })
    .join('\n');
  mkdirSync(BUNDLE_CACHE, { recursive: true });
  const outfile = join(BUNDLE_CACHE, `${name}-${process.pid}-${++made}.mjs`);
  try {
    await build({
      stdin: { contents, resolveDir: ROOT, sourcefile: `${name}-entry.ts`, loader: 'ts' },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      ...(external === true ? { packages: 'external' } : { external }),
      banner: {
        js: "import { createRequire as __cbCreateRequire } from 'node:module'; const require = __cbCreateRequire(import.meta.url);",
      },
      legalComments: 'none',
      logLevel: 'warning',
    });
    const mod = await import(pathToFileURL(outfile).href);
    // esbuild drops a re-export it cannot find as a possible type: a misspelt name would be undefined
    const missing = Object.values(entries)
      .flatMap((names) => (names === '*' ? [] : names))
      .filter((n) => !(n in mod));
    if (missing.length > 0) throw new Error(`bundleSources(${name}): no export named ${missing.join(', ')}`);
    return mod;
  } finally {
    rmSync(outfile, { force: true });
  }
}

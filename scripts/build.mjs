// Production bundle: images/cli/callbox.ts → dist/callbox.mjs (esbuild, ESM, Node 20).
// better-sqlite3 stays external (native addon beside the bundle, from node_modules).
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['images/cli/callbox.ts'],
  outfile: 'dist/callbox.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  minify: false,
  legalComments: 'none',
  external: ['better-sqlite3'],
  define: { __CALLBOX_VERSION__: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __cbCreateRequire } from 'node:module'; const require = __cbCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

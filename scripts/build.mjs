// Production bundle: images/cli/callbox.ts → dist/callbox.mjs (esbuild, ESM, Node 20), then the
// browser app → dist/app (scripts/build-app.mjs).
// better-sqlite3 stays external (native addon beside the bundle, from node_modules). exceljs stays
// external too: reports import it lazily for XLSX exports only; bundled, its 2.6 MB of code cost
// ~6.5 MB of idle RSS even unused (measured: 86.5 vs 80 MB after start-up). serialport (GSM modem
// driver) loads a native addon relative to its own files: external as well.
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
  external: ['better-sqlite3', 'exceljs', 'serialport'],
  define: { __CALLBOX_VERSION__: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __cbCreateRequire } from 'node:module'; const require = __cbCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// The browser app (web-ui/app → dist/app), served by the box at /.
const { buildApp } = await import('./build-app.mjs');
await buildApp();

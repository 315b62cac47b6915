// Production bundle: images/cli/callbox.ts → dist/callbox.mjs (esbuild, ESM, Node 20), then the
// browser app → dist/app (scripts/build-app.mjs).
// better-sqlite3 stays external (native addon beside the bundle, from node_modules). exceljs stays
// external too: reports import it lazily for XLSX exports only; bundled, its 2.6 MB of code cost
// ~6.5 MB of idle RSS even unused (measured: 86.5 vs 80 MB after start-up). serialport (GSM modem
// driver) loads a native addon relative to its own files: external as well.
// The bundle is split: code reached only through `await import()` (the MQTT client, sip.js, the
// CLI's other commands) goes into dist/callbox-chunk-*.mjs beside it and is read only when used.
// V8 keeps each script's source in its heap, as two bytes a character when one character is not
// ASCII: esbuild escapes strings but leaves comments and regular expressions alone, so the build
// escapes what is left (\uXXXX, same meaning there) — measured 3.5 MB less idle RSS.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// CALLBOX_BUILD_OUT: build the box bundle alone into another folder (test/unit/images/build.test.ts).
const OUT = process.env.CALLBOX_BUILD_OUT ?? 'dist';
// A fresh clone has no dist/ yet (esbuild makes it); later builds drop the old chunks first.
if (existsSync(OUT)) {
  for (const f of readdirSync(OUT, { withFileTypes: true })) {
    if (f.isFile() && f.name.startsWith('callbox-chunk-')) rmSync(join(OUT, f.name));
  }
}

const result = await build({
  entryPoints: { callbox: 'images/cli/callbox.ts' },
  outdir: OUT,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'callbox-chunk-[hash]',
  splitting: true,
  metafile: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  minify: false,
  legalComments: 'none',
  external: ['better-sqlite3', 'exceljs', 'serialport', 'onoff'],
  define: { __CALLBOX_VERSION__: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __cbCreateRequire } from 'node:module'; const require = __cbCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

for (const file of Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.mjs'))) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
}

// The browser app (web-ui/app → dist/app), served by the box at /.
if (process.env.CALLBOX_BUILD_OUT === undefined) {
  const { buildApp } = await import('./build-app.mjs');
  await buildApp();
}

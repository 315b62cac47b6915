// Browser app bundle: web-ui/app/src/main.tsx → dist/app/assets/app-[hash].js + .css (esbuild,
// Preact with the automatic JSX runtime, minified, ES2020), dist/app/index.html from
// web-ui/app/index.html with the hashed names, favicon copied. Prints the gzipped size.
// Code splitting: a dynamic import() (the reports page's uPlot charts) becomes its own
// chunk-[hash].js, loaded only when that page needs it; CSS stays in the one app-[hash].css
// (import styles statically: a lazily loaded module's CSS would not be linked).
// The server serves dist/app (images/cli/assets.ts webAppDir): hashed files are immutable.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export async function buildApp({ outdir = 'dist/app', quiet = false } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(`${outdir}/assets`, { recursive: true });
  const result = await build({
    entryPoints: { app: 'web-ui/app/src/main.tsx' },
    outdir: `${outdir}/assets`,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    splitting: true,
    assetNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs);
  const entry = outputs.find((f) => f.endsWith('.js') && result.metafile.outputs[f]?.entryPoint === 'web-ui/app/src/main.tsx');
  const js = entry;
  const css = entry ? result.metafile.outputs[entry]?.cssBundle : undefined;
  if (!js || !css) throw new Error(`app build: missing outputs (${outputs.join(', ')})`);
  const html = readFileSync('web-ui/app/index.html', 'utf8')
    .replace(/\s*<!--.*?-->/, '')
    .replace('/assets/app.css', `/assets/${basename(css)}`)
    .replace('/assets/app.js', `/assets/${basename(js)}`);
  writeFileSync(`${outdir}/index.html`, html);
  copyFileSync('web-ui/app/favicon.svg', `${outdir}/favicon.svg`);
  const gzOf = (f) => gzipSync(readFileSync(f)).length;
  const gz = outputs.reduce((n, f) => n + gzOf(f), 0);
  // What the first page load fetches: the entry, the chunks it imports statically, the CSS.
  const initial = new Set([js, css]);
  for (const f of [...initial]) {
    for (const i of result.metafile.outputs[f]?.imports ?? []) if (i.kind === 'import-statement') initial.add(i.path);
  }
  const initialGz = [...initial].reduce((n, f) => n + gzOf(f), 0);
  const lazy = outputs.filter((f) => f.endsWith('.js') && !initial.has(f)).map((f) => basename(f));
  if (!quiet)
    console.log(
      `app: ${basename(js)} ${basename(css)} — ${(gz / 1024).toFixed(1)} KB gzipped in all, ${(initialGz / 1024).toFixed(1)} KB on first load (lazy: ${lazy.join(', ') || 'none'})`,
    );
  return { js: basename(js), css: basename(css), gzipBytes: gz, initialGzipBytes: initialGz, lazy };
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) await buildApp();

// Browser app bundle: web-ui/app/src/main.tsx → dist/app/assets/app-[hash].js + .css (esbuild,
// Preact with the automatic JSX runtime, minified, ES2020), dist/app/index.html from
// web-ui/app/index.html with the hashed names, favicon copied. Prints the gzipped size.
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
  const js = outputs.find((f) => f.endsWith('.js'));
  const css = outputs.find((f) => f.endsWith('.css'));
  if (!js || !css) throw new Error(`app build: missing outputs (${outputs.join(', ')})`);
  const html = readFileSync('web-ui/app/index.html', 'utf8')
    .replace(/\s*<!--.*?-->/, '')
    .replace('/assets/app.css', `/assets/${basename(css)}`)
    .replace('/assets/app.js', `/assets/${basename(js)}`);
  writeFileSync(`${outdir}/index.html`, html);
  copyFileSync('web-ui/app/favicon.svg', `${outdir}/favicon.svg`);
  const gz = outputs.reduce((n, f) => n + gzipSync(readFileSync(f)).length, 0);
  if (!quiet) console.log(`app: ${basename(js)} ${basename(css)} — ${(gz / 1024).toFixed(1)} KB gzipped`);
  return { js: basename(js), css: basename(css), gzipBytes: gz };
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) await buildApp();

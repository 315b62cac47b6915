// Browser app bundle: web-ui/app/src/main.tsx → dist/app/assets/app-[hash].js + .css (esbuild,
// Preact with the automatic JSX runtime, minified, ES2020), dist/app/index.html from
// web-ui/app/index.html with the hashed names, favicon copied. Prints the gzipped size.
// Code splitting: every page but the wallboard is loaded by import() when first opened
// (web-ui/app/src/pages.tsx), as is the reports page's uPlot: each becomes a chunk-[hash].js.
// CSS stays in the one app-[hash].css linked by index.html, whichever module imports it: the JS
// pass turns each `import './x.css'` into an empty module and notes the file; a second pass bundles
// the noted files, in the JS bundle's module order, into that stylesheet (esbuild alone would give
// each lazy chunk a stylesheet of its own that nothing links).
// The server serves dist/app (images/cli/assets.ts webAppDir): hashed files are immutable.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** esbuild plugin: CSS imports become empty JS modules in namespace `css-collect` (paths kept). */
const collectCss = {
  name: 'collect-css',
  setup(b) {
    b.onResolve({ filter: /\.css$/ }, async (args) => {
      if (args.pluginData === 'collect-css') return undefined;
      const r = await b.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        importer: args.importer,
        pluginData: 'collect-css',
      });
      if (r.errors.length > 0) return { errors: r.errors };
      return { path: r.path, namespace: 'css-collect' };
    });
    b.onLoad({ filter: /.*/, namespace: 'css-collect' }, () => ({ contents: '', loader: 'js' }));
  },
};

/**
 * The noted CSS files in import order: depth first through the static imports from the entry (as
 * a single bundle would order them), then from each lazily imported module in the order met.
 */
function cssInOrder(metafile, entry) {
  const files = [];
  const seen = new Set();
  const lazy = [entry];
  const visit = (input) => {
    if (seen.has(input)) return;
    seen.add(input);
    for (const i of metafile.inputs[input]?.imports ?? []) {
      if (i.path.startsWith('css-collect:')) {
        const f = i.path.slice('css-collect:'.length);
        if (!files.includes(f)) files.push(f);
      } else if (i.kind === 'dynamic-import') lazy.push(i.path);
      else if (i.kind === 'import-statement') visit(i.path);
    }
  };
  while (lazy.length > 0) visit(lazy.shift());
  return files;
}

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
    plugins: [collectCss],
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs);
  const entry = outputs.find((f) => f.endsWith('.js') && result.metafile.outputs[f]?.entryPoint === 'web-ui/app/src/main.tsx');
  const js = entry;
  if (!js) throw new Error(`app build: missing outputs (${outputs.join(', ')})`);
  const sheets = cssInOrder(result.metafile, 'web-ui/app/src/main.tsx');
  const cssBuild = await build({
    stdin: { contents: sheets.map((f) => `@import ${JSON.stringify(resolve(f))};`).join('\n'), loader: 'css', resolveDir: process.cwd() },
    bundle: true,
    minify: true,
    write: false,
    target: 'es2020',
    logLevel: 'warning',
  });
  const cssText = cssBuild.outputFiles[0]?.contents ?? new Uint8Array();
  const css = `${outdir}/assets/app-${createHash('sha256').update(cssText).digest('hex').slice(0, 10).toUpperCase()}.css`;
  writeFileSync(css, cssText);
  outputs.push(css);
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

// The browser app builds (scripts/build-app.mjs): strict TypeScript with the DOM and Preact's JSX
// (web-ui/app/tsconfig.json, outside the root tsconfig), hashed bundle names in index.html, no
// inline script (the CSP forbids it), the bundle well under 300 KB gzipped, and both languages
// with the same keys and no empty strings.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ROOT } from '../../helpers/box.js';
import { DICTIONARIES, fmtDuration } from '../../../web-ui/app/src/text.js';

t.test('the app typechecks with its own tsconfig', (t) => {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  t.doesNotThrow(() => execFileSync(process.execPath, [tsc, '-p', 'web-ui/app/tsconfig.json', '--noEmit'], { cwd: ROOT, stdio: 'pipe' }));
  t.end();
});

t.test('the build: hashed names, no inline script, small', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'callbox-app-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const cwd = process.cwd();
  process.chdir(ROOT);
  const { buildApp } = (await import(join(ROOT, 'scripts', 'build-app.mjs'))) as {
    buildApp(o: { outdir: string; quiet: boolean }): Promise<{ js: string; css: string; gzipBytes: number }>;
  };
  const built = await buildApp({ outdir: out, quiet: true });
  process.chdir(cwd);
  t.match(built.js, /^app-[A-Z0-9]{8,}\.js$/);
  t.match(built.css, /^app-[A-Z0-9]{8,}\.css$/);
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  t.match(html, `<script type="module" src="/assets/${built.js}"></script>`);
  t.match(html, `href="/assets/${built.css}"`);
  t.notMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  t.notMatch(html, /\sstyle=|\son[a-z]+=/, 'no inline styles or handlers');
  t.ok(built.gzipBytes < 300 * 1024, `bundle ${(built.gzipBytes / 1024).toFixed(1)} KB gzipped`);
});

t.test('every string in zh-CN and en', (t) => {
  const zh = DICTIONARIES['zh-CN'];
  const en = DICTIONARIES.en;
  t.same(Object.keys(en).sort(), Object.keys(zh).sort());
  for (const [k, v] of Object.entries(en)) t.ok(v.length > 0 && (zh as Record<string, string>)[k]?.length, k);
  t.match(zh.signIn, /[\u4e00-\u9fff]/, 'Chinese really is Chinese');
  t.equal(fmtDuration(75), '1:15');
  t.equal(fmtDuration(3700), '1:01:40');
  t.end();
});

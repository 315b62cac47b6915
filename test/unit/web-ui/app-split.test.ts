// The app build splits lazily imported code into chunks: every page but the wallboard is loaded
// when first opened (pages.tsx), and uPlot (the reports page's charts) is in a chunk of its own;
// the first page load — the entry and the chunks it imports statically — holds neither, while the
// one stylesheet index.html links holds every page's CSS (a lazy page's CSS would otherwise go to
// a stylesheet of its own that nothing links), in a single bundle's order.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ROOT } from '../../helpers/box.js';

interface Built {
  js: string;
  css: string;
  gzipBytes: number;
  initialGzipBytes: number;
  lazy: string[];
}

t.test('pages and uPlot are in lazy chunks; all CSS is in the one stylesheet', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'callbox-app-split-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const cwd = process.cwd();
  process.chdir(ROOT);
  const { buildApp } = (await import(join(ROOT, 'scripts', 'build-app.mjs'))) as {
    buildApp(o: { outdir: string; quiet: boolean }): Promise<Built>;
  };
  const built = await buildApp({ outdir: out, quiet: true });
  process.chdir(cwd);
  const assets = join(out, 'assets');
  const read = (f: string) => readFileSync(join(assets, f), 'utf8');
  const isUplot = (code: string) => code.includes('u-legend') && code.includes('u-cursor-pt');
  const uplot = built.lazy.filter((f) => isUplot(read(f)));
  t.equal(uplot.length, 1, 'one lazy chunk holds uPlot');
  t.ok(built.lazy.length >= 10, `the pages are lazy chunks (${built.lazy.length})`);
  const initial = readdirSync(assets).filter((f) => f.endsWith('.js') && !built.lazy.includes(f));
  t.ok(initial.includes(built.js), 'the entry is in the first load');
  // class names only a lazily loaded page uses: calls, setup (IVR editor), reports, users
  for (const f of initial) {
    const code = read(f);
    t.notOk(isUplot(code), `${f} has no uPlot`);
    for (const marker of ['call-detail', 'setup-tabs', 'report-grid']) t.notOk(code.includes(marker), `${f} has no ${marker}`);
  }
  const css = read(built.css);
  t.match(css, /\.u-legend/, "uPlot's stylesheet is in the one CSS file");
  t.match(css, /\.call-detail/, "the calls page's stylesheet is in it");
  t.match(css, /\.setup-tabs/, "the setup page's stylesheet is in it");
  t.equal(readdirSync(assets).filter((f) => f.endsWith('.css')).length, 1, 'one stylesheet');
  t.ok(css.indexOf('.u-legend') < css.indexOf('.report-grid'), "uPlot's rules come before the reports page's own");
  // the English strings are a chunk of their own, fetched only when English is chosen
  const initialCode = initial.map(read).join('\n');
  // (the build writes ASCII: 呼叫中心 as \u547C\u53EB\u4E2D\u5FC3)
  t.ok(initialCode.includes('callbox \\u547C\\u53EB\\u4E2D\\u5FC3'), 'the zh-CN strings are in the first load');
  t.notOk(initialCode.includes('callbox call center'), 'the English strings are not');
  t.ok(
    built.lazy.some((f) => read(f).includes('callbox call center')),
    'the English strings are in a lazy chunk',
  );
  t.ok(
    built.initialGzipBytes < 40 * 1024,
    `first load ${(built.initialGzipBytes / 1024).toFixed(1)} KB gzipped (62 KB before the pages were lazy, 45.4 KB with both languages' strings)`,
  );
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  t.equal((html.match(/<script /g) ?? []).length, 1, 'one script tag: the entry');
  t.match(html, `href="/assets/${built.css}"`);
});

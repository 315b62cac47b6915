// The app build splits lazily imported code into chunks: uPlot (the reports page's charts) is in a
// chunk of its own that the first page load does not fetch — neither the entry nor the chunks it
// imports statically hold it — and index.html names only the entry and the one stylesheet.
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

t.test('uPlot is in a lazy chunk, not in the first load', async (t) => {
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
  t.equal(built.lazy.length, 1, `one lazy chunk: ${built.lazy.join(', ')}`);
  t.ok(isUplot(read(built.lazy[0] ?? '')), 'the lazy chunk holds uPlot');
  const initial = readdirSync(assets).filter((f) => f.endsWith('.js') && !built.lazy.includes(f));
  t.ok(initial.includes(built.js), 'the entry is in the first load');
  for (const f of initial) t.notOk(isUplot(read(f)), `${f} has no uPlot`);
  t.match(read(built.css), /\.u-legend/, "uPlot's stylesheet is in the one CSS file");
  t.ok(built.initialGzipBytes < built.gzipBytes, 'the first load is smaller than everything');
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  t.equal((html.match(/<script /g) ?? []).length, 1, 'one script tag: the entry');
});

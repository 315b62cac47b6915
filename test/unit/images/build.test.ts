// The production build (scripts/build.mjs) into a folder that does not exist yet, as on a fresh
// clone (it used to scan dist/ before esbuild made it, and `npm ci` failed): the bundle is split
// into chunks, every output file is plain ASCII (V8 keeps non-ASCII sources as two-byte strings),
// and the built CLI runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ROOT } from '../../helpers/box.js';

t.test('build into a missing folder: split, ASCII-only, runnable', async (t) => {
  const parent = mkdtempSync(join(tmpdir(), 'callbox-build-'));
  t.teardown(() => rmSync(parent, { recursive: true, force: true }));
  // Inside the repo's tree would be simpler, but node resolves the externals (better-sqlite3…)
  // from the bundle's folder upwards: the CLI's `version` needs none of them.
  const out = join(parent, 'fresh', 'dist');
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], {
    cwd: ROOT,
    env: { ...process.env, CALLBOX_BUILD_OUT: out },
    encoding: 'utf8',
  });
  t.equal(build.status, 0, `build exits 0 ${build.stderr.slice(-400)}`);
  const files = readdirSync(out).filter((f) => f.endsWith('.mjs'));
  t.ok(files.includes('callbox.mjs'), 'the entry');
  t.ok(files.filter((f) => f.startsWith('callbox-chunk-')).length >= 3, `split into chunks (${files.length} files)`);
  const entry = readFileSync(join(out, 'callbox.mjs'), 'utf8');
  t.ok(entry.length < 50_000, `the entry is small: ${entry.length} bytes (the commands are chunks)`);
  for (const f of files) {
    const text = readFileSync(join(out, f), 'utf8');
    const bad = /[\u0080-\uffff]/.exec(text);
    t.equal(bad, null, `${f} is ASCII`);
  }
  const version = execFileSync(process.execPath, [join(out, 'callbox.mjs'), 'version'], { encoding: 'utf8' });
  t.match(version, /^\d+\.\d+\.\d+/, 'the built CLI runs');
});

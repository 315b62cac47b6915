// scripts/bundle-tests.mjs: a group bundle runs each member file as a subtest named by its path, the
// member's top-level `t` is that subtest (its teardown runs before the next member starts), a
// failure stays the member's, and every module keeps its source file's import.meta.url.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
// @ts-expect-error: a plain .mjs script without types
import { BUNDLE_DIR, bundleTests } from '../../../scripts/bundle-tests.mjs';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIX = 'test/unit/scripts/fixtures';

t.test('a group bundle: members as subtests, scoped t, source import.meta.url', async (t) => {
  const cwd = process.cwd();
  process.chdir(ROOT);
  const dir = join(BUNDLE_DIR, String(process.pid)); // a run's folder (scripts/run-tests.mjs)
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
    process.chdir(cwd);
  });
  const [bundle] = (await bundleTests({ groups: new Map([['pair', [`${FIX}/first.test.ts`, `${FIX}/second.test.ts`]]]), dir })) as string[];
  t.equal(bundle, join(dir, 'groups', 'pair.mjs'));
  t.ok(existsSync(bundle as string), 'the group bundle is written');

  const run = spawnSync(process.execPath, ['--enable-source-maps', bundle as string], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TAP: '0' },
  });
  const out = run.stdout;
  t.not(run.status, 0, 'the failing member makes the group fail');
  const lines = out.split('\n');
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
  const first = at(/^# Subtest: test\/unit\/scripts\/fixtures\/first\.test\.ts$/);
  const second = at(/^# Subtest: test\/unit\/scripts\/fixtures\/second\.test\.ts$/);
  t.ok(first >= 0 && second > first, 'each member is a top-level subtest named by its path, in order');
  t.ok(at(/^ {4}# Subtest: first: a test$/) > first, "the member's tests are nested under its subtest");
  const teardown = at(/# first: teardown/);
  t.ok(teardown > first && teardown < second, "the first member's teardown runs before the second member starts");
  t.match(out, /^ok 1 - test\/unit\/scripts\/fixtures\/first\.test\.ts/m, 'the first member passes');
  t.match(out, /^not ok 2 - test\/unit\/scripts\/fixtures\/second\.test\.ts/m, 'the failure is the second member’s');
  t.match(out, /second\.test\.ts:5/, 'the failure points at the TypeScript source line (source maps)');
  const url = (name: string) => pathToFileURL(join(ROOT, FIX, name)).href;
  t.ok(out.includes(`# first url ${url('first.test.ts')}`), "the member's import.meta.url is its source file's");
  t.ok(out.includes(`# first helper url ${url('where.ts')}`), "an imported module's import.meta.url is its own source file's");
});

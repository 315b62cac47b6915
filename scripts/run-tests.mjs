// Runs tap over the given test folders, passes its output through, and ends with one plain line
// "N passed, N failed" (assertions, summed over every suite file). Failing tests are listed again
// just above that line (a CI log often shows only its tail). Exit code is tap's, or 1 when nothing
// ran.
// The test files are bundled first (scripts/bundle-tests.mjs): unit tests in groups of up to
// GROUP_SIZE files of one folder per process, every other file in a process of its own.
// TEST_JOBS=n runs n test processes at once (default: .taprc's jobs).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE_DIR, bundleTests } from './bundle-tests.mjs';

const GROUPED = 'test/unit';
const GROUP_SIZE = 8;

/** The *.test.ts files under a folder (or the file itself), sorted; fixtures folders are skipped. */
function testFiles(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name, 'en'))
    .flatMap((e) => {
      const p = join(path, e.name);
      if (e.isDirectory()) return e.name === 'fixtures' || e.name === 'node_modules' ? [] : testFiles(p);
      return e.name.endsWith('.test.ts') ? [p] : [];
    });
}

/** Unit test files in groups: name (folder, dashes, a number) → up to GROUP_SIZE files of that folder. */
function groupsOf(unitFiles) {
  const groups = new Map();
  const counts = new Map();
  for (const f of unitFiles) {
    const folder = relative(GROUPED, dirname(f)).replaceAll('/', '-') || 'unit';
    const n = counts.get(folder) ?? 0;
    counts.set(folder, n + 1);
    const key = `${folder}-${Math.floor(n / GROUP_SIZE)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return groups;
}

const files = process.argv
  .slice(2)
  .filter((d) => existsSync(d))
  .flatMap(testFiles);
if (files.length === 0) {
  console.log('0 passed, 0 failed');
  process.exit(0);
}
/** Whether process `pid` lives (EPERM: it does, another user's). */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Bundles of runs that ended without removing theirs (killed): a folder not named by a live pid. */
function dropStaleBundles() {
  for (const name of existsSync(BUNDLE_DIR) ? readdirSync(BUNDLE_DIR) : []) {
    if (!/^[1-9]\d*$/.test(name) || !alive(Number(name))) rmSync(join(BUNDLE_DIR, name), { recursive: true, force: true });
  }
}

// Each run bundles into a folder of its own: several runs may share the checkout.
dropStaleBundles();
const dir = join(BUNDLE_DIR, String(process.pid));
const unit = files.filter((f) => f.startsWith(`${GROUPED}/`));
const bundles = await bundleTests({ groups: groupsOf(unit), own: files.filter((f) => !unit.includes(f)), dir });
// The bundles are plain JavaScript: tap's node arguments without .taprc's tsx (source maps on).
const jobs = process.env.TEST_JOBS ? [`--jobs=${process.env.TEST_JOBS}`] : [];
// Each test process keeps tap's coverage recorder (processinfo) out of the processes it starts
// (scripts/test-children-env.mjs): boxes start in 0.8 s instead of 2.2.
const childrenEnv = pathToFileURL(resolve('scripts/test-children-env.mjs')).href;
const nodeArgs = ['--node-arg=--enable-source-maps', `--node-arg=--import=${childrenEnv}`];
const child = spawn('npx', ['tap', ...nodeArgs, ...jobs, ...bundles], { stdio: ['ignore', 'pipe', 'inherit'] });
let tail = '';
let partial = '';
/** Every "not ok" line with the subtest names above it, e.g. "file > subtest > assertion". */
const failures = [];
const path = [];
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const text = chunk.toString();
  tail = (tail + text).slice(-4096);
  const lines = (partial + text).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) noteLine(line);
});
function noteLine(line) {
  const sub = /^(\s*)# Subtest: (.*)$/.exec(line);
  if (sub) {
    const depth = sub[1].length / 4;
    path.length = depth;
    path[depth] = sub[2];
    return;
  }
  const bad = /^(\s*)not ok \d+ - (.*?)(?: # time=.*)?$/.exec(line);
  if (bad && failures.length < 50) {
    const depth = bad[1].length / 4;
    failures.push([...path.slice(0, depth), bad[2]].join(' > '));
  }
}
child.on('close', (code) => {
  rmSync(dir, { recursive: true, force: true });
  const m = /# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?/.exec(
    tail
      .split('\n')
      .filter((l) => l.startsWith('# {'))
      .pop() ?? '',
  );
  const total = m ? Number(m[1]) : 0;
  const fail = m?.[3] ? Number(m[3]) : 0;
  const pass = m?.[2] ? Number(m[2]) : total - fail;
  const failed = code !== 0 && fail === 0 ? 1 : fail;
  if (failures.length > 0) {
    console.log('\nFailed:');
    for (const f of failures) console.log(`  ${f}`);
  }
  console.log(`${pass} passed, ${failed} failed`);
  process.exit(code === 0 && total > 0 ? 0 : code || 1);
});

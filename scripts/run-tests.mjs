// Runs the tap test files of the given folders, writes their TAP, and ends with one plain line
// "N passed, N failed" (assertions, summed over every suite file). Failing tests are listed again
// just above that line (a CI log often shows only its tail). Exit code 1 when anything failed or
// nothing ran.
// The test files are bundled first (scripts/bundle-tests.mjs): unit tests in groups of up to
// GROUP_SIZE files of one folder per process, every other file in a process of its own.
// TEST_JOBS=n runs n test processes at once (default: .taprc's jobs).
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { BUNDLE_DIR, bundleTests } from './bundle-tests.mjs';
import { runFiles } from './lib/tap-pool.mjs';

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
// The bundles are plain JavaScript, run by node with source maps on (scripts/lib/tap-pool.mjs),
// not by tap's runner: it loaded its coverage recorder and module mocks into every test process,
// about 1 s of CPU a file. .taprc's jobs and timeout hold; TEST_JOBS=n runs n files at once.
// (.taprc's node-arg, tsx and test-children-env.mjs, are for `npx tap FILE`: not needed here.)
const taprc = readFileSync('.taprc', 'utf8');
const setting = (key) => Number(new RegExp(`^${key}: *(\\d+)`, 'm').exec(taprc)?.[1]);
const jobs = Number(process.env.TEST_JOBS) || setting('jobs') || 2;
// TAP_TIMEOUT (seconds, 0: none) as for tap, else .taprc's
const timeoutS = process.env.TAP_TIMEOUT ? Number(process.env.TAP_TIMEOUT) : setting('timeout') || 30;
/** Every "not ok" line with the subtest names above it, e.g. "file > subtest > assertion". */
const failures = [];
const path = [];
let partial = '';
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
const write = (text) => {
  process.stdout.write(text);
  const lines = (partial + text).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) noteLine(line);
};
// stopped (Ctrl-C, kill): the test processes are stopped too and the bundles removed
const stop = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    stop.abort();
    rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  });
}
const started = Date.now();
const sum = await runFiles(bundles, {
  jobs,
  timeoutS,
  nodeArgs: ['--enable-source-maps'],
  write,
  resultsDir: '.tap/test-results',
  signal: stop.signal,
});
rmSync(dir, { recursive: true, force: true });
console.log(`# time=${Date.now() - started}ms`);
if (failures.length > 0) {
  console.log('\nFailed:');
  for (const f of failures) console.log(`  ${f}`);
}
console.log(`${sum.pass} passed, ${sum.fail} failed`);
process.exit(sum.fail === 0 && sum.total > 0 ? 0 : 1);

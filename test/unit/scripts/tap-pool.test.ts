// scripts/lib/tap-pool.mjs (make test's runner): each file's TAP as a subtest named by its path, the
// counts summed; a failing, crashing, cut-short, timed-out or stuck file fails, with one failure
// counted when it printed none; each file's TAP kept in resultsDir.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { countsOf, runFiles } from '../../../scripts/lib/tap-pool.mjs';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIX = 'test/unit/scripts/fixtures/pool';

async function pool(names: string[], o: { timeoutS?: number; graceS?: number } = {}) {
  const cwd = process.cwd();
  process.chdir(ROOT);
  const resultsDir = mkdtempSync(join(tmpdir(), 'callbox-pool-'));
  let out = '';
  try {
    const files = names.map((n) => `${FIX}/${n}.mjs`);
    const sum = await runFiles(files, { jobs: 2, write: (s) => (out += s), resultsDir, stderr: 'ignore', ...o });
    const saved = files.map((f) => existsSync(join(resultsDir, `${f}.tap`)));
    return { sum, out, saved };
  } finally {
    process.chdir(cwd);
    rmSync(resultsDir, { recursive: true, force: true });
  }
}

t.test('countsOf reads the last counts line', (t) => {
  t.same(countsOf('# { total: 3, pass: 2, fail: 1 }\n'), { total: 3, pass: 2, fail: 1 });
  t.same(countsOf('    # { total: 9, pass: 9 }\n# { total: 4, pass: 4 }\n# time=3ms\n'), { total: 4, pass: 4, fail: 0 });
  t.same(countsOf('# { total: 2, pass: 1, skip: 1 }'), { total: 2, pass: 1, fail: 0 });
  t.equal(countsOf('ok 1 - x\n'), undefined);
  t.end();
});

t.test('passing files: subtests by path, counts summed, TAP kept', async (t) => {
  const { sum, out, saved } = await pool(['pass', 'pass']);
  t.same(sum, { total: 4, pass: 4, fail: 0, failedFiles: [] });
  t.match(out, /^TAP version 14\n# Subtest: test\/unit\/scripts\/fixtures\/pool\/pass\.mjs\n {4}# Subtest: passes\n {8}ok 1 - one\n/);
  t.match(out, /\nok 1 - test\/unit\/scripts\/fixtures\/pool\/pass\.mjs # time=[\d.]+ms\n/);
  t.match(out, /\nok 2 - test\/unit\/scripts\/fixtures\/pool\/pass\.mjs # time=[\d.]+ms\n/);
  t.match(out, /\n1\.\.2\n# \{ total: 4, pass: 4 \}\n$/);
  t.same(saved, [true, true], "each file's TAP is saved");
});

t.test('a failing assertion fails its file with its own count', async (t) => {
  const { sum, out } = await pool(['pass', 'fail']);
  t.same(sum, { total: 4, pass: 3, fail: 1, failedFiles: [`${FIX}/fail.mjs`] });
  t.match(out, /\n {8}not ok 2 - wrong\n/, 'the assertion, indented under its file');
  t.match(out, /\nnot ok \d - test\/unit\/scripts\/fixtures\/pool\/fail\.mjs # time=/);
  t.match(out, /# \{ total: 4, pass: 3, fail: 1 \}\n$/);
});

t.test('a crash at load (no TAP) and an exit in the middle each count one failure', async (t) => {
  const { sum, out } = await pool(['crash', 'early']);
  t.same(sum.failedFiles.sort(), [`${FIX}/crash.mjs`, `${FIX}/early.mjs`]);
  t.equal(sum.fail, 2);
  t.match(out, /\n {8}not ok 2 - test unfinished\n/, 'tap itself reports the exit in the middle');
  t.match(out, /not ok \d - test\/unit\/scripts\/fixtures\/pool\/early\.mjs[^\n]*\n {2}---\n {2}exitCode: 1\n/);
  t.match(out, /pool\/crash\.mjs[^\n]*\n {2}---\n {2}exitCode: 1\n {2}signal: null\n {2}reason: ended without its plan and counts\n/);
});

t.test("a test that never ends fails at tap's timeout; one that blocks is killed", async (t) => {
  const { sum, out } = await pool(['hang', 'stuck'], { timeoutS: 1, graceS: 2 });
  t.same(sum.failedFiles.sort(), [`${FIX}/hang.mjs`, `${FIX}/stuck.mjs`]);
  t.match(out, /not ok \d - test\/unit\/scripts\/fixtures\/pool\/hang\.mjs/);
  t.match(
    out,
    /not ok \d - test\/unit\/scripts\/fixtures\/pool\/stuck\.mjs[^\n]*\n[\s\S]*signal: SIGKILL\n {2}reason: killed 2 s after its 1 s timeout/,
  );
  t.ok(sum.fail >= 2);
});

t.test('a file that leaves a process holding its stdout is over when it exits', async (t) => {
  const started = Date.now();
  const { sum, out } = await pool(['leak']);
  const left = Number(/left running: (\d+)/.exec(out)?.[1]);
  if (left) process.kill(left);
  t.same(sum, { total: 1, pass: 1, fail: 0, failedFiles: [] });
  t.ok(Date.now() - started < 20_000, 'not held until the process ends (30 s)');
});

t.test('an abort stops the running files', async (t) => {
  const stop = new AbortController();
  const cwd = process.cwd();
  process.chdir(ROOT);
  t.teardown(() => process.chdir(cwd));
  const started = Date.now();
  setTimeout(() => stop.abort(), 500);
  const sum = await runFiles([`${FIX}/hang.mjs`], { timeoutS: 60, write: () => {}, signal: stop.signal, stderr: 'ignore' });
  t.ok(Date.now() - started < 30_000, 'ended long before its timeout');
  t.same(sum.failedFiles, [`${FIX}/hang.mjs`]);
  t.end();
});

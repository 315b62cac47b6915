// Runs tap over the given test folders, passes its output through, and ends with one plain line
// "N passed, N failed" (assertions, summed over every suite file). Failing tests are listed again
// just above that line (a CI log often shows only its tail). Exit code is tap's, or 1 when nothing
// ran.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

// tap loads TypeScript through tsx (.taprc) and so knows no .ts test extension: it gets the files.
const files = process.argv
  .slice(2)
  .filter((d) => existsSync(d))
  .flatMap(testFiles);
if (files.length === 0) {
  console.log('0 passed, 0 failed');
  process.exit(0);
}
const child = spawn('npx', ['tap', ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
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

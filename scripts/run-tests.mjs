// Runs tap over the given test folders, passes its output through, and ends with one plain line
// "N passed, N failed" (assertions, summed over every suite file). Exit code is tap's, or 1 when
// nothing ran.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const dirs = process.argv.slice(2).filter((d) => existsSync(d));
if (dirs.length === 0) {
  console.log('0 passed, 0 failed');
  process.exit(0);
}
const child = spawn('npx', ['tap', ...dirs], { stdio: ['ignore', 'pipe', 'inherit'] });
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4096);
});
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
  console.log(`${pass} passed, ${failed} failed`);
  process.exit(code === 0 && total > 0 ? 0 : code || 1);
});

// Runs tap test files (plain JavaScript: the bundles of scripts/bundle-tests.mjs) as `node FILE`,
// `jobs` at once, and writes one TAP stream: each file's output as a subtest named by its path,
// then `1..N` and the summed counts `# { total, pass, fail }`, as tap's runner did. tap's runner
// started each file with @tapjs/processinfo and @tapjs/mock loaded (coverage and module mocks,
// neither used here): about 1 s of CPU more a file than node alone (measured 1.0-1.4 s on unit
// groups and virtual-time integration files), 171 files in make test.
// A file passes when it exits 0 with its plan and counts printed and nothing failed; one that
// crashes, exits early or outlives its tap timeout (TAP_TIMEOUT, tap's own, 0 for none; then
// `graceS` more before it is killed) fails. Each file's own TAP is also kept in `resultsDir/<file>.tap`.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The counts comment tap prints at the end of a file: `# { total: 3, pass: 2, fail: 1 }`. */
export function countsOf(output) {
  const line = output
    .split('\n')
    .filter((l) => l.startsWith('# {'))
    .pop();
  const m = line && /^# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?/.exec(line);
  if (!m) return undefined;
  const total = Number(m[1]);
  const fail = m[3] ? Number(m[3]) : 0;
  return { total, pass: m[2] ? Number(m[2]) : total - fail, fail };
}

/** The lines of a file's TAP, as a subtest: without its version line, indented by 4. */
function indented(output) {
  return output
    .split('\n')
    .filter((l, i, all) => !(l.startsWith('TAP version') || (l === '' && i === all.length - 1)))
    .map((l) => (l === '' ? '' : `    ${l}`))
    .join('\n');
}

/**
 * This environment without the keys that make a tap file a runner's subtest (run itself under tap,
 * the file would leave out its counts line, which the sum is made of).
 */
function rootEnv() {
  const env = { ...process.env };
  for (const k of ['TAP_CHILD_ID', 'TAP_CHILD_KEY', 'TAP_JOB_ID']) delete env[k];
  return env;
}

/** One file: resolves { output, code, signal, ms, killed }. */
function runOne(file, { env, timeoutS, graceS, nodeArgs, signal, stderr }) {
  return new Promise((resolve) => {
    const start = Date.now();
    const child = spawn(process.execPath, [...nodeArgs, file], {
      env: { ...rootEnv(), ...env, TAP: '1', TAP_TIMEOUT: String(timeoutS) },
      stdio: ['ignore', 'pipe', stderr],
      detached: true, // a process group of its own: a kill reaches what the test started (boxes, phones, browsers)
    });
    const killGroup = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    const abort = () => killGroup('SIGTERM');
    signal?.addEventListener('abort', abort);
    if (signal?.aborted) abort();
    let output = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      output += d;
    });
    // tap ends a file at its timeout and kills itself 10 s later; this is for one that cannot
    const timer =
      timeoutS > 0
        ? setTimeout(
            () => {
              killed = true;
              killGroup('SIGKILL');
            },
            (timeoutS + graceS) * 1000,
          )
        : undefined;
    let done = false;
    const finish = (code, sig) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      child.stdout.destroy();
      resolve({ output, code, signal: sig, ms: Date.now() - start, killed });
    };
    child.on('close', finish);
    // a process the test left running may hold its stdout open: the file is over when it exits
    child.on('exit', (code, sig) => setTimeout(() => finish(code, sig), 2000).unref());
  });
}

/**
 * Runs `files` (`jobs` at once, in order), writing the TAP to `write` as each file ends.
 * Resolves { total, pass, fail, failedFiles }. `env`: more environment for every file;
 * `nodeArgs`: node's arguments before the file; `signal` (AbortSignal): kills the running files;
 * `stderr`: the files' stderr, 'inherit' (default) or 'ignore'.
 */
export async function runFiles(files, o) {
  const { jobs = 2, timeoutS = 30, graceS = 30, env = {}, nodeArgs = [], write, resultsDir, signal, stderr = 'inherit' } = o;
  const sum = { total: 0, pass: 0, fail: 0, failedFiles: [] };
  let next = 0;
  let n = 0;
  write('TAP version 14\n');
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++];
      const r = await runOne(file, { env, timeoutS, graceS, nodeArgs, signal, stderr });
      if (resultsDir) {
        const saved = join(resultsDir, `${file}.tap`);
        mkdirSync(dirname(saved), { recursive: true });
        writeFileSync(saved, r.output);
      }
      const counts = countsOf(r.output);
      const planned = /^1\.\.\d+/m.test(r.output);
      const ok = r.code === 0 && !r.killed && planned && counts !== undefined && counts.fail === 0;
      sum.total += counts?.total ?? 0;
      sum.pass += counts?.pass ?? 0;
      sum.fail += counts?.fail ?? 0;
      if (!ok && !counts?.fail) sum.fail += 1; // crashed, killed or unfinished: one failure
      if (!ok) sum.failedFiles.push(file);
      const time = [...r.output.matchAll(/^# time=([\d.]+)ms$/gm)].pop()?.[1] ?? String(r.ms);
      n += 1;
      let text = `# Subtest: ${file}\n${indented(r.output)}\n${ok ? 'ok' : 'not ok'} ${n} - ${file} # time=${time}ms\n`;
      if (!ok) {
        const why = r.killed
          ? `killed ${graceS} s after its ${timeoutS} s timeout`
          : counts?.fail
            ? 'failed'
            : 'ended without its plan and counts';
        text += `  ---\n  exitCode: ${r.code}\n  signal: ${r.signal}\n  reason: ${why}\n  ...\n`;
      }
      write(`${text}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, files.length)) }, worker));
  write(`1..${n}\n# { total: ${sum.total}, pass: ${sum.pass}${sum.fail ? `, fail: ${sum.fail}` : ''} }\n`);
  return sum;
}

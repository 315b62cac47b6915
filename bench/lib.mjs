// Shared helpers for benchmarks: start processes, poll HTTP, read RSS, summarize, write results.
import { execSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

export { setTimeout as sleep } from 'node:timers/promises';

/** `x` rounded to two decimals. */
export const r2 = (x) => Math.round(x * 100) / 100;

/** Nearest-rank percentile `p` (0-100) of numbers (not mutated); NaN when there are none. */
export function pct(xs, p) {
  const s = Float64Array.from(xs).sort();
  if (s.length === 0) return Number.NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kb * 1024;
}

/**
 * Spawn a process whose stdout logs a JSON line containing `readyText` with a `url`. Its output is
 * drained, and kept only until that line: a pipe nobody reads blocks the child once it is full.
 */
export function spawnReady(cmd, args, env, readyText) {
  const t0 = performance.now();
  const proc = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stderr.resume();
  return new Promise((resolve, reject) => {
    let buf = '';
    let ready = false;
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: not ready in 20 s`)), 20_000);
    proc.stdout.on('data', (d) => {
      if (ready) return;
      const lines = (buf + d).split('\n');
      buf = lines.pop();
      const line = lines.find((l) => l.includes(readyText));
      if (line === undefined) return;
      ready = true;
      buf = '';
      clearTimeout(timer);
      resolve({ proc, url: JSON.parse(line).url, t0 });
    });
    proc.on('close', (code) => reject(new Error(`exited ${code} before ready`)));
  });
}

/** Poll GET url until 200; returns ms since t0. */
export async function waitHealthy(url, t0) {
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return performance.now() - t0;
    } catch {}
    await sleep(5);
  }
}

export function stopProc(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) return resolve(proc.exitCode);
    proc.once('close', resolve);
    proc.kill('SIGTERM');
  });
}

export function writeResult(name, result) {
  const commit = (() => {
    try {
      return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const out = {
    benchmark: name,
    date: new Date().toISOString(),
    commit,
    command: `make bench (node bench/${name}.bench.mjs)`,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
    ...result,
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL(`./results/${name}.json`, import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
  console.log(JSON.stringify(out, null, 2));
}

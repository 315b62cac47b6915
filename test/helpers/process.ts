/** Starts the production bundle (`dist/callbox.mjs run --sim`) as a child process on a free port. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './box.js';

export const BUNDLE = join(ROOT, 'dist', 'callbox.mjs');

export interface RunningBox {
  proc: ChildProcess;
  url: string;
  logs: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [BUNDLE, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => {
      stdout += d;
    });
    proc.stderr.on('data', (d) => {
      stderr += d;
    });
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function startBox(dataDir: string, extraArgs: string[] = [], env: Record<string, string> = {}): Promise<RunningBox> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BUNDLE, 'run', '--sim', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
      env: { ...process.env, CALLBOX_ADMIN_PASSWORD: 'test-password-1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: string[] = [];
    let buf = '';
    let ready = false;
    const exited = new Promise<number | null>((r) => proc.on('close', (code) => r(code)));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`box not ready in 15 s:\n${logs.join('\n')}`));
    }, 15_000);
    proc.stderr.on('data', (d) => logs.push(String(d)));
    proc.stdout.on('data', (d) => {
      buf += d;
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        logs.push(line);
        if (!ready && line.includes('"callbox ready"')) {
          ready = true;
          clearTimeout(timer);
          const url = (JSON.parse(line) as { url: string }).url;
          resolve({
            proc,
            url,
            logs,
            stop: async (signal = 'SIGTERM') => {
              proc.kill(signal);
              return exited;
            },
          });
        }
        nl = buf.indexOf('\n');
      }
    });
    void exited.then((code) => {
      if (!ready) {
        clearTimeout(timer);
        reject(new Error(`box exited with ${code} before ready:\n${logs.join('\n')}`));
      }
    });
  });
}

// Starts the production bundle (`dist/callbox.mjs run --sim`) on a data dir, signs in as the owner,
// and kills it. Used by the crash-consistency harness (scripts/chaos-crash.mjs).
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BUNDLE = new URL('../../dist/callbox.mjs', import.meta.url).pathname;
export const PASSWORD = 'chaos-password-1';

/**
 * A shop on the sim driver: `lines` FXO lines and as many staffed extensions (agents answer after
 * `agentAnswerAfterS`, talk `agentTalkS`), a one-key IVR menu (the short num-1 prompt, key 1 or
 * `menuTimeoutS` of silence) into one longest-idle queue. Also the soak's shop (bench/soak.mjs).
 */
export function simShopConfig({ name, lines, agentAnswerAfterS, agentTalkS, menuTimeoutS }) {
  const agents = Array.from({ length: lines }, (_, i) => ({ id: `a${i + 1}`, name: `坐席${i + 1}`, extension: `fxs${i + 1}` }));
  return {
    version: 1,
    shop: { name, country: 'CN', language: 'zh-CN', timezone: 'Asia/Shanghai' },
    http: { metricsRequireAuth: false },
    hardware: { driver: 'sim', sim: { fxo: lines, fxs: lines, gsm: 0, agentAnswerAfterS, agentTalkS } },
    lines: Array.from({ length: lines }, (_, i) => ({ channel: `fxo${i + 1}`, name: `Line ${i + 1}`, ivr: 'main', answerAfterRings: 1 })),
    agents,
    queues: [
      {
        id: 'main',
        name: '人工服务',
        strategy: 'longestIdle',
        members: agents.map((a) => a.id),
        ringTimeoutS: 20,
        maxWaitS: 300,
        wrapUpS: 0,
      },
    ],
    ivr: {
      menus: {
        main: {
          prompt: 'num-1',
          timeoutS: menuTimeoutS,
          repeats: 1,
          options: { 1: { action: 'queue', queue: 'main' } },
          onTimeout: { action: 'queue', queue: 'main' },
          onInvalid: { action: 'menu', menu: 'main' },
        },
      },
    },
  };
}

/** Four lines, four staffed extensions, quick agents: calls get bridged (and recorded) within ~1 s. */
export function writeChaosConfig(dir) {
  const path = join(dir, 'config.json');
  if (existsSync(path)) return;
  const config = simShopConfig({ name: 'chaos-0', lines: 4, agentAnswerAfterS: 0.3, agentTalkS: 2, menuTimeoutS: 1 });
  writeFileSync(path, JSON.stringify(config, null, 2));
}

/**
 * Resolves { proc, url, token, readyMs } once the box logs "callbox ready" and the owner signed in.
 * `wrap`: a command the box runs under (e.g. strace and its options; `proc` is then that command).
 * `env`: more environment (CALLBOX_MODEM: the AT modem on gsm1).
 */
export async function startBox(dir, { wrap = [], env = {} } = {}) {
  const t0 = performance.now();
  const cmd = [...wrap, process.execPath, BUNDLE, 'run', '--sim', '--port', '0', '--data-dir', dir];
  const proc = spawn(cmd[0], cmd.slice(1), {
    env: { ...process.env, CALLBOX_ADMIN_PASSWORD: PASSWORD, CALLBOX_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = [];
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`box not ready in 30 s:\n${logs.slice(-20).join('\n')}`));
    }, 30_000);
    proc.stderr.on('data', (d) => logs.push(String(d)));
    proc.stdout.on('data', (d) => {
      buf += d;
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        logs.push(line);
        if (logs.length > 200) logs.shift(); // the last lines, for a report
        if (line.includes('"callbox ready"')) {
          clearTimeout(timer);
          resolve(JSON.parse(line).url);
        }
        nl = buf.indexOf('\n');
      }
    });
    proc.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`box exited with ${code} before ready:\n${logs.slice(-20).join('\n')}`));
    });
  });
  const r = await fetch(`${url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'owner', password: PASSWORD }),
  });
  if (r.status !== 200 && r.status !== 201) throw new Error(`sign-in: ${r.status} ${await r.text()}`);
  const { token } = await r.json();
  const exited = new Promise((res) => {
    if (proc.exitCode !== null || proc.signalCode !== null) res();
    else proc.once('exit', () => res());
  });
  return { proc, url, token, logs, exited, readyMs: performance.now() - t0 };
}

/** SIGKILL, and wait until the process is gone (its file handles closed by the kernel). */
export async function killBox(box) {
  box.proc.kill('SIGKILL');
  await box.exited;
}

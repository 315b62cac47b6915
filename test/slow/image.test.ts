// make image's outputs (scripts/image/): the x64 single executable copied alone with its native
// packages into an empty folder starts on the sim driver and serves /healthz and the dashboard;
// the arm64 executable under qemu-aarch64-static prints the same version and passes the sim HAT
// self-test, and the arm64 release folder serves /healthz (the cross-compiled better-sqlite3);
// `release verify` in the executable and the npm CLI: 0 for the bundle, non-zero with the reason
// for a tampered one. `make test-slow` builds the image first (`make image`: the stock Node binaries
// come from the npm registry at build time, like npm ci's packages); the test itself never fetches.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { freePort } from '../integration/fixtures/mosquitto.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist');
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const X64 = join(DIST, 'callbox-linux-x64');
const ARM64 = join(DIST, 'callbox-linux-arm64');
const BUNDLE = join(DIST, `callbox-${version}.bundle`);
const QEMU = ['qemu-aarch64-static', '-L', '/usr/aarch64-linux-gnu'];

if (!existsSync(X64) || !existsSync(ARM64) || !existsSync(BUNDLE)) {
  throw new Error(`no image in dist/ (${X64}, ${ARM64}, ${BUNDLE}): run \`make image\` first (make test-slow does)`);
}

async function waitHealthy(port: number, child: ChildProcess, ms: number): Promise<Record<string, unknown>> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`the box exited with ${child.exitCode}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return (await r.json()) as Record<string, unknown>;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no /healthz within ${ms} ms`);
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((res) => {
    if (child.exitCode !== null) return res(child.exitCode);
    child.once('exit', (code) => res(code));
    child.kill('SIGTERM');
  });
}

t.test('x64: version alone on stdout, nothing on stderr', async (t) => {
  const r = spawnSync(X64, ['version'], { encoding: 'utf8' });
  t.equal(r.status, 0);
  t.equal(r.stdout, `${version}\n`, 'exactly the version');
  t.equal(r.stderr, '', 'no SEA warning');
});

t.test('x64: alone in an empty folder with its native packages, on the sim driver, serves /healthz and the app', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-sea-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // the release layout: the executable, node_modules, app/, prompts/, voices/
  cpSync(X64, join(dir, 'callbox'));
  cpSync(join(DIST, 'linux-x64', 'node_modules'), join(dir, 'node_modules'), { recursive: true });
  for (const a of ['app', 'prompts', 'voices']) cpSync(join(DIST, `release-${version}`, a), join(dir, a), { recursive: true });
  const port = await freePort();
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, CALLBOX_ADMIN_PASSWORD: 'owner-pass-2026' };
  const child = spawn(join(dir, 'callbox'), ['run', '--sim', '--port', String(port), '--data-dir', join(dir, 'var')], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d) => (err += d));
  child.stdout?.resume();
  t.teardown(() => stop(child));
  const health = await waitHealthy(port, child, 30_000);
  t.equal(health.status, 'ok');
  t.equal(health.version, version);
  t.equal((health.channels as unknown[]).length, 7, '2 FXO, 4 FXS, 1 GSM');
  const page = await fetch(`http://127.0.0.1:${port}/`);
  t.equal(page.status, 200);
  t.match(await page.text(), /<html/, 'the dashboard from app/ beside the executable');
  t.equal(await stop(child), 0, 'SIGTERM: clean stop');
  t.notMatch(err, /ExperimentalWarning|Error/, 'nothing alarming on stderr');
});

t.test('arm64 under qemu: same version, sim self-test passes, the release folder serves /healthz', async (t) => {
  const v = spawnSync(QEMU[0] as string, [...QEMU.slice(1), ARM64, 'version'], { encoding: 'utf8', timeout: 120_000 });
  t.equal(v.status, 0);
  t.equal(v.stdout, `${version}\n`, 'the same string as x64');
  t.equal(v.stderr, '');
  const data = mkdtempSync(join(tmpdir(), 'callbox-arm64-'));
  t.teardown(() => rmSync(data, { recursive: true, force: true }));
  const st = spawnSync(QEMU[0] as string, [...QEMU.slice(1), ARM64, 'hw', 'selftest', '--sim', '--json', '--data-dir', data], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  t.equal(st.status, 0, st.stderr);
  const report = JSON.parse(st.stdout) as { ok: boolean; steps: { ok: boolean }[] };
  t.ok(report.ok, 'the sim bench self-test passes');
  t.ok(report.steps.length >= 20, `${report.steps.length} steps`);

  const port = await freePort();
  const exe = join(DIST, `release-${version}`, 'callbox');
  const child = spawn(QEMU[0] as string, [...QEMU.slice(1), exe, 'run', '--sim', '--port', String(port), '--data-dir', join(data, 'var')], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CALLBOX_ADMIN_PASSWORD: 'owner-pass-2026' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  t.teardown(() => stop(child));
  const health = await waitHealthy(port, child, 180_000);
  t.equal(health.status, 'ok', 'arm64 box up: better-sqlite3 and serialport load under qemu');
  t.equal(health.version, version);
});

t.test('release verify: the executable and the npm CLI', async (t) => {
  const good = spawnSync(X64, ['release', 'verify', BUNDLE], { encoding: 'utf8' });
  t.equal(good.status, 0, `${good.stdout}${good.stderr}`);
  const npmCli = spawnSync(process.execPath, [join(DIST, 'callbox.mjs'), 'release', 'verify', BUNDLE], { encoding: 'utf8' });
  t.equal(npmCli.status, 0, `npm CLI: ${npmCli.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'callbox-tamper-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bytes = readFileSync(BUNDLE);
  bytes[Math.floor(bytes.length / 2)] = ((bytes[Math.floor(bytes.length / 2)] as number) + 1) & 0xff;
  const bad = join(dir, 'tampered.bundle');
  writeFileSync(bad, bytes);
  for (const cmd of [[X64], [process.execPath, join(DIST, 'callbox.mjs')]]) {
    const r = spawnSync(cmd[0] as string, [...cmd.slice(1), 'release', 'verify', bad], { encoding: 'utf8' });
    t.not(r.status, 0, 'tampered: refused');
    t.match(r.stderr, /callbox release: \S+/, `with the reason: ${r.stderr.trim()}`);
  }
});

// OTA with real processes: releases are node scripts serving /healthz on a port, started by a
// launcher (fixtures/ota-supervisor.ts, the systemd stand-in running prepareBoot before each
// start). A good install switches and confirms; a release that crashes at once is rolled back
// (the launcher's boot counter, then the installer reports FAILED); an installer SIGKILLed
// mid-unpack leaves the old release current and booting, and the next install succeeds.
import { spawn } from 'node:child_process';
import { cpSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import t from 'tap';
import { confirmBoot } from '../../firmware/src/ota/boot.js';
import { probeHealth } from '../../firmware/src/ota/health.js';
import { installBundle } from '../../firmware/src/ota/install.js';
import type { JobUpdate } from '../../firmware/src/ota/jobs.js';
import { OtaLayout } from '../../firmware/src/ota/layout.js';
import { bundleOf, keys, makeRelease, tempDir } from '../unit/ota/fixtures/releases.js';
import { Supervisor } from './fixtures/ota-supervisor.js';

const k = keys();

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function boxRunning(v: string, maxBoots = 3) {
  const root = tempDir('ota-proc-');
  const layout = new OtaLayout(root);
  cpSync(makeRelease(v), layout.releaseDir(v), { recursive: true });
  layout.switchCurrent(v);
  confirmBoot(root);
  const sup = new Supervisor(root, await freePort(), maxBoots);
  sup.start();
  return { root, layout, sup };
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

t.test('good install: the new release serves /healthz, confirmed', async (t) => {
  const { root, layout, sup } = await boxRunning('1.0.0');
  t.teardown(() => sup.stop());
  await waitFor('1.0.0 up', async () => (await probeHealth(sup.url, { version: '1.0.0' })).ok);
  const updates: JobUpdate[] = [];
  const end = await installBundle({
    root,
    bundle: bundleOf(makeRelease('1.1.0'), '1.1.0', k.priv),
    publicKey: k.pub,
    jobId: 'j-good',
    restart: () => sup.restart(),
    probe: (v) => probeHealth(sup.url, { version: v }),
    healthDeadlineMs: 10_000,
    healthIntervalMs: 100,
    reporter: { update: (u) => void updates.push(u) },
  });
  t.equal(end.status, 'SUCCEEDED', end.reason ?? '');
  t.ok((await probeHealth(sup.url, { version: '1.1.0' })).ok, 'the box answers as 1.1.0');
  t.equal(layout.readState().confirmed, '1.1.0');
  t.ok(
    updates.some((u) => u.step === 'health'),
    'health step reported',
  );
});

t.test('a release that exits 1 at once: the launcher rolls back after 3 boots, the job FAILED', async (t) => {
  const { root, layout, sup } = await boxRunning('1.0.0');
  t.teardown(() => sup.stop());
  await waitFor('1.0.0 up', async () => (await probeHealth(sup.url, { version: '1.0.0' })).ok);
  const end = await installBundle({
    root,
    bundle: bundleOf(makeRelease('1.1.0', { crash: true }), '1.1.0', k.priv),
    publicKey: k.pub,
    jobId: 'j-crash',
    restart: () => sup.restart(),
    probe: (v) => probeHealth(sup.url, { version: v }),
    healthDeadlineMs: 15_000,
    healthIntervalMs: 100,
  });
  t.equal(end.status, 'FAILED');
  t.equal(end.code, 'HEALTH_FAILED');
  t.match(end.reason, /booted 3 times without confirming; the launcher rolled back to 1.0.0/);
  t.equal(end.rolledBackTo, '1.0.0');
  t.equal(readlinkSync(join(root, 'current')), 'releases/1.0.0');
  t.same(sup.starts.slice(0, 4), ['1.0.0', '1.1.0', '1.1.0', '1.1.0'], 'the crashing release was started 3 times');
  t.equal(sup.rollbacks.length, 1);
  await waitFor('1.0.0 back up', async () => (await probeHealth(sup.url, { version: '1.0.0' })).ok);
  t.same(layout.readState().pending, null);
  t.pass('the old release serves /healthz again');
});

t.test('a release that runs but never answers healthy: the installer rolls back at the deadline', async (t) => {
  const { root, sup } = await boxRunning('1.0.0');
  t.teardown(() => sup.stop());
  await waitFor('1.0.0 up', async () => (await probeHealth(sup.url, { version: '1.0.0' })).ok);
  const dir = makeRelease('1.1.0');
  writeFileSync(join(dir, 'main.mjs'), 'setInterval(() => {}, 1000);\nprocess.on("SIGTERM", () => process.exit(0));\n');
  const end = await installBundle({
    root,
    bundle: bundleOf(dir, '1.1.0', k.priv),
    publicKey: k.pub,
    jobId: 'j-hang',
    restart: () => sup.restart(),
    probe: (v) => probeHealth(sup.url, { version: v }, 300),
    healthDeadlineMs: 1500,
    healthIntervalMs: 100,
  });
  t.equal(end.status, 'FAILED');
  t.match(end.reason, /not healthy within 1500 ms: \/healthz unreachable/);
  await waitFor('1.0.0 back up', async () => (await probeHealth(sup.url, { version: '1.0.0' })).ok);
  t.pass('rolled back and the old release answers');
});

t.test('power cut: the installer SIGKILLed mid-unpack; the old release stays current and boots', async (t) => {
  const work = tempDir('ota-cut-');
  const child = join(work, 'install-child.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./fixtures/ota-install-child.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: child,
    logLevel: 'error',
  });
  const { root, layout, sup } = await boxRunning('1.0.0');
  t.teardown(() => sup.stop());
  const bundlePath = join(work, 'big.bundle');
  writeFileSync(bundlePath, bundleOf(makeRelease('1.1.0', { extraFiles: 200, fileBytes: 64 * 1024 }), '1.1.0', k.priv));
  const pubPath = join(work, 'pub.pem');
  writeFileSync(pubPath, k.publicPem);
  const proc = spawn(process.execPath, [child, root, bundlePath, pubPath, '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  await new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (d) => {
      out += d;
      if (out.includes('UNPACKING')) resolve();
    });
    proc.on('exit', () => reject(new Error(`installer exited before the cut: ${out}${err}`)));
  });
  t.match(out, /UNPACKING 100\/203/);
  t.ok(
    readdirSync(layout.releases).some((n) => n.startsWith('.unpack-1.1.0-')),
    'a half-written temp folder exists',
  );
  proc.kill('SIGKILL');
  await new Promise((r) => proc.once('exit', r));
  t.equal(readlinkSync(join(root, 'current')), 'releases/1.0.0', 'current untouched');
  t.same(layout.readState().pending, null, 'no pending install recorded');
  await sup.restart();
  await waitFor('1.0.0 boots after the cut', async () => (await probeHealth(sup.url, { version: '1.0.0' })).ok);
  t.same(readdirSync(layout.releases), ['1.0.0'], 'the launcher removed the half-written folder');
  const again = await installBundle({
    root,
    bundle: bundlePath,
    publicKey: k.pub,
    jobId: 'j-again',
    restart: () => sup.restart(),
    probe: (v) => probeHealth(sup.url, { version: v }),
    healthDeadlineMs: 10_000,
    healthIntervalMs: 100,
  });
  t.equal(again.status, 'SUCCEEDED', again.reason ?? '');
});

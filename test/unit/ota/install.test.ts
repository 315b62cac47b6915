// OTA install on real files in a temp root (restart and probe in-process here; real processes in
// test/slow/ota-processes.test.ts): good install, refusals that leave the box untouched, a release
// that never gets healthy rolled back, the launcher's boot counter, job updates.
import { cpSync, existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { confirmBoot, confirmIfHealthy, prepareBoot } from '../../../firmware/src/ota/boot.js';
import { judgeHealth, probeHealth } from '../../../firmware/src/ota/health.js';
import { type InstallOptions, installBundle } from '../../../firmware/src/ota/install.js';
import type { JobUpdate } from '../../../firmware/src/ota/jobs.js';
import { OtaLayout } from '../../../firmware/src/ota/layout.js';
import { bundleOf, keys, makeRelease, tamperTar, tempDir } from './fixtures/releases.js';

const k = keys();

/** A root with release `v` installed and confirmed. */
function rootWith(v: string): string {
  const root = tempDir('ota-root-');
  const layout = new OtaLayout(root);
  return installFirst(layout, v);
}

function installFirst(layout: OtaLayout, v: string): string {
  cpSync(makeRelease(v), layout.releaseDir(v), { recursive: true });
  layout.switchCurrent(v);
  confirmBoot(layout.root);
  return layout.root;
}

function opts(root: string, bundle: Buffer, over: Partial<InstallOptions> = {}) {
  const updates: JobUpdate[] = [];
  let restarts = 0;
  const o: InstallOptions = {
    root,
    bundle,
    publicKey: k.pub,
    jobId: 'job-1',
    restart: async () => {
      restarts++;
    },
    // "The box": whatever current points at reports its VERSION file.
    probe: async (version) => {
      const running = readFileSync(join(root, 'current', 'VERSION'), 'utf8').trim();
      return running === version ? { ok: true, reason: 'healthy' } : { ok: false, reason: `running ${running}` };
    },
    healthDeadlineMs: 500,
    healthIntervalMs: 20,
    reporter: { update: (u) => void updates.push(u) },
    ...over,
  };
  return { o, updates, restarts: () => restarts };
}

t.test('good install: unpacked, switched, restarted, confirmed; job updates in order', async (t) => {
  const root = rootWith('1.0.0');
  const { o, updates, restarts } = opts(root, bundleOf(makeRelease('1.1.0'), '1.1.0', k.priv, '1.0.0'));
  const end = await installBundle(o);
  t.equal(end.status, 'SUCCEEDED', end.reason ?? '');
  t.equal(readlinkSync(join(root, 'current')), 'releases/1.1.0', 'current is a relative symlink to the new release');
  t.equal(readFileSync(join(root, 'current', 'VERSION'), 'utf8'), '1.1.0\n');
  t.equal(statSync(join(root, 'current', 'main.mjs')).mode & 0o777, 0o755, 'executable kept');
  t.equal(restarts(), 1);
  const layout = new OtaLayout(root);
  t.same(layout.readState().pending, null);
  t.equal(layout.readState().confirmed, '1.1.0');
  t.equal(layout.bootCount(), 0);
  t.ok(existsSync(layout.releaseDir('1.0.0')), 'the previous release stays for a rollback');
  t.same(
    readdirSync(layout.releases).filter((n) => n.startsWith('.')),
    [],
    'no temp folders left',
  );
  const statuses = updates.map((u) => `${u.status}${u.step ? `:${u.step}` : ''}`);
  t.equal(statuses[0], 'QUEUED');
  t.equal(statuses.at(-1), 'SUCCEEDED');
  for (const s of ['IN_PROGRESS:verify', 'IN_PROGRESS:unpack', 'IN_PROGRESS:switch', 'IN_PROGRESS:restart', 'IN_PROGRESS:confirm'])
    t.ok(statuses.includes(s), s);
  const percents = updates.map((u) => u.percent);
  t.same(
    percents,
    [...percents].sort((a, b) => a - b),
    'percent never goes back',
  );
  t.ok(updates.every((u) => u.jobId === 'job-1'));
});

t.test('refusals leave current, state and releases untouched', async (t) => {
  const cases: [string, Buffer, RegExp, string][] = [
    ['downgrade', bundleOf(makeRelease('1.9.0'), '1.9.0', k.priv), /not newer than the running 2.0.0/, 'DOWNGRADE'],
    ['same version', bundleOf(makeRelease('2.0.0'), '2.0.0', k.priv), /not newer/, 'DOWNGRADE'],
    [
      'below minVersion',
      bundleOf(makeRelease('3.0.0'), '3.0.0', k.priv, '2.5.0'),
      /needs at least 2.5.0 running; this box runs 2.0.0/,
      'DOWNGRADE',
    ],
    ['tampered file', tamperTar(bundleOf(makeRelease('2.1.0'), '2.1.0', k.priv), '2.1.0</h1>'), /sha256 differs/, 'HASH_MISMATCH'],
    ['wrong key', bundleOf(makeRelease('2.1.0'), '2.1.0', keys().priv), /signature/, 'BAD_SIGNATURE'],
  ];
  for (const [name, bundle, reason, code] of cases) {
    const root = rootWith('2.0.0');
    const { o, restarts } = opts(root, bundle);
    const end = await installBundle(o);
    t.equal(end.status, 'FAILED', name);
    t.match(end.reason, reason, name);
    t.equal(end.code, code, name);
    t.equal(readlinkSync(join(root, 'current')), 'releases/2.0.0', `${name}: current unchanged`);
    t.same(readdirSync(join(root, 'releases')), ['2.0.0'], `${name}: nothing unpacked`);
    t.equal(restarts(), 0, `${name}: no restart`);
  }
});

t.test('never healthy within the deadline: switched back, restarted on the old release, FAILED', async (t) => {
  const root = rootWith('1.0.0');
  const { o, restarts } = opts(root, bundleOf(makeRelease('1.1.0'), '1.1.0', k.priv), {
    probe: async () => ({ ok: false, reason: 'no lines found' }),
    healthDeadlineMs: 150,
  });
  const end = await installBundle(o);
  t.equal(end.status, 'FAILED');
  t.equal(end.code, 'HEALTH_FAILED');
  t.match(end.reason, /not healthy within 150 ms: no lines found/);
  t.equal(end.rolledBackTo, '1.0.0');
  t.equal(readlinkSync(join(root, 'current')), 'releases/1.0.0');
  t.equal(restarts(), 2, 'restarted into the new, then back into the old');
  const s = new OtaLayout(root).readState();
  t.same(s.pending, null);
  t.equal(s.lastRollback?.from, '1.1.0');
  const again = await installBundle(opts(root, bundleOf(makeRelease('1.1.1'), '1.1.1', k.priv)).o);
  t.equal(again.status, 'SUCCEEDED', 'a later install works');
});

t.test('boot counter: a pending release that never confirms is switched back by the launcher', async (t) => {
  const root = rootWith('1.0.0');
  const layout = new OtaLayout(root);
  installFirstNoConfirm(layout, '1.1.0', '1.0.0');
  t.same(prepareBoot(root, 3).rolledBack, null, 'boot 1');
  t.same(prepareBoot(root, 3).rolledBack, null, 'boot 2');
  t.equal(prepareBoot(root, 3).version, '1.1.0', 'boot 3 still the new release');
  const d = prepareBoot(root, 3);
  t.equal(d.version, '1.0.0', 'boot 4: back to the previous release');
  t.match(d.rolledBack?.reason, /booted 3 times without confirming/);
  t.equal(layout.currentVersion(), '1.0.0');
  t.same(layout.readState().pending, null);
  // A confirmed release is never switched back, however often it boots.
  confirmBoot(root);
  for (let i = 0; i < 6; i++) t.equal(prepareBoot(root, 3).version, '1.0.0');
});

t.test('boot counter: confirm resets it; a pending install that never switched is cleared', async (t) => {
  const root = rootWith('1.0.0');
  const layout = new OtaLayout(root);
  installFirstNoConfirm(layout, '1.1.0', '1.0.0');
  prepareBoot(root, 3);
  prepareBoot(root, 3);
  confirmBoot(root);
  t.equal(layout.bootCount(), 0);
  for (let i = 0; i < 5; i++) prepareBoot(root, 3);
  t.equal(layout.currentVersion(), '1.1.0', 'confirmed: stays');
  layout.writeState({ ...layout.readState(), pending: { version: '9.9.9', previous: '1.1.0', jobId: null, startedAt: '' } });
  prepareBoot(root, 3);
  t.same(layout.readState().pending, null, 'a pending install whose switch never happened is forgotten');
});

function installFirstNoConfirm(layout: OtaLayout, v: string, previous: string): void {
  cpSync(makeRelease(v), layout.releaseDir(v), { recursive: true });
  layout.writeState({ ...layout.readState(), pending: { version: v, previous, jobId: 'j', startedAt: new Date().toISOString() } });
  layout.setBootCount(0);
  layout.switchCurrent(v);
}

t.test('the box confirms itself only when its self-check passed', async (t) => {
  const root = rootWith('1.0.0');
  const layout = new OtaLayout(root);
  installFirstNoConfirm(layout, '1.1.0', '1.0.0');
  prepareBoot(root, 3);
  t.equal(confirmIfHealthy(root, { status: 'degraded', channels: [{}] }), 'self-check status is degraded');
  t.equal(confirmIfHealthy(root, { status: 'ok', channels: [] }), 'no lines found');
  t.equal(layout.bootCount(), 1, 'not confirmed: the count stays');
  t.equal(confirmIfHealthy(root, { status: 'ok', channels: [{}] }), null);
  t.equal(layout.bootCount(), 0);
  t.same(layout.readState().pending, null);
  t.equal(layout.readState().confirmed, '1.1.0');
});

t.test('health verdicts', async (t) => {
  const body = { status: 'ok', version: '1.1.0', channels: [{}], cloud: { connected: false } };
  t.same(judgeHealth(body, { version: '1.1.0' }), { ok: true, reason: 'healthy' });
  t.match(judgeHealth(body, { version: '1.2.0' }).reason, /running version is 1.1.0, not 1.2.0/);
  t.match(judgeHealth({ ...body, status: 'degraded' }, { version: '1.1.0' }).reason, /degraded/);
  t.match(judgeHealth({ ...body, channels: [] }, { version: '1.1.0' }).reason, /no lines found/);
  t.match(judgeHealth(body, { version: '1.1.0', cloudWasConnected: true }).reason, /cloud not reachable/);
  t.match((await probeHealth('http://127.0.0.1:1', { version: '1.1.0' }, 500)).reason, /unreachable/);
});

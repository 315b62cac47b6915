// OTA jobs over MQTT with a real mosquitto, the real installer process (`dist/callbox.mjs ota
// install`, detached), a real restart command and a /healthz HTTP endpoint: a good bundle
// SUCCEEDED through `callbox fleet ota-start`; a tampered bundle and a wrong sha256 FAILED with the
// reason; the box restarted mid-download resumes with a Range request; the cloud module stopped
// mid-download leaves the box's job runner (wired as box.ts wires it) to finish; the box restarted while
// the installer waits for health reports SUCCEEDED from the new process; a dead installer FAILED.
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import t from 'tap';
import { type BundleServer, serveBundle } from '../../firmware/src/cloud/fleet/fleet-ota.js';
import { FleetConsumer } from '../../firmware/src/cloud/fleet/fleet-consumer.js';
import { type FleetJob, SqliteFleetStore } from '../../firmware/src/cloud/fleet/fleet-store.js';
import type { OtaHostSettings } from '../../firmware/src/cloud/ota-jobs.js';
import { confirmBoot } from '../../firmware/src/ota/boot.js';
import { OtaLayout } from '../../firmware/src/ota/layout.js';
import { BUNDLE, runCli } from '../helpers/process.js';
import { bundleOf, keys, makeRelease, tamperTar, tempDir } from '../unit/ota/fixtures/releases.js';
import { cloudRig, type Rig } from './fixtures/cloud-rig.js';
import { Spy } from './fixtures/contract-check.js';
import { Broker, until } from './fixtures/mosquitto.js';

const k = keys();
let broker: Broker;
t.before(async () => {
  broker = await Broker.start();
});
t.teardown(() => broker.stop());

interface Setup {
  dir: string;
  root: string;
  ota: OtaHostSettings;
  marker: string;
  health: { ok: boolean };
  rig: Rig;
  spy: Spy;
  fleet: FleetConsumer;
  jobs: FleetJob[];
  bundle(version: string, extraBytes?: number): string;
  updates(jobId: string): { status: string; step: string | null; percent: number; code?: string; reason?: string }[];
  restartBox(): Promise<void>;
}

async function setup(t: { teardown(fn: () => unknown): void }, deviceId: string, o: { installer?: string[] } = {}): Promise<Setup> {
  const dir = tempDir('mqtt-ota-');
  const root = join(dir, 'root');
  const layout = new OtaLayout(root);
  cpSync(makeRelease('1.0.0'), layout.releaseDir('1.0.0'), { recursive: true });
  layout.switchCurrent('1.0.0');
  confirmBoot(root);
  const health = { ok: true };
  // "The box's" /healthz: the version current/ points at; 503 while the test holds it unhealthy
  const server: Server = createServer((_req, res) => {
    if (!health.ok) {
      res.statusCode = 503;
      res.end('{}');
      return;
    }
    const version = readFileSync(join(root, 'current', 'VERSION'), 'utf8').trim();
    res.end(JSON.stringify({ status: 'ok', version, channels: [{ id: 'fxo1' }], cloud: { connected: true } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  writeFileSync(join(dir, 'pub.pem'), k.publicPem);
  const marker = join(dir, 'restarted');
  const ota: OtaHostSettings = {
    root,
    publicKeyFile: join(dir, 'pub.pem'),
    restartCmd: `echo x >> ${marker}`,
    healthUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    healthDeadlineS: 30,
    installer: o.installer ?? [process.execPath, BUNDLE, 'ota', 'install'],
  };
  const spy = await Spy.start(broker.url, deviceId);
  const jobs: FleetJob[] = [];
  const fleet = new FleetConsumer({ url: broker.url, store: new SqliteFleetStore(':memory:'), records: false, onJob: (j) => jobs.push(j) });
  await fleet.start();
  const s: Setup = {
    dir,
    root,
    ota,
    marker,
    health,
    rig: await cloudRig(dir, broker.url, deviceId, { ota }),
    spy,
    fleet,
    jobs,
    bundle(version, extraBytes = 0) {
      const rel = makeRelease(version);
      if (extraBytes) writeFileSync(join(rel, 'web', 'blob.bin'), randomBytes(extraBytes));
      const file = join(dir, `${version}.bundle`);
      writeFileSync(file, bundleOf(rel, version, k.priv));
      return file;
    },
    updates: (jobId) =>
      spy
        .on(`jobs/${jobId}/update`)
        .map((m) => m.body as { status: string; step: string | null; percent: number; code?: string; reason?: string }),
    async restartBox() {
      await s.rig.stop();
      s.rig = await cloudRig(dir, broker.url, deviceId, { ota });
      await s.rig.cloud.start();
    },
  };
  await s.rig.cloud.start();
  await until(() => s.rig.cloud.status().connected);
  t.teardown(async () => {
    await s.rig.stop();
    await fleet.stop();
    await spy.stop();
    server.close();
  });
  return s;
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

const terminal = (s: Setup, jobId: string) =>
  until(() => s.updates(jobId).some((u) => u.status === 'SUCCEEDED' || u.status === 'FAILED'), 60_000);

t.test('a good bundle through `callbox fleet ota-start`: every step reported, SUCCEEDED, current switched', async (t) => {
  const s = await setup(t, 'ota-good');
  const file = s.bundle('1.1.0');
  const run = await runCli([
    'fleet',
    'ota-start',
    '--url',
    broker.url,
    'ota-good',
    file,
    '--serve',
    '127.0.0.1:0',
    '--job-id',
    'j-good',
    '--timeout',
    '60',
  ]);
  t.equal(run.code, 0, run.stderr);
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  // the reply, and the job's updates (QUEUED may come first: it is published as the job is recorded)
  t.match(
    lines.find((l) => 'ok' in l),
    { ok: true, result: { jobId: 'j-good', status: 'QUEUED', accepted: true } },
  );
  t.match(lines.at(-1), { jobId: 'j-good', status: 'SUCCEEDED', percent: 100, version: '1.1.0' });
  t.equal(new OtaLayout(s.root).currentVersion(), '1.1.0');
  t.equal(readFileSync(s.marker, 'utf8'), 'x\n', 'the installer restarted the box once');
  await terminal(s, 'j-good');
  const ups = s.updates('j-good');
  t.equal(ups[0]?.status, 'QUEUED');
  const steps = [...new Set(ups.map((u) => u.step).filter(Boolean))];
  // (no `health` step: the release is healthy at the first probe; the restart test below waits in it)
  t.same(steps, ['download', 'verify', 'unpack', 'switch', 'restart', 'confirm']);
  t.ok(
    ups.every((u, i) => i === 0 || u.percent >= (ups[i - 1]?.percent ?? 0)),
    'percent never goes back',
  );
  t.equal(ups.at(-1)?.status, 'SUCCEEDED');
  await until(() => (s.spy.on('jobs/notify').at(-1)?.body as { jobs: { status: string }[] })?.jobs[0]?.status === 'SUCCEEDED');
  const late = await Spy.start(broker.url, 'ota-good');
  t.ok(await until(() => late.on('jobs/notify').length > 0), 'jobs/notify is retained');
  t.match(late.on('jobs/notify')[0], { retain: true, body: { jobs: [{ jobId: 'j-good', status: 'SUCCEEDED', version: '1.1.0' }] } });
  await late.stop();
  t.same(s.spy.violations(), [], 'every message the box sent fits the AsyncAPI schemas');
  t.notOk(existsSync(join(s.dir, 'ota-jobs', 'j-good.bundle')), 'the downloaded bundle is removed at the end');
  // the same job id again starts nothing
  const [again] = await s.fleet.command('ota-good', 'ota-start', {
    jobId: 'j-good',
    url: 'http://127.0.0.1:9/x',
    sha256: 'a'.repeat(64),
    size: 1,
  });
  t.match(again, { ok: true, result: { jobId: 'j-good', status: 'SUCCEEDED', accepted: false } });
});

t.test('a tampered bundle and a wrong sha256: FAILED with the reason, the running release untouched', async (t) => {
  const s = await setup(t, 'ota-bad');
  const good = s.bundle('1.2.0');
  const tampered = join(s.dir, 'tampered.bundle');
  writeFileSync(tampered, tamperTar(readFileSync(good), 'callbox 1.2.0'));
  let srv: BundleServer = await serveBundle(tampered, '127.0.0.1:0', 'j-tampered.bundle');
  const [reply] = await s.fleet.command('ota-bad', 'ota-start', {
    jobId: 'j-tampered',
    url: srv.url,
    sha256: sha(tampered),
    size: readFileSync(tampered).length,
  });
  t.match(reply, { ok: true, result: { status: 'QUEUED' } });
  t.ok(await terminal(s, 'j-tampered'));
  await srv.close();
  t.match(s.updates('j-tampered').at(-1), {
    status: 'FAILED',
    step: 'verify',
    code: 'HASH_MISMATCH',
    reason: /sha256 differs from the signed manifest \(tampered file\)/,
  });
  t.equal(new OtaLayout(s.root).currentVersion(), '1.0.0');
  t.notOk(existsSync(s.marker), 'no restart');
  await until(() => s.jobs.some((j) => j.jobId === 'j-tampered' && j.status === 'FAILED'));
  t.match(
    s.jobs.at(-1),
    { deviceId: 'ota-bad', jobId: 'j-tampered', status: 'FAILED', code: 'HASH_MISMATCH' },
    'the fleet consumer stored it',
  );

  srv = await serveBundle(good, '127.0.0.1:0', 'j-sha.bundle');
  await s.fleet.command('ota-bad', 'ota-start', { jobId: 'j-sha', url: srv.url, sha256: 'b'.repeat(64), size: readFileSync(good).length });
  t.ok(await terminal(s, 'j-sha'));
  t.match(s.updates('j-sha').at(-1), { status: 'FAILED', step: 'download', code: 'HASH_MISMATCH', reason: /differs from the job's b{64}/ });
  const [gone] = await s.fleet.command('ota-bad', 'ota-start', { jobId: 'j-404', url: `${srv.url}-none`, sha256: 'a'.repeat(64), size: 5 });
  t.match(gone, { ok: true });
  t.ok(await terminal(s, 'j-404'));
  t.match(s.updates('j-404').at(-1), { status: 'FAILED', step: 'download', code: 'DOWNLOAD_FAILED', reason: /HTTP 404/ });
  await srv.close();

  const [bad] = await s.fleet.command('ota-bad', 'ota-start', { jobId: 'a/b', url: 'ftp://x', sha256: 'zz', size: -1 });
  t.match(bad, { ok: false, error: { code: 'VALIDATION_FAILED', message: /args.jobId/ } });
  const [noUrl] = await s.fleet.command('ota-bad', 'ota-start', { jobId: 'j-x', url: 'ftp://x', sha256: 'a'.repeat(64), size: 5 });
  t.match(noUrl, { ok: false, error: { code: 'VALIDATION_FAILED', message: /args.url/ } });
  t.same(s.spy.violations(), []);
});

t.test('the box restarts mid-download: the new process resumes with a Range request and SUCCEEDED', async (t) => {
  const s = await setup(t, 'ota-resume');
  const file = s.bundle('1.3.0', 600_000);
  const bytes = readFileSync(file);
  const ranges: (string | null)[] = [];
  let stall = true;
  // a server that sends the first 100 KB and then holds the connection while `stall`
  const slow = createServer((req, res) => {
    ranges.push(req.headers.range ?? null);
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    res.writeHead(m ? 206 : 200, {
      'content-length': String(bytes.length - start),
      ...(m ? { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
    });
    if (stall) res.write(bytes.subarray(start, start + 100_000));
    else res.end(bytes.subarray(start));
  });
  await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    slow.closeAllConnections();
    slow.close();
  });
  const url = `http://127.0.0.1:${(slow.address() as { port: number }).port}/b`;
  const doc = { jobId: 'j-resume', url, sha256: sha(file), size: bytes.length };
  t.match((await s.fleet.command('ota-resume', 'ota-start', doc))[0], { ok: true });
  t.ok(await until(() => s.updates('j-resume').some((u) => u.step === 'download' && u.percent >= 6)), 'download under way');
  const busy = (await s.fleet.command('ota-resume', 'ota-start', { ...doc, jobId: 'j-other' }))[0];
  t.match(busy, { ok: false, error: { code: 'CONFLICT', message: /j-resume is IN_PROGRESS/ } });
  await s.restartBox();
  stall = false;
  t.ok(await terminal(s, 'j-resume'));
  t.match(s.updates('j-resume').at(-1), { status: 'SUCCEEDED', version: '1.3.0' });
  t.equal(ranges[0], null);
  t.match(ranges[1], /^bytes=\d+-$/, 'the new process asked for the rest only');
  t.ok(Number(/\d+/.exec(ranges[1] ?? '')?.[0]) >= 100_000);
  t.equal(new OtaLayout(s.root).currentVersion(), '1.3.0');
  t.same(s.spy.violations(), []);
});

t.test("the cloud stops mid-download: the box's job runner goes on to SUCCEEDED without it", async (t) => {
  const s = await setup(t, 'ota-cloud-off');
  const file = s.bundle('1.3.0', 600_000);
  const bytes = readFileSync(file);
  let requests = 0;
  // the bundle in 20 KB pieces every 40 ms (~1.2 s)
  const slow = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-length': String(bytes.length) });
    let at = 0;
    const next = () => {
      res.write(bytes.subarray(at, at + 20_000));
      at += 20_000;
      if (at < bytes.length) setTimeout(next, 40);
      else res.end();
    };
    next();
  });
  await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    slow.closeAllConnections();
    slow.close();
  });
  const url = `http://127.0.0.1:${(slow.address() as { port: number }).port}/b`;
  t.match((await s.fleet.command('ota-cloud-off', 'ota-start', { jobId: 'j-off', url, sha256: sha(file), size: bytes.length }))[0], {
    ok: true,
  });
  t.ok(await until(() => s.updates('j-off').some((u) => u.step === 'download')), 'download under way');
  await s.rig.cloud.stop();
  t.ok(
    await until(() => s.rig.cloud.ota.recent()[0]?.status === 'SUCCEEDED', 60_000),
    "the box's runner installed it with the cloud stopped",
  );
  t.equal(requests, 1, 'the download was not cut off');
  t.equal(new OtaLayout(s.root).currentVersion(), '1.3.0');
});

t.test('the box restarts while the installer waits for health: the new process reports SUCCEEDED', async (t) => {
  const s = await setup(t, 'ota-reboot');
  const file = s.bundle('1.4.0');
  s.health.ok = false;
  const srv = await serveBundle(file, '127.0.0.1:0', 'j-reboot.bundle');
  t.teardown(() => srv.close());
  await s.fleet.command('ota-reboot', 'ota-start', { jobId: 'j-reboot', url: srv.url, sha256: sha(file), size: readFileSync(file).length });
  t.ok(await until(() => existsSync(s.marker), 30_000), 'the installer ran the restart command');
  await s.restartBox();
  const before = s.updates('j-reboot').length;
  s.health.ok = true;
  t.ok(await terminal(s, 'j-reboot'));
  const after = s.updates('j-reboot').slice(before);
  t.match(after.at(-1), { status: 'SUCCEEDED', percent: 100 });
  t.ok(
    s.updates('j-reboot').some((u) => u.step === 'health') && after.some((u) => u.step === 'confirm'),
    'the installer waited in health; the new process relayed the confirm',
  );
  t.equal(new OtaLayout(s.root).currentVersion(), '1.4.0');
  const state = JSON.parse(readFileSync(join(s.dir, 'ota-jobs', 'j-reboot.json'), 'utf8')) as {
    status: string;
    sent: number;
    updates: unknown[];
  };
  t.equal(state.status, 'SUCCEEDED');
  t.ok(
    await until(
      () => (JSON.parse(readFileSync(join(s.dir, 'ota-jobs', 'j-reboot.json'), 'utf8')) as { sent: number }).sent === state.updates.length,
    ),
    'every update taken by the broker',
  );
});

t.test('an installer that dies without a result: FAILED INSTALLER_EXITED with its last words', async (t) => {
  const s = await setup(t, 'ota-dead', { installer: ['/bin/sh', '-c', 'echo "installer crashed: out of memory" >&2; exit 3', 'sh'] });
  const file = s.bundle('1.5.0');
  const srv = await serveBundle(file, '127.0.0.1:0', 'j-dead.bundle');
  t.teardown(() => srv.close());
  await s.fleet.command('ota-dead', 'ota-start', { jobId: 'j-dead', url: srv.url, sha256: sha(file), size: readFileSync(file).length });
  t.ok(await terminal(s, 'j-dead'));
  t.match(s.updates('j-dead').at(-1), { status: 'FAILED', code: 'INSTALLER_EXITED', reason: /installer crashed: out of memory/ });
});

// `callbox release keygen|sign|verify` and `callbox ota boot` (in-process, their exit codes and messages).
import { cpSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import t from 'tap';
import { confirmBoot } from '../../../firmware/src/ota/boot.js';
import { OtaLayout } from '../../../firmware/src/ota/layout.js';
import { runOta, runRelease } from '../../../images/cli/release.js';
import { bundleOf, keys, makeRelease, tamperTar, tempDir } from './fixtures/releases.js';

async function run(fn: typeof runRelease, args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await fn(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

t.test('keygen, sign, verify; tampered, wrong key, bad manifest, usage', async (t) => {
  const dir = tempDir('ota-cli-');
  const other = tempDir('ota-cli-other-');
  t.equal((await run(runRelease, ['keygen', '--out-dir', dir])).code, 0);
  t.equal(statSync(join(dir, 'ota-key.pem')).mode & 0o777, 0o600, 'the private key is not world-readable');
  await run(runRelease, ['keygen', '--out-dir', other]);
  const out = join(dir, 'out', 'callbox-1.4.0.bundle');
  const signed = await run(runRelease, [
    'sign',
    '--key',
    join(dir, 'ota-key.pem'),
    '--version',
    '1.4.0',
    '--min-version',
    '1.2.0',
    makeRelease('1.4.0'),
    '-o',
    out,
  ]);
  t.equal(signed.code, 0, signed.stderr);
  t.match(signed.stdout, /1.4.0, 3 files/);
  const good = await run(runRelease, ['verify', '--pub', join(dir, 'ota-key.pub.pem'), out]);
  t.equal(good.code, 0, good.stderr);
  t.match(good.stdout, /^good: 1.4.0 \(needs 1.2.0\), 3 files/);

  const wrong = await run(runRelease, ['verify', '--pub', join(other, 'ota-key.pub.pem'), out]);
  t.equal(wrong.code, 1);
  t.match(wrong.stderr, /BAD_SIGNATURE: the manifest signature does not verify/);
  const tampered = join(dir, 'tampered.bundle');
  writeFileSync(tampered, tamperTar(readFileSync(out), '1.4.0</h1>'));
  const bad = await run(runRelease, ['verify', '--pub', join(dir, 'ota-key.pub.pem'), tampered]);
  t.equal(bad.code, 1);
  t.match(bad.stderr, /HASH_MISMATCH: web\/assets\/index.html: sha256 differs/);
  const badVersion = await run(runRelease, [
    'sign',
    '--key',
    join(dir, 'ota-key.pem'),
    '--version',
    'latest',
    makeRelease('1.0.0'),
    '-o',
    out,
  ]);
  t.equal(badVersion.code, 1);
  t.match(badVersion.stderr, /BAD_MANIFEST: version must be/);
  const pubAsPriv = await run(runRelease, [
    'sign',
    '--key',
    join(dir, 'ota-key.pub.pem'),
    '--version',
    '1.0.0',
    makeRelease('1.0.0'),
    '-o',
    out,
  ]);
  t.equal(pubAsPriv.code, 1);
  t.match(pubAsPriv.stderr, /BAD_KEY/);
  const missing = await run(runRelease, ['verify', '--pub', join(dir, 'ota-key.pub.pem'), join(dir, 'nope.bundle')]);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /ENOENT/);
  process.env.CALLBOX_OTA_PUBKEY = join(dir, 'ota-key.pub.pem');
  t.equal((await run(runRelease, ['verify', out])).code, 0, 'no --pub: the default key ($CALLBOX_OTA_PUBKEY)');
  process.env.CALLBOX_OTA_PUBKEY = join(other, 'ota-key.pub.pem');
  t.equal((await run(runRelease, ['verify', out])).code, 1, 'the default key is another one');
  delete process.env.CALLBOX_OTA_PUBKEY;
  const noKey = await run(runRelease, ['verify', out]);
  t.equal(noKey.code, 64, 'no key anywhere: usage');
  t.match(noKey.stderr, /no --pub/);
  t.equal((await run(runRelease, ['frobnicate'])).code, 64);
  t.equal((await run(runRelease, ['sign', '--bogus'])).code, 64);
});

t.test('ota boot: usage and an empty root', async (t) => {
  t.equal((await run(runOta, ['boot'])).code, 64);
  t.equal((await run(runOta, ['boot', '--root', tempDir(), '--max-boots', '0'])).code, 64);
  const empty = await run(runOta, ['boot', '--root', tempDir()]);
  t.equal(empty.code, 1, 'no release installed');
});

t.test('ota install: a real restart command and /healthz; a refused bundle exits 1 with the reason', async (t) => {
  const k = keys();
  const work = tempDir('ota-install-cli-');
  const root = join(work, 'root');
  const layout = new OtaLayout(root);
  cpSync(makeRelease('1.0.0'), layout.releaseDir('1.0.0'), { recursive: true });
  layout.switchCurrent('1.0.0');
  confirmBoot(root);
  // "The box": answers /healthz with whatever current/VERSION says.
  const server = createServer((_req, res) => {
    const version = readFileSync(join(root, 'current', 'VERSION'), 'utf8').trim();
    res.end(JSON.stringify({ status: 'ok', version, channels: [{ id: 'fxo1' }] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  writeFileSync(join(work, 'pub.pem'), k.publicPem);
  writeFileSync(join(work, 'b.bundle'), bundleOf(makeRelease('1.1.0'), '1.1.0', k.priv));
  const marker = join(work, 'restarted');
  const args = [
    'install',
    '--root',
    root,
    '--bundle',
    join(work, 'b.bundle'),
    '--pub',
    join(work, 'pub.pem'),
    '--url',
    url,
    '--restart-cmd',
    `echo x >> ${marker}`,
    '--job-id',
    'j9',
  ];
  const ok = await run(runOta, args);
  t.equal(ok.code, 0, ok.stderr);
  const lines = ok.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { status: string; jobId: string });
  t.equal(lines[0]?.status, 'QUEUED');
  t.equal(lines.at(-1)?.status, 'SUCCEEDED');
  t.ok(lines.every((l) => l.jobId === 'j9'));
  t.equal(readFileSync(marker, 'utf8'), 'x\n', 'the restart command ran once');
  const again = await run(runOta, args);
  t.equal(again.code, 1, 'the same bundle again is not newer');
  t.match(again.stderr, /DOWNGRADE: bundle version 1.1.0 is not newer than the running 1.1.0/);
  t.equal((await run(runOta, ['install', '--root', root])).code, 64);
});

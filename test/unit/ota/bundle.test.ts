// Signed OTA bundles: sign → verify, every tampering refused with its reason, wrong key, bad
// manifests, unsafe paths and symlinks, the ustar round trip, version order; verifyBundleAsync
// (the running box's check of an upload) gives the same verdicts with the event loop running on.
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import t from 'tap';
import { isSafePath, signBundle, verifyBundle, verifyBundleAsync } from '../../../firmware/src/ota/bundle.js';
import { readTarGz, writeTarGz } from '../../../firmware/src/ota/tar.js';
import { compareVersions } from '../../../firmware/src/ota/version.js';
import { bundleOf, keys, makeRelease, tamperSignature, tamperTar } from './fixtures/releases.js';

const k = keys();
const dir = makeRelease('1.2.0');
const good = bundleOf(dir, '1.2.0', k.priv, '1.0.0');

t.test('a good bundle verifies: manifest, hashes, executables', async (t) => {
  const v = verifyBundle(good, k.pub);
  t.equal(v.manifest.version, '1.2.0');
  t.equal(v.manifest.minVersion, '1.0.0');
  t.same(Object.keys(v.manifest.files).sort(), ['VERSION', 'main.mjs', 'web/assets/index.html']);
  t.same(v.manifest.executables, ['main.mjs']);
  t.match(v.manifest.files['main.mjs'], /^[0-9a-f]{64}$/);
  t.equal(v.files.get('VERSION')?.data.toString(), '1.2.0\n');
  t.equal(v.files.get('main.mjs')?.executable, true);
});

t.test('tampering is refused with the reason', async (t) => {
  t.throws(
    () => verifyBundle(tamperTar(good, '1.2.0</h1>'), k.pub),
    { code: 'HASH_MISMATCH', message: /web\/assets\/index.html: sha256 differs/ },
    'one byte of a file',
  );
  t.throws(() => verifyBundle(tamperTar(good, '"createdAt"', 2), k.pub), { code: 'BAD_SIGNATURE' }, 'one byte of the manifest');
  t.throws(() => verifyBundle(tamperSignature(good), k.pub), { code: 'BAD_SIGNATURE' }, 'one byte of the signature');
  const flipped = Buffer.from(good);
  const mid = Math.floor(flipped.length / 2);
  flipped[mid] = (flipped[mid] as number) ^ 0x10;
  t.throws(() => verifyBundle(flipped, k.pub), { code: 'BAD_BUNDLE' }, 'one byte of the compressed file');
  t.throws(() => verifyBundle(good.subarray(0, good.length - 40), k.pub), { code: 'BAD_BUNDLE' }, 'truncated');
  t.throws(() => verifyBundle(Buffer.from('not a bundle'), k.pub), { code: 'BAD_BUNDLE', message: /gzip/ });
});

t.test('verifyBundleAsync: the same verdicts, the event loop runs on meanwhile', async (t) => {
  const big = makeRelease('1.3.0', { extraFiles: 24, fileBytes: 256 * 1024 });
  const bundle = bundleOf(big, '1.3.0', k.priv);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  const v = await verifyBundleAsync(bundle, k.pub);
  clearInterval(timer);
  t.same(v.manifest, verifyBundle(bundle, k.pub).manifest);
  t.equal(v.files.size, 27);
  t.ok(ticks > 0, `timers ran during the check (${ticks})`);
  await t.rejects(verifyBundleAsync(tamperTar(good, '1.2.0</h1>'), k.pub), {
    code: 'HASH_MISMATCH',
    message: /index.html: sha256 differs/,
  });
  await t.rejects(verifyBundleAsync(tamperSignature(good), k.pub), { code: 'BAD_SIGNATURE' });
  await t.rejects(verifyBundleAsync(good, keys().pub), { code: 'BAD_SIGNATURE' });
  await t.rejects(verifyBundleAsync(Buffer.from('no gzip here'), k.pub), { code: 'BAD_BUNDLE', message: /not a gzip archive/ });
});

t.test('a wrong key is refused', async (t) => {
  t.throws(() => verifyBundle(good, keys().pub), { code: 'BAD_SIGNATURE', message: /public key/ });
});

t.test('an extra or missing file is refused even with a good signature', async (t) => {
  const entries = readTarGz(good);
  const extra = writeTarGz([...entries, { path: 'files/evil.sh', type: 'file', mode: 0o755, data: Buffer.from('rm -rf /') }]);
  t.throws(() => verifyBundle(extra, k.pub), { code: 'HASH_MISMATCH', message: /evil.sh is in the bundle but not in the signed manifest/ });
  const missing = writeTarGz(entries.filter((e) => e.path !== 'files/VERSION'));
  t.throws(() => verifyBundle(missing, k.pub), { code: 'HASH_MISMATCH', message: /VERSION is in the signed manifest but missing/ });
  const outside = writeTarGz([...entries, { path: 'etc/passwd', type: 'file', mode: 0o644, data: Buffer.from('x') }]);
  t.throws(() => verifyBundle(outside, k.pub), { code: 'UNSAFE_PATH' });
});

t.test('bad manifests (signed by the right key) are refused, naming the field', async (t) => {
  const { sign } = await import('node:crypto');
  const entries = readTarGz(good);
  const resign = (manifest: unknown) => {
    const data = Buffer.from(JSON.stringify(manifest));
    return writeTarGz([
      { path: 'manifest.json', type: 'file', mode: 0o644, data },
      { path: 'manifest.sig', type: 'file', mode: 0o644, data: sign(null, data, k.priv) },
      ...entries.slice(2),
    ]);
  };
  const m = verifyBundle(good, k.pub).manifest;
  t.throws(() => verifyBundle(resign({ ...m, version: 'v2' }), k.pub), { code: 'BAD_MANIFEST', message: /version/ });
  t.throws(() => verifyBundle(resign({ ...m, format: 'other' }), k.pub), { code: 'BAD_MANIFEST', message: /format/ });
  t.throws(() => verifyBundle(resign({ ...m, files: { ...m.files, VERSION: 'abc' } }), k.pub), {
    code: 'BAD_MANIFEST',
    message: /VERSION/,
  });
  t.throws(() => verifyBundle(resign({ ...m, files: { ...m.files, '../x': 'a'.repeat(64) } }), k.pub), { code: 'UNSAFE_PATH' });
  t.throws(() => verifyBundle(resign([1]), k.pub), { code: 'BAD_MANIFEST' });
  t.throws(() => verifyBundle(resign({ ...m, executables: ['nope'] }), k.pub), { code: 'BAD_MANIFEST', message: /executables/ });
});

t.test('path safety: absolute, .., symlinks', async (t) => {
  for (const bad of ['/etc/passwd', '../x', 'a/../../x', 'a//b', './a', 'a\\b', '']) t.notOk(isSafePath(bad), bad);
  t.ok(isSafePath('web/assets/app.js'));
  const linkDir = makeRelease('1.0.0');
  symlinkSync('/etc/passwd', join(linkDir, 'passwd'));
  t.throws(() => signBundle({ dir: linkDir, version: '1.0.0', privateKey: k.priv }), { code: 'UNSAFE_PATH', message: /no symlinks/ });
  // A symlink entry in the tar (type '2') is refused by the reader.
  const tar = gunzipSync(writeTarGz([{ path: 'files/link', type: 'file', mode: 0o644, data: Buffer.alloc(0) }]));
  tar.write('2', 156, 'ascii');
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (tar[i] as number);
  tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  t.throws(() => readTarGz(gzipSync(tar)), { code: 'UNSAFE_PATH', message: /symlink/ });
});

t.test('sign refuses bad versions and an empty folder', async (t) => {
  t.throws(() => signBundle({ dir, version: '1.2', privateKey: k.priv }), { code: 'BAD_MANIFEST' });
  t.throws(() => signBundle({ dir, version: '1.2.0', minVersion: '1.3.0', privateKey: k.priv }), {
    code: 'BAD_MANIFEST',
    message: /minVersion/,
  });
  const empty = makeRelease('0.0.1');
  for (const f of ['main.mjs', 'VERSION']) writeFileSync(join(empty, f), '');
  t.ok(signBundle({ dir: empty, version: '0.0.1', privateKey: k.priv }).bundle.length > 0, 'empty files are fine');
});

t.test('ustar: long names (prefix field), directories, empty files', async (t) => {
  const long = `${'d'.repeat(120)}/${'f'.repeat(90)}.js`;
  const back = readTarGz(
    writeTarGz([
      { path: 'x', type: 'dir', mode: 0o755, data: Buffer.alloc(0) },
      { path: long, type: 'file', mode: 0o644, data: Buffer.from('hi') },
      { path: 'e', type: 'file', mode: 0o600, data: Buffer.alloc(0) },
    ]),
  );
  t.same(
    back.map((e) => [e.path, e.type, e.mode, e.data.toString()]),
    [
      ['x', 'dir', 0o755, ''],
      [long, 'file', 0o644, 'hi'],
      ['e', 'file', 0o600, ''],
    ],
  );
});

t.test('version order', async (t) => {
  t.ok(compareVersions('1.10.0', '1.9.9') > 0);
  t.ok(compareVersions('1.0.0-rc.1', '1.0.0') < 0);
  t.ok(compareVersions('1.0.0-rc.2', '1.0.0-rc.10') < 0);
  t.ok(compareVersions('1.0.0-alpha', '1.0.0-1') > 0);
  t.equal(compareVersions('2.0.0', '2.0.0'), 0);
});

// The production bundle's `callbox release …` (dist/callbox.mjs, what `npm run -s callbox` runs):
// keygen, sign a real release folder (a copy of dist/ itself without source maps), verify it; a byte flipped in one
// file, a wrong key and a garbage file exit 1 with the reason on stderr.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import t from 'tap';
import { ROOT } from '../helpers/box.js';
import { runCli } from '../helpers/process.js';
import { tempDir } from '../unit/ota/fixtures/releases.js';

t.test('callbox release keygen / sign / verify through the production bundle', async (t) => {
  const work = tempDir('ota-cli-int-');
  const rel = join(work, 'release');
  // the box bundle and the app; not make image's outputs (executables, release folder, bundle: ~600 MB)
  const image = /[\\/](callbox-linux-[^\\/]*|linux-(x64|arm64)|release-[^\\/]*|sea|rootfs|[^\\/]*\.bundle|\.dev-keys)$/;
  cpSync(join(ROOT, 'dist'), rel, { recursive: true, filter: (src) => !src.endsWith('.map') && !image.test(src) });
  t.equal((await runCli(['release', 'keygen', '--out-dir', join(work, 'keys')])).code, 0);
  t.equal((await runCli(['release', 'keygen', '--out-dir', join(work, 'other')])).code, 0);
  const bundle = join(work, 'callbox-9.9.9.bundle');
  const signed = await runCli(['release', 'sign', '--key', join(work, 'keys', 'ota-key.pem'), '--version', '9.9.9', rel, '-o', bundle]);
  t.equal(signed.code, 0, signed.stderr);
  const pub = join(work, 'keys', 'ota-key.pub.pem');
  const good = await runCli(['release', 'verify', '--pub', pub, bundle]);
  t.equal(good.code, 0, good.stderr);
  t.match(good.stdout, /^good: 9\.9\.9, \d+ files/);
  const viaEnv = await runCli(['release', 'verify', bundle], { CALLBOX_OTA_PUBKEY: pub });
  t.equal(viaEnv.code, 0, 'the key from $CALLBOX_OTA_PUBKEY');

  const tar = gunzipSync(readFileSync(bundle));
  const at = tar.indexOf(Buffer.from('callbox ready'));
  t.ok(at > 0, 'the bundle holds the box code');
  tar[at] = (tar[at] as number) ^ 0x01;
  writeFileSync(join(work, 'tampered.bundle'), gzipSync(tar));
  const tampered = await runCli(['release', 'verify', '--pub', pub, join(work, 'tampered.bundle')]);
  t.equal(tampered.code, 1);
  t.match(tampered.stderr, /HASH_MISMATCH: .+: sha256 differs from the signed manifest \(tampered file\)/);

  const wrong = await runCli(['release', 'verify', '--pub', join(work, 'other', 'ota-key.pub.pem'), bundle]);
  t.equal(wrong.code, 1);
  t.match(wrong.stderr, /BAD_SIGNATURE/);

  writeFileSync(join(work, 'garbage.bundle'), 'hello');
  const garbage = await runCli(['release', 'verify', '--pub', pub, join(work, 'garbage.bundle')]);
  t.equal(garbage.code, 1);
  t.match(garbage.stderr, /BAD_BUNDLE: not a gzip archive/);
  t.equal((await runCli(['release'])).code, 64, 'no subcommand: usage');
});

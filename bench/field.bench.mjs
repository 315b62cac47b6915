// Field measures (issue 10): the arm64 single executable and the OTA bundle `make image` wrote, the
// zstd --patch-from delta from this release to the next, and a full provisioning run over a
// 115200-baud link (bench/field-provision.ts: socat pty pair, paced in the harness) -> field.json.
// The "next release" is this one with only the version string in its JS changed (the SEA blob
// rebuilt and injected into the same Node): a lower bound for an update that keeps Node and the
// addons; a real code change moves more of the blob. The delta is over the uncompressed release tars (a gzip stream defeats --patch-from).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeResult } from './lib.mjs';
import { nodeDist } from '../scripts/image/node-dist.mjs';
import { buildSeaBundle } from '../scripts/image/sea-bundle.mjs';

const MB = (n) => Number((n / 1e6).toFixed(2));
const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const exe = 'dist/callbox-linux-arm64';
const bundle = `dist/callbox-${version}.bundle`;
const release = `dist/release-${version}`;
if (!existsSync(exe) || !existsSync(bundle)) execFileSync(process.execPath, ['scripts/image/build-image.mjs'], { stdio: 'inherit' });

// the next release: same Node and addons, the JS changed
const work = mkdtempSync(join(tmpdir(), 'callbox-delta-'));
const next = join(work, 'next');
cpSync(release, next, { recursive: true });
await buildSeaBundle({ outfile: join(work, 'callbox.cjs'), version: `${version}-next` });
writeFileSync(
  join(work, 'sea.json'),
  JSON.stringify({ main: join(work, 'callbox.cjs'), output: join(work, 'blob'), disableExperimentalSEAWarning: true, useCodeCache: false }),
);
execFileSync(process.execPath, ['--experimental-sea-config', join(work, 'sea.json')], { stdio: 'ignore' });
copyFileSync(join(nodeDist('arm64'), 'bin', 'node'), join(next, 'callbox'));
spawnSync(
  'node_modules/.bin/postject',
  [join(next, 'callbox'), 'NODE_SEA_BLOB', join(work, 'blob'), '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'],
  { stdio: 'ignore' },
);
const tar = (dir, out) => execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '-cf', out, '-C', dir, '.']);
tar(release, join(work, 'old.tar'));
tar(next, join(work, 'new.tar'));
const t0 = performance.now();
execFileSync('zstd', [
  '-q',
  '-19',
  '--long=28',
  '-f',
  `--patch-from=${join(work, 'old.tar')}`,
  join(work, 'new.tar'),
  '-o',
  join(work, 'delta.zst'),
]);
const deltaSeconds = (performance.now() - t0) / 1000;
// the delta applies back to the new release exactly
execFileSync('zstd', [
  '-q',
  '-d',
  '--long=28',
  '-f',
  `--patch-from=${join(work, 'old.tar')}`,
  join(work, 'delta.zst'),
  '-o',
  join(work, 'check.tar'),
]);
if (!readFileSync(join(work, 'check.tar')).equals(readFileSync(join(work, 'new.tar'))))
  throw new Error('the delta does not rebuild the new release');
const newTarMB = MB(statSync(join(work, 'new.tar')).size);
const deltaMB = MB(statSync(join(work, 'delta.zst')).size);
rmSync(work, { recursive: true, force: true });

const prov = spawnSync(process.execPath, ['--import', 'tsx', 'bench/field-provision.ts'], { encoding: 'utf8', timeout: 300_000 });
if (prov.status !== 0) throw new Error(`provisioning run failed: ${prov.stderr}`);
const p = JSON.parse(prov.stdout.trim().split('\n').at(-1));

writeResult('field', {
  arm64ExecutableMB: MB(statSync(exe).size),
  x64ExecutableMB: MB(statSync('dist/callbox-linux-x64').size),
  bundleMB: MB(statSync(bundle).size),
  releaseTarMB: newTarMB,
  deltaMB,
  deltaMethod: 'zstd -19 --long=28 --patch-from=<old release tar> <new release tar> (only the version string in the JS changed, same Node and addons: a lower bound)',
  deltaSeconds: Number(deltaSeconds.toFixed(1)),
  provisionSeconds: p.provisionSeconds,
  provision: {
    link: '115200 baud 8N1, socat pty pair paced in the harness (10 bits a byte, each chunk waits its wire time, both directions)',
    bytesToBox: p.bytesToBox,
    bytesFromBox: p.bytesFromBox,
    wireSecondsAt115200: p.wireSecondsAt115200,
    steps: p.steps,
  },
});

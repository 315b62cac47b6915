// Field measures (issue 10): the arm64 single executable and the OTA bundle `make image` wrote, the
// zstd --patch-from delta from a previous release to this one, and a full provisioning run over a
// 115200-baud link (bench/field-provision.ts: socat pty pair, paced in the harness) -> field.json.
// The delta is between two real releases: the previous one is this release folder with its
// executable built from an earlier commit (FIELD_BASE, default HEAD~40: about an hour of this
// project's commits; `git archive` of that tree, the same node_modules, injected into the same
// Node), the rest of the folder identical. It is over the uncompressed release tars (a gzip stream
// defeats --patch-from).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeResult } from './lib.mjs';
import { nodeDist } from '../scripts/image/node-dist.mjs';
import { buildSeaBundle, injectSeaBlob, writeSeaBlob } from '../scripts/image/sea-bundle.mjs';

const MB = (n) => Number((n / 1e6).toFixed(2));
const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const exe = 'dist/callbox-linux-arm64';
const bundle = `dist/callbox-${version}.bundle`;
const release = `dist/release-${version}`;
if (!existsSync(exe) || !existsSync(bundle)) execFileSync(process.execPath, ['scripts/image/build-image.mjs'], { stdio: 'inherit' });

// the previous release: the executable from FIELD_BASE's source (a commit whose tree does not build
// on its own, e.g. one that needs a file committed later, is skipped for one 5 commits earlier)
const work = mkdtempSync(join(tmpdir(), 'callbox-delta-'));
const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();
let baseCommit = git('rev-parse', '--short', process.env.FIELD_BASE ?? 'HEAD~40');
for (let tries = 0; ; tries++) {
  const src = join(work, `src-${baseCommit}`);
  mkdirSync(src);
  execFileSync('sh', ['-c', `git archive ${baseCommit} | tar -x -C ${src}`]);
  symlinkSync(resolve('node_modules'), join(src, 'node_modules'));
  try {
    await buildSeaBundle({ outfile: join(work, 'callbox.cjs'), version, cwd: src });
    break;
  } catch (err) {
    if (tries >= 20) throw err;
    console.log(`field: ${baseCommit} does not build on its own (${err.message.split('\n')[1] ?? err.message}); trying 5 commits earlier`);
    baseCommit = git('rev-parse', '--short', `${baseCommit}~5`);
  }
}
const baseDate = git('show', '-s', '--format=%cI', baseCommit);
const commitsBetween = Number(git('rev-list', '--count', `${baseCommit}..HEAD`));
const prev = join(work, 'prev');
cpSync(release, prev, { recursive: true });
writeSeaBlob(join(work, 'callbox.cjs'), join(work, 'blob'));
injectSeaBlob(join(nodeDist('arm64'), 'bin', 'node'), join(work, 'blob'), join(prev, 'callbox'));
const scriptChangedKB = Number(
  (Math.abs(statSync(join(work, 'callbox.cjs')).size - statSync('dist/sea/callbox.cjs').size) / 1e3).toFixed(1),
);
const tar = (dir, out) => execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '-cf', out, '-C', dir, '.']);
tar(prev, join(work, 'old.tar'));
tar(release, join(work, 'new.tar'));
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
  deltaMethod: 'zstd -19 --long=28 --patch-from=<previous release tar> <this release tar>',
  deltaFrom: {
    commit: baseCommit,
    date: baseDate,
    commitsBetween,
    scriptSizeChangeKB: scriptChangedKB,
    note: 'the executable from that commit, the rest of the release folder the same',
  },
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

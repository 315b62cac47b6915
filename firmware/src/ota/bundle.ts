/**
 * Signed OTA bundles: a gzipped ustar of `manifest.json`, `manifest.sig` (Ed25519 over the exact
 * manifest bytes) and the release folder under `files/`. The manifest names every file with its
 * sha256; verification checks the signature first, then the manifest, then that the archive holds
 * exactly the manifest's files with those hashes.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify, webcrypto } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OtaError } from './ota-error.js';
import { readTarGz, readTarGzAsync, type TarEntry, writeTarGz } from './tar.js';
import { compareVersions, isVersion } from './version.js';

export const BUNDLE_FORMAT = 'callbox-ota/1';

export interface Manifest {
  format: typeof BUNDLE_FORMAT;
  version: string;
  minVersion: string | null;
  /** Release-relative POSIX path → sha256 (hex) of its bytes. */
  files: Record<string, string>;
  /** Paths (among `files`) installed executable. */
  executables: string[];
  createdAt: string;
}

export interface VerifiedBundle {
  manifest: Manifest;
  /** Release files by path, hashes checked. */
  files: Map<string, { data: Buffer; executable: boolean }>;
}

/** A release-relative path that stays inside its folder: no absolute path, no `..`, no `.`, no NUL or backslash. */
export function isSafePath(path: string): boolean {
  if (path.length === 0 || path.length > 255 || path.startsWith('/') || /[\\\0]/.test(path)) return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

export function generateKeys(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function ed25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new OtaError('BAD_KEY', `${what} is a ${key.asymmetricKeyType} key; Ed25519 needed`);
  return key;
}

export function loadPrivateKey(pem: string | Buffer): KeyObject {
  try {
    return ed25519(createPrivateKey(pem), 'the signing key');
  } catch (err) {
    if (err instanceof OtaError) throw err;
    throw new OtaError('BAD_KEY', `not a private key in PEM (${(err as Error).message})`);
  }
}

export function loadPublicKey(pem: string | Buffer): KeyObject {
  try {
    return ed25519(createPublicKey(pem), 'the public key');
  } catch (err) {
    if (err instanceof OtaError) throw err;
    throw new OtaError('BAD_KEY', `not a public key in PEM (${(err as Error).message})`);
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The release folder's regular files (sorted); symlinks and special files are refused. */
function collect(dir: string, rel = ''): { path: string; abs: string; executable: boolean }[] {
  const out: { path: string; abs: string; executable: boolean }[] = [];
  for (const name of readdirSync(dir).sort()) {
    const abs = join(dir, name);
    const path = rel ? `${rel}/${name}` : name;
    const st = lstatSync(abs);
    if (st.isDirectory()) out.push(...collect(abs, path));
    else if (st.isFile()) out.push({ path, abs, executable: (st.mode & 0o111) !== 0 });
    else throw new OtaError('UNSAFE_PATH', `${path}: release folders hold regular files and directories only (no symlinks)`);
  }
  return out;
}

export interface SignOptions {
  dir: string;
  version: string;
  minVersion?: string | null;
  privateKey: KeyObject;
  now?: Date;
}

/** Release folder → signed bundle bytes. */
export function signBundle(opts: SignOptions): { bundle: Buffer; manifest: Manifest } {
  if (!isVersion(opts.version)) throw new OtaError('BAD_MANIFEST', `version must be MAJOR.MINOR.PATCH[-pre], got "${opts.version}"`);
  const minVersion = opts.minVersion ?? null;
  if (minVersion !== null && (!isVersion(minVersion) || compareVersions(minVersion, opts.version) > 0)) {
    throw new OtaError('BAD_MANIFEST', `minVersion must be a version not above ${opts.version}, got "${minVersion}"`);
  }
  const found = collect(opts.dir);
  if (found.length === 0) throw new OtaError('BAD_MANIFEST', `${opts.dir} holds no files`);
  const files: Record<string, string> = {};
  const entries: TarEntry[] = [];
  for (const f of found) {
    if (!isSafePath(f.path)) throw new OtaError('UNSAFE_PATH', `unsafe file name: ${f.path}`);
    const data = readFileSync(f.abs);
    files[f.path] = sha256(data);
    entries.push({ path: `files/${f.path}`, type: 'file', mode: f.executable ? 0o755 : 0o644, data });
  }
  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    version: opts.version,
    minVersion,
    files,
    executables: found.filter((f) => f.executable).map((f) => f.path),
    createdAt: (opts.now ?? new Date()).toISOString(),
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const signature = sign(null, manifestBytes, ed25519(opts.privateKey, 'the signing key'));
  const head: TarEntry[] = [
    { path: 'manifest.json', type: 'file', mode: 0o644, data: manifestBytes },
    { path: 'manifest.sig', type: 'file', mode: 0o644, data: signature },
  ];
  return { bundle: writeTarGz([...head, ...entries]), manifest };
}

function parseManifest(bytes: Buffer): Manifest {
  let m: unknown;
  try {
    m = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new OtaError('BAD_MANIFEST', 'manifest.json is not JSON');
  }
  const bad = (what: string): never => {
    throw new OtaError('BAD_MANIFEST', `manifest: ${what}`);
  };
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return bad('not an object');
  const o = m as Record<string, unknown>;
  if (o.format !== BUNDLE_FORMAT) bad(`format must be "${BUNDLE_FORMAT}"`);
  if (!isVersion(o.version)) bad('version is not MAJOR.MINOR.PATCH[-pre]');
  if (o.minVersion !== null && !isVersion(o.minVersion)) bad('minVersion is not a version or null');
  if (typeof o.createdAt !== 'string' || Number.isNaN(Date.parse(o.createdAt))) bad('createdAt is not a date');
  if (typeof o.files !== 'object' || o.files === null || Array.isArray(o.files)) bad('files is not an object');
  const files = o.files as Record<string, unknown>;
  for (const [path, hash] of Object.entries(files)) {
    if (!isSafePath(path)) throw new OtaError('UNSAFE_PATH', `manifest: unsafe path "${path}"`);
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) bad(`files["${path}"] is not a sha256`);
  }
  if (!Array.isArray(o.executables) || o.executables.some((p) => typeof p !== 'string' || !(p in files))) {
    bad('executables must list files of the manifest');
  }
  return m as Manifest;
}

/** Bundle bytes → verified manifest and files; throws OtaError naming what is wrong. */
export function verifyBundle(bundle: Buffer, publicKey: KeyObject): VerifiedBundle {
  return checkEntries(readTarGz(bundle), publicKey, (e) => sha256(e.data));
}

/**
 * `verifyBundle` for the running box (an upload from the setup page): the gunzip and the files'
 * SHA-256 run off the event loop (zlib and WebCrypto on the thread pool), so calls go on meanwhile.
 */
export async function verifyBundleAsync(bundle: Buffer, publicKey: KeyObject): Promise<VerifiedBundle> {
  const entries = await readTarGzAsync(bundle);
  const digests = new Map<TarEntry, string>();
  for (const e of entries)
    if (e.type === 'file') digests.set(e, Buffer.from(await webcrypto.subtle.digest('SHA-256', e.data)).toString('hex'));
  return checkEntries(entries, publicKey, (e) => digests.get(e) ?? '');
}

function checkEntries(entries: TarEntry[], publicKey: KeyObject, digest: (e: TarEntry) => string): VerifiedBundle {
  const [mEntry, sEntry, ...rest] = entries;
  if (mEntry?.path !== 'manifest.json' || sEntry?.path !== 'manifest.sig') {
    throw new OtaError('BAD_BUNDLE', 'the bundle does not start with manifest.json and manifest.sig');
  }
  if (!verify(null, mEntry.data, ed25519(publicKey, 'the public key'), sEntry.data)) {
    throw new OtaError('BAD_SIGNATURE', 'the manifest signature does not verify with this public key (tampered manifest or wrong key)');
  }
  const manifest = parseManifest(mEntry.data);
  const files = new Map<string, { data: Buffer; executable: boolean }>();
  const exec = new Set(manifest.executables);
  for (const e of rest) {
    if (e.type === 'dir') continue;
    const path = e.path.startsWith('files/') ? e.path.slice('files/'.length) : null;
    if (path === null || !isSafePath(path)) throw new OtaError('UNSAFE_PATH', `unexpected entry "${e.path}" in the bundle`);
    const want = manifest.files[path];
    if (want === undefined) throw new OtaError('HASH_MISMATCH', `${path} is in the bundle but not in the signed manifest`);
    if (files.has(path)) throw new OtaError('BAD_BUNDLE', `${path} appears twice in the bundle`);
    if (digest(e) !== want) throw new OtaError('HASH_MISMATCH', `${path}: sha256 differs from the signed manifest (tampered file)`);
    files.set(path, { data: e.data, executable: exec.has(path) });
  }
  for (const path of Object.keys(manifest.files)) {
    if (!files.has(path)) throw new OtaError('HASH_MISMATCH', `${path} is in the signed manifest but missing from the bundle`);
  }
  return { manifest, files };
}

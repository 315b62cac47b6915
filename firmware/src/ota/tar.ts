/**
 * A small ustar writer/reader for OTA bundles (gzip with node:zlib; no packages). Only regular
 * files and directories are written or accepted: any other entry type (symlink, hard link,
 * device, PAX/GNU extension) is refused on reading, so an unpacked bundle cannot point outside
 * its folder. Names longer than ustar's 100 bytes use the 155-byte prefix field.
 */
import { promisify } from 'node:util';
import { gunzip, gunzipSync, gzipSync } from 'node:zlib';
import { OtaError } from './ota-error.js';

export interface TarEntry {
  /** POSIX path inside the archive, no leading slash; directories end without a slash. */
  path: string;
  type: 'file' | 'dir';
  mode: number;
  data: Buffer;
}

const BLOCK = 512;
const gunzipAsync = promisify(gunzip);

/** Largest unpacked bundle accepted (guards gunzip against a decompression bomb). */
export const MAX_TAR_BYTES = 1024 * 1024 * 1024;

function writeString(buf: Buffer, text: string, offset: number, length: number): void {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > length) throw new OtaError('UNSAFE_PATH', `name too long for ustar: ${text}`);
  bytes.copy(buf, offset);
}

function writeOctal(buf: Buffer, value: number, offset: number, length: number): void {
  buf.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}

function splitName(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  throw new OtaError('UNSAFE_PATH', `name too long for ustar: ${path}`);
}

function header(entry: TarEntry, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  const { name, prefix } = splitName(entry.type === 'dir' ? `${entry.path}/` : entry.path);
  writeString(h, name, 0, 100);
  writeOctal(h, entry.mode & 0o7777, 100, 8);
  writeOctal(h, 0, 108, 8);
  writeOctal(h, 0, 116, 8);
  writeOctal(h, entry.type === 'file' ? entry.data.length : 0, 124, 12);
  writeOctal(h, mtime, 136, 12);
  h.fill(0x20, 148, 156);
  h.write(entry.type === 'file' ? '0' : '5', 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  writeString(h, 'root', 265, 32);
  writeString(h, 'root', 297, 32);
  writeString(h, prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

/** Entries → gzipped ustar. */
export function writeTarGz(entries: TarEntry[], mtimeSeconds = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e, mtimeSeconds));
    if (e.type === 'file' && e.data.length > 0) {
      parts.push(e.data);
      const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

function readString(buf: Buffer, offset: number, length: number): string {
  const slice = buf.subarray(offset, offset + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end < 0 ? length : end).toString('utf8');
}

function readOctal(buf: Buffer, offset: number, length: number, what: string): number {
  const text = readString(buf, offset, length).trim();
  if (!/^[0-7]+$/.test(text)) throw new OtaError('BAD_BUNDLE', `tar header: bad ${what} field`);
  return Number.parseInt(text, 8);
}

const notGzip = (err: unknown) => new OtaError('BAD_BUNDLE', `not a gzip archive (${(err as Error).message})`);

/** Gzipped ustar → entries, refusing anything but regular files and directories. */
export function readTarGz(gz: Buffer): TarEntry[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(gz, { maxOutputLength: MAX_TAR_BYTES });
  } catch (err) {
    throw notGzip(err);
  }
  return parseTar(tar);
}

/** `readTarGz` with the gunzip on libuv's thread pool: the event loop runs on meanwhile (an upload checked by the running box). */
export async function readTarGzAsync(gz: Buffer): Promise<TarEntry[]> {
  let tar: Buffer;
  try {
    tar = await gunzipAsync(gz, { maxOutputLength: MAX_TAR_BYTES });
  } catch (err) {
    throw notGzip(err);
  }
  return parseTar(tar);
}

function parseTar(tar: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let off = 0;
  while (off + BLOCK <= tar.length) {
    const h = tar.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) return entries;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] as number);
    if (readOctal(h, 148, 8, 'checksum') !== sum) throw new OtaError('BAD_BUNDLE', `tar header checksum wrong at byte ${off}`);
    if (readString(h, 257, 6) !== 'ustar') throw new OtaError('BAD_BUNDLE', 'not a ustar archive');
    const flag = String.fromCharCode(h[156] as number);
    const prefix = readString(h, 345, 155);
    const name = readString(h, 0, 100);
    const path = (prefix ? `${prefix}/${name}` : name).replace(/\/$/, '');
    const size = readOctal(h, 124, 12, 'size');
    const mode = readOctal(h, 100, 8, 'mode');
    off += BLOCK;
    if (flag !== '0' && flag !== '\0' && flag !== '5') {
      const kind = flag === '2' ? 'a symlink' : flag === '1' ? 'a hard link' : `an entry of type "${flag}"`;
      throw new OtaError('UNSAFE_PATH', `${path} is ${kind}; bundles hold regular files and directories only`);
    }
    if (off + size > tar.length) throw new OtaError('BAD_BUNDLE', `tar truncated in ${path}`);
    const type = flag === '5' ? 'dir' : 'file';
    entries.push({ path, type, mode, data: type === 'file' ? Buffer.from(tar.subarray(off, off + size)) : Buffer.alloc(0) });
    off += Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new OtaError('BAD_BUNDLE', 'tar archive has no end marker (truncated)');
}

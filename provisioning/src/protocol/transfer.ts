/** File transfer helpers shared by both ends: chunk sizes, hashing, name checks. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Raw bytes per chunk (base64 in JSON: ~11 KiB per frame, about one second at 115200 baud). */
export const DEFAULT_CHUNK = 8 * 1024;
export const MAX_CHUNK = 32 * 1024;
/** The largest file either side accepts (logs are rotated well below it). */
export const MAX_FILE = 64 * 1024 * 1024;

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** A file name the box serves or stores: one path segment, no dot files, no separators. */
export function safeName(name: unknown): string | null {
  return typeof name === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name) && !name.includes('..') ? name : null;
}

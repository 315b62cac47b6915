/**
 * File transfer on the box. Uploads are staged under <state>/uploads/<sha256>.part and become
 * <sha256> once the whole file's hash matches; a cut cable leaves the .part, and the next
 * upload.begin of the same sha256 answers its size as the offset to resume from. Downloads serve
 * the logs folder (and nothing else) by name, with offset reads.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  closeSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  readFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { ProvisionError } from '../protocol/messages.js';
import { MAX_CHUNK, MAX_FILE, SHA256_PATTERN, safeName, sha256File } from '../protocol/transfer.js';
import type { Handler } from './server.js';

export class Uploads {
  readonly dir: string;
  private readonly sizes = new Map<string, number>();

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'uploads');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** The bytes of a finished upload; NOT_FOUND if it never completed. */
  read(sha256: unknown): Buffer {
    const sha = checkSha(sha256, 'upload');
    const file = join(this.dir, sha);
    if (!existsSync(file)) throw new ProvisionError('NOT_FOUND', `no finished upload ${sha}`, { field: 'upload' });
    return readFileSync(file);
  }

  handlers(): Record<string, Handler> {
    return {
      'upload.begin': (a) => {
        const sha = checkSha(a.sha256, 'sha256');
        const size = a.size;
        if (!Number.isInteger(size) || (size as number) < 0 || (size as number) > MAX_FILE) {
          throw new ProvisionError('VALIDATION_FAILED', `size must be 0..${MAX_FILE}`, { field: 'size' });
        }
        if (existsSync(join(this.dir, sha))) return { offset: size as number, done: true };
        const part = join(this.dir, `${sha}.part`);
        if (!existsSync(part)) writeFileSync(part, Buffer.alloc(0), { mode: 0o600 });
        let offset = statSync(part).size;
        if (offset > (size as number)) {
          writeFileSync(part, Buffer.alloc(0));
          offset = 0;
        }
        this.sizes.set(sha, size as number);
        return { offset, chunk: MAX_CHUNK };
      },
      'upload.chunk': (a) => {
        const sha = checkSha(a.sha256, 'sha256');
        const part = join(this.dir, `${sha}.part`);
        const size = this.sizes.get(sha);
        if (size === undefined || !existsSync(part)) throw new ProvisionError('CONFLICT', 'send upload.begin first', { field: 'sha256' });
        const have = statSync(part).size;
        if (a.offset !== have)
          throw new ProvisionError('CONFLICT', `offset ${String(a.offset)} is not where the upload stands (${have})`, { offset: have });
        const data = typeof a.data === 'string' ? Buffer.from(a.data, 'base64') : null;
        if (!data || data.length === 0 || data.length > MAX_CHUNK || have + data.length > size) {
          throw new ProvisionError('VALIDATION_FAILED', `data: 1..${MAX_CHUNK} bytes of base64 within the declared size`, {
            field: 'data',
          });
        }
        appendFileSync(part, data);
        return { offset: have + data.length };
      },
      'upload.end': async (a) => {
        const sha = checkSha(a.sha256, 'sha256');
        const final = join(this.dir, sha);
        if (existsSync(final)) return { sha256: sha };
        const part = `${final}.part`;
        if (!existsSync(part)) throw new ProvisionError('NOT_FOUND', `no upload ${sha} in progress`, { field: 'sha256' });
        const got = await sha256File(part);
        if (got !== sha) {
          unlinkSync(part);
          throw new ProvisionError('INTEGRITY', `the received file's sha256 is ${got}, not ${sha}: upload it again`);
        }
        renameSync(part, final);
        this.sizes.delete(sha);
        return { sha256: sha, size: statSync(final).size };
      },
    };
  }
}

/** The logs folder, read-only by name. */
export function logHandlers(logsDir: string): Record<string, Handler> {
  const path = (name: unknown): string => {
    const n = safeName(name);
    const p = n ? join(logsDir, n) : null;
    if (!p || !existsSync(p) || !statSync(p).isFile())
      throw new ProvisionError('NOT_FOUND', `no log file ${JSON.stringify(name)}`, { field: 'name' });
    return p;
  };
  return {
    'logs.list': () => {
      const files = existsSync(logsDir) ? readdirSync(logsDir).filter((n) => safeName(n) && statSync(join(logsDir, n)).isFile()) : [];
      return { files: files.sort().map((name) => ({ name, size: statSync(join(logsDir, name)).size })) };
    },
    'file.stat': async (a) => {
      const p = path(a.name);
      return { size: statSync(p).size, sha256: await sha256File(p) };
    },
    'file.read': (a) => {
      const p = path(a.name);
      const size = statSync(p).size;
      const offset = a.offset;
      const length = a.length ?? MAX_CHUNK;
      if (!Number.isInteger(offset) || (offset as number) < 0 || (offset as number) > size) {
        throw new ProvisionError('VALIDATION_FAILED', `offset must be 0..${size}`, { field: 'offset' });
      }
      if (!Number.isInteger(length) || (length as number) < 1 || (length as number) > MAX_CHUNK) {
        throw new ProvisionError('VALIDATION_FAILED', `length must be 1..${MAX_CHUNK}`, { field: 'length' });
      }
      const buf = Buffer.alloc(Math.min(length as number, size - (offset as number)));
      const fd = openSync(p, 'r');
      try {
        readSync(fd, buf, 0, buf.length, offset as number);
      } finally {
        closeSync(fd);
      }
      return { offset, data: buf.toString('base64'), eof: (offset as number) + buf.length >= size };
    },
  };
}

function checkSha(v: unknown, field: string): string {
  if (typeof v !== 'string' || !SHA256_PATTERN.test(v))
    throw new ProvisionError('VALIDATION_FAILED', `${field}: 64 lowercase hex digits`, { field });
  return v;
}

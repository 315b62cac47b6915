/**
 * The reference cloud's side of recording uploads (`upload/{uploadId}` → `upload-ack/{uploadId}`):
 * chunks are written in order into `<files>/<deviceId>/<recordingId>-<name>.part` (each checked
 * against its sha256, written and fsynced, the upload's progress committed in the store) and only
 * then acked; a chunk seen before is acked again, one ahead of the next expected is not. After the
 * last chunk the whole file's sha256 is checked and the file renamed to its final name.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File } from '../ota-download.js';
import type { FleetStoreApi } from './fleet-store.js';

const MAX_SIZE = 2 * 1024 ** 3;
const MAX_CHUNK = 64 * 1024;

export type UploadAck = { index: number; complete?: true } | { index: number; error: { code: string; message: string } };

interface Chunk {
  uploadId: string;
  recordingId: string;
  name: string;
  index: number;
  chunks: number;
  offset: number;
  size: number;
  sha256: string;
  chunkSha256: string;
  meta?: unknown;
  data: string;
}

export class UploadReceiver {
  constructor(
    private readonly store: FleetStoreApi,
    private readonly files: string,
  ) {}

  /** Store one chunk; returns the ack to send (null: none), or throws on a malformed chunk. */
  async onChunk(deviceId: string, uploadId: string, doc: unknown): Promise<UploadAck | null> {
    const c = check(doc, uploadId);
    let u = await this.store.getUpload(deviceId, uploadId);
    if (!u || u.sha256 !== c.sha256 || u.size !== c.size || u.chunks !== c.chunks) {
      const dir = join(this.files, deviceId);
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `${c.recordingId.replace(/[^A-Za-z0-9_.-]/g, '_')}-${c.name.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
      rmSync(`${path}.part`, { force: true });
      u = {
        deviceId,
        uploadId,
        recordingId: c.recordingId,
        name: c.name,
        size: c.size,
        sha256: c.sha256,
        chunks: c.chunks,
        next: 0,
        complete: false,
        path,
        meta: c.meta ?? null,
        updatedAt: new Date().toISOString(),
      };
      await this.store.putUpload(u);
    }
    if (u.complete) return { index: u.chunks - 1, complete: true };
    if (c.index !== u.next) return u.next > 0 ? { index: u.next - 1 } : null;
    const data = Buffer.from(c.data, 'base64');
    if (createHash('sha256').update(data).digest('hex') !== c.chunkSha256) {
      throw new Error(`upload ${uploadId} chunk ${c.index}: the data does not match its sha256 (not stored, not acked)`);
    }
    const part = `${u.path}.part`;
    const fd = openSync(part, u.next === 0 ? 'w' : 'r+');
    try {
      for (let done = 0; done < data.length; ) done += writeSync(fd, data, done, data.length - done, c.offset + done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    u.next++;
    u.updatedAt = new Date().toISOString();
    if (u.next < u.chunks) {
      await this.store.putUpload(u);
      return { index: c.index };
    }
    const got = await sha256File(part); // the consumer stores one message at a time: no chunk comes between
    if (got !== u.sha256) {
      rmSync(part, { force: true });
      u.next = 0;
      await this.store.putUpload(u);
      return { index: c.index, error: { code: 'HASH_MISMATCH', message: `the file's sha256 is ${got}, the box said ${u.sha256}` } };
    }
    renameSync(part, u.path);
    u.complete = true;
    await this.store.putUpload(u);
    return { index: c.index, complete: true };
  }
}

function check(doc: unknown, uploadId: string): Chunk {
  const c = doc as Partial<Chunk> | null;
  const bad = (what: string) => new Error(`upload ${uploadId}: malformed chunk (${what})`);
  if (!c || typeof c !== 'object') throw bad('not an object');
  if (c.uploadId !== uploadId) throw bad('uploadId differs from the topic');
  if (typeof c.recordingId !== 'string' || !c.recordingId || typeof c.name !== 'string' || !c.name) throw bad('recordingId, name');
  if (typeof c.size !== 'number' || !Number.isInteger(c.size) || c.size < 0 || c.size > MAX_SIZE) throw bad('size');
  if (typeof c.chunks !== 'number' || !Number.isInteger(c.chunks) || c.chunks < 1) throw bad('chunks');
  if (typeof c.index !== 'number' || !Number.isInteger(c.index) || c.index < 0 || c.index >= c.chunks) throw bad('index');
  if (typeof c.offset !== 'number' || !Number.isInteger(c.offset) || c.offset < 0) throw bad('offset');
  if (typeof c.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(c.sha256)) throw bad('sha256');
  if (typeof c.chunkSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(c.chunkSha256)) throw bad('chunkSha256');
  if (typeof c.data !== 'string' || (c.data.length * 3) / 4 > MAX_CHUNK + 3) throw bad('data: base64 of at most 64 KB');
  if (c.offset + Math.floor((c.data.length * 3) / 4) > c.size + 3) throw bad('offset + data beyond size');
  return c as Chunk;
}

/**
 * Resumable transfers over a ProvisionClient. Uploads: the box keeps the partial file under its
 * sha256, so after a cut cable `upload` asks where it stopped and goes on from there. Downloads: the
 * local `.part` file's size is the offset to resume from; the whole file's sha256 is checked.
 */
import { appendFile, mkdir, rename, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ProvisionError } from '../protocol/messages.js';
import { DEFAULT_CHUNK, sha256File, sha256Hex } from '../protocol/transfer.js';
import type { ProvisionClient } from './client.js';

export type Progress = (done: number, total: number) => void;

/** Upload bytes; returns their sha256 (the name later commands refer to it by). */
export async function upload(
  c: ProvisionClient,
  name: string,
  data: Uint8Array,
  opts: { chunk?: number; progress?: Progress } = {},
): Promise<string> {
  const sha256 = sha256Hex(data);
  const chunk = opts.chunk ?? DEFAULT_CHUNK;
  const begin = await c.request('upload.begin', { name, size: data.length, sha256 });
  let offset = Number(begin.offset ?? 0);
  while (offset < data.length) {
    opts.progress?.(offset, data.length);
    const part = data.subarray(offset, Math.min(data.length, offset + chunk));
    const r = await c.request('upload.chunk', { sha256, offset, data: Buffer.from(part).toString('base64') });
    offset = Number(r.offset);
  }
  opts.progress?.(data.length, data.length);
  await c.request('upload.end', { sha256 });
  return sha256;
}

/** Download a box file into `dest` (resuming `dest.part`); checks the sha256 the box reports. */
export async function download(
  c: ProvisionClient,
  name: string,
  dest: string,
  opts: { chunk?: number; progress?: Progress } = {},
): Promise<{ size: number; sha256: string }> {
  const info = await c.request('file.stat', { name });
  const size = Number(info.size);
  const sha256 = String(info.sha256);
  const part = `${dest}.part`;
  await mkdir(dirname(dest), { recursive: true });
  let offset = 0;
  try {
    offset = (await stat(part)).size;
  } catch {
    await appendFile(part, Buffer.alloc(0));
  }
  if (offset > size) {
    await truncate(part, 0);
    offset = 0;
  }
  while (offset < size) {
    opts.progress?.(offset, size);
    const r = await c.request('file.read', { name, offset, length: opts.chunk ?? DEFAULT_CHUNK });
    const bytes = Buffer.from(String(r.data ?? ''), 'base64');
    if (Number(r.offset) !== offset || bytes.length === 0)
      throw new ProvisionError('INTEGRITY', `the box answered offset ${r.offset} for ${offset}`);
    await appendFile(part, bytes);
    offset += bytes.length;
  }
  opts.progress?.(size, size);
  const got = await sha256File(part);
  if (got !== sha256) {
    await truncate(part, 0);
    throw new ProvisionError('INTEGRITY', `${name}: sha256 mismatch after download (got ${got}, the box has ${sha256}); run again`);
  }
  await rename(part, dest);
  return { size, sha256 };
}

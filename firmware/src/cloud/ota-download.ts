/**
 * The OTA bundle download of a cloud job: an http(s) URL fetched into `<file>.part`, resumed
 * with a `Range` request from the bytes already on disk (after a lost connection or a restart of
 * the box), then checked against the job's size and sha256 and renamed to `<file>`. The bundle
 * is signed (the installer verifies it), so the URL needs no trust of its own.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, fsyncSync, openSync, renameSync, statSync, truncateSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CallboxError } from '../errors.js';

export interface DownloadJob {
  url: string;
  sha256: string;
  size: number;
}

export interface DownloadOptions {
  /** Final path; the partial download is `${file}.part`. */
  file: string;
  signal: AbortSignal;
  /** Bytes on disk so far (throttled by the caller). */
  onProgress: (bytes: number) => void;
  /** Attempts after a network error before giving up (default 5), with a doubling pause from 500 ms. */
  attempts?: number;
}

export class DownloadError extends Error {
  constructor(
    readonly code: 'DOWNLOAD_FAILED' | 'HASH_MISMATCH' | 'SIZE_MISMATCH',
    message: string,
  ) {
    super(message);
  }
}

export function partPath(file: string): string {
  return `${file}.part`;
}

/** Bytes of the partial download on disk (0 when none). */
function partBytes(file: string): number {
  try {
    return statSync(partPath(file)).size;
  } catch {
    return 0;
  }
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Download (or resume) `job.url` into `file`. Resolves when `file` holds the verified bundle;
 * throws DownloadError (the job FAILED) or the abort reason when the box stops (the job resumes).
 */
export async function downloadBundle(job: DownloadJob, o: DownloadOptions): Promise<void> {
  if (existsSync(o.file) && statSync(o.file).size === job.size) return; // verified before a restart
  const part = partPath(o.file);
  const attempts = o.attempts ?? 5;
  let failures = 0;
  for (;;) {
    o.signal.throwIfAborted();
    let have = partBytes(o.file);
    if (have > job.size) {
      truncateSync(part, 0);
      have = 0;
    }
    if (have < job.size) {
      try {
        await fetchFrom(job, part, have, o);
        failures = 0;
      } catch (e) {
        if (o.signal.aborted) throw o.signal.reason;
        if (e instanceof DownloadError) throw e;
        if (++failures >= attempts)
          throw new DownloadError('DOWNLOAD_FAILED', `download of ${job.url} failed ${failures} times: ${(e as Error).message}`);
        await sleep(500 * 2 ** (failures - 1), undefined, { signal: o.signal }).catch(() => undefined); // aborted: throwIfAborted ends the loop
        continue;
      }
    }
    have = partBytes(o.file);
    if (have < job.size) continue; // the server closed early: resume
    if (have !== job.size) throw new DownloadError('SIZE_MISMATCH', `downloaded ${have} bytes, the job says ${job.size}`);
    const got = await sha256File(part);
    if (got !== job.sha256) {
      truncateSync(part, 0); // a fresh start next time, not a resume of bad bytes
      throw new DownloadError('HASH_MISMATCH', `downloaded bundle sha256 ${got} differs from the job's ${job.sha256}`);
    }
    renameSync(part, o.file);
    return;
  }
}

async function fetchFrom(job: DownloadJob, part: string, have: number, o: DownloadOptions): Promise<void> {
  const res = await fetch(job.url, {
    headers: have > 0 ? { range: `bytes=${have}-` } : {},
    signal: o.signal,
    redirect: 'follow',
  });
  let offset = have;
  if (res.status === 200)
    offset = 0; // the server ignores Range: start again
  else if (res.status !== 206 || have === 0) {
    await res.body?.cancel();
    const text = `HTTP ${res.status} for ${job.url}`;
    // 4xx: the URL is wrong or gone, trying again will not help
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new DownloadError('DOWNLOAD_FAILED', text);
    throw new CallboxError('UNAVAILABLE', text);
  } else {
    const range = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '');
    if (!range || Number(range[1]) !== have) {
      await res.body?.cancel();
      throw new CallboxError('UNAVAILABLE', `the server answered range ${res.headers.get('content-range')} for bytes=${have}-`);
    }
  }
  if (!res.body) throw new CallboxError('UNAVAILABLE', 'empty response body');
  const fd = openSync(part, offset === 0 ? 'w' : 'a');
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (offset + chunk.length > job.size)
        throw new DownloadError('SIZE_MISMATCH', `the server sends more than the job's ${job.size} bytes`);
      for (let done = 0; done < chunk.length; ) done += writeSync(fd, chunk, done);
      offset += chunk.length;
      o.onProgress(offset);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

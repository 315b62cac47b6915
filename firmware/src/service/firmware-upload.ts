/**
 * A signed OTA bundle uploaded from the setup page (POST /api/v1/firmware/upload, docs/ota.md):
 * streamed into the OTA job folder up to a size limit (413 beyond), checked here — the signature
 * with the box's release key, no install pending and no downgrade (the installer's own checks) — and handed to the box's OTA job
 * runner (firmware/src/cloud/ota-jobs.ts `startUpload`), which runs the same detached installer
 * as a cloud `ota-start` job. Accepted and refused uploads are audited.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { CallboxError } from '../errors.js';
import { loadPublicKey, verifyBundleAsync } from '../ota/bundle.js';
import { refuseDowngrade, refusePending } from '../ota/install.js';
import type { JobStatus } from '../ota/jobs.js';
import { OtaLayout } from '../ota/layout.js';
import { OtaError } from '../ota/ota-error.js';
import type { FirmwareInfo, FirmwareJob, FirmwareUploadResult } from './firmware-info.js';

/** The part of the box's OTA jobs (cloud/ota-jobs.ts `OtaJobs`) an upload uses. */
export interface OtaJobRunner {
  readonly settings: { root: string; publicKeyFile: string } | null;
  bundleFile(jobId: string): string;
  active(): { jobId: string; status: JobStatus } | null;
  startUpload(jobId: string, meta: { size: number; sha256: string; version: string }): { jobId: string; status: JobStatus };
  recent(n?: number): FirmwareJob[];
}

/** A bundle is read into memory to verify it (docs/ota.md): 128 MiB is far above a release (~2.3 MB). */
export const MAX_BUNDLE_BYTES = 128 * 1024 * 1024;

export interface FirmwareUploadDeps {
  jobs: OtaJobRunner | null;
  /** CALLBOX_OTA_ROOT, if the box runs under the launcher. */
  otaRoot: string | undefined;
  audit: (actor: string, action: string, entity: string, id: string | null, detail: unknown) => void;
  maxBytes?: number;
}

export class FirmwareUploads {
  readonly maxBytes: number;

  constructor(private readonly d: FirmwareUploadDeps) {
    this.maxBytes = d.maxBytes ?? MAX_BUNDLE_BYTES;
  }

  /** The `upload` and `jobs` parts of GET /api/v1/firmware. */
  status(): Pick<FirmwareInfo, 'upload' | 'jobs'> {
    const why = this.unavailable();
    return { upload: { available: why === null, maxBytes: this.maxBytes, reason: why }, jobs: this.d.jobs?.recent() ?? [] };
  }

  private unavailable(): string | null {
    if (!this.d.otaRoot) return 'this box does not run under the OTA launcher (no CALLBOX_OTA_ROOT): a bundle cannot be installed here';
    if (!this.d.jobs?.settings) return 'the OTA job runner is not set up on this box (CALLBOX_OTA_ROOT without a data folder)';
    return null;
  }

  /** Receive, check and start installing a bundle; refusals are CallboxErrors (4xx) and audited. */
  async upload(actor: string, body: AsyncIterable<Uint8Array>, declaredBytes: number | null): Promise<FirmwareUploadResult> {
    const why = this.unavailable();
    const jobs = this.d.jobs;
    if (why !== null || !jobs?.settings) throw new CallboxError('OTA_UNAVAILABLE', why ?? 'OTA is not set up');
    if (declaredBytes !== null && declaredBytes > this.maxBytes) throw tooLarge(this.maxBytes);
    const busy = jobs.active();
    if (busy) throw new CallboxError('CONFLICT', `OTA job ${busy.jobId} is ${busy.status}; wait until it ends`, { jobId: busy.jobId });
    const jobId = `upload-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const file = jobs.bundleFile(jobId);
    let received: { size: number; sha256: string } | null = null;
    try {
      received = await receiveToFile(body, file, this.maxBytes);
      if (received.size === 0) throw new CallboxError('VALIDATION_FAILED', 'the file is empty', { field: 'file' });
      const version = await checkBundle(file, jobs.settings);
      const started = jobs.startUpload(jobId, { ...received, version });
      const result = { jobId, status: started.status, version, bytes: received.size, sha256: received.sha256 };
      this.d.audit(actor, 'firmware.upload', 'firmware', jobId, { version, bytes: received.size, sha256: received.sha256 });
      return result;
    } catch (err) {
      rmSync(file, { force: true });
      const e = err instanceof CallboxError ? err : new CallboxError('INTERNAL', (err as Error).message);
      this.d.audit(actor, 'firmware.upload.refused', 'firmware', null, {
        code: e.code,
        reason: e.message,
        bytes: received?.size ?? null,
        ...((e.details as { reason?: string } | undefined)?.reason ? { otaCode: (e.details as { reason: string }).reason } : {}),
      });
      throw err;
    }
  }
}

const tooLarge = (limit: number) => new CallboxError('PAYLOAD_TOO_LARGE', `a firmware bundle is at most ${limit} bytes`, { limit });

/** Stream `body` into `file` (created new), counting and hashing; more than `maxBytes` → 413. */
export async function receiveToFile(
  body: AsyncIterable<Uint8Array>,
  file: string,
  maxBytes: number,
): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  const fh = await open(file, 'wx', 0o600);
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge(maxBytes);
      hash.update(chunk);
      await fh.write(chunk);
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { size, sha256: hash.digest('hex') };
}

/** The bundle's version once its signature and files verify and it is an upgrade; else a 4xx CallboxError. */
async function checkBundle(file: string, s: { root: string; publicKeyFile: string }): Promise<string> {
  let key: ReturnType<typeof loadPublicKey>;
  try {
    key = loadPublicKey(readFileSync(s.publicKeyFile));
  } catch (e) {
    throw new CallboxError('OTA_UNAVAILABLE', `the box's release key ${s.publicKeyFile} cannot be read: ${(e as Error).message}`);
  }
  const layout = new OtaLayout(s.root);
  let running: string | null = null;
  try {
    const { manifest } = await verifyBundleAsync(await readFile(file), key);
    refusePending(layout.readState());
    running = layout.currentVersion();
    refuseDowngrade(manifest, running);
    return manifest.version;
  } catch (e) {
    if (!(e instanceof OtaError)) throw e;
    if (e.code === 'BUSY') throw new CallboxError('CONFLICT', e.message, { reason: e.code });
    if (e.code === 'DOWNGRADE') throw new CallboxError('DOWNGRADE', e.message, { reason: e.code, running });
    throw new CallboxError('BAD_BUNDLE', e.message, { reason: e.code });
  }
}

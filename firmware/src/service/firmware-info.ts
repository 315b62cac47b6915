/**
 * What the setup page 固件 (firmware) shows: the running version and, where the box runs under the
 * OTA launcher (CALLBOX_OTA_ROOT, docs/ota.md), the release `current` points at, the confirmed
 * one, an install waiting for its confirmation and the last rollback (ota/state.json); whether a
 * bundle can be uploaded from the browser, and the recent OTA jobs (cloud and upload).
 */
import type { JobUpdate } from '../ota/jobs.js';
import { OtaLayout, type OtaState } from '../ota/layout.js';

/** An OTA job's last update, where the bundle came from and when the job started. */
export type FirmwareJob = JobUpdate & { source: 'cloud' | 'upload'; createdAt: string };

export interface FirmwareInfo {
  version: string;
  /** null: the box does not run under the OTA launcher (a dev machine, `make run`). */
  ota: (OtaState & { root: string; current: string | null }) | null;
  /** Whether POST /api/v1/firmware/upload can work here, its size limit, and why not (null when it can). */
  upload: { available: boolean; maxBytes: number; reason: string | null };
  /** The newest OTA jobs, newest first. */
  jobs: FirmwareJob[];
}

/** The answer to an accepted upload: the job runs on (GET /api/v1/firmware shows its progress). */
export interface FirmwareUploadResult {
  jobId: string;
  status: JobUpdate['status'];
  version: string;
  bytes: number;
  sha256: string;
}

export function firmwareInfo(version: string, otaRoot: string | undefined, extra: Pick<FirmwareInfo, 'upload' | 'jobs'>): FirmwareInfo {
  if (!otaRoot) return { version, ota: null, ...extra };
  const layout = new OtaLayout(otaRoot);
  return { version, ota: { root: otaRoot, current: layout.currentVersion(), ...layout.readState() }, ...extra };
}

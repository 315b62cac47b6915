/**
 * OTA job progress: what the cloud module publishes on `cb/v1/{deviceId}/jobs/{jobId}/update`
 * (docs/ota.md). The installer only calls a `JobReporter`; the cloud (or a log, or a test) is one.
 */
export type JobStatus = 'QUEUED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
/** `download`: the cloud job fetching the bundle (firmware/src/cloud/ota-jobs.ts), before the installer runs. */
export type JobStep = 'download' | 'verify' | 'unpack' | 'switch' | 'restart' | 'health' | 'confirm' | 'rollback';

export interface JobUpdate {
  jobId: string;
  status: JobStatus;
  /** The step running (IN_PROGRESS) or the one that failed (FAILED). */
  step: JobStep | null;
  percent: number;
  /** Version being installed (null until the manifest is verified). */
  version: string | null;
  /** FAILED: the reason, and an OtaError code when there is one. */
  reason?: string;
  code?: string;
  /** FAILED after the switch: the release running again. */
  rolledBackTo?: string | null;
  at: string;
}

export interface JobReporter {
  update(update: JobUpdate): void | Promise<void>;
}

/** The MQTT topic suffix (under cb/v1/{deviceId}/) of a job's updates. */
export function jobUpdateTopic(jobId: string): string {
  return `jobs/${jobId}/update`;
}

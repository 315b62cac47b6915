/** What the cloud module needs from the box (box.ts builds it; tests build a small one). */
import type { Logger } from 'pino';
import type { Outbox } from '../backoffice/common/outbox.js';
import type { ConfigStore } from '../config/config-store.js';
import type { ConfigApplyResult } from '../service/config-types.js';
import type { Database } from '../store/db.js';
import type { OtaJobs } from './ota-jobs.js';

/** Live figures for `tel`; every field optional (a test host may know none). */
export interface TelemetryFigures {
  linesTotal?: number;
  linesBusy?: number;
  callsActive?: number;
  callsWaiting?: number;
  /** Today's service level, 0..1 (null: no calls yet). */
  serviceLevel?: number | null;
  eventLoopLagP99S?: number;
}

/** A recording the cloud may ask for (`cmd/recording-upload`). */
export interface RecordingRef {
  /** Absolute path of its file. */
  path: string;
  state: 'recording' | 'complete' | 'repaired' | 'missing';
  /** Sent with every chunk: callId, format, channels, startedAt, durationMs. */
  meta: Record<string, unknown>;
}

export interface CloudHost {
  db: Database;
  outbox: Outbox;
  log: Logger;
  now: () => number;
  /** Firmware version. */
  fw: string;
  /** Data folder: cloud-state.json lives there; disk figures are taken there. */
  dataDir: string | null;
  configStore: ConfigStore | null;
  /** Apply a desired config live (box.applyConfig); absent: written only, in effect after a restart. */
  applyConfig?: (next: unknown) => Promise<ConfigApplyResult>;
  telemetry: () => TelemetryFigures;
  /** Lines/channels and modules for `cmd/diagnostics` and `cmd/selftest`. */
  diagnostics: () => {
    channels: { id: string; kind: string; state: string }[];
    modules: { name: string; state: string; error?: string }[];
  };
  /** Graceful stop with the exit code the service manager restarts on (null: not available). */
  requestRestart: ((reason: string) => void) | null;
  /**
   * The box's OTA jobs (`cmd/ota-start`; browser uploads run there too): the box resumes and stops
   * them (box-wiring.ts `boxOtaJobs`), the cloud module relays their updates. Without OTA settings
   * (no CALLBOX_OTA_ROOT) the command answers UNAVAILABLE.
   */
  otaJobs: OtaJobs;
  /** A recording by id (null: unknown); absent: the box has no recorder (the command answers UNAVAILABLE). */
  recording?: (id: string) => RecordingRef | null;
}

/**
 * What the setup page 固件 (firmware) shows: the running version and, where the box runs under the
 * OTA launcher (CALLBOX_OTA_ROOT, docs/ota.md), the release `current` points at, the confirmed
 * one, an install waiting for its confirmation and the last rollback (ota/state.json).
 */
import { OtaLayout, type OtaState } from '../ota/layout.js';

export interface FirmwareInfo {
  version: string;
  /** null: the box does not run under the OTA launcher (a dev machine, `make run`). */
  ota: (OtaState & { root: string; current: string | null }) | null;
}

export function firmwareInfo(version: string, otaRoot: string | undefined): FirmwareInfo {
  if (!otaRoot) return { version, ota: null };
  const layout = new OtaLayout(otaRoot);
  return { version, ota: { root: otaRoot, current: layout.currentVersion(), ...layout.readState() } };
}

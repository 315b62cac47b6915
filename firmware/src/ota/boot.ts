/**
 * The launcher's side of OTA (runs before the app starts, outside it: `callbox ota boot`, the
 * systemd unit's ExecStartPre) and the app's confirm. Every boot increments `ota/boot-count`; a
 * confirm resets it. When a pending (unconfirmed) install has booted more than `maxBoots` times
 * without confirm — it crashes at once, or never gets healthy — the launcher points `current`
 * back at the previous release and records the rollback.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { OtaLayout } from './layout.js';

export const DEFAULT_MAX_BOOTS = 3;

export interface BootDecision {
  /** Release the launcher should start (null: no release installed). */
  version: string | null;
  bootCount: number;
  rolledBack: { from: string; to: string; reason: string } | null;
}

/** Remove temp folders a power cut left behind (`releases/.unpack-*`). */
export function removeStaleUnpacks(layout: OtaLayout): string[] {
  let names: string[];
  try {
    names = readdirSync(layout.releases);
  } catch {
    return [];
  }
  const stale = names.filter((n) => n.startsWith('.unpack-'));
  for (const n of stale) rmSync(join(layout.releases, n), { recursive: true, force: true });
  return stale;
}

export function prepareBoot(root: string, maxBoots = DEFAULT_MAX_BOOTS, now = new Date()): BootDecision {
  const layout = new OtaLayout(root);
  removeStaleUnpacks(layout);
  const count = layout.bootCount() + 1;
  layout.setBootCount(count);
  const state = layout.readState();
  const current = layout.currentVersion();
  const pending = state.pending;
  if (pending && current !== pending.version) {
    // The installer died between recording the install and switching: nothing to roll back.
    layout.writeState({ ...state, pending: null });
    return { version: current, bootCount: count, rolledBack: null };
  }
  if (pending && count > maxBoots && pending.previous && current === pending.version) {
    const reason = `release ${pending.version} booted ${count - 1} times without confirming; the launcher rolled back to ${pending.previous}`;
    layout.switchCurrent(pending.previous);
    const lastRollback = { from: pending.version, to: pending.previous, reason, at: now.toISOString() };
    layout.writeState({ confirmed: pending.previous, pending: null, lastRollback });
    layout.setBootCount(1);
    return { version: pending.previous, bootCount: 1, rolledBack: lastRollback };
  }
  return { version: current, bootCount: count, rolledBack: null };
}

/** The running release is healthy: reset the boot counter, make it the confirmed release. */
export function confirmBoot(root: string): void {
  const layout = new OtaLayout(root);
  const state = layout.readState();
  layout.writeState({ ...state, confirmed: layout.currentVersion(), pending: null });
  layout.setBootCount(0);
}

/**
 * The box's own confirm after start (`CALLBOX_OTA_ROOT` set): its self-check passed (status ok —
 * essential modules up, the database opened — and lines found). Returns why it did not confirm.
 */
export function confirmIfHealthy(root: string, health: { status: string; channels: unknown[] }): string | null {
  if (health.status !== 'ok') return `self-check status is ${health.status}`;
  if (health.channels.length === 0) return 'no lines found';
  confirmBoot(root);
  return null;
}

/**
 * Where OTA jobs install (environment of the box process, docs/mqtt.md "OTA jobs"):
 * CALLBOX_OTA_ROOT (no root: no OTA jobs), CALLBOX_OTA_PUBKEY (else ota-key.pub.pem beside the
 * executable), CALLBOX_OTA_RESTART_CMD (default `systemctl restart callbox`), CALLBOX_OTA_HEALTH_URL
 * (the box's own HTTP base; `callbox run` sets it from --port), CALLBOX_OTA_DEADLINE_S (default 60)
 * and CALLBOX_OTA_INSTALLER (a JSON array: the argv of `callbox ota install`, default this
 * executable).
 */
import { dirname, join } from 'node:path';
import type { OtaHostSettings } from './ota-jobs.js';

export function otaSettingsFromEnv(env: Record<string, string | undefined>): OtaHostSettings | null {
  const root = env.CALLBOX_OTA_ROOT;
  if (!root) return null;
  const script = process.argv[1] ?? process.execPath;
  let installer = [process.execPath, script, 'ota', 'install'];
  if (env.CALLBOX_OTA_INSTALLER) {
    const parsed = JSON.parse(env.CALLBOX_OTA_INSTALLER) as unknown;
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((x) => typeof x === 'string'))
      throw new Error('CALLBOX_OTA_INSTALLER: a JSON array of strings (the argv of `callbox ota install`)');
    installer = parsed;
  }
  const deadline = Number(env.CALLBOX_OTA_DEADLINE_S ?? 60);
  return {
    root,
    publicKeyFile: env.CALLBOX_OTA_PUBKEY || join(dirname(script), 'ota-key.pub.pem'),
    restartCmd: env.CALLBOX_OTA_RESTART_CMD || 'systemctl restart callbox',
    healthUrl: env.CALLBOX_OTA_HEALTH_URL || 'http://127.0.0.1:8080',
    healthDeadlineS: Number.isFinite(deadline) && deadline > 0 ? deadline : 60,
    installer,
  };
}

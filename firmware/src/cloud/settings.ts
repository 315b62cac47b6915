/**
 * Where the box connects: the config's `cloud` section, overridden by the environment
 * (CALLBOX_MQTT_URL, CALLBOX_DEVICE_ID: the contract tests and demos use), turned into mqtt.js
 * connect options (TLS files read here, so a missing file is a clear start-up error).
 */
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import type { CloudConfig } from '../config/schema.js';
import { CallboxError } from '../errors.js';
import { DEVICE_ID_PATTERN } from './topics.js';

export interface CloudSettings {
  url: string;
  deviceId: string;
  username?: string;
  password?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  protocolVersion: 4 | 5;
  sessionExpiryS: number;
  telemetryIntervalS: number;
  outboxAlarmRows: number;
}

export const CLOUD_DEFAULTS = {
  protocolVersion: 5,
  sessionExpiryS: 7 * 24 * 3600,
  telemetryIntervalS: 60,
  outboxAlarmRows: 1_000_000,
} as const;

/** The settings, or null when the cloud is off (no section, enabled:false, and no CALLBOX_MQTT_URL). */
export function resolveCloudSettings(cloud: CloudConfig | undefined, env: Record<string, string | undefined> = {}): CloudSettings | null {
  const url = env.CALLBOX_MQTT_URL || (cloud?.enabled ? cloud.url : undefined);
  if (!url) return null;
  const deviceId = env.CALLBOX_DEVICE_ID || cloud?.deviceId;
  if (!deviceId)
    throw new CallboxError('CONFIG_INVALID', 'cloud: CALLBOX_MQTT_URL is set but no device id (CALLBOX_DEVICE_ID or cloud.deviceId)');
  if (!DEVICE_ID_PATTERN.test(deviceId))
    throw new CallboxError('CONFIG_INVALID', `cloud: device id "${deviceId}" must match ${DEVICE_ID_PATTERN}`);
  if (!/^(mqtts?|wss?):\/\/\S+$/.test(url))
    throw new CallboxError('CONFIG_INVALID', `cloud: url "${url}" must start with mqtt://, mqtts://, ws:// or wss://`);
  const s: CloudSettings = {
    url,
    deviceId,
    protocolVersion: cloud?.protocolVersion ?? CLOUD_DEFAULTS.protocolVersion,
    sessionExpiryS: cloud?.sessionExpiryS ?? CLOUD_DEFAULTS.sessionExpiryS,
    telemetryIntervalS: cloud?.telemetryIntervalS ?? CLOUD_DEFAULTS.telemetryIntervalS,
    outboxAlarmRows: cloud?.outboxAlarmRows ?? CLOUD_DEFAULTS.outboxAlarmRows,
  };
  for (const k of ['username', 'password', 'caFile', 'certFile', 'keyFile'] as const) {
    const v = cloud?.[k];
    if (v !== undefined) s[k] = v;
  }
  if (s.password !== undefined && s.username === undefined)
    throw new CallboxError('CONFIG_INVALID', 'cloud.password: needs cloud.username too');
  return s;
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new CallboxError('CONFIG_INVALID', `cloud.${what}: cannot read ${file}: ${(e as Error).message}`);
  }
}

/** mqtt.js options without will/properties (the connection adds those). Reconnects are ours (backoff). */
export function connectOptions(s: CloudSettings): IClientOptions {
  const o: IClientOptions = {
    clientId: s.deviceId,
    protocolVersion: s.protocolVersion,
    clean: false,
    keepalive: 30,
    connectTimeout: 10_000,
    reconnectPeriod: 0,
    resubscribe: false,
    rejectUnauthorized: true,
  };
  if (s.username !== undefined) o.username = s.username;
  if (s.password !== undefined) o.password = s.password;
  if (s.caFile) o.ca = readPem(s.caFile, 'caFile');
  if (s.certFile) o.cert = readPem(s.certFile, 'certFile');
  if (s.keyFile) o.key = readPem(s.keyFile, 'keyFile');
  return o;
}

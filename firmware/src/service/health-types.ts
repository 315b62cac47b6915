/** The box's health, alarms and metrics as /healthz, /metrics and the wallboard show them. */
import type { ChannelKind, ChannelState } from '../../../hal/src/channel.js';

export interface ChannelStatus {
  id: string;
  kind: ChannelKind;
  state: ChannelState;
  /** Why the channel is unusable (state 'error'), e.g. the modem's "no SIM card (SIM not inserted)". */
  reason?: string;
}

export interface ModuleStatus {
  name: string;
  state: 'starting' | 'running' | 'stopped' | 'failed';
  error?: string;
}

/** Something wrong now (service/alarms.ts): clears by itself when its cause goes. */
export interface Alarm {
  code: 'CHANNEL_ERROR' | 'MODULE_FAILED' | 'LISTENER_FAILED' | 'RECORDING_FAILED' | 'CLOUD_OFFLINE' | 'CLOUD_OUTBOX_BACKLOG';
  /** 'error' makes the health 'degraded'; 'warning' does not. */
  severity: 'error' | 'warning';
  /** What it is about: a channel id, a module name, 'recordings', 'cloud'. */
  subject: string;
  message: string;
  /** ISO time it started (or the cloud was last connected), when known. */
  since?: string;
  /** The OS error code behind it (ENOSPC, ENOTFOUND...), when known. */
  cause?: string;
}

export interface Health {
  status: 'ok' | 'degraded';
  version: string;
  uptimeS: number;
  channels: ChannelStatus[];
  modules: ModuleStatus[];
  /** What is wrong now (empty when nothing is). */
  alarms: Alarm[];
  /** Cloud sync (firmware/src/cloud); absent when the cloud is off. */
  cloud?: CloudStatusSnapshot;
}

/** The MQTT cloud client's state (docs/mqtt.md). */
export interface CloudStatusSnapshot {
  enabled: boolean;
  connected: boolean;
  deviceId: string | null;
  /** Outbox rows not yet acked by the cloud. */
  outboxDepth: number;
  /** The outbox passed its bound (cloud.outboxAlarmRows); records still queue, none are dropped. */
  outboxAlarm: boolean;
  /** ISO time of the last rec-ack (null: none since start). */
  lastSyncAt: string | null;
  lastConnectedAt: string | null;
  lastError: string | null;
}

export interface MetricsSnapshot {
  callsActive: number;
  callsTotal: number;
  callsByOutcome: Record<string, number>;
  eventLoopLagP50S: number;
  eventLoopLagP99S: number;
  eventLoopLagMaxS: number;
  rssBytes: number;
  heapUsedBytes: number;
  uptimeS: number;
  /** What is wrong now: the same alarms as health() (/metrics exports them as gauges). */
  alarms: Alarm[];
  /** Cloud sync; absent when the cloud is off. */
  cloud?: CloudStatusSnapshot;
}

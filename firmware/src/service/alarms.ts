/**
 * The box's alarms (告警) for the health view (/healthz, the wallboard's alarm list): what is wrong
 * now, derived from the channels, modules, the recorder and the cloud client on each call, so an
 * alarm clears by itself when its cause goes. An 'error' alarm makes the health 'degraded'; a
 * 'warning' does not (the box works without the cloud by design).
 */
import type { RecorderFailure } from '../recorder/recorder.js';
import type { ListenerFault } from './listener-faults.js';
import type { Alarm, ChannelStatus, CloudStatusSnapshot, ModuleStatus } from './types.js';

export interface AlarmSources {
  channels: ChannelStatus[];
  modules: ModuleStatus[];
  recording: RecorderFailure | null;
  cloud: CloudStatusSnapshot | null;
  /** Event listeners that threw lately (listener-faults.ts). */
  listenerFaults?: ListenerFault[];
}

export function currentAlarms(s: AlarmSources): Alarm[] {
  const alarms: Alarm[] = [];
  for (const c of s.channels) {
    if (c.state === 'error') {
      alarms.push({ code: 'CHANNEL_ERROR', severity: 'error', subject: c.id, message: c.reason ?? `${c.id} is out of service` });
    }
  }
  for (const m of s.modules) {
    if (m.state === 'failed') {
      alarms.push({ code: 'MODULE_FAILED', severity: 'error', subject: m.name, message: m.error ?? `${m.name} failed` });
    }
  }
  for (const f of s.listenerFaults ?? []) {
    alarms.push({
      code: 'LISTENER_FAILED',
      severity: 'error',
      subject: f.subject,
      message: `a listener of '${f.event}' events threw ${f.count} time(s): ${f.message}`,
      since: new Date(f.firstAt).toISOString(),
    });
  }
  if (s.recording) {
    alarms.push({
      code: 'RECORDING_FAILED',
      severity: 'error',
      subject: 'recordings',
      message: s.recording.message,
      since: new Date(s.recording.at).toISOString(),
      ...(s.recording.cause ? { cause: s.recording.cause } : {}),
    });
  }
  const cloud = s.cloud;
  if (cloud?.enabled && !cloud.connected && (cloud.lastError !== null || cloud.lastConnectedAt !== null)) {
    alarms.push({
      code: 'CLOUD_OFFLINE',
      severity: 'warning',
      subject: 'cloud',
      message: cloud.lastError ?? 'disconnected from the cloud broker',
      ...(cloud.lastConnectedAt ? { since: cloud.lastConnectedAt } : {}),
    });
  }
  if (cloud?.outboxAlarm) {
    alarms.push({
      code: 'CLOUD_OUTBOX_BACKLOG',
      severity: 'warning',
      subject: 'cloud',
      message: `${cloud.outboxDepth} records wait for the cloud; none are dropped`,
    });
  }
  return alarms;
}

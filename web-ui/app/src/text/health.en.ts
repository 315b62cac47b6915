// The health strings in English (the app's English chunk: text-en.ts); keys from health.ts.
import type { healthZh } from './health.js';

export const healthEn: Record<keyof typeof healthZh, string> = {
  'alarm.title': 'Alarms',
  'alarm.CHANNEL_ERROR': 'Line or phone out of service',
  'alarm.MODULE_FAILED': 'Module failed',
  'alarm.LISTENER_FAILED': 'Software fault (an event handler failed; calls go on)',
  'alarm.RECORDING_FAILED': 'Recording failed (disk full or not writable)',
  'alarm.CLOUD_OFFLINE': 'Cloud offline (records queue on the box)',
  'alarm.CLOUD_OUTBOX_BACKLOG': 'Many records waiting for the cloud (none lost)',
};

/**
 * Topic names of the cloud contract (docs/asyncapi.yaml, docs/mqtt.md). Everything a device
 * publishes or receives lives under `cb/v1/{deviceId}/`; the broker ACL confines each device there.
 */
import type { OutboxStream } from '../backoffice/common/outbox.js';

export const TOPIC_ROOT = 'cb/v1';

/** The record streams the box sends (`rec/{stream}`), in the order the sender visits them. */
export const STREAMS: readonly OutboxStream[] = [
  'calls',
  'tickets',
  'orders',
  'customers',
  'voicemail',
  'surveys',
  'kb',
  'products',
  'commissions',
];

export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function deviceTopics(deviceId: string) {
  const p = `${TOPIC_ROOT}/${deviceId}/`;
  return {
    prefix: p,
    status: `${p}status`,
    configDesired: `${p}config/desired`,
    configReported: `${p}config/reported`,
    cmd: (name: string) => `${p}cmd/${name}`,
    cmdWildcard: `${p}cmd/+`,
    /** Where responses go when a command carries no (acceptable) MQTT 5 response topic. */
    res: (name: string) => `${p}res/${name}`,
    rec: (stream: string) => `${p}rec/${stream}`,
    recAck: (stream: string) => `${p}rec-ack/${stream}`,
    recAckWildcard: `${p}rec-ack/+`,
    tel: `${p}tel`,
    uploadAckWildcard: `${p}upload-ack/+`,
  };
}

export type DeviceTopics = ReturnType<typeof deviceTopics>;

/** `cb/v1/{deviceId}/{rest}` → its parts, or null for a topic outside the contract. */
export function parseTopic(topic: string): { deviceId: string; kind: string; name: string | null } | null {
  const parts = topic.split('/');
  if (parts.length < 3 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return null;
  const deviceId = parts[2] as string;
  if (!DEVICE_ID_PATTERN.test(deviceId)) return null;
  const kind = parts.slice(3, 4).join('');
  const name = parts.length > 4 ? parts.slice(4).join('/') : null;
  return { deviceId, kind, name };
}

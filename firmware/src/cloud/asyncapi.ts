/**
 * docs/asyncapi.yaml (AsyncAPI 3.0) built from the TypeBox schemas in schemas.ts, so the document
 * and the checks in the tests can never disagree. test/unit/cloud/asyncapi.test.ts fails when the
 * file is stale; `UPDATE_ASYNCAPI=1 npx tap test/unit/cloud/asyncapi.test.ts` rewrites it.
 */
import { CommandResults, PAYLOAD_SCHEMAS, RecordBodies } from './schemas.js';

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
const ref = (path: string) => ({ $ref: path });

interface ChannelDef {
  address: string;
  message: keyof typeof PAYLOAD_SCHEMAS;
  action: 'send' | 'receive';
  qos: 0 | 1;
  retain: boolean;
  summary: string;
}

const CHANNELS: Record<string, ChannelDef> = {
  status: {
    address: 'cb/v1/{deviceId}/status',
    message: 'Status',
    action: 'send',
    qos: 1,
    retain: true,
    summary: 'Birth, last will and clean-stop state of the box.',
  },
  configDesired: {
    address: 'cb/v1/{deviceId}/config/desired',
    message: 'ConfigDesired',
    action: 'receive',
    qos: 1,
    retain: true,
    summary: 'The config the cloud wants the box to run (retained, versioned).',
  },
  configReported: {
    address: 'cb/v1/{deviceId}/config/reported',
    message: 'ConfigReported',
    action: 'send',
    qos: 1,
    retain: true,
    summary: 'What the box did with the desired config.',
  },
  command: {
    address: 'cb/v1/{deviceId}/cmd/{name}',
    message: 'CommandRequest',
    action: 'receive',
    qos: 1,
    retain: false,
    summary: 'A command; MQTT 5 response topic (inside the device subtree) and correlation data, or requestId in the payload.',
  },
  commandReply: {
    address: 'cb/v1/{deviceId}/res/{name}',
    message: 'CommandReply',
    action: 'send',
    qos: 1,
    retain: false,
    summary: 'Reply envelope(s) of a command, on its response topic (default res/{command name}).',
  },
  records: {
    address: 'cb/v1/{deviceId}/rec/{stream}',
    message: 'RecordBatch',
    action: 'send',
    qos: 1,
    retain: false,
    summary: 'A batch of business records from the outbox, ordered per stream.',
  },
  recordAck: {
    address: 'cb/v1/{deviceId}/rec-ack/{stream}',
    message: 'RecordAck',
    action: 'receive',
    qos: 1,
    retain: false,
    summary: 'The cloud committed every record of the stream up to seq.',
  },
  telemetry: {
    address: 'cb/v1/{deviceId}/tel',
    message: 'Telemetry',
    action: 'send',
    qos: 0,
    retain: false,
    summary: 'Live figures every telemetryIntervalS.',
  },
  jobsNotify: {
    address: 'cb/v1/{deviceId}/jobs/notify',
    message: 'JobsNotify',
    action: 'send',
    qos: 1,
    retain: true,
    summary: 'The recent OTA jobs of the box and their state (retained; at connect and at every status or step change).',
  },
  jobUpdate: {
    address: 'cb/v1/{deviceId}/jobs/{jobId}/update',
    message: 'JobUpdate',
    action: 'send',
    qos: 1,
    retain: false,
    summary: 'Every progress update of an OTA job (cmd/ota-start), in order; updates made while offline follow at the next connect.',
  },
  upload: {
    address: 'cb/v1/{deviceId}/upload/{uploadId}',
    message: 'UploadChunk',
    action: 'send',
    qos: 1,
    retain: false,
    summary: 'A chunk of a recording upload (cmd/recording-upload), in order, at most 8 unacked.',
  },
  uploadAck: {
    address: 'cb/v1/{deviceId}/upload-ack/{uploadId}',
    message: 'UploadAck',
    action: 'receive',
    qos: 1,
    retain: false,
    summary: 'The cloud stored every chunk up to index (after its write); the box resumes after the last one acked.',
  },
};

const PARAMS: Record<string, string> = {
  deviceId: 'The box id (cloud.deviceId or CALLBOX_DEVICE_ID); also its MQTT client id. [A-Za-z0-9_-]{1,64}',
  name: 'Command name: ping, diagnostics, logs, selftest, reboot, rotate-credentials, ota-start, recording-upload; or a response-topic suffix.',
  uploadId: 'Recording upload id (cmd/recording-upload args.uploadId, default rec-<recordingId>). [A-Za-z0-9_-]{1,64}',
  jobId: 'OTA job id (the ota-start args.jobId). [A-Za-z0-9_-]{1,64}',
  stream: 'calls, tickets, orders, customers, voicemail, surveys, kb, products, commissions',
};

export function asyncApiDocument(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const [name, c] of Object.entries(CHANNELS)) {
    const params = [...c.address.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    channels[name] = {
      address: c.address,
      description: c.summary,
      messages: { [c.message]: ref(`#/components/messages/${c.message}`) },
      parameters: Object.fromEntries(params.map((p) => [p, ref(`#/components/parameters/${p}`)])),
    };
    operations[`${c.action}${name[0]?.toUpperCase()}${name.slice(1)}`] = {
      action: c.action,
      channel: ref(`#/channels/${name}`),
      summary: c.summary,
      bindings: { mqtt: { qos: c.qos, retain: c.retain, bindingVersion: '0.2.0' } },
    };
  }
  for (const m of Object.keys(PAYLOAD_SCHEMAS)) {
    messages[m] = { name: m, contentType: 'application/json', payload: ref(`#/components/schemas/${m}`) };
  }
  const schemas: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(PAYLOAD_SCHEMAS)) schemas[k] = plain(v);
  for (const [k, v] of Object.entries(CommandResults)) schemas[`Result_${k.replace(/-/g, '_')}`] = plain(v);
  for (const [k, v] of Object.entries(RecordBodies)) schemas[`Record_${k}`] = plain(v);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'callbox cloud contract',
      version: '1.0.0',
      description:
        'MQTT 5 (3.1.1 accepted) between a callbox and its cloud. Every topic is under cb/v1/{deviceId}/; a device may touch only its own subtree (docs/mqtt.md). Payloads are UTF-8 JSON. Generated from firmware/src/cloud/schemas.ts: do not edit by hand. The Result_* schemas are the `result` of each command reply; the Record_* schemas the `body` of the records of a stream.',
    },
    servers: {
      broker: {
        host: 'broker.example.com:8883',
        protocol: 'mqtts',
        protocolVersion: '5',
        description: 'Any standard MQTT 5 broker (mosquitto, EMQX, HiveMQ, VerneMQ).',
      },
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: {
      parameters: Object.fromEntries(Object.entries(PARAMS).map(([k, d]) => [k, { description: d }])),
      messages,
      schemas,
    },
  };
}

const SAFE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** A small YAML emitter for JSON data (block style; strings double-quoted). */
export function toYaml(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent);
  const key = (k: string) => (SAFE_KEY.test(k) ? k : JSON.stringify(k));
  const scalar = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  const isEmpty = (v: unknown) => (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && v !== null && Object.keys(v).length === 0);
  const inline = (v: unknown) => (Array.isArray(v) ? '[]' : typeof v === 'object' && v !== null ? '{}' : scalar(v));
  const complex = (v: unknown) => typeof v === 'object' && v !== null && !isEmpty(v);
  if (Array.isArray(value)) {
    return value.map((v) => (complex(v) ? `${pad}-\n${toYaml(v, indent + 2)}` : `${pad}- ${inline(v)}\n`)).join('');
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([k, v]) => (complex(v) ? `${pad}${key(k)}:\n${toYaml(v, indent + 2)}` : `${pad}${key(k)}: ${inline(v)}\n`))
      .join('');
  }
  return `${pad}${scalar(value)}\n`;
}

export function asyncApiYaml(): string {
  return `# Generated from firmware/src/cloud/schemas.ts and asyncapi.ts — do not edit by hand.\n${toYaml(asyncApiDocument())}`;
}

/**
 * The config sections of the box's links to the outside: the cloud (MQTT), SIP phones and DIDs,
 * and the USB provisioning port. Part of the config schema (schema.ts assembles them).
 */
import { Type } from '@sinclair/typebox';
import { Id, Strict } from './schema-base.js';

/**
 * Cloud sync over MQTT (firmware/src/cloud, docs/mqtt.md). Absent or enabled:false: the box stays
 * local. The environment (CALLBOX_MQTT_URL, CALLBOX_DEVICE_ID) overrides url and deviceId.
 */
export const CloudSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    /** mqtt://host:1883, mqtts://host:8883, ws:// or wss:// */
    url: Type.String({ pattern: '^(mqtts?|wss?)://[^\\s]+$', maxLength: 512 }),
    /** The topic prefix is cb/v1/{deviceId}/; also the MQTT client id. */
    deviceId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    username: Type.Optional(Type.String({ maxLength: 256 })),
    password: Type.Optional(Type.String({ maxLength: 1024 })),
    /** PEM files: the CA that signed the broker's certificate, the device's client certificate and key. */
    caFile: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    certFile: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    keyFile: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    /** MQTT protocol version (default 5; 4 = 3.1.1 for old brokers). */
    protocolVersion: Type.Optional(Type.Union([Type.Literal(4), Type.Literal(5)])),
    /** Broker-side session lifetime while offline, so commands queue (default 604800 = 7 days). */
    sessionExpiryS: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295 })),
    /** Telemetry period (default 60). */
    telemetryIntervalS: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 })),
    /** Pending outbox rows above which the box raises the "outbox full" alarm (default 1,000,000). */
    outboxAlarmRows: Type.Optional(Type.Integer({ minimum: 100, maximum: 100_000_000 })),
  },
  Strict,
);

/** SIP (issue 9, hal/src/drivers/sip): agent phones that register to the box; the trunk peer comes from CALLBOX_SIP_TRUNK_PEER. */
export const SipSchema = Type.Object(
  {
    /** Digest realm of the box's registrar. */
    realm: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** Agent SIP phones: channel `sip-<user>`, usable as an agent's extension. */
    extensions: Type.Array(
      Type.Object(
        { user: Type.String({ pattern: '^[0-9a-z_-]{1,20}$' }), password: Type.String({ minLength: 8, maxLength: 128 }) },
        Strict,
      ),
      { maxItems: 64 },
    ),
    /** Failed registrations from one address before it is banned for 10 minutes (default 5). */
    maxAuthFailures: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    /** Digits an agent's SIP phone dials before an outside number (e.g. "9"); absent: any number that is not an extension goes out. */
    outboundPrefix: Type.Optional(Type.String({ pattern: '^[0-9]{1,2}$' })),
    /** Called numbers (DIDs) with an IVR of their own; others go to the trunk's default (main). */
    dids: Type.Optional(
      Type.Array(
        Type.Object(
          {
            did: Type.String({ pattern: '^\\+?[0-9]{3,20}$' }),
            ivr: Id,
            channels: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
          },
          Strict,
        ),
        { maxItems: 32 },
      ),
    ),
  },
  Strict,
);

/**
 * USB provisioning agent (provisioning/, docs/provisioning.md). Absent: on when the environment names
 * a port (CALLBOX_PROVISION_PORT), off otherwise. The env overrides `port`.
 */
export const ProvisioningSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    /** The USB gadget's CDC-ACM port on Pi OS: /dev/ttyGS0. */
    port: Type.String({ pattern: '^/dev/[A-Za-z0-9/_.-]+$', maxLength: 256 }),
    baudRate: Type.Optional(Type.Integer({ minimum: 1200, maximum: 4_000_000 })),
  },
  Strict,
);

/**
 * HTTPS for the dashboard (docs/https.md): the box's self-signed certificate on its own port, and
 * the owner's HTTP → HTTPS redirect (never for loopback clients). CALLBOX_HTTPS_PORT /
 * CALLBOX_HTTPS_REDIRECT override it. Read at start: a change takes effect after a restart.
 */
export const HttpsSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    /** Plain-HTTP requests from other machines get a 308 to HTTPS. */
    redirect: Type.Boolean(),
  },
  Strict,
);

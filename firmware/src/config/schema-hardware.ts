/**
 * The hardware sections of the config: the Pi telephony HAT description (`hardware.pihat`, the
 * shape of hal/src/drivers/pihat/hat-types.ts) and the GSM modem (`hardware.modem`; the
 * CALLBOX_MODEM* environment overrides it). Part of the config schema (schema.ts assembles them);
 * the checks the schema cannot express (GPIO lines used twice, shared audio slots) are in validate.ts.
 */
import { Type } from '@sinclair/typebox';
import { Strict } from './schema-base.js';

/** A GPIO line: its offset on the SoC's GPIO chip (BCM numbering on a Pi), active high unless said. */
export const GpioRefSchema = Type.Object(
  { line: Type.Integer({ minimum: 0, maximum: 255 }), activeLow: Type.Optional(Type.Boolean()) },
  Strict,
);

/** An ALSA PCM name (hw:1,0, plughw:CARD=tdm,DEV=0, a PCM from asound.conf) and a 0-based channel of it. */
export const AudioRefSchema = Type.Object(
  { device: Type.String({ pattern: '^[A-Za-z0-9_:,=.-]{1,64}$' }), channel: Type.Integer({ minimum: 0, maximum: 31 }) },
  Strict,
);

export const HatFxoPortSchema = Type.Object(
  {
    id: Type.String({ pattern: '^fxo[1-9][0-9]?$' }),
    kind: Type.Literal('fxo'),
    ringDetect: GpioRefSchema,
    hookRelay: GpioRefSchema,
    polarity: Type.Optional(GpioRefSchema),
    led: Type.Optional(GpioRefSchema),
    audio: AudioRefSchema,
    /** This line's dial mode when it differs from profile.dialMode. */
    dialMode: Type.Optional(Type.Union([Type.Literal('dtmf'), Type.Literal('pulse')])),
  },
  Strict,
);

export const HatFxsPortSchema = Type.Object(
  {
    id: Type.String({ pattern: '^fxs[1-9][0-9]?$' }),
    kind: Type.Literal('fxs'),
    hookDetect: GpioRefSchema,
    ringControl: GpioRefSchema,
    led: Type.Optional(GpioRefSchema),
    audio: AudioRefSchema,
  },
  Strict,
);

/** Line timing overrides; absent values come from the shop's country (cn: ring 1 s / 4 s, Bell 202 caller ID). */
export const LineProfileSchema = Type.Object(
  {
    ringCadenceMs: Type.Optional(Type.Array(Type.Integer({ minimum: 100, maximum: 10_000 }), { minItems: 2, maxItems: 8 })),
    ringDebounceMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 500 })),
    ringMinMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 2000 })),
    hookDebounceMs: Type.Optional(Type.Integer({ minimum: 5, maximum: 200 })),
    flashMinMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 1000 })),
    flashMaxMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 2000 })),
    callerId: Type.Optional(Type.Union([Type.Literal('bell202'), Type.Literal('v23'), Type.Literal('dtmf'), Type.Literal('none')])),
    polarityHangup: Type.Optional(Type.Boolean()),
    /** Pulse (rotary) dialling on FXS phones: the longest break that is a pulse (below flashMinMs), the make that ends a digit. */
    pulseBreakMaxMs: Type.Optional(Type.Integer({ minimum: 30, maximum: 200 })),
    pulseDigitGapMs: Type.Optional(Type.Integer({ minimum: 80, maximum: 1000 })),
    /** How FXO lines dial out: DTMF, or pulses on the hook relay (break/make, pause between digits). */
    dialMode: Type.Optional(Type.Union([Type.Literal('dtmf'), Type.Literal('pulse')])),
    pulseBreakMs: Type.Optional(Type.Integer({ minimum: 20, maximum: 200 })),
    pulseMakeMs: Type.Optional(Type.Integer({ minimum: 20, maximum: 200 })),
    pulseInterDigitMs: Type.Optional(Type.Integer({ minimum: 200, maximum: 3000 })),
  },
  Strict,
);

/** The Pi telephony HAT (docs/hardware.md): used when hardware.driver is "pihat". */
export const PiHatSchema = Type.Object(
  {
    ports: Type.Array(Type.Union([HatFxoPortSchema, HatFxsPortSchema]), { minItems: 1, maxItems: 16 }),
    /** Energised while the box runs; released, the first line goes straight to a phone (power fail). */
    bypassRelay: Type.Optional(GpioRefSchema),
    /** The HAT's hardware watchdog: holds the bypass relay only while this line toggles every periodMs (default 100). */
    bypassHeartbeat: Type.Optional(
      Type.Object(
        {
          line: Type.Integer({ minimum: 0, maximum: 255 }),
          activeLow: Type.Optional(Type.Boolean()),
          periodMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 5000 })),
        },
        Strict,
      ),
    ),
    /** The label of the GPIO chip the lines are on (default: the SoC's pinctrl chip). */
    gpioChip: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    audio: Type.Optional(
      Type.Object(
        {
          periodMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 100 })),
          bufferMs: Type.Optional(Type.Integer({ minimum: 20, maximum: 500 })),
        },
        Strict,
      ),
    ),
    profile: Type.Optional(LineProfileSchema),
  },
  Strict,
);

/** The GSM/LTE modem on gsm1 (hal/src/drivers/atmodem). CALLBOX_MODEM (and _BAUD, _PIN, _AUDIO) override it. */
export const ModemSchema = Type.Object(
  {
    /** The AT port (an absolute path): a udev symlink or /dev/serial/by-id/… path, not /dev/ttyUSB2 (renumbered on replug). */
    path: Type.String({ pattern: '^/[A-Za-z0-9/_.:+-]+$', maxLength: 256 }),
    baudRate: Type.Optional(Type.Union([9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600].map((b) => Type.Literal(b)))),
    /** SIM PIN, entered once at start (a refusal is never retried). */
    pin: Type.Optional(Type.String({ pattern: '^[0-9]{4,8}$' })),
    /** The modem's USB PCM audio port (optional). */
    audioPath: Type.Optional(Type.String({ pattern: '^/[A-Za-z0-9/_.:+-]+$', maxLength: 256 })),
  },
  Strict,
);

/**
 * The box configuration (config.json), version 1. This TypeBox schema is the single source of the
 * TS types, of API validation and of UI forms. Every object refuses unknown fields. Checks the
 * schema cannot express (references between sections, duplicates) live in validate.ts.
 */
import { type Static, Type } from '@sinclair/typebox';
import { CURRENT_CONFIG_VERSION } from './migrations.js';

import { ID_PATTERN, Id, MENU_KEY_PATTERN, Name, PROMPT_PATTERN, Strict } from './schema-base.js';
import { CloudSchema, HttpsSchema, ProvisioningSchema, SipSchema } from './schema-links.js';
import { ModemSchema, PiHatSchema } from './schema-hardware.js';
import { DispositionsSchema } from './schema-dispositions.js';
import { DialPlanSchema } from './schema-dial-plan.js';
import { RecordingSchema, VoicemailBoxSchema, VoicemailSchema } from './schema-media.js';
import { CallControlSchema } from './schema-call-control.js';
import { QaSchema } from './schema-qa.js';

export { ID_PATTERN, MENU_KEY_PATTERN, PROMPT_PATTERN };
export { CloudSchema, ProvisioningSchema, SipSchema };
export { RecordingSchema, VoicemailBoxSchema, VoicemailSchema };

/**
 * Collecting a number of minDigits..maxDigits keys (an order number, an authenticity code): ended
 * by the terminator key or by reaching maxDigits; firstDigitTimeoutS of silence after the prompt or
 * interDigitTimeoutS between keys (with fewer than minDigits) or a wrong key count as one failed try.
 */
export const CollectSchema = Type.Object(
  {
    minDigits: Type.Integer({ minimum: 1, maximum: 32 }),
    maxDigits: Type.Integer({ minimum: 1, maximum: 32 }),
    /** The key that ends the number (default "#"); "none": only maxDigits or the inter-digit timeout end it. */
    terminator: Type.Optional(Type.Union([Type.Literal('#'), Type.Literal('*'), Type.Literal('none')])),
    /** Seconds to wait for the first key after the prompt (default 8). */
    firstDigitTimeoutS: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
    /** Seconds to wait between keys (default 4). */
    interDigitTimeoutS: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })),
    /** Failed tries (timeout, wrong length, unknown number) before onFail (default 2). */
    retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
    /** Asks for the number (default per lookup: "enter-order-number", "enter-code"). */
    prompt: Type.Optional(Type.String({ pattern: PROMPT_PATTERN })),
    /** After a wrong entry (default "invalid"). */
    invalidPrompt: Type.Optional(Type.String({ pattern: PROMPT_PATTERN })),
    /** After no key in time (default "no-input"). */
    timeoutPrompt: Type.Optional(Type.String({ pattern: PROMPT_PATTERN })),
  },
  Strict,
);

/** A self-service lookup (firmware/src/ivr/lookup-run.ts): order status, authenticity code, where to buy. */
export const LookupActionSchema = Type.Object(
  {
    action: Type.Literal('lookup'),
    lookup: Type.Union([Type.Literal('orderStatus'), Type.Literal('authenticity'), Type.Literal('whereToBuy')]),
    /** "Press 0 for an agent" after the answer, and where the caller goes when the tries run out. */
    queue: Id,
    /** The digits to collect (orderStatus, authenticity; defaults apply when absent; whereToBuy takes none). */
    collect: Type.Optional(CollectSchema),
    /** When the tries run out: the queue (default) or hang up. */
    onFail: Type.Optional(Type.Union([Type.Literal('queue'), Type.Literal('hangup')])),
  },
  Strict,
);

export const ActionSchema = Type.Union([
  Type.Object(
    {
      action: Type.Literal('queue'),
      queue: Id,
      /** 0 (normal) … 9: higher waits ahead of lower in the queue. */
      priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 9 })),
    },
    Strict,
  ),
  Type.Object({ action: Type.Literal('menu'), menu: Id }, Strict),
  Type.Object({ action: Type.Literal('extension'), agent: Id }, Strict),
  Type.Object({ action: Type.Literal('language'), language: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]), menu: Id }, Strict),
  Type.Object({ action: Type.Literal('hangup') }, Strict),
  /** Leave a message in a voicemail box (`voicemail.boxes[].id`). */
  Type.Object({ action: Type.Literal('voicemail'), box: Id }, Strict),
  /** Callback request (预约回电): the caller hangs up and is called back in turn, keeping a place in `queue`. */
  Type.Object({ action: Type.Literal('callback'), queue: Id }, Strict),
  LookupActionSchema,
]);

const HHMM = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' });
const Interval = Type.Object({ open: HHMM, close: HHMM }, Strict);
const DayHours = Type.Optional(Type.Array(Interval, { maxItems: 4 }));

/** Business hours in the shop's time zone; outside them calls take `afterHours`. */
export const HoursSchema = Type.Object(
  {
    weekly: Type.Object(
      { mon: DayHours, tue: DayHours, wed: DayHours, thu: DayHours, fri: DayHours, sat: DayHours, sun: DayHours },
      Strict,
    ),
    /** Local dates (YYYY-MM-DD) closed all day: public holidays, 春节. */
    holidays: Type.Array(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }), { maxItems: 366 }),
    afterHours: ActionSchema,
  },
  Strict,
);

export const ShopSchema = Type.Object(
  {
    name: Name,
    country: Type.Union([Type.Literal('CN'), Type.Literal('US'), Type.Literal('EU')]),
    language: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]),
    /** An IANA time zone, e.g. "Asia/Shanghai" (checked against Intl in validate.ts). */
    timezone: Type.String({ minLength: 1, maxLength: 64 }),
  },
  Strict,
);

export const HardwareSchema = Type.Object(
  {
    driver: Type.Union([Type.Literal('sim'), Type.Literal('pihat')]),
    sim: Type.Object(
      {
        /** The simulated box may be bigger than a real HAT (load tests, benchmarks). */
        fxo: Type.Integer({ minimum: 0, maximum: 32 }),
        fxs: Type.Integer({ minimum: 0, maximum: 32 }),
        gsm: Type.Integer({ minimum: 0, maximum: 2 }),
        agentAnswerAfterS: Type.Number({ minimum: 0, maximum: 120 }),
        agentTalkS: Type.Number({ minimum: 1, maximum: 3600 }),
      },
      Strict,
    ),
    /** The Pi telephony HAT's wiring (required with driver "pihat"; schema-hardware.ts). */
    pihat: Type.Optional(PiHatSchema),
    /** A GSM/LTE modem on gsm1 (optional; CALLBOX_MODEM overrides it). */
    modem: Type.Optional(ModemSchema),
  },
  Strict,
);

export const LineSchema = Type.Object(
  {
    /** The channel id of the line, e.g. "fxo1". */
    channel: Id,
    name: Name,
    /** The menu id where calls on this line start. */
    ivr: Id,
    answerAfterRings: Type.Integer({ minimum: 1, maximum: 10 }),
  },
  Strict,
);

export const AgentSchema = Type.Object(
  {
    id: Id,
    name: Name,
    /** The channel id of the agent's phone, e.g. "fxs1". */
    extension: Id,
    /** Skill name → level 1 (can) … 10 (expert), e.g. {"zh": 10, "returns": 5}. */
    skills: Type.Optional(Type.Record(Type.String({ pattern: ID_PATTERN }), Type.Integer({ minimum: 1, maximum: 10 }), Strict)),
    /** Logged in when the box starts (default true). */
    loggedInAtStart: Type.Optional(Type.Boolean()),
  },
  Strict,
);

/** One overflow rule: another queue, the owner's mobile over the GSM channel, voicemail, or a callback. */
export const OverflowRuleSchema = Type.Union([
  Type.Object({ action: Type.Literal('queue'), queue: Id }, Strict),
  Type.Object(
    {
      action: Type.Literal('mobile'),
      /** The owner's mobile number, dialled over the GSM channel. */
      number: Type.String({ pattern: '^\\+?[0-9]{3,20}$' }),
      /** How long it rings before the next rule (default 30). */
      ringS: Type.Optional(Type.Integer({ minimum: 10, maximum: 120 })),
    },
    Strict,
  ),
  Type.Object({ action: Type.Literal('voicemail'), box: Type.Optional(Id) }, Strict),
  /** A callback ahead of the waiting callers (the caller hears a confirmation; skipped without a caller number). */
  Type.Object({ action: Type.Literal('callback') }, Strict),
]);

export const QueueSchema = Type.Object(
  {
    id: Id,
    name: Name,
    strategy: Type.Union([
      Type.Literal('longestIdle'),
      Type.Literal('ringAll'),
      Type.Literal('roundRobin'),
      Type.Literal('fewestCalls'),
      Type.Literal('leastTalkTime'),
      Type.Literal('linear'),
      Type.Literal('random'),
      Type.Literal('skillsWeighted'),
    ]),
    /** Agent ids. */
    members: Type.Array(Id, { maxItems: 64 }),
    ringTimeoutS: Type.Integer({ minimum: 5, maximum: 120 }),
    maxWaitS: Type.Integer({ minimum: 10, maximum: 3600 }),
    wrapUpS: Type.Integer({ minimum: 0, maximum: 600 }),
    /** Skills an agent needs (all of them) to take this queue's calls. */
    skills: Type.Optional(Type.Array(Type.String({ pattern: ID_PATTERN }), { maxItems: 8 })),
    /** Pause an agent after this many unanswered offers in a row (0: never). */
    autoPauseAfterMisses: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
    /** Where callers go after maxWaitS, or at once when no member is logged in. */
    overflowQueue: Type.Optional(Id),
    /** What waiting callers hear: hold music (default) or ringback. */
    music: Type.Optional(Type.Union([Type.Literal('hold'), Type.Literal('ringback')])),
    /** Announce position and estimated wait every N seconds (0: never). */
    announceEveryS: Type.Optional(Type.Integer({ minimum: 0, maximum: 600 })),
    /** After the agent hangs up, the caller rates the call 1-5 (满意度评价). */
    survey: Type.Optional(Type.Boolean()),
    /** Voicemail from the queue (留言): a breakout `key`, and/or `onTimeout` instead of hanging up when the queue gives up. */
    voicemail: Type.Optional(
      Type.Object({ box: Id, key: Type.Optional(Type.String({ pattern: '^[0-9*#]$' })), onTimeout: Type.Optional(Type.Boolean()) }, Strict),
    ),
    /** Waiting callers press `key` to be called back when an agent is free (回拨, keeps their place). */
    callback: Type.Optional(
      Type.Object(
        {
          key: Type.String({ pattern: '^[0-9*#]$' }),
          maxAttempts: Type.Integer({ minimum: 1, maximum: 5 }),
          retryS: Type.Integer({ minimum: 30, maximum: 3600 }),
        },
        Strict,
      ),
    ),
    /** Record this queue's bridged calls; absent: follow `recording.enabled`. */
    record: Type.Optional(Type.Boolean()),
    /** Wrap-up lasts until the agent sets a call result (通话小结), at most 5 minutes more (then `none`). docs/config.md. */
    dispositionRequired: Type.Optional(Type.Boolean()),
    /** Overflow rules tried in order after maxWaitS or when no member is logged in (溢出规则); replaces `overflowQueue`. See docs/config.md. */
    overflow: Type.Optional(Type.Array(OverflowRuleSchema, { minItems: 1, maxItems: 4 })),
    /** Abandoned-call resume (放弃续排): a caller back within `windowMin` (default 10) keeps their first place; `skipIvr` sends them straight back. */
    resume: Type.Optional(
      Type.Object(
        { windowMin: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })), skipIvr: Type.Optional(Type.Boolean()) },
        Strict,
      ),
    ),
  },
  Strict,
);

export const PauseReasonSchema = Type.Object(
  {
    /** What an FXS agent dials after the pause code, e.g. "1" for *311. */
    code: Type.String({ pattern: '^[0-9]{1,2}$' }),
    name: Name,
    /** Back to available after this long (0: until the agent unpauses). */
    maxS: Type.Integer({ minimum: 0, maximum: 86_400 }),
  },
  Strict,
);

export const MenuSchema = Type.Object(
  {
    /** A prompt name, e.g. "welcome". */
    prompt: Type.String({ pattern: PROMPT_PATTERN }),
    timeoutS: Type.Integer({ minimum: 1, maximum: 60 }),
    repeats: Type.Integer({ minimum: 0, maximum: 5 }),
    options: Type.Record(Type.String({ pattern: MENU_KEY_PATTERN }), ActionSchema, Strict),
    onTimeout: ActionSchema,
    onInvalid: ActionSchema,
    /** Prompts played once on entering the menu, before its prompt (e.g. "consent": this call may be recorded). */
    announce: Type.Optional(Type.Array(Type.String({ pattern: PROMPT_PATTERN }), { maxItems: 5 })),
    /** Played after an invalid key, before the menu repeats. */
    invalidPrompt: Type.Optional(Type.String({ pattern: PROMPT_PATTERN })),
    /** Played when no key came in time, before the menu repeats. */
    timeoutPrompt: Type.Optional(Type.String({ pattern: PROMPT_PATTERN })),
  },
  Strict,
);

/** The whole config for a given version literal; ConfigSchema is the current one. */
export function configSchemaFor<V extends number>(version: V) {
  return Type.Object(
    {
      version: Type.Literal(version),
      shop: ShopSchema,
      http: Type.Object({ metricsRequireAuth: Type.Boolean(), https: Type.Optional(HttpsSchema) }, Strict),
      hardware: HardwareSchema,
      lines: Type.Array(LineSchema, { maxItems: 64 }),
      agents: Type.Array(AgentSchema, { maxItems: 64 }),
      queues: Type.Array(QueueSchema, { maxItems: 32 }),
      /** Fax calls (optional): a fax tone (CNG) heard in the IVR sends the call to this FXS port's fax machine. */
      fax: Type.Optional(Type.Object({ extension: Id }, Strict)),
      /** Business hours (optional; absent: always open). */
      hours: Type.Optional(HoursSchema),
      /** Agent pause reasons (optional; default: none, a pause lasts until unpaused). */
      pauseReasons: Type.Optional(Type.Array(PauseReasonSchema, { maxItems: 20 })),
      /** Call recording (optional; absent: defaultRecordingConfig()). */
      recording: Type.Optional(RecordingSchema),
      /** SIP agent phones (optional). */
      sip: Type.Optional(SipSchema),
      /** Voicemail boxes (optional; absent: none). */
      voicemail: Type.Optional(VoicemailSchema),
      ivr: Type.Object({ menus: Type.Record(Type.String({ pattern: ID_PATTERN }), MenuSchema, Strict) }, Strict),
      /** Call result codes (通话小结; optional; absent: DEFAULT_DISPOSITIONS in schema-dispositions.ts). */
      dispositions: Type.Optional(DispositionsSchema),
      /** What analog phones may dial out (optional; schema-dial-plan.ts). */
      dialPlan: Type.Optional(DialPlanSchema),
      /** Cloud sync over MQTT (optional; absent: off). */
      cloud: Type.Optional(CloudSchema),
      /** USB provisioning agent (optional). */
      provisioning: Type.Optional(ProvisioningSchema),
      /** Quality assurance (质检) flag thresholds (optional; absent: defaultQaConfig() in schema-qa.ts). */
      qa: Type.Optional(QaSchema),
      /** Call control timers: park timeout, ring-back ring time (optional; schema-call-control.ts). */
      callControl: Type.Optional(CallControlSchema),
    },
    Strict,
  );
}

export const ConfigSchema = configSchemaFor(CURRENT_CONFIG_VERSION);

export type Config = Static<typeof ConfigSchema>;
export type Action = Static<typeof ActionSchema>;
export type CollectConfig = Static<typeof CollectSchema>;
export type LookupActionConfig = Static<typeof LookupActionSchema>;
export type ShopConfig = Static<typeof ShopSchema>;
export type HardwareConfig = Static<typeof HardwareSchema>;
export type LineConfig = Static<typeof LineSchema>;
export type AgentConfig = Static<typeof AgentSchema>;
export type QueueConfig = Static<typeof QueueSchema>;
export type MenuConfig = Static<typeof MenuSchema>;
export type RecordingConfig = Static<typeof RecordingSchema>;
export type VoicemailConfig = Static<typeof VoicemailSchema>;
export type VoicemailBoxConfig = Static<typeof VoicemailBoxSchema>;
export type CloudConfig = Static<typeof CloudSchema>;
export type ProvisioningConfig = Static<typeof ProvisioningSchema>;
export type PiHatConfig = Static<typeof PiHatSchema>;
export type ModemConfig = Static<typeof ModemSchema>;

/** The recording settings a config without a `recording` section runs with. */
export function defaultRecordingConfig(): RecordingConfig {
  return { enabled: true, format: 'pcm16', channels: 'mixed', retentionDays: 180, quotaMB: 4096, compress: 'none' };
}

/** The config `run --sim` starts with, and what a missing config file is created as. */
export function defaultConfig(): Config {
  const agents = [1, 2, 3, 4].map((n) => ({ id: `a${n}`, name: `坐席 ${n}`, extension: `fxs${n}` }));
  return {
    version: CURRENT_CONFIG_VERSION,
    shop: { name: 'callbox', country: 'CN', language: 'zh-CN', timezone: 'Asia/Shanghai' },
    http: { metricsRequireAuth: false },
    hardware: {
      driver: 'sim',
      sim: { fxo: 2, fxs: 4, gsm: 1, agentAnswerAfterS: 3, agentTalkS: 30 },
    },
    lines: [
      ...[1, 2].map((n) => ({ channel: `fxo${n}`, name: `主线 ${n} / Main line ${n}`, ivr: 'main', answerAfterRings: 1 })),
      { channel: 'gsm1', name: '手机线路 / Mobile line', ivr: 'main', answerAfterRings: 1 },
    ],
    agents,
    queues: [
      {
        id: 'main',
        name: '主队列 / Main queue',
        strategy: 'longestIdle',
        members: agents.map((a) => a.id),
        ringTimeoutS: 20,
        maxWaitS: 300,
        wrapUpS: 5,
        announceEveryS: 30,
      },
    ],
    recording: defaultRecordingConfig(),
    ivr: {
      menus: {
        main: {
          prompt: 'welcome',
          timeoutS: 10,
          repeats: 1,
          options: { '1': { action: 'queue', queue: 'main' }, '0': { action: 'queue', queue: 'main' } },
          onTimeout: { action: 'hangup' },
          onInvalid: { action: 'menu', menu: 'main' },
        },
      },
    },
  };
}

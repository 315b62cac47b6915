/** The call engine's configuration, collaborators and events (see engine.ts). */
import type { Logger } from 'pino';
import type { FrameSource } from '../../../hal/src/audio.js';
import type { Channel } from '../../../hal/src/channel.js';
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import type { AgentDef, PauseReason, QueueDef } from '../acd/types.js';
import type { ToneRegion } from '../../../hal/src/dsp/tone-presets.js';
import type { EventType } from '../events/catalog.js';
import type { HoursDef } from '../ivr/hours.js';
import type { IvrAction, IvrMenu, IvrSession } from '../ivr/ivr-session.js';
import type { CallMedia } from '../media/leg-media.js';
import type { Recording, RecordingOptions } from '../recorder/types.js';
import type { CallRecord, DispositionDef } from '../service/types.js';
import type { DispositionSink } from './dispositions.js';
import type { CallbackStore } from '../store/callback-store.js';
import type { VoicemailSession } from '../voicemail/types.js';
import type { VoicemailTaker } from './voicemail-flow.js';
import type { Call } from './call.js';
import type { CallLookups } from './lookups.js';
import type { MonitorPolicy } from './monitor.js';
import type { ControlState } from './control-types.js';

export interface LineDef {
  channel: string;
  ivr: string;
  answerAfterRings: number;
}

export interface EngineConfig {
  lines: LineDef[];
  agents: AgentDef[];
  queues: QueueDef[];
  menus: Record<string, IvrMenu>;
  ringCadence: number[];
  pauseReasons?: PauseReason[];
  timezone?: string;
  /** The shop's default prompt language. */
  language?: Language;
  /** Fax calls (CNG heard in the IVR) go to this FXS channel; the tones are of `toneRegion`. */
  fax?: { extension: string };
  toneRegion?: ToneRegion;
  /** Business hours; outside them calls take `afterHours` instead of the line's menu. */
  hours?: HoursDef & { afterHours: IvrAction };
  /** Call result codes (通话小结); absent: the defaults (dispositions.ts). */
  dispositions?: readonly DispositionDef[];
  /** What an analog phone may dial out (calls/phone-dial.ts); absent: no prefix, 4 s between digits, the region's emergency numbers. */
  dialPlan?: DialPlan;
  /** Park timers (config `callControl`); absent: 120 s park timeout, 30 s ring for a parked call. */
  callControl?: { parkTimeoutS?: number; parkRingS?: number };
}

/** An analog phone's dial plan: an outside-line prefix (e.g. `9` or `0`) stripped before dialling, the wait between digits, emergency numbers always dialled. */
export interface DialPlan {
  outsidePrefix?: string;
  interDigitS?: number;
  emergency?: string[];
}

export type Language = 'zh-CN' | 'en';

export interface CallSink {
  /** The call's record and one event, in one transaction. */
  saveCall(call: CallRecord, event: { type: string; ts: number; data?: unknown }): void;
  /** An event that changes no call record (agent state changes). */
  appendEvent(type: string, callId: string | null, data: unknown, ts: number): void;
  /** Calls and talk time per agent since `since` (ms), from the event log. */
  agentCounters(since: number): Map<string, { calls: number; talkMs: number }>;
  /** Recent handle times (ms, oldest first) per queue, from the event log. */
  queueHandleTimes(): Map<string, number[]>;
}

export interface EngineOptions {
  clock: Clock;
  log: Logger;
  store: CallSink;
  channels: Channel[];
  config: EngineConfig;
  prompt(name: string, language: Language): Int16Array;
  ringback(): FrameSource;
  holdMusic(): FrameSource;
  /** Takes voicemail (the voicemail module). */
  voicemail?: VoicemailTaker;
  /** Where callback requests are kept. */
  callbackStore: CallbackStore;
  /** Starts a recording of a bridged call (null: this call is not recorded). */
  recorder?: { start(opts: RecordingOptions): Recording | null };
  dialTone(): FrameSource;
  /** The shop's data for the IVR's self-service lookups and VIP priority (calls/lookups.ts). */
  lookups?: CallLookups;
  /** Where results of calls no longer live are stored (store/disposition-store.ts). */
  dispositionStore?: DispositionSink;
  /** Who may monitor calls from a phone, and the audit trail (calls/monitor.ts); absent: nobody may. */
  monitorPolicy?: MonitorPolicy;
}

export interface EngineEvents {
  [name: string]: unknown;
  call: { call: CallRecord; event: string };
  /** Every event recorded (for live views); agent events have no call. */
  event: { type: EventType; callId: string | null; data: unknown; ts: number };
  /** Saving a call record failed (the call goes on; the record is behind). */
  storeError: { callId: string; message: string };
}

export interface Ctx {
  call: Call;
  line: Channel;
  media: CallMedia | null;
  ivr: IvrSession | null;
  answerTimer: TimerHandle | null;
  answering: boolean;
  language: Language;
  recording: Recording | null;
  /** Set on a callback's outbound call: the agent reserved for it, and whether the customer pressed 1. */
  callback: { id: string; agent: string | null; accepted: boolean } | null;
  /** Stops listening for a fax tone (set while the caller is in the IVR). */
  stopFaxWatch: (() => void) | null;
  /** The caller is leaving a voicemail. */
  voicemail: VoicemailSession | null;
  /** Digits the agent pressed during the call, for *1 / *2 (recording pause / resume). */
  agentDigits: string;
  /** Digits of a `*4N` call result being dialled by the agent during the call (dispositions.ts). */
  dispositionDigits?: string;
  /** The owner's mobile dialled for this caller (overflow to mobile, calls/mobile-overflow.ts). */
  mobile?: MobileLeg;
  /** Hold, consultation, park, flash dialling (calls/call-control.ts). */
  control?: ControlState;
  /** The caller's priority when they entered a queue (kept for a transfer to a queue). */
  priority?: number;
}

export interface MobileLeg {
  channel: Channel;
  number: string;
  queue: string;
  /** When the box started dialling. */
  at: number;
  timer: TimerHandle | null;
  /** The whisper asking the owner to press 1 (takes the owner's keys until it ends). */
  whisper: { digit(d: string): void; stop(): void } | null;
  connected: boolean;
  connectedAt?: number;
  waitMs?: number;
}

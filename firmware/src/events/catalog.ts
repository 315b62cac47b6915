/**
 * The event vocabulary of the box: every call, queue and agent state change is one of these,
 * appended to the event log (`events`: seq, ts, type, call_id, data JSON; stored compact in `event_log`) in the same
 * transaction as the records it changes. KPIs, reports, the live dashboard and the cloud stream
 * are computed from these events alone, so they survive restarts and can be recomputed exactly.
 *
 * Queue events carry the fields of Asterisk's queue_log (ENTERQUEUE, RINGNOANSWER, CONNECT,
 * ABANDON, EXITWITHTIMEOUT, COMPLETECALLER/COMPLETEAGENT, AGENTLOGIN/LOGOFF, PAUSE/UNPAUSE), with
 * times in milliseconds; the event's own `ts` is when it happened.
 */
import type { ChannelKind } from '../../../hal/src/channel.js';
import type { CallOutcome } from '../service/types.js';

export type AgentState = 'loggedOut' | 'available' | 'ringing' | 'onCall' | 'wrapUp' | 'paused';

export interface EventCatalog {
  // ---- calls (call_id set) ----
  /** First ring of an inbound call (the call's start). */
  /** `phone`: the call starts on an agent's phone (a SIP extension calling out or a colleague), not on a shop line. */
  'call.ringing': { channel: string; kind: ChannelKind; phone?: true };
  'call.callerId': { number: string | null; name: string | null };
  /** The box took the line (IVR starts). */
  'call.answered': { channel: string };
  /** The call was bridged to a phone outside any queue (e.g. the fax extension). */
  'call.bridged': { channel: string };
  /** An agent handed the caller to another agent's phone (blind transfer, SIP REFER): phone channels `from` → `to`; the call keeps its record and recording. */
  'call.transferred': { from: string; to: string; agent: string | null; mode?: 'blind' | 'attended'; target?: string; by?: string };
  /**
   * Call control (calls/call-control.ts). The caller was put on hold (hears hold music) by `by` (a
   * username, `phone:<agent>`), from `channel` (the agent's phone), for `why`: the agent's hold,
   * a consultation before a transfer, or a park.
   */
  'call.held': { by: string; channel: string | null; why: 'hold' | 'consult' | 'park' };
  /** The hold is over after `holdMs` (the call record's holdSeconds adds it up). */
  'call.unheld': { by: string; channel: string | null; holdMs: number };
  /** An agent started a consultation (attended transfer): `to` (a phone or line channel) rings for `target` (agent id or number). */
  'call.consult': { from: string; to: string; target: string; by: string };
  /** The consultation party answered. */
  'call.consultAnswered': { to: string; target: string };
  /** The consultation ended without a transfer: cancelled by the agent, the party hung up or did not answer. */
  'call.consultEnded': { to: string; target: string; why: 'cancelled' | 'hungUp' | 'noAnswer' | 'failed' };
  /** The caller was parked in slot `slot` (71..79) by `by`; they hear hold music until picked up. */
  'call.parked': { slot: number; by: string; agent: string | null };
  /** The parked caller left the slot: picked up by `agent`, rung back to the parking agent after the park timeout, or gone. */
  'call.unparked': { slot: number; by: string; agent: string | null; why: 'pickup' | 'timeout' | 'callerGone' };
  /**
   * Conferences (calls/conference.ts, conference-room.ts): `leg` is the leg's index in the call
   * record's legs, `channel` its phone or line, `by` a username or `phone:<agent>`, `leader` the
   * phone leading the conference afterwards (null: none left).
   */
  'call.conference.invited': { leg: number; channel: string; target: string; by: string };
  'call.conference.joined': { leg: number; channel: string; leader: string | null };
  'call.conference.left': { leg: number; channel: string; why: LegLeaveReason; by: string | null; leader: string | null };
  /** Supervisor monitoring (calls/monitor.ts): the supervisor's phone rings for a console request. */
  'call.monitor.ringing': { leg: number; channel: string; mode: MonitorModeName; by: string };
  /** A supervisor joined (answered, dialled a feature code) or a browser started listening in (`channel` "browser", `leg` null). */
  'call.monitor.started': { leg: number | null; channel: string; mode: MonitorModeName; by: string };
  'call.monitor.mode': { leg: number; channel: string; mode: MonitorModeName; by: string };
  'call.monitor.ended': {
    leg: number | null;
    channel: string;
    mode: MonitorModeName;
    why: LegLeaveReason;
    by: string | null;
    durationMs: number;
  };
  /** The call is over: exactly one per call, always the call's last event. */
  'call.ended': { outcome: CallOutcome; reason: CallEndReason; durationMs: number };

  /**
   * The call's result (通话小结) was set: a configured code, or `none` when a required result was
   * not set in time; `by` a username, `phone:<agent>` or `system`. The latest one counts.
   */
  'call.disposition': {
    code: string;
    note: string | null;
    agent: string | null;
    queue: string | null;
    by: string;
    source: 'phone' | 'api' | 'timeout';
  };

  // ---- IVR (call_id set) ----
  /** The caller entered a menu node. */
  'ivr.menu': { menu: string };
  /** An accepted key in a menu. */
  'ivr.key': { menu: string; digit: string };
  /** The IVR handed the call on (queue, extension) or ended it. */
  'ivr.done': { menu: string; action: string; target: string | null; reason: 'selected' | 'timeout' | 'invalid' | 'loop' };
  /** A try at collecting a number in a lookup node ended: how (terminator, max, interDigitTimeout, timeout, invalid) and how many digits (never the digits). */
  'ivr.collect': { menu: string; result: 'terminator' | 'max' | 'interDigitTimeout' | 'timeout' | 'invalid'; digits: number };
  /** A self-service lookup's outcome (found:shipped, notFound, genuine, repeat, unknown, message, noMessage, unavailable). */
  'ivr.lookup': { menu: string; outcome: string };

  // ---- queues (call_id set) — queue_log ----
  /** ENTERQUEUE: the caller joined `queue` at `position` (1 = first). */
  'queue.enter': { queue: string; position: number; priority: number };
  /** An agent's phone starts ringing for the call. */
  'queue.offer': { queue: string; agent: string; channel: string };
  /** RINGNOANSWER: the offer was withdrawn after ringing `ringMs` (timeout or another agent took it). */
  'queue.ringNoAnswer': { queue: string; agent: string; ringMs: number; why: 'timeout' | 'takenByOther' | 'callerLeft' };
  /** CONNECT: the agent answered after the caller waited `waitMs` in the queue; the phone rang `ringMs`. */
  'queue.connect': { queue: string; agent: string; waitMs: number; ringMs: number };
  /** ABANDON: the caller hung up while waiting. */
  'queue.abandon': { queue: string; position: number; origPosition: number; waitMs: number };
  /** EXITWITHTIMEOUT: nobody took the call within the queue's maxWaitS. */
  'queue.exitTimeout': { queue: string; position: number; waitMs: number };
  /** EXITWITHKEY: the caller pressed a breakout key (voicemail) and left the queue. */
  'queue.exitWithKey': { queue: string; key: string; position: number; waitMs: number };
  /**
   * A caller who abandoned `abandonedCallId` within the queue's resume window called again and
   * rejoined at the place of that first entry (follows this call's queue.enter).
   */
  'queue.resume': { queue: string; abandonedCallId: string; abandonedAgoMs: number; firstEnteredAgoMs: number; position: number };
  /** COMPLETECALLER / COMPLETEAGENT: the connected call ended; `by` says who hung up. */
  'queue.complete': { queue: string; agent: string; waitMs: number; talkMs: number; by: 'caller' | 'agent' | 'system' };

  // ---- callbacks (回拨; call_id: the call concerned) ----
  /** The waiting caller pressed the callback key: their place is kept, the line released. */
  'callback.requested': { callbackId: string; queue: string; number: string };
  /** An agent is free: the box dials the customer (this call is the outbound attempt, its own call record). */
  'callback.dialing': { callbackId: string; attempt: number; channel: string; agent: string; originalCallId?: string };
  /** The customer pressed 1: the reserved agent's phone rings. */
  'callback.accepted': { callbackId: string };
  /** The attempt failed (no answer, busy, not accepted); `final` when no attempt is left. */
  'callback.failed': { callbackId: string; attempts: number; why: string; final: boolean };

  // ---- overflow to the owner's mobile (call_id: the waiting caller's call) ----
  /** The queue overflowed to the owner's mobile: the box dials it over the GSM channel. */
  'overflow.mobileDialing': { queue: string; number: string; channel: string };
  /** The mobile rule could not be used (no GSM channel, GSM busy, dial failed): the next rule follows. */
  'overflow.mobileUnavailable': { queue: string; number: string; why: 'noGsm' | 'gsmBusy' | 'dialFailed' | 'noAudio' };
  /** The owner did not take the caller (refused, no answer, hung up): the next rule follows. */
  'overflow.mobileRefused': { queue: string; number: string; why: 'refused' | 'noAnswer' | 'hungUp'; ringMs: number };

  /** A fax machine's CNG tone was heard in the IVR: the call goes to the fax extension. */
  'fax.detected': { extension: string };

  // ---- surveys (call_id set) ----
  /** The agent hung up; the caller is asked for a score. */
  'survey.start': { queue: string | null; agent: string | null };
  /** Post-call CSAT: the caller pressed 1-5 after the agent hung up. */
  'survey.score': { queue: string | null; agent: string | null; score: number };
  /** The survey got no valid answer (timeout, caller hung up). */
  'survey.noAnswer': { queue: string | null; agent: string | null };

  // ---- voicemail (call_id null: a message may be saved after its call ended; the voicemails row
  // keeps the call id) ----
  /** A message became a voicemail (state 'new'), also when repaired at start after a crash. */
  'voicemail.saved': { box: string; voicemailId: string; durationMs: number };
  /** A caller reached a box but no voicemail was kept: tooShort, noMessage, callerHungUp, failed, missing. */
  'voicemail.discarded': { box: string; reason: string };

  // ---- agents (call_id null unless the change is caused by a call) ----
  /** Any agent state change; `reason` for pauses (e.g. "lunch") and auto-pauses. */
  'agent.state': { agent: string; state: AgentState; prev: AgentState; reason?: string };
}

export type MonitorModeName = 'listen' | 'whisper' | 'barge';

/** Why a conference or monitor leg ended: its phone hung up, the leader or the supervisor dropped or ended it, not answered, failed, the call ended. */
export type LegLeaveReason = 'hungUp' | 'dropped' | 'noAnswer' | 'failed' | 'callEnded' | 'ended';

export type CallEndReason =
  | 'callerHangup'
  | 'agentHangup'
  | 'callerGaveUp' // stopped ringing before the box answered
  | 'ivrHangup'
  | 'queueTimeout'
  | 'answerFailed'
  | 'callbackRequested'
  | 'voicemail'
  | 'callbackNotAccepted'
  | 'dialFailed' // an outbound call (callback attempt) could not be dialled
  | 'transferFailed' // an external number the call was transferred to could not be reached
  | 'externalHangup' // the external party the call was transferred to hung up
  | 'shutdown'
  | 'closedAtStartup';

export type EventType = keyof EventCatalog;

export interface TypedEvent<K extends EventType = EventType> {
  seq: number;
  ts: number;
  type: K;
  callId: string | null;
  data: EventCatalog[K];
}

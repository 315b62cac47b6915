/**
 * A channel carries one call leg: an FXO port (a shop's phone line), an FXS port (an agent's analog
 * phone), the GSM modem or a SIP trunk/phone. The call engine sees only this interface; every driver
 * (sim, pihat, atmodem, sip) implements it.
 */
import type { Frame } from './audio.js';
import type { TypedEmitter } from './events.js';

export type ChannelKind = 'fxo' | 'fxs' | 'gsm' | 'sip';

/**
 * idle: nothing on the channel. ringing: an inbound call rings (fxo/gsm/sip) or the box rings the
 * phone (fxs). dialing: an outbound call is being set up. active: audio flows. error: the channel
 * is unusable until the driver recovers it.
 */
export type ChannelState = 'idle' | 'ringing' | 'dialing' | 'active' | 'error';

export type HangupReason =
  | 'remote' // far end hung up (signalled: SIP BYE, modem NO CARRIER)
  | 'busyTone' // FXO: busy/congestion tone heard after the far end left
  | 'polarity' // FXO: polarity reversal / loss of battery
  | 'onHook' // FXS: the phone was put down
  | 'local' // the box hung up
  | 'failed'; // the call could not be set up

export interface CallerIdInfo {
  number: string | null;
  name?: string | null;
  /** Why the number is absent: 'private' (caller ID code P) or 'unavailable' (code O, out of area), as Telcordia GR-30 / ETSI define them. */
  absence?: 'private' | 'unavailable' | null;
}

export interface RingCadence {
  /** Alternating on/off durations in ms, e.g. China [1000, 4000], US [2000, 4000]. */
  pattern: number[];
}

export interface ChannelEvents {
  [name: string]: unknown;
  /** An inbound ring burst began (fxo/gsm/sip). count starts at 1. */
  ring: { count: number };
  callerId: CallerIdInfo;
  /** FXS: the phone was lifted (answering a ring, or to place a call). */
  offHook: Record<string, never>;
  /** FXS: the phone was put down. */
  onHook: Record<string, never>;
  /** FXS: a hook flash. */
  flash: Record<string, never>;
  /** A SIP phone put its call on hold (re-INVITE sendonly/inactive: `held`) or took it off (sendrecv). */
  hold: { held: boolean };
  /**
   * A phone places a call to `number` (a SIP phone's INVITE); the phone leg is set up (early media)
   * until answer(), refused by hangup(). `extensionOnly`: dialled without the outside-line prefix the
   * phones must use: only an extension (or agent id) may take it, it is never dialled out.
   */
  dial: { number: string; extensionOnly?: boolean };
  /**
   * A phone in a call asks to hand its far end to `target` (a blind SIP REFER). The box takes it by
   * hanging this leg up while it handles the event; a leg still up afterwards was refused.
   * `replacesSecond`: an attended transfer, the REFER's Replaces names the phone's second call
   * (`secondCall`, to `target`), answered or still ringing (semi-attended): its far end is to take
   * this call's.
   */
  transfer: { target: string; replacesSecond?: boolean };
  /**
   * A phone in a call places a second call to `number` while the first waits (a SIP phone's second
   * INVITE, as desk phones start an attended transfer or a three-way), to a colleague's extension
   * (SIP or analog) or an outside number alike: the box makes it the call's consultation. Until it
   * ends the phone's audio is that call's (set up at once, for ringback); the box connects it with
   * answerSecond() and ends it with hangupSecond() (or hangup(), which ends both).
   */
  secondCall: { number: string; extensionOnly?: boolean };
  /** The phone ended its second call itself (BYE, or CANCEL before it was answered). */
  secondHangup: Record<string, never>;
  /** FXO: line polarity reversed (far-end answer or disconnect, per country). */
  polarityReversal: Record<string, never>;
  /** A DTMF digit, detected in-band by the DSP or signalled out-of-band (RFC 4733, AT+VTS), or pulse-dialled on an FXS phone's hook. */
  digit: { digit: string; durationMs: number; source: 'inband' | 'signalled' | 'pulse' };
  /** FXO: busy or congestion tone detected. */
  busyTone: Record<string, never>;
  /** An outbound call was answered by the far end. */
  answered: Record<string, never>;
  /** The far end is gone, or the local side ended the leg. */
  hangup: { reason: HangupReason };
  /** Inbound ringing stopped before anyone answered (caller gave up). */
  ringStopped: Record<string, never>;
  state: { state: ChannelState; prev: ChannelState };
  /** GSM: a text message arrived (long messages already joined). id is stable per message. */
  sms: { from: string; text: string; receivedAt: number; id: string };
  error: { code: string; message: string };
}

export type FrameSink = (frame: Frame) => void;

export interface Channel {
  readonly id: string;
  readonly kind: ChannelKind;
  readonly state: ChannelState;
  readonly events: TypedEmitter<ChannelEvents>;
  /** Why the channel is in 'error' (e.g. "no SIM card"), for the health view; drivers without hardware faults leave it out. */
  readonly reason?: string | null;
  /** A phone the box rings for an agent (events offHook/onHook like an FXS port) though its kind is not 'fxs': a SIP extension. */
  readonly phone?: boolean;
  /** The IVR menu a line channel rings into when its driver decides it (a SIP trunk's DID route); absent for configured lines. */
  readonly route?: string;

  /** Take an inbound call (FXO: go off hook; GSM: ATA; SIP: 200 OK). */
  answer(): Promise<void>;
  /**
   * End the leg (FXO: on hook; FXS: stop ringing / play reorder; GSM: ATH; SIP: BYE/CANCEL).
   * `cause` 'busy': a phone's own call not yet answered is refused as busy (SIP 486 Busy Here, else 480).
   */
  hangup(cause?: 'busy'): Promise<void>;
  /** Place an outbound call (fxo/gsm/sip). */
  dial(number: string): Promise<void>;
  /** A phone's second call (event `secondCall`): connect it (the party it called answered). */
  answerSecond?(): Promise<void>;
  /** A phone's second call: end it (refused, or the consultation is over); nothing when there is none. */
  hangupSecond?(): Promise<void>;
  /** FXS: ring the phone with a cadence and caller ID. */
  ring(opts: { cadence: RingCadence; callerId?: CallerIdInfo }): Promise<void>;
  /** Send DTMF digits to the far end. */
  sendDigits(digits: string): Promise<void>;

  /** Audio towards the far end: one 20 ms frame. The driver copies it. */
  write(frame: Frame): void;
  /** Audio from the far end: the sink gets one 20 ms frame each tick while the leg is active. */
  setFrameSink(sink: FrameSink | null): void;
}

/** A driver owns a set of channels and their hardware. */
export interface Driver {
  readonly name: string;
  channels(): Channel[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Voicemail's public types: what the call engine holds while a caller leaves a message, and the index rows. */

export type VoicemailLanguage = 'zh-CN' | 'en';

export interface TakeOptions {
  /** The call leaving the message (kept in the row; not an event's call id, see README). */
  callId: string;
  /** A box id from config `voicemail.boxes` (an unknown id records with the default settings). */
  box: string;
  callerId: string | null;
  /** The language of the greeting prompt. */
  language: VoicemailLanguage;
}

/**
 * saved: the message is a voicemail (state 'new'). tooShort: under the minimum of speech.
 * noMessage: the caller said nothing (silence from the beep, or '#' at once). callerHungUp: the
 * caller hung up before the beep ended (nothing was recorded). failed: the file could not be
 * written (logged; a file left half-written is repaired at the next start).
 */
export type VoicemailReason = 'saved' | 'tooShort' | 'noMessage' | 'callerHungUp' | 'failed';

export interface TakeResult {
  /** Set only when reason is 'saved'. */
  voicemailId: string | null;
  reason: VoicemailReason;
}

/** greeting → beep → recording → saving → done. */
export type VoicemailPhase = 'greeting' | 'beep' | 'recording' | 'saving' | 'done';

/** What ended a recording (logged with the result); 'stalled': no caller audio; 'error': the file failed. */
export type StopCause = 'hash' | 'silence' | 'maxLength' | 'callerGone' | 'stalled' | 'error';

/** One caller leaving a message; made by VoicemailBox.take(). */
export interface VoicemailSession {
  readonly phase: VoicemailPhase;
  /** The message's id once recording began (its row exists), else null. */
  readonly voicemailId: string | null;
  /**
   * A DTMF digit from the caller. '#' during the greeting skips to the beep; '#' while recording
   * ends the message (the key's tone is cut from the end). Other digits are ignored.
   */
  digit(d: string): void;
  /**
   * The caller hung up (or the call is being torn down): before the beep ended the result is
   * 'callerHungUp'; while recording, what was recorded is saved if long enough. Idempotent.
   */
  callerGone(): void;
  /** Resolves with the result once the session is done (after the done callback ran). */
  readonly finished: Promise<TakeResult>;
}

/** new: not listened to yet; heard: someone listened; handled: the owner dealt with it (called back...). */
export type VoicemailState = 'new' | 'heard' | 'handled';
/** In the table only: a message being recorded (or left by a crash, repaired at start). */
export type StoredVoicemailState = VoicemailState | 'recording';

export interface VoicemailInfo {
  id: string;
  callId: string;
  box: string;
  callerId: string | null;
  /** ISO time the recording began (after the beep). */
  createdAt: string;
  durationMs: number;
  state: VoicemailState;
  /** Who marked it handled, and when (null unless state is 'handled'). */
  handledBy: string | null;
  handledAt: string | null;
  note: string | null;
}

export interface ListVoicemailQuery {
  state?: VoicemailState;
  /** Clamped to 1..500; default 100. */
  limit?: number;
}

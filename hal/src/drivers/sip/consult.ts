/**
 * Consultation calls for attended transfer: an agent in a call (its caller on hold) dials another
 * extension; the box rings that phone and joins the two dialogs' RTP streams itself, outside any
 * call record (the call engine never sees a consultation). When the consulting phone then REFERs
 * its held call with `Replaces` naming the consultation, the consulted phone's dialog is handed to
 * the call engine as that phone answering (see sip-phone-channel.ts).
 */
import { type Invitation, Inviter, type Referral, type Session, SessionState } from 'sip.js';
import { FRAME_SAMPLES } from '../../audio.js';
import type { RtpSdh } from './rtp-sdh.js';

/** The dialog a Replaces header (RFC 3891) names: `call-id;to-tag=…;from-tag=…`. */
export interface ReplacesTarget {
  callId: string;
  toTag: string;
  fromTag: string;
}

export function parseReplaces(value: string): ReplacesTarget | null {
  const [callId, ...params] = decodeURIComponent(value).split(';');
  const p = (name: string) =>
    params
      .map((x) => x.trim())
      .find((x) => x.toLowerCase().startsWith(`${name}=`))
      ?.slice(name.length + 1) ?? null;
  const toTag = p('to-tag');
  const fromTag = p('from-tag');
  if (!callId?.trim() || toTag === null || fromTag === null) return null;
  return { callId: callId.trim(), toTag, fromTag };
}

/** What a REFER names: its Refer-To user and Replaces (raw, and the dialog: null when absent or malformed); null when unreadable. */
export function readRefer(referral: Referral): { target: string; replaces: string | undefined; dialog: ReplacesTarget | null } | null {
  try {
    const replaces = referral.replaces;
    return { target: referral.referTo.uri.user ?? '', replaces, dialog: replaces ? parseReplaces(replaces) : null };
  } catch {
    return null;
  }
}

/** Whether a session's dialog is the one Replaces names (tags in either order: our side's or theirs). */
export function dialogMatches(s: Session, r: ReplacesTarget): boolean {
  const d = s.dialog;
  if (!d || d.callId !== r.callId) return false;
  return (d.localTag === r.toTag && d.remoteTag === r.fromTag) || (d.localTag === r.fromTag && d.remoteTag === r.toTag);
}

/** End a dialog in any state: BYE when up; still ringing, cancelled (the box's INVITE) or refused 480 (the phone's). */
export function endDialog(s: Session): void {
  if (s.state === SessionState.Established) s.bye().catch(() => {});
  else if (s instanceof Inviter) s.cancel().catch(() => {});
  else if (s.state !== SessionState.Terminated) (s as Invitation).reject({ statusCode: 480 }).catch(() => {});
}

/** Moves one 20 ms frame each way between two sessions' RTP streams (a consultation). */
export class RtpRelay {
  private readonly ab = new Int16Array(FRAME_SAMPLES);
  private readonly ba = new Int16Array(FRAME_SAMPLES);

  constructor(
    private readonly a: Session,
    private readonly b: Session,
  ) {}

  tick(): void {
    const ra = (this.a.sessionDescriptionHandler as RtpSdh | undefined)?.rtp;
    const rb = (this.b.sessionDescriptionHandler as RtpSdh | undefined)?.rtp;
    if (!ra || !rb) return;
    ra.readFrame(this.ab);
    rb.readFrame(this.ba);
    rb.sendFrame(this.ab);
    ra.sendFrame(this.ba);
  }
}

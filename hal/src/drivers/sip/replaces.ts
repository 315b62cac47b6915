/**
 * What a REFER names (RFC 3515) and the dialog its Replaces header (RFC 3891) points at: a phone in
 * a call REFERs it with Replaces naming its second call to hand its far end over (an attended
 * transfer, sip-phone-channel.ts).
 */
import type { Referral, Session } from 'sip.js';

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

/**
 * Automatic review flags (pure): what a call's event sequence says (time on hold, transfers, the
 * CSAT score), its talk time and its recording's longest silence, against the thresholds of
 * config `qa.flags` (0 turns a flag off).
 */
import type { QaConfig } from '../../config/schema-qa.js';
import type { Flag } from './types.js';

/** One event of a call, as the event log holds it. */
export interface CallEvent {
  ts: number;
  type: string;
  data: Record<string, unknown>;
}

export interface CallFacts {
  /** Answered to ended, seconds; null when never answered. */
  talkS: number | null;
  holdS: number;
  transfers: number;
  /** The last survey score 1-5, or null. */
  csat: number | null;
  /** Longest silence in the recording, seconds; null when not measured (no recording). */
  longestSilenceS: number | null;
}

/** Hold time, transfers and CSAT from a call's events in order; `endTs` closes a hold left open. */
export function factsFromEvents(events: readonly CallEvent[], endTs: number): Pick<CallFacts, 'holdS' | 'transfers' | 'csat'> {
  let heldAt: number | null = null;
  let holdMs = 0;
  let transfers = 0;
  let csat: number | null = null;
  for (const e of events) {
    if (e.type === 'call.held') {
      if (heldAt === null) heldAt = e.ts;
    } else if (e.type === 'call.unheld') {
      if (heldAt !== null) holdMs += Math.max(0, e.ts - heldAt);
      heldAt = null;
    } else if (e.type === 'call.transferred') {
      transfers++;
    } else if (e.type === 'survey.score' && typeof e.data.score === 'number') {
      csat = e.data.score;
    } else if (e.type === 'call.ended' && heldAt !== null) {
      holdMs += Math.max(0, e.ts - heldAt);
      heldAt = null;
    }
  }
  if (heldAt !== null) holdMs += Math.max(0, endTs - heldAt);
  return { holdS: Math.round(holdMs / 1000), transfers, csat };
}

/** The flags a call earns, in FLAG_KINDS order. */
export function flagsOf(f: CallFacts, t: QaConfig['flags']): Flag[] {
  const out: Flag[] = [];
  if (t.longSilenceS > 0 && f.longestSilenceS !== null && f.longestSilenceS >= t.longSilenceS) {
    out.push({ kind: 'longSilence', value: f.longestSilenceS, threshold: t.longSilenceS });
  }
  if (t.longHoldS > 0 && f.holdS >= t.longHoldS) out.push({ kind: 'longHold', value: f.holdS, threshold: t.longHoldS });
  if (t.transfersAtLeast > 0 && f.transfers >= t.transfersAtLeast) {
    out.push({ kind: 'repeatedTransfer', value: f.transfers, threshold: t.transfersAtLeast });
  }
  if (t.csatAtMost > 0 && f.csat !== null && f.csat <= t.csatAtMost) out.push({ kind: 'lowCsat', value: f.csat, threshold: t.csatAtMost });
  if (t.shortCallS > 0 && f.talkS !== null && f.talkS < t.shortCallS)
    out.push({ kind: 'shortCall', value: f.talkS, threshold: t.shortCallS });
  return out;
}

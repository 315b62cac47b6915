/** Quality assurance (质检): the service contract. Times are ISO strings; scores 0-100. */
import type { Actor } from '../common/types.js';

/** One line of a scorecard. */
export interface Criterion {
  /** Stable key within the scorecard (a-z, 0-9, -, _), e.g. "greeting". */
  key: string;
  labelZh: string;
  labelEn: string;
  /** Relative weight, 1..100: the total is the weighted mean of the criteria's scores. */
  weight: number;
  /** Auto-fail (一票否决): a score of 0 on this criterion fails the review whatever the total. */
  critical: boolean;
}

/** A scorecard's current definition (its `version` is the one new reviews are given against). */
export interface Scorecard {
  id: string;
  name: string;
  /** Pass mark (合格线) 0-100, compared with the weighted total. */
  passMark: number;
  criteria: Criterion[];
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ScorecardInput {
  name: string;
  passMark: number;
  criteria: Criterion[];
  active?: boolean;
}

/** A new definition (a new version: old reviews keep theirs); `version` is the one the editor read. */
export interface ScorecardPatch {
  name?: string;
  passMark?: number;
  criteria?: Criterion[];
  active?: boolean;
  version?: number;
}

export interface CriterionScore {
  key: string;
  /** 0-100: how well the criterion was met. */
  score: number;
  comment?: string;
}

export interface ReviewInput {
  callId: string;
  scorecardId: string;
  scores: CriterionScore[];
  comment?: string;
}

/** One scorer's scores of one call, against one scorecard version. */
export interface Review {
  id: string;
  callId: string;
  /** The call's agent (who is scored). */
  agent: string | null;
  scorer: string;
  scorecardId: string;
  scorecardVersion: number;
  /** The criteria the review was given against (the scorecard as it was then). */
  criteria: Criterion[];
  passMark: number;
  scores: Array<{ key: string; score: number; comment: string }>;
  comment: string;
  /** Weighted mean of the scores, one decimal. */
  total: number;
  passed: boolean;
  /** A critical criterion scored 0. */
  autoFailed: boolean;
  callStartedAt: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ReviewQuery {
  agent?: string;
  callId?: string;
  scorer?: string;
  limit?: number;
  offset?: number;
}

/** Two or more scorers on the same call and scorecard version: the spread per criterion. */
export interface Calibration {
  callId: string;
  scorecardId: string;
  scorecardVersion: number;
  scorers: string[];
  criteria: Array<{ key: string; labelZh: string; labelEn: string; scores: Record<string, number>; spread: number }>;
  totals: Record<string, number>;
  /** Highest total minus lowest. */
  totalSpread: number;
  /** Whether the scorers agree on pass/fail. */
  verdictsAgree: boolean;
}

export type FlagKind = 'longSilence' | 'longHold' | 'repeatedTransfer' | 'lowCsat' | 'shortCall';

export const FLAG_KINDS: readonly FlagKind[] = ['longSilence', 'longHold', 'repeatedTransfer', 'lowCsat', 'shortCall'];

export interface Flag {
  kind: FlagKind;
  /** The measured value: seconds (silence, hold, call), transfers, or the CSAT score. */
  value: number;
  /** The threshold it crossed (config qa.flags). */
  threshold: number;
}

/** A call in the review queue (待质检): why it was flagged. */
export interface FlaggedCall {
  callId: string;
  startedAt: string;
  agent: string | null;
  queue: string | null;
  talkS: number;
  flags: Flag[];
  hasRecording: boolean;
}

export interface FlagQuery {
  /** ms since epoch; default: 7 days before `to`. */
  from?: number;
  /** ms since epoch; default: now. */
  to?: number;
  agent?: string;
  /** Include calls already reviewed or dismissed (default: only those still to do). */
  all?: boolean;
  limit?: number;
}

/** Scores per agent over a range (the reports' QA table). */
export interface QaAgentRow {
  agent: string;
  reviews: number;
  /** Mean total, one decimal; null without reviews. */
  average: number | null;
  /** Passed reviews / reviews. */
  passRate: number | null;
  autoFailed: number;
}

export interface QaService {
  scorecards(opts?: { includeInactive?: boolean }): Scorecard[];
  scorecard(id: string): Scorecard | null;
  createScorecard(actor: Actor, input: ScorecardInput): Scorecard;
  updateScorecard(actor: Actor, id: string, patch: ScorecardPatch): Scorecard;
  /** Create, or update the scorer's own review of this call on this scorecard (201 vs 200). */
  score(actor: Actor, input: ReviewInput): { review: Review; created: boolean };
  reviews(q: ReviewQuery): { items: Review[]; total: number };
  review(id: string): Review | null;
  calibration(callId: string, scorecardId?: string): Calibration;
  /** Flagged calls (the review queue), newest first; measures recordings not yet measured. */
  flags(q: FlagQuery): Promise<FlaggedCall[]>;
  /** Take a flagged call out of the queue without scoring it. */
  dismiss(actor: Actor, callId: string, note?: string): void;
  /** Per agent over [from, to) by call start. */
  agentRows(from: number, to: number): QaAgentRow[];
}

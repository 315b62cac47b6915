/**
 * The QA service (质检): scorecards, reviews and calibration, the review queue of flagged calls,
 * dismissals, and the per-agent figures the reports show. Role checks are the routes' (owner
 * defines scorecards, supervisor and owner score, an agent reads their own reviews).
 */
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor } from '../common/types.js';
import { CallAudio } from './call-audio.js';
import { FlagQueue } from './flag-queue.js';
import { Reviews } from './reviews.js';
import { Scorecards } from './scorecards.js';
import type {
  Calibration,
  FlaggedCall,
  FlagQuery,
  QaAgentRow,
  QaService,
  Review,
  ReviewInput,
  ReviewQuery,
  Scorecard,
  ScorecardInput,
  ScorecardPatch,
} from './types.js';

export class Qa implements QaService {
  private readonly cards: Scorecards;
  private readonly reviewStore: Reviews;
  private readonly queue: FlagQueue;

  constructor(private readonly deps: BackOfficeDeps) {
    const now = () => deps.clock.now();
    this.cards = new Scorecards(deps);
    this.reviewStore = new Reviews(deps, this.cards);
    this.queue = new FlagQueue(deps.db, new CallAudio(deps.db, deps.recordingFile, now), () => deps.config().qa, now);
  }

  scorecards(opts: { includeInactive?: boolean } = {}): Scorecard[] {
    return this.cards.list(opts.includeInactive === true);
  }

  scorecard(id: string): Scorecard | null {
    return this.cards.get(id);
  }

  createScorecard(actor: Actor, input: ScorecardInput): Scorecard {
    return this.cards.create(actor, input);
  }

  updateScorecard(actor: Actor, id: string, patch: ScorecardPatch): Scorecard {
    return this.cards.update(actor, id, patch);
  }

  score(actor: Actor, input: ReviewInput): { review: Review; created: boolean } {
    return this.reviewStore.score(actor, input);
  }

  reviews(q: ReviewQuery): { items: Review[]; total: number } {
    return this.reviewStore.list(q);
  }

  review(id: string): Review | null {
    return this.reviewStore.get(id);
  }

  calibration(callId: string, scorecardId?: string): Calibration {
    return this.reviewStore.calibration(callId, scorecardId);
  }

  flags(q: FlagQuery): Promise<FlaggedCall[]> {
    return this.queue.list(q);
  }

  dismiss(actor: Actor, callId: string, note = ''): void {
    const call = this.deps.db.prepare('SELECT 1 FROM calls WHERE id = ?').get(callId);
    if (!call) throw new CallboxError('NOT_FOUND', `no call ${JSON.stringify(callId)}`, { id: callId });
    if (typeof note !== 'string' || note.length > 500) {
      throw new CallboxError('VALIDATION_FAILED', 'note must be a string of 0..500 characters', { field: 'note' });
    }
    this.deps.db.transaction(() => {
      this.deps.db
        .prepare('INSERT INTO qa_dismissed (call_id, by_user, note, at) VALUES (?, ?, ?, ?) ON CONFLICT (call_id) DO NOTHING')
        .run(callId, actor.username, note, this.deps.clock.now());
      this.deps.audit.record(actor.username, 'qa.flag.dismiss', 'call', callId, { note });
    })();
  }

  agentRows(from: number, to: number): QaAgentRow[] {
    return this.deps.db
      .prepare<[number, number], { agent: string; reviews: number; average: number; passed: number; auto_failed: number }>(
        `SELECT agent, COUNT(*) AS reviews, AVG(total) AS average, SUM(passed) AS passed, SUM(auto_failed) AS auto_failed
         FROM qa_reviews WHERE call_started_at >= ? AND call_started_at < ? AND agent IS NOT NULL GROUP BY agent ORDER BY agent`,
      )
      .all(from, to)
      .map((r) => ({
        agent: r.agent,
        reviews: r.reviews,
        average: Math.round(r.average * 10) / 10,
        passRate: r.passed / r.reviews,
        autoFailed: r.auto_failed,
      }));
  }
}

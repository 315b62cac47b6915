/**
 * Reviews (质检评分): one scorer's scores of one recorded call against a scorecard version, the
 * total and verdict computed here (scoring.ts). A scorer saving again on the same call and
 * scorecard updates their review (against the scorecard's current version). Reads the contract
 * table `calls` for the call's agent and start.
 */
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor } from '../common/types.js';
import type { Scorecards } from './scorecards.js';
import { calibrate, computeResult, LIMITS } from './scoring.js';
import type { Calibration, Review, ReviewInput, ReviewQuery } from './types.js';

interface Row {
  id: string;
  call_id: string;
  agent: string | null;
  scorer: string;
  scorecard_id: string;
  scorecard_version: number;
  scores: string;
  comment: string;
  total: number;
  passed: number;
  auto_failed: number;
  call_started_at: number;
  created_at: number;
  updated_at: number;
  version: number;
  pass_mark: number;
  criteria: string;
}

const SELECT = `SELECT r.*, v.pass_mark, v.criteria FROM qa_reviews r
  JOIN qa_scorecard_versions v ON v.scorecard_id = r.scorecard_id AND v.version = r.scorecard_version`;

const iso = (ms: number): string => new Date(ms).toISOString();

function toReview(r: Row): Review {
  return {
    id: r.id,
    callId: r.call_id,
    agent: r.agent,
    scorer: r.scorer,
    scorecardId: r.scorecard_id,
    scorecardVersion: r.scorecard_version,
    criteria: JSON.parse(r.criteria) as Review['criteria'],
    passMark: r.pass_mark,
    scores: JSON.parse(r.scores) as Review['scores'],
    comment: r.comment,
    total: r.total,
    passed: r.passed === 1,
    autoFailed: r.auto_failed === 1,
    callStartedAt: iso(r.call_started_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    version: r.version,
  };
}

export class Reviews {
  constructor(
    private readonly deps: BackOfficeDeps,
    private readonly scorecards: Scorecards,
  ) {}

  score(actor: Actor, input: ReviewInput): { review: Review; created: boolean } {
    const call = this.deps.db
      .prepare<[string], { agent: string | null; started_at: number; state: string }>(
        'SELECT agent, started_at, state FROM calls WHERE id = ?',
      )
      .get(input.callId);
    if (!call) throw new CallboxError('NOT_FOUND', `no call ${JSON.stringify(input.callId)}`, { id: input.callId });
    if (call.state !== 'ended') throw new CallboxError('CONFLICT', 'a call is scored after it ended', { state: call.state });
    const card = this.scorecards.get(input.scorecardId);
    if (!card) throw new CallboxError('NOT_FOUND', `no scorecard ${JSON.stringify(input.scorecardId)}`, { id: input.scorecardId });
    if (!card.active) throw new CallboxError('CONFLICT', `scorecard ${card.id} is not in use`, { id: card.id });
    const comment = input.comment ?? '';
    if (typeof comment !== 'string' || comment.length > LIMITS.comment) {
      throw new CallboxError('VALIDATION_FAILED', `comment must be a string of 0..${LIMITS.comment} characters`, { field: 'comment' });
    }
    const result = computeResult(card.criteria, card.passMark, input.scores);
    const now = this.deps.clock.now();
    const prior = this.deps.db
      .prepare<[string, string, string], { id: string; version: number }>(
        'SELECT id, version FROM qa_reviews WHERE call_id = ? AND scorer = ? AND scorecard_id = ?',
      )
      .get(input.callId, actor.username, card.id);
    const id = prior?.id ?? this.deps.newId();
    const fields = [
      card.version,
      JSON.stringify(result.scores),
      comment,
      result.total,
      result.passed ? 1 : 0,
      result.autoFailed ? 1 : 0,
    ] as const;
    this.deps.db.transaction(() => {
      if (prior) {
        this.deps.db
          .prepare(
            `UPDATE qa_reviews SET scorecard_version = ?, scores = ?, comment = ?, total = ?, passed = ?, auto_failed = ?,
               updated_at = ?, version = version + 1 WHERE id = ?`,
          )
          .run(...fields, now, id);
      } else {
        this.deps.db
          .prepare(
            `INSERT INTO qa_reviews (id, call_id, agent, scorer, scorecard_id, scorecard_version, scores, comment, total, passed,
               auto_failed, call_started_at, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
          )
          .run(id, input.callId, call.agent, actor.username, card.id, ...fields, call.started_at, now, now);
      }
      this.deps.audit.record(actor.username, prior ? 'qa.review.update' : 'qa.review.create', 'qa_review', id, {
        callId: input.callId,
        total: result.total,
        passed: result.passed,
      });
    })();
    return { review: this.get(id) as Review, created: !prior };
  }

  get(id: string): Review | null {
    const r = this.deps.db.prepare<[string], Row>(`${SELECT} WHERE r.id = ?`).get(id);
    return r ? toReview(r) : null;
  }

  /** Newest call first. */
  list(q: ReviewQuery): { items: Review[]; total: number } {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (q.agent !== undefined) {
      where.push('r.agent = ?');
      args.push(q.agent);
    }
    if (q.callId !== undefined) {
      where.push('r.call_id = ?');
      args.push(q.callId);
    }
    if (q.scorer !== undefined) {
      where.push('r.scorer = ?');
      args.push(q.scorer);
    }
    const w = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
    const limit = Math.min(500, Math.max(1, q.limit ?? 50));
    const offset = Math.max(0, q.offset ?? 0);
    const total = (this.deps.db.prepare(`SELECT COUNT(*) AS n FROM qa_reviews r${w}`).get(...args) as { n: number }).n;
    const items = this.deps.db
      .prepare<Array<string | number>, Row>(`${SELECT}${w} ORDER BY r.call_started_at DESC, r.id DESC LIMIT ? OFFSET ?`)
      .all(...args, limit, offset)
      .map(toReview);
    return { items, total };
  }

  /** The reviews of a call on one scorecard (default: the one most scorers used), at its latest version scored. */
  calibration(callId: string, scorecardId?: string): Calibration {
    const all = this.list({ callId, limit: 500 }).items;
    if (all.length === 0) throw new CallboxError('NOT_FOUND', `no reviews of call ${JSON.stringify(callId)}`, { id: callId });
    let cardId = scorecardId;
    if (cardId === undefined) {
      const counts = new Map<string, number>();
      for (const r of all) counts.set(r.scorecardId, (counts.get(r.scorecardId) ?? 0) + 1);
      cardId = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    }
    const onCard = all.filter((r) => r.scorecardId === cardId);
    const version = Math.max(...onCard.map((r) => r.scorecardVersion));
    return calibrate(
      onCard
        .filter((r) => r.scorecardVersion === version)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)),
    );
  }
}

/**
 * Score math (pure): checking a scorecard's definition and a scorer's scores, the weighted total,
 * pass/fail with auto-fail criteria, and the calibration spread between scorers.
 *
 * total = Σ(weight × score) / Σ(weight), rounded to one decimal; passed = total ≥ passMark and no
 * critical criterion scored 0.
 */
import { CallboxError } from '../../errors.js';
import type { Calibration, Criterion, CriterionScore, Review } from './types.js';

export const LIMITS = { name: 64, label: 64, criteria: 20, comment: 2000, criterionComment: 500 } as const;
const KEY_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;

function invalid(field: string, problem: string): CallboxError {
  return new CallboxError('VALIDATION_FAILED', `${field} ${problem}`, { field });
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw invalid(field, `must be a string of 1..${max} characters`);
  }
  return value.trim();
}

export function checkName(value: unknown): string {
  return text(value, 'name', LIMITS.name);
}

export function checkPassMark(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    throw invalid('passMark', 'must be a number from 0 to 100');
  }
  return value;
}

/** `active` as given (undefined when left out). */
export function checkActive(value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') throw invalid('active', 'must be true or false');
  return value;
}

/** A scorecard's criteria: 1..20, unique keys, labels in both languages, weights 1..100. */
export function checkCriteria(value: unknown): Criterion[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > LIMITS.criteria) {
    throw invalid('criteria', `must be a list of 1..${LIMITS.criteria} criteria`);
  }
  const seen = new Set<string>();
  return value.map((c: unknown, i) => {
    const f = `criteria[${i}]`;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) throw invalid(f, 'must be an object');
    const o = c as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (!['key', 'labelZh', 'labelEn', 'weight', 'critical'].includes(k)) throw invalid(`${f}.${k}`, 'is not a known field');
    }
    if (typeof o.key !== 'string' || !KEY_RE.test(o.key))
      throw invalid(`${f}.key`, 'must be 1..32 of a-z, 0-9, _ and -, starting with a letter or digit');
    if (seen.has(o.key)) throw invalid(`${f}.key`, `repeats ${JSON.stringify(o.key)}`);
    seen.add(o.key);
    const weight = o.weight;
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > 100) {
      throw invalid(`${f}.weight`, 'must be an integer from 1 to 100');
    }
    if (o.critical !== undefined && typeof o.critical !== 'boolean') throw invalid(`${f}.critical`, 'must be true or false');
    return {
      key: o.key,
      labelZh: text(o.labelZh, `${f}.labelZh`, LIMITS.label),
      labelEn: text(o.labelEn, `${f}.labelEn`, LIMITS.label),
      weight,
      critical: o.critical === true,
    };
  });
}

export interface ScoreResult {
  scores: Array<{ key: string; score: number; comment: string }>;
  total: number;
  passed: boolean;
  autoFailed: boolean;
}

/** Checks a scorer's scores against the criteria (each scored once, 0..100) and computes the result. */
export function computeResult(criteria: readonly Criterion[], passMark: number, given: unknown): ScoreResult {
  if (!Array.isArray(given)) throw invalid('scores', 'must be a list of {key, score, comment?}');
  const byKey = new Map<string, { score: number; comment: string }>();
  given.forEach((s: unknown, i) => {
    const f = `scores[${i}]`;
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw invalid(f, 'must be an object');
    const o = s as Partial<CriterionScore> & Record<string, unknown>;
    for (const k of Object.keys(o)) if (!['key', 'score', 'comment'].includes(k)) throw invalid(`${f}.${k}`, 'is not a known field');
    if (typeof o.key !== 'string' || !criteria.some((c) => c.key === o.key)) {
      throw invalid(`${f}.key`, `must be one of the scorecard's criteria (${criteria.map((c) => c.key).join(', ')})`);
    }
    if (byKey.has(o.key)) throw invalid(`${f}.key`, `repeats ${JSON.stringify(o.key)}`);
    if (typeof o.score !== 'number' || !Number.isFinite(o.score) || o.score < 0 || o.score > 100) {
      throw invalid(`${f}.score`, 'must be a number from 0 to 100');
    }
    let comment = '';
    if (o.comment !== undefined) {
      if (typeof o.comment !== 'string' || o.comment.length > LIMITS.criterionComment) {
        throw invalid(`${f}.comment`, `must be a string of 0..${LIMITS.criterionComment} characters`);
      }
      comment = o.comment;
    }
    byKey.set(o.key, { score: o.score, comment });
  });
  const missing = criteria.filter((c) => !byKey.has(c.key));
  if (missing.length > 0) throw invalid('scores', `must score every criterion (missing: ${missing.map((c) => c.key).join(', ')})`);
  let weighted = 0;
  let weights = 0;
  let autoFailed = false;
  const scores = criteria.map((c) => {
    const s = byKey.get(c.key) as { score: number; comment: string };
    weighted += c.weight * s.score;
    weights += c.weight;
    if (c.critical && s.score === 0) autoFailed = true;
    return { key: c.key, score: s.score, comment: s.comment };
  });
  const total = Math.round((weighted / weights) * 10) / 10;
  return { scores, total, passed: !autoFailed && total >= passMark, autoFailed };
}

/** The spread (highest − lowest) per criterion among reviews of one call on one scorecard version. */
export function calibrate(reviews: readonly Review[]): Calibration {
  const first = reviews[0];
  if (!first || reviews.length < 2) {
    throw new CallboxError('CONFLICT', 'calibration needs two or more scorers on the call', { scorers: reviews.length });
  }
  const spreadOf = (values: number[]): number => Math.round((Math.max(...values) - Math.min(...values)) * 10) / 10;
  const criteria = first.criteria.map((c) => {
    const scores: Record<string, number> = {};
    for (const r of reviews) {
      const s = r.scores.find((x) => x.key === c.key);
      if (s) scores[r.scorer] = s.score;
    }
    return { key: c.key, labelZh: c.labelZh, labelEn: c.labelEn, scores, spread: spreadOf(Object.values(scores)) };
  });
  const totals: Record<string, number> = {};
  for (const r of reviews) totals[r.scorer] = r.total;
  return {
    callId: first.callId,
    scorecardId: first.scorecardId,
    scorecardVersion: first.scorecardVersion,
    scorers: reviews.map((r) => r.scorer),
    criteria,
    totals,
    totalSpread: spreadOf(Object.values(totals)),
    verdictsAgree: reviews.every((r) => r.passed === first.passed),
  };
}

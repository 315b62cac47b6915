/**
 * Commission rules as data: the seed's plan as defaults (呼叫中心运营方案 and 微商城分销方案),
 * validation of an owner's change, and the one-row store (`finance_rules`).
 */
import { CallboxError } from '../../errors.js';
import type { Database } from '../../store/db.js';
import type { CommissionRules } from './types.js';

/** The seed's plan: 30/35/40/45 % of net profit by 10,000-yuan tiers; 20 % + 5 % referral; 2000/5000/10000 rebates; 80 % supply price. */
export const DEFAULT_RULES: CommissionRules = {
  bonusPool: {
    tiers: [
      { upToCents: 1_000_000, pct: 30 },
      { upToCents: 2_000_000, pct: 35 },
      { upToCents: 3_000_000, pct: 40 },
      { upToCents: null, pct: 45 },
    ],
    mode: 'whole',
    capPerPersonCents: null,
  },
  referral: { sellerPct: 20, inviterPct: 5 },
  refundWindowDays: 7,
  rebates: [
    { minSalesCents: 200_000, rebateCents: 10_000 },
    { minSalesCents: 500_000, rebateCents: 50_000 },
    { minSalesCents: 1_000_000, rebateCents: 150_000 },
  ],
  distributorPricePct: 80,
};

const MAX_CENTS = 100_000_000_000; // ¥1,000,000,000

function invalid(field: string, problem: string): CallboxError {
  return new CallboxError('VALIDATION_FAILED', `${field} ${problem}`, { field });
}

function obj(v: unknown, field: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(field, 'must be an object');
  for (const k of Object.keys(v))
    if (!keys.includes(k)) throw invalid(`${field}.${k}`, `is not a known field (expected: ${keys.join(', ')})`);
  return v as Record<string, unknown>;
}

export function pctField(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100 || Math.abs(v * 100 - Math.round(v * 100)) > 1e-9) {
    throw invalid(field, 'must be a percentage 0..100 with at most two decimals');
  }
  return v;
}

export function centsField(v: unknown, field: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > MAX_CENTS) {
    throw invalid(field, `must be an integer number of cents from ${min} to ${MAX_CENTS}`);
  }
  return v;
}

/** A full rules object, checked field by field (tiers and rebates ascending, percentages 0..100). */
export function validateRules(input: unknown): CommissionRules {
  const r = obj(input, 'rules', ['bonusPool', 'referral', 'refundWindowDays', 'rebates', 'distributorPricePct']);
  const bp = obj(r.bonusPool, 'bonusPool', ['tiers', 'mode', 'capPerPersonCents']);
  if (!Array.isArray(bp.tiers) || bp.tiers.length < 1 || bp.tiers.length > 20)
    throw invalid('bonusPool.tiers', 'must be a list of 1..20 tiers');
  const tiers: CommissionRules['bonusPool']['tiers'] = [];
  bp.tiers.forEach((t: unknown, i: number) => {
    const f = `bonusPool.tiers[${i}]`;
    const o = obj(t, f, ['upToCents', 'pct']);
    const last = i === (bp.tiers as unknown[]).length - 1;
    if (last && o.upToCents !== null) throw invalid(`${f}.upToCents`, 'must be null on the last tier (no upper bound)');
    const upTo = last ? null : centsField(o.upToCents, `${f}.upToCents`, 1);
    const prev = tiers[i - 1]?.upToCents;
    if (upTo !== null && prev != null && upTo <= prev) throw invalid(`${f}.upToCents`, 'must be above the previous tier (ascending)');
    tiers.push({ upToCents: upTo, pct: pctField(o.pct, `${f}.pct`) });
  });
  if (bp.mode !== 'whole' && bp.mode !== 'marginal') throw invalid('bonusPool.mode', "must be 'whole' or 'marginal'");
  const cap = bp.capPerPersonCents === null ? null : centsField(bp.capPerPersonCents, 'bonusPool.capPerPersonCents');
  const ref = obj(r.referral, 'referral', ['sellerPct', 'inviterPct']);
  const win = r.refundWindowDays;
  if (typeof win !== 'number' || !Number.isInteger(win) || win < 0 || win > 365)
    throw invalid('refundWindowDays', 'must be an integer 0..365');
  if (!Array.isArray(r.rebates) || r.rebates.length > 20) throw invalid('rebates', 'must be a list of at most 20 thresholds');
  const rebates: CommissionRules['rebates'] = [];
  r.rebates.forEach((x: unknown, i: number) => {
    const f = `rebates[${i}]`;
    const o = obj(x, f, ['minSalesCents', 'rebateCents']);
    const min = centsField(o.minSalesCents, `${f}.minSalesCents`, 1);
    const prev = rebates[i - 1];
    if (prev && min <= prev.minSalesCents) throw invalid(`${f}.minSalesCents`, 'must be above the previous threshold (ascending)');
    rebates.push({ minSalesCents: min, rebateCents: centsField(o.rebateCents, `${f}.rebateCents`) });
  });
  return {
    bonusPool: { tiers, mode: bp.mode, capPerPersonCents: cap },
    referral: { sellerPct: pctField(ref.sellerPct, 'referral.sellerPct'), inviterPct: pctField(ref.inviterPct, 'referral.inviterPct') },
    refundWindowDays: win,
    rebates,
    distributorPricePct: pctField(r.distributorPricePct, 'distributorPricePct'),
  };
}

export class RulesStore {
  private cached: CommissionRules | null = null;

  constructor(private readonly db: Database) {}

  get(): CommissionRules {
    if (!this.cached) {
      const row = this.db.prepare('SELECT body FROM finance_rules WHERE id = 1').get() as { body: string } | undefined;
      this.cached = row ? (JSON.parse(row.body) as CommissionRules) : structuredClone(DEFAULT_RULES);
    }
    return structuredClone(this.cached);
  }

  /** Call inside the writer's transaction. */
  put(rules: CommissionRules, by: string, now: number): void {
    this.db
      .prepare(
        `INSERT INTO finance_rules (id, body, updated_by, updated_at) VALUES (1, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by,
           updated_at = excluded.updated_at, version = version + 1`,
      )
      .run(JSON.stringify(rules), by, now);
    this.cached = null;
  }
}

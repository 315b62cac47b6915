/**
 * Money math in integer cents: percentages (two decimals, as basis points), round half up, the
 * bonus pool by tier (whole or marginal) and splits by the largest remainder.
 */
import type { CommissionRules } from './types.js';

/** 30 → 3000 basis points; 2.5 → 250. */
export function bp(pct: number): number {
  return Math.round(pct * 100);
}

/** round half up of (cents × bp / 10000), cents ≥ 0. Exact in integers (no float shares). */
export function pctOf(cents: number, basisPoints: number): number {
  if (cents <= 0 || basisPoints <= 0) return 0;
  return roundDiv(cents * basisPoints, 10_000);
}

/** round half up of a / b for a ≥ 0, b > 0 (integers). BigInt past 2^53. */
export function roundDiv(a: number, b: number): number {
  if (Number.isSafeInteger(a) && Number.isSafeInteger(a + b)) return Math.floor((2 * a + b) / (2 * b));
  const big = (BigInt(a) * 2n + BigInt(b)) / (BigInt(b) * 2n);
  return Number(big);
}

export interface PoolResult {
  pct: number;
  poolCents: number;
}

/**
 * The center bonus pool (中心奖金) from the month's net profit. A tier covers
 * [previous upToCents, upToCents). 'whole': the reached tier's rate on the whole profit;
 * 'marginal': each slice at its own rate (like income tax). Profit ≤ 0 → 0.
 */
export function bonusPool(profitCents: number, pool: CommissionRules['bonusPool']): PoolResult {
  const tiers = pool.tiers;
  const reached = tiers.find((t) => t.upToCents === null || profitCents < t.upToCents) ?? tiers[tiers.length - 1];
  const pct = reached?.pct ?? 0;
  if (profitCents <= 0) return { pct, poolCents: 0 };
  if (pool.mode === 'whole') return { pct, poolCents: pctOf(profitCents, bp(pct)) };
  let lower = 0;
  let sum = 0;
  for (const t of tiers) {
    const upper = t.upToCents === null ? profitCents : Math.min(profitCents, t.upToCents);
    if (upper > lower) sum += (upper - lower) * bp(t.pct);
    if (t.upToCents === null || profitCents < t.upToCents) break;
    lower = t.upToCents;
  }
  return { pct, poolCents: roundDiv(sum, 10_000) };
}

/**
 * Splits `total` cents pro rata to `weights` (≥ 0): each part is floored, then the cents left go
 * one each to the largest remainders (ties: the earlier index), so the parts sum to `total`.
 * All weights 0 → all parts 0.
 */
export function splitByLargestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || sum <= 0) return weights.map(() => 0);
  const big = BigInt(total);
  const bigSum = BigInt(sum);
  const parts = weights.map((w) => (big * BigInt(w)) / bigSum);
  const rems = weights.map((w, i) => ({ i, rem: (big * BigInt(w)) % bigSum }));
  let left = total - parts.reduce((a, b) => a + Number(b), 0);
  rems.sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  const out = parts.map(Number);
  for (const r of rems) {
    if (left <= 0) break;
    out[r.i] = (out[r.i] ?? 0) + 1;
    left--;
  }
  return out;
}

/** The rebate of the highest threshold reached (返利), 0 below the first. */
export function rebateFor(salesCents: number, rebates: CommissionRules['rebates']): number {
  let out = 0;
  for (const r of rebates) if (salesCents >= r.minSalesCents) out = r.rebateCents;
  return out;
}

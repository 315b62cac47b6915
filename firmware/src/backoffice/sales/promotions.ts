/**
 * Promotions as data, and the pricing of an order's lines. Pure functions, no database.
 *
 * The rule (documented in docs/api/sales.md):
 * - Promotions are per line. A promotion applies to a line when it is active, `startsAt ≤ now <
 *   endsAt` (open ends allowed), its productId is the line's product (or null: every product), and
 *   the line has at least `minQty` units (and at least `n` for buy_n_*).
 * - Of the promotions that apply, the line takes the ONE with the largest benefit to the customer:
 *   the discount in cents, or for a gift the gift's list price × giftQty. Ties go to the promotion
 *   created first (smallest id). Promotions never stack.
 * - Rounding: percentages are taken of the line's gross (qty × unit price) and rounded half up to
 *   the cent; a discount never exceeds the line's gross.
 * - A gift adds a line right after the line that earned it: the gift product at unit price 0, its
 *   unit cost counted, `gift: true`, the promotion's id.
 * - Orders at the distributor price list take no promotions.
 */
import type { OrderLine, Product, Promotion, PromotionKind, PromotionRule } from './types.js';
import { int, invalid, LIMITS, text } from './validate.js';

export const PROMOTION_KINDS: readonly PromotionKind[] = ['percent_off', 'amount_off', 'buy_n_percent', 'buy_n_get_m', 'gift'];

/** A percentage 0 < pct ≤ 100 with at most 2 decimals (12.5 is fine). */
function pctOf(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 100 || Math.round(value * 100) !== value * 100) {
    throw invalid(field, 'must be a percentage above 0 and at most 100, with at most 2 decimals');
  }
  return value;
}

/** The rule of `kind`, checked and reduced to the fields the kind uses. */
export function checkRule(kind: PromotionKind, rule: unknown): PromotionRule {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) throw invalid('rule', 'must be an object');
  const r = rule as Record<string, unknown>;
  const out: PromotionRule = {};
  if (r.minQty !== undefined) out.minQty = int(r.minQty, 'rule.minQty', 1, LIMITS.qty);
  const allowed: Record<PromotionKind, string[]> = {
    percent_off: ['pct'],
    amount_off: ['amountCents'],
    buy_n_percent: ['n', 'pct'],
    buy_n_get_m: ['n', 'm'],
    gift: ['giftProductId', 'giftQty'],
  };
  for (const key of Object.keys(r)) {
    if (key !== 'minQty' && !allowed[kind].includes(key))
      throw invalid(`rule.${key}`, `is not a field of a ${kind} rule (expected: ${allowed[kind].join(', ')}, minQty)`);
  }
  switch (kind) {
    case 'percent_off':
      out.pct = pctOf(r.pct, 'rule.pct');
      break;
    case 'amount_off':
      out.amountCents = int(r.amountCents, 'rule.amountCents', 1, LIMITS.moneyCents);
      break;
    case 'buy_n_percent':
      out.n = int(r.n, 'rule.n', 1, LIMITS.qty);
      out.pct = pctOf(r.pct, 'rule.pct');
      break;
    case 'buy_n_get_m':
      out.n = int(r.n, 'rule.n', 1, LIMITS.qty);
      out.m = int(r.m, 'rule.m', 1, LIMITS.qty);
      break;
    case 'gift':
      out.giftProductId = text(r.giftProductId, 'rule.giftProductId', 64);
      out.giftQty = r.giftQty === undefined ? 1 : int(r.giftQty, 'rule.giftQty', 1, LIMITS.qty);
      break;
  }
  return out;
}

/** round(cents × pct / 100), half up, exact (BigInt: qty × price × pct can pass 2^53). */
export function pctOfCents(cents: number, pct: number): number {
  const basis = BigInt(Math.round(pct * 100));
  return Number((BigInt(cents) * basis + 5000n) / 10000n);
}

/** In force at `now`: active and inside its validity window. */
export function inForce(p: Promotion, now: number): boolean {
  if (!p.active) return false;
  if (p.startsAt !== null && now < Date.parse(p.startsAt)) return false;
  if (p.endsAt !== null && now >= Date.parse(p.endsAt)) return false;
  return true;
}

export interface Benefit {
  discountCents: number;
  /** What the customer gains, for choosing the best promotion. */
  valueCents: number;
  gift: { product: Product; qty: number } | null;
}

/** What `p` gives a line of `qty` units at `unitPriceCents`, or null when it does not apply. */
export function benefitOf(p: Promotion, qty: number, unitPriceCents: number, productOf: (id: string) => Product | null): Benefit | null {
  const r = p.rule;
  if (qty < (r.minQty ?? 1)) return null;
  const gross = qty * unitPriceCents;
  const plain = (d: number): Benefit => {
    const discountCents = Math.min(gross, Math.max(0, d));
    return { discountCents, valueCents: discountCents, gift: null };
  };
  switch (p.kind) {
    case 'percent_off':
      return plain(pctOfCents(gross, r.pct ?? 0));
    case 'amount_off':
      return plain(qty * Math.min(unitPriceCents, r.amountCents ?? 0));
    case 'buy_n_percent':
      return qty >= (r.n ?? 1) ? plain(pctOfCents(gross, r.pct ?? 0)) : null;
    case 'buy_n_get_m': {
      const n = r.n ?? 1;
      const m = r.m ?? 1;
      if (qty < n + m) return null;
      return plain(Math.floor(qty / (n + m)) * m * unitPriceCents);
    }
    case 'gift': {
      const gift = r.giftProductId ? productOf(r.giftProductId) : null;
      if (!gift?.active) return null;
      const giftQty = r.giftQty ?? 1;
      return { discountCents: 0, valueCents: gift.priceCents * giftQty, gift: { product: gift, qty: giftQty } };
    }
  }
}

/** The best promotion for a line (largest value, then smallest id), or null. */
export function bestPromotion(
  promotions: readonly Promotion[],
  product: Product,
  qty: number,
  unitPriceCents: number,
  now: number,
  productOf: (id: string) => Product | null,
): { promotion: Promotion; benefit: Benefit } | null {
  let best: { promotion: Promotion; benefit: Benefit } | null = null;
  for (const p of promotions) {
    if (p.productId !== null && p.productId !== product.id) continue;
    if (!inForce(p, now)) continue;
    const benefit = benefitOf(p, qty, unitPriceCents, productOf);
    if (!benefit || benefit.valueCents <= 0) continue;
    if (
      !best ||
      benefit.valueCents > best.benefit.valueCents ||
      (benefit.valueCents === best.benefit.valueCents && p.id < best.promotion.id)
    ) {
      best = { promotion: p, benefit };
    }
  }
  return best;
}

export interface PricingInput {
  lines: Array<{ product: Product; qty: number }>;
  promotions: readonly Promotion[];
  now: number;
  /** null: retail (list price, promotions); a number: distributor price = list × pct / 100, no promotions. */
  distributorPct: number | null;
  productOf: (id: string) => Product | null;
}

/** The order's lines with prices, costs, discounts and gift lines. */
export function priceLines(input: PricingInput): OrderLine[] {
  const out: OrderLine[] = [];
  for (const { product, qty } of input.lines) {
    const unit = input.distributorPct === null ? product.priceCents : pctOfCents(product.priceCents, input.distributorPct);
    const best = input.distributorPct === null ? bestPromotion(input.promotions, product, qty, unit, input.now, input.productOf) : null;
    out.push({
      productId: product.id,
      name: product.name,
      qty,
      unitPriceCents: unit,
      unitCostCents: product.costCents,
      discountCents: best ? best.benefit.discountCents : 0,
      gift: false,
      promotionId: best ? best.promotion.id : null,
    });
    const gift = best?.benefit.gift;
    if (best && gift) {
      out.push({
        productId: gift.product.id,
        name: gift.product.name,
        qty: gift.qty,
        unitPriceCents: 0,
        unitCostCents: gift.product.costCents,
        discountCents: 0,
        gift: true,
        promotionId: best.promotion.id,
      });
    }
  }
  return out;
}

/** Order totals from its lines. */
export function totalsOf(lines: readonly OrderLine[]): {
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  costCents: number;
} {
  let subtotalCents = 0;
  let discountCents = 0;
  let costCents = 0;
  for (const l of lines) {
    subtotalCents += l.qty * l.unitPriceCents;
    discountCents += l.discountCents;
    costCents += l.qty * l.unitCostCents;
  }
  return { subtotalCents, discountCents, totalCents: subtotalCents - discountCents, costCents };
}

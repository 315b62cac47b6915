/**
 * The catalog: products (品名, 规格, 成本价, 单价, 主推) and promotions (优惠政策). Every write bumps the
 * version and puts an outbox row (stream 'products'; promotions carry `type: 'promotion'`) in
 * the same transaction.
 */
import type { Statement } from 'better-sqlite3';
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor, Page } from '../common/types.js';
import { checkRule, inForce, PROMOTION_KINDS } from './promotions.js';
import type { Product, ProductInput, ProductPatch, ProductQuery, Promotion, PromotionInput, PromotionPatch } from './types.js';
import { bool, invalid, iso, LIMITS, likePattern, money, oneOf, optionalText, paging, text, timeOf, versionOf } from './validate.js';

interface ProductRow {
  id: string;
  sku: string | null;
  name: string;
  spec: string;
  cost_cents: number;
  price_cents: number;
  active: number;
  featured: number;
  created_at: number;
  updated_at: number;
  version: number;
}

interface PromotionRow {
  id: string;
  name: string;
  kind: string;
  rule: string;
  product_id: string | null;
  starts_at: number | null;
  ends_at: number | null;
  active: number;
  created_at: number;
  updated_at: number;
  version: number;
}

export function toProduct(r: ProductRow): Product {
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    spec: r.spec,
    costCents: r.cost_cents,
    priceCents: r.price_cents,
    active: r.active === 1,
    featured: r.featured === 1,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    version: r.version,
  };
}

function toPromotion(r: PromotionRow): Promotion {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as Promotion['kind'],
    rule: JSON.parse(r.rule) as Promotion['rule'],
    productId: r.product_id,
    startsAt: iso(r.starts_at),
    endsAt: iso(r.ends_at),
    active: r.active === 1,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    version: r.version,
  };
}

function checkVersion(want: number | undefined, have: number, what: string): void {
  if (want !== undefined && want !== have) {
    throw new CallboxError('CONFLICT', `${what} is at version ${have}, not ${want}`, { version: have });
  }
}

export class Catalog {
  private readonly productById: Statement<[string], ProductRow>;
  private readonly promotionById: Statement<[string], PromotionRow>;

  constructor(private readonly deps: BackOfficeDeps) {
    this.productById = deps.db.prepare('SELECT * FROM products WHERE id = ?');
    this.promotionById = deps.db.prepare('SELECT * FROM promotions WHERE id = ?');
  }

  product(id: string): Product | null {
    const r = this.productById.get(id);
    return r ? toProduct(r) : null;
  }

  private productFields(input: Partial<ProductInput>, base: Product | null): Omit<Product, 'id' | 'createdAt' | 'updatedAt' | 'version'> {
    const has = (k: keyof ProductInput): boolean => input[k] !== undefined;
    return {
      sku: has('sku') ? optionalText(input.sku, 'sku', LIMITS.sku) : (base?.sku ?? null),
      name: has('name') || !base ? text(input.name, 'name', LIMITS.name) : base.name,
      spec: has('spec') ? (optionalText(input.spec, 'spec', LIMITS.spec) ?? '') : (base?.spec ?? ''),
      costCents: has('costCents') || !base ? money(input.costCents, 'costCents') : base.costCents,
      priceCents: has('priceCents') || !base ? money(input.priceCents, 'priceCents') : base.priceCents,
      active: has('active') ? bool(input.active, 'active') : (base?.active ?? true),
      featured: has('featured') ? bool(input.featured, 'featured') : (base?.featured ?? false),
    };
  }

  private skuFree(sku: string | null, id: string): void {
    if (sku === null) return;
    const other = this.deps.db.prepare('SELECT id FROM products WHERE sku = ? AND id != ?').get(sku, id);
    if (other) throw new CallboxError('CONFLICT', `sku ${JSON.stringify(sku)} belongs to another product`, { field: 'sku' });
  }

  createProduct(actor: Actor, input: ProductInput): Product {
    if (typeof input !== 'object' || input === null) throw invalid('body', 'must be an object');
    const f = this.productFields(input, null);
    const id = this.deps.newId();
    const now = this.deps.clock.now();
    return this.deps.db.transaction(() => {
      this.skuFree(f.sku, id);
      this.deps.db
        .prepare(
          `INSERT INTO products (id, sku, name, spec, cost_cents, price_cents, active, featured, created_at, updated_at, version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
        )
        .run(id, f.sku, f.name, f.spec, f.costCents, f.priceCents, f.active ? 1 : 0, f.featured ? 1 : 0, now, now);
      const p = this.product(id) as Product;
      this.deps.outbox.put('products', id, 1, p);
      this.deps.audit.record(actor.username, 'product.create', 'product', id, { name: p.name });
      return p;
    })();
  }

  updateProduct(actor: Actor, id: string, patch: ProductPatch): Product {
    if (typeof patch !== 'object' || patch === null) throw invalid('body', 'must be an object');
    const want = versionOf(patch.version);
    return this.deps.db.transaction(() => {
      const base = this.product(id);
      if (!base) throw new CallboxError('NOT_FOUND', `no product ${JSON.stringify(id)}`);
      checkVersion(want, base.version, `product ${id}`);
      const f = this.productFields(patch, base);
      this.skuFree(f.sku, id);
      this.deps.db
        .prepare(
          `UPDATE products SET sku = ?, name = ?, spec = ?, cost_cents = ?, price_cents = ?, active = ?, featured = ?,
             updated_at = ?, version = version + 1 WHERE id = ?`,
        )
        .run(f.sku, f.name, f.spec, f.costCents, f.priceCents, f.active ? 1 : 0, f.featured ? 1 : 0, this.deps.clock.now(), id);
      const p = this.product(id) as Product;
      this.deps.outbox.put('products', id, p.version, p);
      this.deps.audit.record(actor.username, 'product.update', 'product', id, { version: p.version });
      return p;
    })();
  }

  searchProducts(q: ProductQuery): Page<Product> {
    const { limit, offset } = paging(q);
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.q !== undefined && q.q.trim() !== '') {
      const pat = likePattern(text(q.q, 'q', LIMITS.query));
      where.push(`(name LIKE ? ESCAPE '\\' OR spec LIKE ? ESCAPE '\\' OR sku LIKE ? ESCAPE '\\')`);
      args.push(pat, pat, pat);
    }
    if (q.active !== undefined) {
      where.push('active = ?');
      args.push(q.active ? 1 : 0);
    }
    if (q.featured !== undefined) {
      where.push('featured = ?');
      args.push(q.featured ? 1 : 0);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.deps.db.prepare(`SELECT COUNT(*) AS n FROM products ${w}`).get(...args) as { n: number }).n;
    const rows = this.deps.db
      .prepare(`SELECT * FROM products ${w} ORDER BY featured DESC, name, id LIMIT ? OFFSET ?`)
      .all(...args, limit, offset) as ProductRow[];
    return { items: rows.map(toProduct), total };
  }

  promotion(id: string): Promotion | null {
    const r = this.promotionById.get(id);
    return r ? toPromotion(r) : null;
  }

  private promotionFields(input: Partial<PromotionInput>, base: Promotion | null) {
    const has = (k: keyof PromotionInput): boolean => input[k] !== undefined;
    const kind = has('kind') || !base ? oneOf(input.kind, 'kind', PROMOTION_KINDS) : base.kind;
    const rule = has('rule') || !base || kind !== base.kind ? checkRule(kind, input.rule) : base.rule;
    const productId = has('productId') ? (input.productId ?? null) : (base?.productId ?? null);
    if (productId !== null && (typeof productId !== 'string' || !this.product(productId)))
      throw invalid('productId', 'is not a known product');
    if (rule.giftProductId !== undefined && !this.product(rule.giftProductId))
      throw invalid('rule.giftProductId', 'is not a known product');
    const startsAt = has('startsAt') ? timeOf(input.startsAt, 'startsAt') : base?.startsAt ? Date.parse(base.startsAt) : null;
    const endsAt = has('endsAt') ? timeOf(input.endsAt, 'endsAt') : base?.endsAt ? Date.parse(base.endsAt) : null;
    if (startsAt !== null && endsAt !== null && endsAt <= startsAt) throw invalid('endsAt', 'must be after startsAt');
    return {
      name: has('name') || !base ? text(input.name, 'name', LIMITS.name) : base.name,
      kind,
      rule,
      productId,
      startsAt,
      endsAt,
      active: has('active') ? bool(input.active, 'active') : (base?.active ?? true),
    };
  }

  createPromotion(actor: Actor, input: PromotionInput): Promotion {
    if (typeof input !== 'object' || input === null) throw invalid('body', 'must be an object');
    return this.deps.db.transaction(() => {
      const f = this.promotionFields(input, null);
      const id = this.deps.newId();
      const now = this.deps.clock.now();
      this.deps.db
        .prepare(
          `INSERT INTO promotions (id, name, kind, rule, product_id, starts_at, ends_at, active, created_at, updated_at, version)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
        )
        .run(id, f.name, f.kind, JSON.stringify(f.rule), f.productId, f.startsAt, f.endsAt, f.active ? 1 : 0, now, now);
      const p = this.promotion(id) as Promotion;
      this.deps.outbox.put('products', id, 1, { type: 'promotion', ...p });
      this.deps.audit.record(actor.username, 'promotion.create', 'promotion', id, { name: p.name, kind: p.kind });
      return p;
    })();
  }

  updatePromotion(actor: Actor, id: string, patch: PromotionPatch): Promotion {
    if (typeof patch !== 'object' || patch === null) throw invalid('body', 'must be an object');
    const want = versionOf(patch.version);
    return this.deps.db.transaction(() => {
      const base = this.promotion(id);
      if (!base) throw new CallboxError('NOT_FOUND', `no promotion ${JSON.stringify(id)}`);
      checkVersion(want, base.version, `promotion ${id}`);
      const f = this.promotionFields(patch, base);
      this.deps.db
        .prepare(
          `UPDATE promotions SET name = ?, kind = ?, rule = ?, product_id = ?, starts_at = ?, ends_at = ?, active = ?,
             updated_at = ?, version = version + 1 WHERE id = ?`,
        )
        .run(f.name, f.kind, JSON.stringify(f.rule), f.productId, f.startsAt, f.endsAt, f.active ? 1 : 0, this.deps.clock.now(), id);
      const p = this.promotion(id) as Promotion;
      this.deps.outbox.put('products', id, p.version, { type: 'promotion', ...p });
      this.deps.audit.record(actor.username, 'promotion.update', 'promotion', id, { version: p.version });
      return p;
    })();
  }

  promotions(q: { productId?: string; activeAt?: number | 'now'; limit?: number; offset?: number }): Page<Promotion> {
    const { limit, offset } = paging(q);
    const args: unknown[] = [];
    let w = '';
    if (q.productId !== undefined) {
      w = 'WHERE (product_id = ? OR product_id IS NULL)';
      args.push(q.productId);
    }
    const all = (this.deps.db.prepare(`SELECT * FROM promotions ${w} ORDER BY id DESC`).all(...args) as PromotionRow[]).map(toPromotion);
    const at = q.activeAt === 'now' ? this.deps.clock.now() : q.activeAt;
    const kept = at === undefined ? all : all.filter((p) => inForce(p, at));
    return { items: kept.slice(offset, offset + limit), total: kept.length };
  }

  /** Promotions that may apply at `now` (active, window open), for pricing an order. */
  promotionsInForce(now: number): Promotion[] {
    const rows = this.deps.db
      .prepare(
        'SELECT * FROM promotions WHERE active = 1 AND (starts_at IS NULL OR starts_at <= ?) AND (ends_at IS NULL OR ends_at > ?) ORDER BY id',
      )
      .all(now, now) as PromotionRow[];
    return rows.map(toPromotion);
  }
}

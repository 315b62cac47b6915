/**
 * Orders taken during a call: priced from the catalog and the promotions in force at creation,
 * the customer found or created by phone, a digits-only number for the IVR. Writes: one
 * transaction with the order, its lines, an order_events row, the outbox row (stream 'orders')
 * and the audit row.
 */
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import { normalizePhone } from '../common/phone.js';
import type { Actor, Page } from '../common/types.js';
import type { Catalog } from './catalog.js';
import { DAY_MS, localDayStart, parseDay } from './local-day.js';
import type { OrderRecords, OrderRow } from './order-records.js';
import { priceLines, totalsOf } from './promotions.js';
import type { Order, OrderEvent, OrderInput, OrderQuery, OrderStatus, OrderStatusInfo, PriceList, Product } from './types.js';
import { int, invalid, LIMITS, likePattern, oneOf, optionalText, paging, text } from './validate.js';

export const ORDER_STATUSES: readonly OrderStatus[] = ['new', 'paid', 'shipped', 'delivered', 'returned', 'cancelled'];
const PRICE_LISTS: readonly PriceList[] = ['retail', 'distributor'];
const ORDER_FIELDS = ['customerId', 'phone', 'callId', 'sellerId', 'priceList', 'lines', 'shipName', 'shipPhone', 'shipAddress', 'note'];

function phoneOf(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(field, 'must be a phone number string');
  return normalizePhone(value, field);
}

export class Orders {
  constructor(
    private readonly deps: BackOfficeDeps,
    private readonly catalog: Catalog,
    private readonly records: OrderRecords,
  ) {}

  /** finance's distributor supply price percentage (its rules: default 80). */
  private distributorPct(): number {
    return this.deps.areas().finance.rules().distributorPricePct;
  }

  private linesOf(value: unknown): Array<{ productId: string; qty: number }> {
    if (!Array.isArray(value) || value.length < 1 || value.length > LIMITS.lines) {
      throw invalid('lines', `must be a list of 1..${LIMITS.lines} lines {productId, qty}`);
    }
    // One line per product: repeated products are merged (promotions see the whole quantity).
    const merged = new Map<string, number>();
    value.forEach((l: unknown, i) => {
      if (typeof l !== 'object' || l === null) throw invalid(`lines[${i}]`, 'must be an object {productId, qty}');
      const o = l as Record<string, unknown>;
      for (const k of Object.keys(o))
        if (k !== 'productId' && k !== 'qty') throw invalid(`lines[${i}].${k}`, 'is not a known field (expected: productId, qty)');
      const productId = text(o.productId, `lines[${i}].productId`, 64);
      const qty = int(o.qty, `lines[${i}].qty`, 1, LIMITS.qty);
      const sum = (merged.get(productId) ?? 0) + qty;
      if (sum > LIMITS.qty) throw invalid(`lines[${i}].qty`, `must total at most ${LIMITS.qty} per product`);
      merged.set(productId, sum);
    });
    return [...merged].map(([productId, qty]) => ({ productId, qty }));
  }

  create(actor: Actor, input: OrderInput): Order {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('body', 'must be an object');
    for (const k of Object.keys(input))
      if (!ORDER_FIELDS.includes(k)) throw invalid(k, `is not a known field (expected: ${ORDER_FIELDS.join(', ')})`);
    const wanted = this.linesOf(input.lines);
    const priceList = input.priceList === undefined ? 'retail' : oneOf(input.priceList, 'priceList', PRICE_LISTS);
    const customerIdIn = optionalText(input.customerId, 'customerId', 64);
    const phone = phoneOf(input.phone, 'phone');
    if (!customerIdIn && !phone) throw invalid('customerId', 'or phone is required');
    const shipName = optionalText(input.shipName, 'shipName', 100);
    const shipPhoneIn = phoneOf(input.shipPhone, 'shipPhone');
    const shipAddress = optionalText(input.shipAddress, 'shipAddress', LIMITS.address);
    const note = optionalText(input.note, 'note', LIMITS.note) ?? '';
    const callId = optionalText(input.callId, 'callId', 64);
    const sellerId = optionalText(input.sellerId, 'sellerId', 64);
    const pct = priceList === 'distributor' ? this.distributorPct() : null;
    const db = this.deps.db;
    return db.transaction(() => {
      const products: Array<{ product: Product; qty: number }> = wanted.map((w) => {
        const product = this.catalog.product(w.productId);
        const i = (input.lines as Array<{ productId: string }>).findIndex((l) => l.productId === w.productId);
        if (!product) throw invalid(`lines[${i}].productId`, 'is not a known product');
        if (!product.active) throw invalid(`lines[${i}].productId`, 'is not on sale (inactive)');
        return { product, qty: w.qty };
      });
      let customerId = customerIdIn;
      if (customerId) {
        if (!db.prepare('SELECT 1 FROM customers WHERE id = ?').get(customerId)) throw invalid('customerId', 'is not a known customer');
      } else if (phone) {
        customerId = this.deps.areas().customers.ensureByPhone(actor, phone, shipName, 'order');
      }
      if (sellerId && !db.prepare('SELECT 1 FROM people WHERE id = ?').get(sellerId)) throw invalid('sellerId', 'is not a known person');
      const now = this.deps.clock.now();
      const lines = priceLines({
        lines: products,
        promotions: pct === null ? this.catalog.promotionsInForce(now) : [],
        now,
        distributorPct: pct,
        productOf: (id) => this.catalog.product(id),
      });
      const t = totalsOf(lines);
      const id = this.deps.newId();
      const number = this.records.nextNumber(now);
      db.prepare(
        `INSERT INTO orders (id, number, customer_id, call_id, seller_id, status, price_list, subtotal_cents, discount_cents, total_cents,
           cost_cents, refund_cents, ship_name, ship_phone, ship_address, note, created_by, created_at, updated_at, version)
         VALUES (?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, 1)`,
      ).run(
        id,
        number,
        customerId,
        callId,
        sellerId,
        priceList,
        t.subtotalCents,
        t.discountCents,
        t.totalCents,
        t.costCents,
        shipName,
        shipPhoneIn ?? phone,
        shipAddress,
        note,
        actor.username,
        now,
        now,
      );
      const insertLine = db.prepare(
        `INSERT INTO order_lines (order_id, idx, product_id, name, qty, unit_price_cents, unit_cost_cents, discount_cents, gift, promotion_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      lines.forEach((l, idx) => {
        insertLine.run(
          id,
          idx,
          l.productId,
          l.name,
          l.qty,
          l.unitPriceCents,
          l.unitCostCents,
          l.discountCents,
          l.gift ? 1 : 0,
          l.promotionId,
        );
      });
      return this.records.written(actor, id, null, 'new', { number, priceList });
    })();
  }

  get(actor: Actor, id: string): Order | null {
    const r = this.records.row(id);
    return r ? this.records.toOrder(r, actor) : null;
  }

  search(actor: Actor, q: OrderQuery): Page<Order> {
    const { limit, offset } = paging(q);
    const where: string[] = [];
    const args: Record<string, unknown> = {};
    if (q.q !== undefined && q.q.trim() !== '') {
      args.pat = likePattern(text(q.q, 'q', LIMITS.query));
      where.push(`(o.number LIKE @pat ESCAPE '\\' OR o.ship_name LIKE @pat ESCAPE '\\' OR o.ship_phone LIKE @pat ESCAPE '\\'
        OR c.name LIKE @pat ESCAPE '\\'
        OR EXISTS (SELECT 1 FROM customer_phones p WHERE p.customer_id = o.customer_id AND p.phone LIKE @pat ESCAPE '\\')
        OR EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.tracking_no LIKE @pat ESCAPE '\\'))`);
    }
    if (q.status !== undefined) {
      where.push('o.status = @status');
      args.status = oneOf(q.status, 'status', ORDER_STATUSES);
    }
    if (q.customerId !== undefined) {
      where.push('o.customer_id = @customerId');
      args.customerId = text(q.customerId, 'customerId', 64);
    }
    if (q.createdBy !== undefined) {
      where.push('o.created_by = @createdBy');
      args.createdBy = text(q.createdBy, 'createdBy', 64);
    }
    const tz = this.deps.config().shop.timezone;
    if (q.from !== undefined) {
      where.push('o.created_at >= @from');
      args.from = localDayStart(parseDay(q.from, 'from'), tz);
    }
    if (q.to !== undefined) {
      where.push('o.created_at < @to');
      args.to = localDayStart(parseDay(q.to, 'to') + DAY_MS, tz);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const from = 'FROM orders o LEFT JOIN customers c ON c.id = o.customer_id';
    // the join adds no row (customers.id is unique): counted without it unless the text search needs c.name
    const countFrom = args.pat === undefined ? 'FROM orders o' : from;
    const total = (this.deps.db.prepare(`SELECT COUNT(*) AS n ${countFrom} ${w}`).get(args) as { n: number }).n;
    const rows = this.deps.db
      .prepare(`SELECT o.* ${from} ${w} ORDER BY o.created_at DESC, o.id DESC LIMIT @limit OFFSET @offset`)
      .all({ ...args, limit, offset }) as OrderRow[];
    return { items: rows.map((r) => this.records.toOrder(r, actor)), total };
  }

  events(_actor: Actor, id: string): OrderEvent[] {
    if (!this.records.row(id)) throw new CallboxError('NOT_FOUND', `no order ${JSON.stringify(id)}`);
    const rows = this.deps.db.prepare('SELECT * FROM order_events WHERE order_id = ? ORDER BY seq').all(id) as Array<{
      seq: number;
      order_id: string;
      ts: number;
      actor: string;
      from_status: OrderStatus | null;
      to_status: OrderStatus | null;
      data: string;
    }>;
    return rows.map((e) => ({
      seq: e.seq,
      orderId: e.order_id,
      ts: new Date(e.ts).toISOString(),
      actor: e.actor,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      data: JSON.parse(e.data) as Record<string, unknown>,
    }));
  }

  statusByNumber(number: string): OrderStatusInfo | null {
    if (typeof number !== 'string' || !/^[0-9]{1,20}$/.test(number)) return null;
    const r = this.records.rowByNumber(number);
    if (!r) return null;
    const last = this.deps.db
      .prepare('SELECT carrier, tracking_no FROM shipments WHERE order_id = ? ORDER BY shipped_at DESC, id DESC LIMIT 1')
      .get(r.id) as { carrier: string; tracking_no: string } | undefined;
    return {
      number: r.number,
      status: r.status,
      shippedAt: r.shipped_at === null ? null : new Date(r.shipped_at).toISOString(),
      deliveredAt: r.delivered_at === null ? null : new Date(r.delivered_at).toISOString(),
      carrier: last?.carrier ?? null,
      trackingNo: last?.tracking_no ?? null,
    };
  }
}

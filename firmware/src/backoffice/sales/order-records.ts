/** Order rows ↔ records, the order number, and the write helpers every order change shares. */
import type { Statement } from 'better-sqlite3';
import { can } from '../../service/permissions.js';
import type { BackOfficeDeps } from '../common/deps.js';
import { maskPhone } from '../common/phone.js';
import type { Actor } from '../common/types.js';
import { localDate } from './local-day.js';
import type { Shipments } from './shipments.js';
import type { Order, OrderLine, OrderStatus, PriceList } from './types.js';
import { iso } from './validate.js';

export interface OrderRow {
  id: string;
  number: string;
  customer_id: string | null;
  call_id: string | null;
  seller_id: string | null;
  status: OrderStatus;
  price_list: PriceList;
  subtotal_cents: number;
  discount_cents: number;
  total_cents: number;
  cost_cents: number;
  refund_cents: number;
  ship_name: string | null;
  ship_phone: string | null;
  ship_address: string | null;
  note: string;
  paid_at: number | null;
  shipped_at: number | null;
  delivered_at: number | null;
  returned_at: number | null;
  cancelled_at: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  version: number;
}

interface LineRow {
  product_id: string | null;
  name: string;
  qty: number;
  unit_price_cents: number;
  unit_cost_cents: number;
  discount_cents: number;
  gift: number;
  promotion_id: string | null;
}

export class OrderRecords {
  constructor(
    private readonly deps: BackOfficeDeps,
    private readonly shipments: Shipments,
  ) {}

  row(id: string): OrderRow | null {
    return (this.deps.db.prepare('SELECT * FROM orders WHERE id = ?').get(id) as OrderRow | undefined) ?? null;
  }

  rowByNumber(number: string): OrderRow | null {
    return (this.deps.db.prepare('SELECT * FROM orders WHERE number = ?').get(number) as OrderRow | undefined) ?? null;
  }

  /** Prepared once: a list page reads the lines of 50 orders. */
  private linesOf?: Statement<[string], LineRow>;

  lines(orderId: string): OrderLine[] {
    this.linesOf ??= this.deps.db.prepare<[string], LineRow>('SELECT * FROM order_lines WHERE order_id = ? ORDER BY idx');
    const rows = this.linesOf.all(orderId);
    return rows.map((l) => ({
      productId: l.product_id,
      name: l.name,
      qty: l.qty,
      unitPriceCents: l.unit_price_cents,
      unitCostCents: l.unit_cost_cents,
      discountCents: l.discount_cents,
      gift: l.gift === 1,
      promotionId: l.promotion_id,
    }));
  }

  /** The record as `actor` may see it (ship phone masked without customers.phones). */
  toOrder(r: OrderRow, actor: Actor): Order {
    const phone = r.ship_phone !== null && !can(actor.role, 'customers.phones') ? maskPhone(r.ship_phone) : r.ship_phone;
    return {
      id: r.id,
      number: r.number,
      customerId: r.customer_id,
      callId: r.call_id,
      sellerId: r.seller_id,
      status: r.status,
      priceList: r.price_list,
      lines: this.lines(r.id),
      subtotalCents: r.subtotal_cents,
      discountCents: r.discount_cents,
      totalCents: r.total_cents,
      costCents: r.cost_cents,
      marginCents: r.total_cents - r.cost_cents - r.refund_cents,
      refundCents: r.refund_cents,
      shipName: r.ship_name,
      shipPhone: phone,
      shipAddress: r.ship_address,
      note: r.note,
      paidAt: iso(r.paid_at),
      shippedAt: iso(r.shipped_at),
      deliveredAt: iso(r.delivered_at),
      returnedAt: iso(r.returned_at),
      cancelledAt: iso(r.cancelled_at),
      shipments: this.shipments.ofOrder(r.id),
      createdBy: r.created_by,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
      version: r.version,
    };
  }

  /**
   * The next order number of the shop's local day of `now`: YYMMDD + a 4-digit sequence
   * (2611270001, 2611270002, …; a 10,000th order of a day gets 5 digits). Inside the transaction.
   */
  nextNumber(now: number): string {
    const day = localDate(now, this.deps.config().shop.timezone).replace(/-/g, '').slice(2);
    const row = this.deps.db
      .prepare(
        `INSERT INTO order_number_seq (day, last) VALUES (?, 1)
         ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last`,
      )
      .get(day) as { last: number };
    return `${day}${String(row.last).padStart(4, '0')}`;
  }

  /** Inside the transaction: the order_events row, the outbox row (full record) and the audit row. */
  written(actor: Actor, id: string, from: OrderStatus | null, to: OrderStatus | null, data: Record<string, unknown>): Order {
    const now = this.deps.clock.now();
    this.deps.db
      .prepare('INSERT INTO order_events (order_id, ts, actor, from_status, to_status, data) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, now, actor.username, from, to, JSON.stringify(data));
    const r = this.row(id) as OrderRow;
    const full = this.toOrder(r, { username: 'system', role: 'owner' });
    this.deps.outbox.put('orders', id, r.version, full);
    this.deps.audit.record(actor.username, from === null ? 'order.create' : `order.${to}`, 'order', id, {
      number: r.number,
      version: r.version,
    });
    return this.toOrder(r, actor);
  }
}

/**
 * The order workflow (one move per call, history in order_events):
 *   new → paid → shipped → delivered;  shipped | delivered → returned (refund, full or partial);
 *   new | paid → cancelled (a paid order's total is refunded).
 * Anything else is CONFLICT (409). 'shipped' records a shipment (carrier, tracking number);
 * 'delivered' marks it delivered and schedules the after-sales return visit (回访) with followups.
 */
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import { SYSTEM_ACTOR, type Actor } from '../common/types.js';
import { firstPhoneOf } from './customer-link.js';
import { DAY_MS } from './local-day.js';
import type { OrderRecords, OrderRow } from './order-records.js';
import { ORDER_STATUSES } from './orders.js';
import type { Shipments } from './shipments.js';
import type { Targets } from './targets.js';
import type { Order, OrderStatus, OrderStatusChange } from './types.js';
import { invalid, LIMITS, money, oneOf, optionalText, versionOf } from './validate.js';

export const ORDER_NEXT: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  new: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled'],
  shipped: ['delivered', 'returned'],
  delivered: ['returned'],
  returned: [],
  cancelled: [],
};

const CHANGE_FIELDS = ['status', 'version', 'carrier', 'trackingNo', 'refundCents', 'note'];

export class OrderWorkflow {
  constructor(
    private readonly deps: BackOfficeDeps,
    private readonly records: OrderRecords,
    private readonly shipments: Shipments,
    private readonly targets: Targets,
  ) {}

  setStatus(actor: Actor, id: string, change: OrderStatusChange): Order {
    if (typeof change !== 'object' || change === null || Array.isArray(change)) throw invalid('body', 'must be an object');
    for (const k of Object.keys(change))
      if (!CHANGE_FIELDS.includes(k)) throw invalid(k, `is not a known field (expected: ${CHANGE_FIELDS.join(', ')})`);
    const to = oneOf(change.status, 'status', ORDER_STATUSES);
    const want = versionOf(change.version);
    const note = optionalText(change.note, 'note', LIMITS.note);
    if (change.refundCents !== undefined && to !== 'returned') throw invalid('refundCents', 'is only for status returned');
    if ((change.carrier !== undefined || change.trackingNo !== undefined) && to !== 'shipped') {
      throw invalid(change.carrier !== undefined ? 'carrier' : 'trackingNo', 'is only for status shipped');
    }
    const refundIn = change.refundCents === undefined ? undefined : money(change.refundCents, 'refundCents');
    const db = this.deps.db;
    return db.transaction(() => {
      const cur = this.records.row(id);
      if (!cur) throw new CallboxError('NOT_FOUND', `no order ${JSON.stringify(id)}`);
      if (want !== undefined && want !== cur.version) {
        throw new CallboxError('CONFLICT', `order ${cur.number} is at version ${cur.version}, not ${want}`, { version: cur.version });
      }
      if (!ORDER_NEXT[cur.status].includes(to)) {
        throw new CallboxError('CONFLICT', `order ${cur.number} cannot go from ${cur.status} to ${to}`, { from: cur.status, to });
      }
      const now = this.deps.clock.now();
      const data: Record<string, unknown> = note ? { note } : {};
      let refund = cur.refund_cents;
      let stamp: string;
      switch (to) {
        case 'paid':
          stamp = 'paid_at';
          break;
        case 'shipped':
          this.shipments.add(this.deps.newId(), { orderId: id }, change.carrier, change.trackingNo, now);
          data.carrier = String(change.carrier).trim();
          data.trackingNo = String(change.trackingNo).trim();
          stamp = 'shipped_at';
          break;
        case 'delivered':
          this.shipments.delivered({ orderId: id }, now);
          stamp = 'delivered_at';
          break;
        case 'returned': {
          const open = cur.total_cents - cur.refund_cents;
          const r = refundIn ?? open;
          if (r > open) throw invalid('refundCents', `must be at most ${open} (the total not yet refunded)`);
          refund += r;
          data.refundCents = r;
          stamp = 'returned_at';
          break;
        }
        default:
          if (cur.status === 'paid') {
            refund = cur.total_cents;
            data.refundCents = cur.total_cents - cur.refund_cents;
          }
          stamp = 'cancelled_at';
      }
      db.prepare(`UPDATE orders SET status = ?, ${stamp} = ?, refund_cents = ?, updated_at = ?, version = version + 1 WHERE id = ?`).run(
        to,
        now,
        refund,
        now,
        id,
      );
      if (to === 'delivered') this.scheduleReturnVisit(cur, now);
      return this.records.written(actor, id, cur.status, to, data);
    })();
  }

  /** The after-sales return visit (回访), N days after delivery (sales settings returnVisitDays). */
  private scheduleReturnVisit(order: OrderRow, deliveredAt: number): void {
    const phone = order.ship_phone ?? (order.customer_id ? firstPhoneOf(this.deps, order.customer_id) : null);
    if (!phone) {
      this.deps.log.info({ order: order.number }, 'no phone for the return visit of a delivered order');
      return;
    }
    const days = this.targets.settings().returnVisitDays;
    try {
      this.deps.areas().followups.schedule(SYSTEM_ACTOR, {
        purpose: 'return_visit',
        phone,
        dueAt: deliveredAt + days * DAY_MS,
        customerId: order.customer_id,
        orderId: order.id,
      });
    } catch (err) {
      // A delivery never fails for its return visit (e.g. a malformed ship phone): logged instead.
      this.deps.log.warn({ order: order.number, err: err instanceof Error ? err.message : String(err) }, 'return visit not scheduled');
    }
  }
}

/**
 * The sales section of a report, from the `orders` / `order_lines` contract tables (schema step
 * 10): the orders created in the period. Cancelled orders count only as `cancelled`. Net = total −
 * refund; the goods cost of a returned order is 0 (the goods came back); margin (毛利) = net − cost.
 */
import type { Statement } from 'better-sqlite3';
import type { Database } from '../../store/db.js';
import type { ReportSales } from './types.js';

type Range = [number, number];

const NET = 'o.total_cents - o.refund_cents';
const COST = "CASE WHEN o.status = 'returned' THEN 0 ELSE o.cost_cents END";

interface StatusRow {
  status: string;
  n: number;
  gross: number;
  refund: number;
  cost: number;
  from_calls: number;
}

export class SalesFigures {
  private readonly byStatus: Statement<Range, StatusRow>;
  private readonly bySeller: Statement<Range, { seller: string | null; n: number; net: number; margin: number }>;
  private readonly top: Statement<Range, { product: string | null; name: string; qty: number; net: number }>;

  constructor(db: Database) {
    this.byStatus = db.prepare(
      `SELECT o.status, COUNT(*) AS n, SUM(o.total_cents) AS gross, SUM(o.refund_cents) AS refund,
         SUM(${COST}) AS cost, SUM(o.call_id IS NOT NULL) AS from_calls
       FROM orders o WHERE o.created_at >= ? AND o.created_at < ? GROUP BY o.status`,
    );
    this.bySeller = db.prepare(
      `SELECT o.seller_id AS seller, COUNT(*) AS n, SUM(${NET}) AS net, SUM(${NET} - ${COST}) AS margin
       FROM orders o WHERE o.created_at >= ? AND o.created_at < ? AND o.status != 'cancelled'
       GROUP BY o.seller_id ORDER BY net DESC, seller`,
    );
    this.top = db.prepare(
      `SELECT l.product_id AS product, MIN(l.name) AS name, SUM(l.qty) AS qty,
         SUM(l.qty * l.unit_price_cents - l.discount_cents) AS net
       FROM orders o JOIN order_lines l ON l.order_id = o.id
       WHERE o.created_at >= ? AND o.created_at < ? AND o.status NOT IN ('cancelled', 'returned') AND l.gift = 0
       GROUP BY COALESCE(l.product_id, l.name) ORDER BY net DESC, name LIMIT 10`,
    );
  }

  compute(from: number, to: number): ReportSales {
    let orders = 0;
    let cancelled = 0;
    let returned = 0;
    let gross = 0;
    let refund = 0;
    let cost = 0;
    let fromCalls = 0;
    for (const r of this.byStatus.all(from, to)) {
      if (r.status === 'cancelled') {
        cancelled += r.n;
        continue;
      }
      if (r.status === 'returned') returned += r.n;
      orders += r.n;
      gross += r.gross;
      refund += r.refund;
      cost += r.cost;
      fromCalls += r.from_calls;
    }
    const net = gross - refund;
    return {
      orders,
      cancelled,
      returned,
      grossCents: gross,
      refundCents: refund,
      netCents: net,
      costCents: cost,
      marginCents: net - cost,
      marginRate: net > 0 ? (net - cost) / net : null,
      fromCalls,
      bySeller: this.bySeller.all(from, to).map((s) => ({ seller: s.seller, orders: s.n, netCents: s.net, marginCents: s.margin })),
      topProducts: this.top.all(from, to).map((p) => ({ product: p.product, name: p.name, qty: p.qty, netCents: p.net })),
    };
  }
}

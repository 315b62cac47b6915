/**
 * Gross margin (粗毛利) per local day of the shop: for the orders created that day (cancelled ones
 * left out), total − cost − refunds. Days run in the shop's time zone (config shop.timezone).
 */
import type { Database } from '../../store/db.js';
import { DAY_MS, localDate, parseDay, widenedRange } from './local-day.js';
import type { MarginFigures, MarginsReport } from './types.js';
import { invalid } from './validate.js';

export const MAX_DAYS = 366;

export interface OrderMoneyRow {
  created_at: number;
  seller_id: string | null;
  total_cents: number;
  cost_cents: number;
  refund_cents: number;
}

/** Orders (not cancelled) created on the local days fromDay..toDay (UTC-midnight ms), with their local date. */
export function ordersOfDays(db: Database, tz: string, fromDay: number, toDay: number): Array<OrderMoneyRow & { date: string }> {
  const { lo, hi } = widenedRange(fromDay, toDay);
  const from = new Date(fromDay).toISOString().slice(0, 10);
  const to = new Date(toDay).toISOString().slice(0, 10);
  const rows = db
    .prepare(
      `SELECT created_at, seller_id, total_cents, cost_cents, refund_cents FROM orders
       WHERE created_at >= ? AND created_at < ? AND status != 'cancelled'`,
    )
    .all(lo, hi) as OrderMoneyRow[];
  const out: Array<OrderMoneyRow & { date: string }> = [];
  for (const r of rows) {
    const date = localDate(r.created_at, tz);
    if (date >= from && date <= to) out.push({ ...r, date });
  }
  return out;
}

function empty(): MarginFigures {
  return { orders: 0, totalCents: 0, costCents: 0, refundCents: 0, marginCents: 0 };
}

function add(f: MarginFigures, r: OrderMoneyRow): void {
  f.orders += 1;
  f.totalCents += r.total_cents;
  f.costCents += r.cost_cents;
  f.refundCents += r.refund_cents;
  f.marginCents += r.total_cents - r.cost_cents - r.refund_cents;
}

export function marginsReport(db: Database, tz: string, q: { from: unknown; to: unknown }): MarginsReport {
  const fromDay = parseDay(q.from, 'from');
  const toDay = parseDay(q.to, 'to');
  if (toDay < fromDay) throw invalid('to', 'must not be before from');
  if ((toDay - fromDay) / DAY_MS + 1 > MAX_DAYS) throw invalid('to', `must be at most ${MAX_DAYS} days after from`);
  const byDay = new Map<string, MarginFigures>();
  for (let d = fromDay; d <= toDay; d += DAY_MS) byDay.set(new Date(d).toISOString().slice(0, 10), empty());
  const total = empty();
  for (const r of ordersOfDays(db, tz, fromDay, toDay)) {
    const f = byDay.get(r.date);
    if (f) add(f, r);
    add(total, r);
  }
  return {
    from: q.from as string,
    to: q.to as string,
    timezone: tz,
    days: [...byDay].map(([date, f]) => ({ date, ...f })),
    total,
  };
}

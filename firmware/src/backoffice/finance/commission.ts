/**
 * Referral commission entries (销售员佣金) derived from the orders contract table. An order earns
 * when it was delivered, is not cancelled and its seller is an approved salesperson: the seller
 * gets sellerPct of the order's net (total − refunds), the seller's direct inviter inviterPct (two
 * levels only: never the inviter's inviter). The entry is due when the refund window closes
 * (delivered_at + refundWindowDays) and settles in the month holding that instant.
 *
 * `sync()` recomputes the unsettled entries from the orders as they are now (idempotent: a second
 * run changes nothing; only orders whose version moved are read again). A refund before settlement lowers the entry (to 0 and 'reversed' when all
 * is refunded); a refund after settlement adds an 'adjustment' entry with the (negative)
 * difference, at the rate the entry settled with.
 */
import type { BackOfficeDeps } from '../common/deps.js';
import { addMonths, type ShopCalendar } from './month.js';
import { bp, pctOf } from './money.js';
import type { PersonRow } from './people.js';
import type { CommissionEntry, CommissionRole, CommissionRules, CommissionStatus } from './types.js';

export const DAY_MS = 86_400_000;

export interface OrderRow {
  id: string;
  number: string;
  seller_id: string;
  status: string;
  total_cents: number;
  refund_cents: number;
  delivered_at: number;
  returned_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface EntryRow {
  id: string;
  order_id: string;
  person_id: string;
  role: CommissionRole;
  kind: 'commission' | 'adjustment';
  base_cents: number;
  pct_bp: number;
  amount_cents: number;
  due_at: number;
  month: string;
  status: CommissionStatus;
  created_at: number;
  updated_at: number;
  version: number;
}

export function toEntry(r: EntryRow, number: string | null): CommissionEntry {
  return {
    id: r.id,
    orderId: r.order_id,
    orderNumber: number,
    personId: r.person_id,
    role: r.role,
    kind: r.kind,
    baseCents: r.base_cents,
    pct: r.pct_bp / 100,
    amountCents: r.amount_cents,
    dueAt: new Date(r.due_at).toISOString(),
    month: r.month,
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    version: r.version,
  };
}

/** May `p` earn on an order created at `createdAt`: approved, or left after the order was taken. */
export function earns(p: PersonRow | undefined, createdAt: number): p is PersonRow {
  if (!p) return false;
  return p.status === 'approved' || (p.status === 'left' && p.left_at !== null && createdAt < p.left_at);
}

interface Desired {
  order_id: string;
  person_id: string;
  role: CommissionRole;
  kind: 'commission' | 'adjustment';
  base_cents: number;
  pct_bp: number;
  amount_cents: number;
  due_at: number;
  month: string;
  status: CommissionStatus;
}

const keyOf = (r: { order_id: string; person_id: string; role: string; kind: string }): string =>
  `${r.order_id}|${r.person_id}|${r.role}|${r.kind}`;

/**
 * Forgets which order versions the entries were computed from, so the next sync recomputes those
 * orders. Call in the writer's transaction when what the entries depend on beyond the order
 * changes: `{ person }` when a person's status, kind or inviter changes (their orders as seller and
 * the orders of the people they invited); `{ unsettled: true }` when the rules change (every order
 * not yet settled); `{ all: true }` when the shop's time zone changed.
 */
export function invalidateCommission(db: BackOfficeDeps['db'], scope: { person: string } | { unsettled: true } | { all: true }): void {
  if ('all' in scope) {
    db.prepare('DELETE FROM commission_orders').run();
  } else if ('unsettled' in scope) {
    db.prepare(
      `DELETE FROM commission_orders WHERE order_id NOT IN
         (SELECT order_id FROM commission_entries WHERE status = 'settled' AND kind = 'commission')`,
    ).run();
  } else {
    db.prepare(
      `DELETE FROM commission_orders WHERE order_id IN (SELECT id FROM orders WHERE seller_id = ?
         OR seller_id IN (SELECT id FROM people WHERE inviter_id = ?))`,
    ).run(scope.person, scope.person);
  }
}

const ZONE_KEY = 'finance.commissionZone';

export class CommissionLedger {
  constructor(private readonly deps: BackOfficeDeps) {}

  /**
   * Recomputes the unsettled entries of the orders that changed since they were last computed
   * (`commission_orders` holds the order version each was computed at). An order whose commission
   * has settled gets no new commission entries (rules or people changing later do not reopen it);
   * only refunds adjust it. Call inside a transaction. Returns how many entry rows changed.
   */
  sync(rules: CommissionRules, people: Map<string, PersonRow>, cal: ShopCalendar, lastClosed: string | null): number {
    const db = this.deps.db;
    const zone = db.prepare('SELECT value FROM settings WHERE key = ?').get(ZONE_KEY) as { value: string } | undefined;
    if (zone?.value !== cal.timeZone) {
      invalidateCommission(db, { all: true });
      db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
        ZONE_KEY,
        cal.timeZone,
      );
    }
    const floor = lastClosed ? addMonths(lastClosed, 1) : '';
    const monthOf = (ts: number): string => {
      const m = cal.monthOf(ts);
      if (m < floor) return floor; // months are strings: 'YYYY-MM' order is time order
      return m;
    };
    const changed = db
      .prepare(
        `SELECT o.id, o.number, o.seller_id, o.status, o.total_cents, o.refund_cents, o.delivered_at, o.returned_at,
           o.created_at, o.updated_at, o.version
         FROM orders o LEFT JOIN commission_orders c ON c.order_id = o.id
         WHERE o.seller_id IS NOT NULL AND o.delivered_at IS NOT NULL AND (c.version IS NULL OR c.version != o.version)`,
      )
      .all() as Array<OrderRow & { version: number }>;
    const entriesOf = db.prepare('SELECT * FROM commission_entries WHERE order_id = ?');
    const mark = db.prepare(
      'INSERT INTO commission_orders (order_id, version) VALUES (?, ?) ON CONFLICT(order_id) DO UPDATE SET version = excluded.version',
    );
    let rows = 0;
    for (const o of changed) {
      const settled = new Map<string, EntryRow[]>();
      const open = new Map<string, EntryRow>();
      for (const r of entriesOf.all(o.id) as EntryRow[]) {
        if (r.status === 'settled') {
          const k = `${r.person_id}|${r.role}`;
          settled.set(k, [...(settled.get(k) ?? []), r]);
        } else open.set(keyOf(r), r);
      }
      const desired = new Map<string, Desired>();
      const net = o.status === 'cancelled' ? 0 : Math.max(0, o.total_cents - o.refund_cents);
      const due = o.delivered_at + rules.refundWindowDays * DAY_MS;
      const seller = people.get(o.seller_id);
      const earners: Array<{ p: PersonRow; role: CommissionRole; pctBp: number }> = [];
      if (o.status !== 'cancelled' && seller?.kind === 'salesperson' && earns(seller, o.created_at)) {
        earners.push({ p: seller, role: 'seller', pctBp: bp(rules.referral.sellerPct) });
        const inviter = seller.inviter_id ? people.get(seller.inviter_id) : undefined;
        if (earns(inviter, o.created_at)) earners.push({ p: inviter, role: 'inviter', pctBp: bp(rules.referral.inviterPct) });
      }
      const closed = [...settled.values()].some((g) => g.some((r) => r.kind === 'commission'));
      for (const e of earners) {
        if (closed) break;
        if (o.total_cents <= 0 || e.pctBp <= 0) continue;
        const d: Desired = {
          order_id: o.id,
          person_id: e.p.id,
          role: e.role,
          kind: 'commission',
          base_cents: net,
          pct_bp: e.pctBp,
          amount_cents: pctOf(net, e.pctBp),
          due_at: due,
          // A reversed entry never settles: it keeps its own month (no moving past closed months).
          month: net === 0 ? cal.monthOf(due) : monthOf(due),
          status: net === 0 ? 'reversed' : 'pending',
        };
        desired.set(keyOf(d), d);
      }
      // Refunds after settlement: the difference at the settled rate, even if the earner no longer qualifies.
      for (const group of settled.values()) {
        const first = group.find((r) => r.kind === 'commission') ?? group[0];
        if (!first) continue;
        const delta = pctOf(net, first.pct_bp) - group.reduce((a, r) => a + r.amount_cents, 0);
        if (delta === 0) continue;
        const at = Math.max(o.returned_at ?? o.updated_at, first.due_at);
        const d: Desired = {
          order_id: o.id,
          person_id: first.person_id,
          role: first.role,
          kind: 'adjustment',
          base_cents: net,
          pct_bp: first.pct_bp,
          amount_cents: delta,
          due_at: at,
          month: monthOf(at),
          status: 'pending',
        };
        desired.set(keyOf(d), d);
      }
      rows += this.apply(open, desired);
      mark.run(o.id, o.version);
    }
    return rows;
  }

  private apply(open: Map<string, EntryRow>, desired: Map<string, Desired>): number {
    const db = this.deps.db;
    const now = this.deps.clock.now();
    let changed = 0;
    const upd = db.prepare(
      `UPDATE commission_entries SET base_cents = ?, pct_bp = ?, amount_cents = ?, due_at = ?, month = ?, status = ?,
         updated_at = ?, version = version + 1 WHERE id = ?`,
    );
    const ins = db.prepare(
      `INSERT INTO commission_entries (id, order_id, person_id, role, kind, base_cents, pct_bp, amount_cents, due_at, month, status,
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const del = db.prepare('DELETE FROM commission_entries WHERE id = ?');
    for (const [k, d] of desired) {
      const r = open.get(k);
      if (!r) {
        ins.run(
          this.deps.newId(),
          d.order_id,
          d.person_id,
          d.role,
          d.kind,
          d.base_cents,
          d.pct_bp,
          d.amount_cents,
          d.due_at,
          d.month,
          d.status,
          now,
          now,
        );
        changed++;
      } else if (
        r.base_cents !== d.base_cents ||
        r.pct_bp !== d.pct_bp ||
        r.amount_cents !== d.amount_cents ||
        r.due_at !== d.due_at ||
        r.month !== d.month ||
        r.status !== d.status
      ) {
        upd.run(d.base_cents, d.pct_bp, d.amount_cents, d.due_at, d.month, d.status, now, r.id);
        changed++;
      }
    }
    for (const [k, r] of open) {
      if (!desired.has(k)) {
        del.run(r.id);
        changed++;
      }
    }
    return changed;
  }
}

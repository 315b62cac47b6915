/**
 * The month's money: profit (gross margin of the month's orders − expenses − base salaries = 纯利),
 * the center bonus pool and its split, each person's settlement (base salary, referral commission,
 * rebate, bonus share), and closing a month (frozen: re-reading gives the same numbers).
 */
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor } from '../common/types.js';
import { type CommissionLedger, DAY_MS } from './commission.js';
import type { Ledger } from './ledger.js';
import { addMonths, ShopCalendar } from './month.js';
import { bonusPool, rebateFor, splitByLargestRemainder } from './money.js';
import type { PeopleStore, PersonRow } from './people.js';
import type { RulesStore } from './rules.js';
import type { BonusPool, CommissionRules, MarginDay, MonthProfit, MonthSettlement, PersonSettlement } from './types.js';

interface Frozen {
  settlement: MonthSettlement;
  days: MarginDay[];
}

/** With the shop that month: approved before it ended and not gone before it started. */
export function activeIn(p: PersonRow, from: number, to: number): boolean {
  if (p.status !== 'approved' && p.status !== 'left') return false;
  if (p.decided_at !== null && p.decided_at >= to) return false;
  return p.left_at === null || p.left_at >= from;
}

export class MonthBook {
  constructor(
    private readonly deps: BackOfficeDeps,
    private readonly people: PeopleStore,
    private readonly ledger: Ledger,
    private readonly rulesStore: RulesStore,
    private readonly commission: CommissionLedger,
  ) {}

  private cal: ShopCalendar | null = null;

  /** The shop's calendar (rebuilt when shop.timezone changes). */
  calendar(): ShopCalendar {
    const zone = this.deps.config().shop.timezone;
    if (this.cal?.timeZone !== zone) this.cal = new ShopCalendar(zone);
    return this.cal;
  }

  private frozen(month: string): Frozen | null {
    const r = this.deps.db.prepare('SELECT body FROM settlements WHERE month = ?').get(month) as { body: string } | undefined;
    return r ? (JSON.parse(r.body) as Frozen) : null;
  }

  /** Brings the commission entries up to date with the orders (one transaction). */
  sync(): void {
    const people = new Map(this.people.all().map((p) => [p.id, p]));
    this.deps.db.transaction(() => {
      this.commission.sync(this.rulesStore.get(), people, this.calendar(), this.ledger.lastClosed());
    })();
  }

  private margins(cal: ShopCalendar, month: string): { days: MarginDay[]; sum: Omit<MarginDay, 'date'> } {
    const { from, to } = cal.range(month);
    const rows = this.deps.db
      .prepare(
        `SELECT created_at, total_cents, cost_cents, refund_cents FROM orders
         WHERE created_at >= ? AND created_at < ? AND status != 'cancelled' ORDER BY created_at`,
      )
      .all(from, to) as Array<{ created_at: number; total_cents: number; cost_cents: number; refund_cents: number }>;
    const byDay = new Map<string, MarginDay>();
    const sum = { orders: 0, totalCents: 0, costCents: 0, refundCents: 0, marginCents: 0 };
    for (const r of rows) {
      const date = cal.dateOf(r.created_at);
      const d = byDay.get(date) ?? { date, orders: 0, totalCents: 0, costCents: 0, refundCents: 0, marginCents: 0 };
      const margin = r.total_cents - r.cost_cents - r.refund_cents;
      for (const x of [d, sum]) {
        x.orders++;
        x.totalCents += r.total_cents;
        x.costCents += r.cost_cents;
        x.refundCents += r.refund_cents;
        x.marginCents += margin;
      }
      byDay.set(date, d);
    }
    return { days: [...byDay.values()], sum };
  }

  /** Net sales per seller of the delivered, not cancelled orders whose refund window closed in `month`. */
  private sales(cal: ShopCalendar, month: string, rules: CommissionRules): Map<string, number> {
    const { from, to } = cal.range(month);
    const w = rules.refundWindowDays * DAY_MS;
    const rows = this.deps.db
      .prepare(
        `SELECT seller_id, SUM(MAX(0, total_cents - refund_cents)) AS s FROM orders
         WHERE seller_id IS NOT NULL AND status != 'cancelled' AND delivered_at >= ? AND delivered_at < ? GROUP BY seller_id`,
      )
      .all(from - w, to - w) as Array<{ seller_id: string; s: number }>;
    return new Map(rows.map((r) => [r.seller_id, r.s]));
  }

  profit(month: string): MonthProfit {
    const f = this.frozen(month);
    if (f) return { ...f.settlement.profit, days: f.days };
    return this.live(month, false).profit;
  }

  settlement(month: string): MonthSettlement {
    const f = this.frozen(month);
    if (f) return f.settlement;
    this.sync();
    return this.live(month, false).settlement;
  }

  /** Referral sums per person: entries settling in `month` (closing: also anything left from before). */
  private referrals(month: string, closing: boolean): Map<string, number> {
    const rows = this.deps.db
      .prepare(
        `SELECT person_id, SUM(amount_cents) AS s FROM commission_entries
         WHERE status = 'pending' AND ${closing ? 'month <= ?' : 'month = ?'} GROUP BY person_id`,
      )
      .all(month) as Array<{ person_id: string; s: number }>;
    return new Map(rows.map((r) => [r.person_id, r.s]));
  }

  private live(month: string, closing: boolean): { profit: MonthProfit; settlement: MonthSettlement } {
    const cal = this.calendar();
    const rules = this.rulesStore.get();
    const { from, to } = cal.range(month);
    const all = this.people.all();
    const active = all.filter((p) => activeIn(p, from, to));
    const m = this.margins(cal, month);
    const expensesCents = this.ledger.expensesCents(month);
    const salary = new Map(active.map((p) => [p.id, this.ledger.salaryOf(p.id, month).cents]));
    const baseSalariesCents = [...salary.values()].reduce((a, b) => a + b, 0);
    const netProfitCents = m.sum.marginCents - expensesCents - baseSalariesCents;
    const pool = bonusPool(netProfitCents, rules.bonusPool);
    const sales = this.sales(cal, month, rules);
    const staff = active
      .filter((p) => p.kind === 'staff')
      .sort((a, b) => (sales.get(b.id) ?? 0) - (sales.get(a.id) ?? 0) || (a.id < b.id ? -1 : 1));
    const weights = staff.map((p) => sales.get(p.id) ?? 0);
    const shares = splitByLargestRemainder(pool.poolCents, weights);
    const bonus = new Map<string, { paid: number; cut: number }>();
    staff.forEach((p, i) => {
      const share = shares[i] ?? 0;
      const cap = p.bonus_cap_cents ?? rules.bonusPool.capPerPersonCents;
      const paid = cap === null ? share : Math.min(share, cap);
      bonus.set(p.id, { paid, cut: share - paid });
    });
    const referral = this.referrals(month, closing);
    const lines: PersonSettlement[] = [];
    const activeIds = new Set(active.map((p) => p.id));
    for (const p of all) {
      const ref = referral.get(p.id) ?? 0;
      // Applicants, rejected people and those gone before the month: no line unless commission settles to them.
      const isActive = activeIds.has(p.id);
      if (!isActive && ref === 0) continue;
      const s = isActive ? (sales.get(p.id) ?? 0) : 0;
      const base = salary.get(p.id) ?? 0;
      const rebate = p.kind === 'staff' ? 0 : rebateFor(s, rules.rebates);
      const b = bonus.get(p.id) ?? { paid: 0, cut: 0 };
      lines.push({
        personId: p.id,
        name: p.name,
        kind: p.kind,
        baseSalaryCents: base,
        salesCents: s,
        referralCents: ref,
        rebateCents: rebate,
        bonusCents: b.paid,
        bonusCapCutCents: b.cut,
        totalCents: base + ref + rebate + b.paid,
      });
    }
    const paid = [...bonus.values()].reduce((a, b) => a + b.paid, 0);
    const capCut = [...bonus.values()].reduce((a, b) => a + b.cut, 0);
    const poolOut: BonusPool = {
      tierPct: pool.pct,
      mode: rules.bonusPool.mode,
      poolCents: pool.poolCents,
      paidCents: paid,
      capCutCents: capCut,
      unallocatedCents: pool.poolCents - paid - capCut,
    };
    const timezone = cal.timeZone;
    const profit: MonthProfit = {
      month,
      timezone,
      closed: false,
      days: m.days,
      orders: m.sum.orders,
      totalCents: m.sum.totalCents,
      costCents: m.sum.costCents,
      refundCents: m.sum.refundCents,
      grossMarginCents: m.sum.marginCents,
      expensesCents,
      baseSalariesCents,
      netProfitCents,
      pool: poolOut,
    };
    const { days: _days, ...summary } = profit;
    const settlement: MonthSettlement = {
      month,
      timezone,
      status: 'open',
      closedAt: null,
      closedBy: null,
      profit: summary,
      people: lines,
      totalCents: lines.reduce((a, l) => a + l.totalCents, 0),
      rules,
    };
    return { profit, settlement };
  }

  /** Closes `month` in order (after it ended; the month after the last closed one). Idempotent. */
  close(actor: Actor, month: string): MonthSettlement {
    const done = this.frozen(month);
    if (done) return done.settlement;
    const cal = this.calendar();
    const now = this.deps.clock.now();
    if (now < cal.range(month).to)
      throw new CallboxError('CONFLICT', `${month} is not over yet: it can be closed from its last day on`, { month });
    const people = new Map(this.people.all().map((p) => [p.id, p]));
    return this.deps.db.transaction(() => {
      const last = this.ledger.lastClosed();
      if (last !== null && month < last) throw new CallboxError('CONFLICT', `a later month (${last}) is already closed`, { month });
      if (last !== null && month !== addMonths(last, 1)) {
        throw new CallboxError('CONFLICT', `months close in order: close ${addMonths(last, 1)} first`, { month });
      }
      this.commission.sync(this.rulesStore.get(), people, cal, last);
      const { profit, settlement } = this.live(month, true);
      const frozen: MonthSettlement = {
        ...settlement,
        status: 'closed',
        closedAt: new Date(now).toISOString(),
        closedBy: actor.username,
        profit: { ...settlement.profit, closed: true },
      };
      const body: Frozen = { settlement: frozen, days: profit.days };
      this.deps.db
        .prepare('INSERT INTO settlements (month, closed_at, closed_by, body) VALUES (?, ?, ?, ?)')
        .run(month, now, actor.username, JSON.stringify(body));
      const line = this.deps.db.prepare(
        `INSERT INTO settlement_lines (month, person_id, base_salary_cents, sales_cents, referral_cents, rebate_cents, bonus_cents, total_cents)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const l of frozen.people) {
        line.run(month, l.personId, l.baseSalaryCents, l.salesCents, l.referralCents, l.rebateCents, l.bonusCents, l.totalCents);
        this.deps.outbox.put('commissions', `${month}:${l.personId}`, 1, { month, ...l });
      }
      this.deps.db
        .prepare(
          "UPDATE commission_entries SET status = 'settled', month = ?, updated_at = ?, version = version + 1 WHERE status = 'pending' AND month <= ?",
        )
        .run(month, now, month);
      this.deps.audit.record(actor.username, 'finance.close', 'settlement', month, {
        totalCents: frozen.totalCents,
        netProfitCents: frozen.profit.netProfitCents,
      });
      return frozen;
    })();
  }
}

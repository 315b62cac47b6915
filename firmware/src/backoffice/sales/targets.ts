/**
 * Monthly sales targets (月度销售目标) for the shop (person_id '') and per person, with what was
 * achieved: the totals less refunds of the month's orders (cancelled left out; a person's by
 * orders.seller_id), months in the shop's time zone. And the sales settings row (`settings`
 * table, key 'sales').
 */
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor } from '../common/types.js';
import { DAY_MS } from './local-day.js';
import { ordersOfDays } from './margins.js';
import type { SalesSettings, SalesTarget } from './types.js';
import { int, invalid, money } from './validate.js';

interface TargetRow {
  month: string;
  person_id: string;
  target_cents: number;
  updated_by: string;
  updated_at: number;
  version: number;
}

export const DEFAULT_SETTINGS: SalesSettings = { returnVisitDays: 3 };

function monthOf(value: unknown): { month: string; first: number; last: number } {
  if (typeof value !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw invalid('month', 'must be a month YYYY-MM');
  const [y, m] = value.split('-').map(Number) as [number, number];
  const first = Date.UTC(y, m - 1, 1);
  const last = Date.UTC(y, m, 1) - DAY_MS;
  return { month: value, first, last };
}

export class Targets {
  constructor(private readonly deps: BackOfficeDeps) {}

  private achieved(first: number, last: number): Map<string, number> {
    const by = new Map<string, number>();
    for (const r of ordersOfDays(this.deps.db, this.deps.config().shop.timezone, first, last)) {
      const net = r.total_cents - r.refund_cents;
      by.set('', (by.get('') ?? 0) + net);
      if (r.seller_id) by.set(r.seller_id, (by.get(r.seller_id) ?? 0) + net);
    }
    return by;
  }

  private toTarget(r: TargetRow, achieved: Map<string, number>): SalesTarget {
    return {
      month: r.month,
      personId: r.person_id === '' ? null : r.person_id,
      targetCents: r.target_cents,
      achievedCents: achieved.get(r.person_id) ?? 0,
      updatedBy: r.updated_by,
      updatedAt: new Date(r.updated_at).toISOString(),
      version: r.version,
    };
  }

  set(actor: Actor, input: { month: string; personId?: string | null; targetCents: number }): SalesTarget {
    if (typeof input !== 'object' || input === null) throw invalid('body', 'must be an object');
    const { month, first, last } = monthOf(input.month);
    const personId = input.personId ?? '';
    if (typeof personId !== 'string' || personId.length > 64) throw invalid('personId', 'must be a person id or null');
    const target = money(input.targetCents, 'targetCents');
    const db = this.deps.db;
    return db.transaction(() => {
      if (personId !== '' && !db.prepare('SELECT 1 FROM people WHERE id = ?').get(personId)) {
        throw invalid('personId', 'is not a known person');
      }
      db.prepare(
        `INSERT INTO sales_targets (month, person_id, target_cents, updated_by, updated_at, version) VALUES (?, ?, ?, ?, ?, 1)
         ON CONFLICT (month, person_id) DO UPDATE SET target_cents = excluded.target_cents, updated_by = excluded.updated_by,
           updated_at = excluded.updated_at, version = sales_targets.version + 1`,
      ).run(month, personId, target, actor.username, this.deps.clock.now());
      const row = db.prepare('SELECT * FROM sales_targets WHERE month = ? AND person_id = ?').get(month, personId) as TargetRow;
      this.deps.audit.record(actor.username, 'sales.target', 'sales_target', `${month}/${personId}`, { targetCents: target });
      return this.toTarget(row, this.achieved(first, last));
    })();
  }

  list(month: string): SalesTarget[] {
    const m = monthOf(month);
    const rows = this.deps.db.prepare('SELECT * FROM sales_targets WHERE month = ? ORDER BY person_id').all(m.month) as TargetRow[];
    const achieved = this.achieved(m.first, m.last);
    return rows.map((r) => this.toTarget(r, achieved));
  }

  settings(): SalesSettings {
    const row = this.deps.db.prepare("SELECT value FROM settings WHERE key = 'sales'").get() as { value: string } | undefined;
    if (!row) return { ...DEFAULT_SETTINGS };
    try {
      return { ...DEFAULT_SETTINGS, ...(JSON.parse(row.value) as Partial<SalesSettings>) };
    } catch {
      this.deps.log.warn('settings row "sales" is not JSON; using defaults');
      return { ...DEFAULT_SETTINGS };
    }
  }

  updateSettings(actor: Actor, patch: Partial<SalesSettings>): SalesSettings {
    if (typeof patch !== 'object' || patch === null) throw invalid('body', 'must be an object');
    for (const key of Object.keys(patch)) {
      if (!(key in DEFAULT_SETTINGS)) throw invalid(key, 'is not a sales setting (expected: returnVisitDays)');
    }
    const next = { ...this.settings() };
    if (patch.returnVisitDays !== undefined) next.returnVisitDays = int(patch.returnVisitDays, 'returnVisitDays', 0, 365);
    this.deps.db.transaction(() => {
      this.deps.db
        .prepare("INSERT INTO settings (key, value) VALUES ('sales', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .run(JSON.stringify(next));
      this.deps.audit.record(actor.username, 'sales.settings', 'settings', 'sales', next);
    })();
    return next;
  }
}

export function notFound(what: string, id: string): CallboxError {
  return new CallboxError('NOT_FOUND', `no ${what} ${JSON.stringify(id)}`);
}

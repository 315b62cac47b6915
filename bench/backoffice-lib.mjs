// Helpers of bench/backoffice.bench.mjs: the firmware bundle it measures, and the screen pop as SQL
// (the fallback while customers.screenPop is not built).
import { bundleSources } from '../scripts/lib/bundle-sources.mjs';

export function bundle() {
  return bundleSources(
    {
      'firmware/src/store/db.ts': ['openDatabase'],
      'firmware/src/store/event-log.ts': ['EventLog'],
      'firmware/src/backoffice/index.ts': ['createBackOffice'],
      'firmware/src/backoffice/common/types.ts': ['SYSTEM_ACTOR'],
      'firmware/src/backoffice/common/phone.ts': ['normalizePhone', 'phoneKeys'],
      'firmware/src/config/schema.ts': ['defaultConfig'],
      'firmware/src/kpi/kpi-service.ts': ['KpiServiceImpl'],
      'hal/src/clock.ts': ['VirtualClock'],
      'hal/src/events.ts': ['TypedEmitter'],
      pino: ['pino'],
    },
    { name: 'backoffice-bench', external: ['better-sqlite3', 'exceljs'] },
  );
}

/** The screen pop as SQL, while customers.screenPop is not built: the caller's customer, tags, last tickets, orders and calls. */
export function sqlScreenPop(m, db) {
  const find = db.prepare('SELECT customer_id FROM customer_phones WHERE phone = ?');
  const customer = db.prepare('SELECT id, name, notes, do_not_call FROM customers WHERE id = ?');
  const tags = db.prepare('SELECT tag FROM customer_tags WHERE customer_id = ?');
  const tickets = db.prepare(
    'SELECT id, number, subject, status, created_at FROM tickets WHERE customer_id = ? ORDER BY created_at DESC LIMIT 5',
  );
  const orders = db.prepare(
    'SELECT id, number, status, total_cents, created_at FROM orders WHERE customer_id = ? ORDER BY created_at DESC LIMIT 5',
  );
  const calls = db.prepare('SELECT id, started_at, outcome, agent FROM calls WHERE caller_id = ? ORDER BY started_at DESC LIMIT 5');
  return (raw) => {
    const keys = m.phoneKeys(m.normalizePhone(raw), 'CN');
    let id = null;
    for (const k of keys) {
      id = find.get(k)?.customer_id ?? null;
      if (id) break;
    }
    const recent = keys.flatMap((k) => calls.all(k));
    if (!id) return { customer: null, recentCalls: recent };
    return { customer: customer.get(id), tags: tags.all(id), tickets: tickets.all(id), orders: orders.all(id), recentCalls: recent };
  };
}

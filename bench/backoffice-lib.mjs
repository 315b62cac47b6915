// Helpers of bench/backoffice.bench.mjs: the firmware bundle it measures, and the screen pop as SQL
// (the fallback while customers.screenPop is not built).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = new URL('..', import.meta.url).pathname;

export async function bundle() {
  const dir = join(ROOT, 'node_modules/.cache/callbox-bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `backoffice-${process.pid}.mjs`);
  await build({
    stdin: {
      contents: [
        "export { openDatabase } from './firmware/src/store/db.ts';",
        "export { EventLog } from './firmware/src/store/event-log.ts';",
        "export { createBackOffice } from './firmware/src/backoffice/index.ts';",
        "export { SYSTEM_ACTOR } from './firmware/src/backoffice/common/types.ts';",
        "export { normalizePhone, phoneKeys } from './firmware/src/backoffice/common/phone.ts';",
        "export { defaultConfig } from './firmware/src/config/schema.ts';",
        "export { KpiServiceImpl } from './firmware/src/kpi/kpi-service.ts';",
        "export { VirtualClock } from './hal/src/clock.ts';",
        "export { TypedEmitter } from './hal/src/events.ts';",
        "export { pino } from 'pino';",
      ].join('\n'),
      resolveDir: ROOT,
      sourcefile: 'backoffice-bench-entry.ts',
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'exceljs'],
    banner: { js: "import { createRequire as __cbCreateRequire } from 'node:module'; const require = __cbCreateRequire(import.meta.url);" },
    legalComments: 'none',
    logLevel: 'warning',
  });
  const mod = await import(outfile);
  rmSync(outfile, { force: true });
  return mod;
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

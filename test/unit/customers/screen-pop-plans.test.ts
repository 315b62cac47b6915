// The screen pop over a year of data (100,000 calls, 20,000 tickets, 20,000 orders, 10,000
// customers): right answers, and every query on an index (no table scans). Its speed is a bench.
import t from 'tap';
import { customersBox, OWNER, SUPERVISOR } from './fixtures/box.js';

const CUSTOMERS = 10_000;
const phoneOf = (i: number) => `138${String(i).padStart(8, '0')}`;

t.test('screen pop over 100k calls, 20k tickets, 20k orders: answers and query plans on indexes', async (t) => {
  const { bo, db, clock } = customersBox();
  const t0 = clock.now();
  const ids: string[] = [];
  db.transaction(() => {
    for (let i = 0; i < CUSTOMERS; i++)
      ids.push(bo.customers.create(OWNER, { name: `客户${i}`, phones: [phoneOf(i)], tags: i % 10 === 0 ? ['VIP'] : [] }).id);
    const call = db.prepare(
      "INSERT INTO calls (id, direction, state, caller_id, started_at, ended_at, outcome) VALUES (?, 'inbound', 'ended', ?, ?, ?, 'answered')",
    );
    for (let i = 0; i < 100_000; i++) {
      const c = (i * 7919) % CUSTOMERS;
      const form = i % 3 === 0 ? `+86${phoneOf(c)}` : i % 3 === 1 ? `0${phoneOf(c)}` : phoneOf(c);
      call.run(`call-${i}`, form, t0 - i * 60_000, t0 - i * 60_000 + 30_000);
    }
    const ticket = db.prepare(
      `INSERT INTO tickets (id, number, subject, category, priority, status, source, customer_id, phone, created_by, created_at, updated_at)
       VALUES (?, ?, '咨询', 'inquiry', 'normal', ?, 'call', ?, ?, 'a', ?, ?)`,
    );
    for (let i = 0; i < 20_000; i++) {
      const c = (i * 31) % CUSTOMERS;
      ticket.run(`t-${i}`, `GD${i}`, i % 4 === 0 ? 'new' : 'closed', ids[c], phoneOf(c), t0 - i * 1000, t0 - i * 1000);
    }
    const order = db.prepare(
      `INSERT INTO orders (id, number, customer_id, status, subtotal_cents, total_cents, cost_cents, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, 9900, 9900, 4000, 'a', ?, ?)`,
    );
    for (let i = 0; i < 20_000; i++)
      order.run(`o-${i}`, `${i}`, ids[(i * 17) % CUSTOMERS], i % 9 === 0 ? 'cancelled' : 'paid', t0 - i * 1000, t0 - i * 1000);
  })();
  db.exec('ANALYZE');

  // Speed is measured by `make bench` (bench/backoffice.bench.mjs → screenPopP99Ms), not here: this
  // test checks the answers over a year of data and that every query is on an index.
  for (let i = 0; i < 200; i++) {
    const c = (i * 37) % CUSTOMERS;
    const pop =
      i % 2 === 0
        ? bo.customers.screenPop(SUPERVISOR, { phone: `+86${phoneOf(c)}` })
        : bo.customers.screenPop(SUPERVISOR, { callId: `call-${i * 50}` });
    if (i === 0) {
      t.equal(pop.customer?.id, ids[c]);
      t.equal(pop.lastCalls.length, 5);
      t.ok(pop.lifetimeValueCents > 0);
    }
    if (!pop.customer) t.fail(`pop ${i} found no customer`);
  }

  const plan = (sql: string, ...args: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ');
  const keys = ['13800000001', '+8613800000001', '013800000001'];
  const checks = [
    plan('SELECT id FROM calls WHERE caller_id IN (?, ?, ?) ORDER BY started_at DESC LIMIT 5', ...keys),
    plan("SELECT id FROM tickets WHERE customer_id = ? AND status NOT IN ('resolved', 'closed') ORDER BY created_at", ids[1]),
    plan("SELECT id FROM tickets WHERE phone IN (?, ?, ?) AND status NOT IN ('resolved', 'closed') ORDER BY created_at", ...keys),
    plan('SELECT id FROM orders WHERE customer_id = ? ORDER BY created_at DESC LIMIT 5', ids[1]),
    plan("SELECT SUM(total_cents - refund_cents) FROM orders WHERE customer_id = ? AND status != 'cancelled'", ids[1]),
    plan('SELECT phone, customer_id FROM customer_phones WHERE phone IN (?, ?, ?)', ...keys),
  ];
  for (const p of checks) {
    t.match(p, /USING (COVERING )?INDEX|USING PRIMARY KEY|PRIMARY KEY/, p);
    t.notMatch(p, /^SCAN|\| SCAN (calls|tickets|orders|customer_phones)\b/, `no table scan: ${p}`);
  }
});

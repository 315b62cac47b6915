/**
 * The customer of an order taken by phone: found by any stored form of the number
 * (common/phone.ts phoneKeys over customer_phones, the customers area's contract table), or
 * created with source 'order' in the order's transaction (row, phone, outbox 'customers', audit).
 */
import type { BackOfficeDeps } from '../common/deps.js';
import { phoneKeys } from '../common/phone.js';
import type { Actor } from '../common/types.js';
import type { Customer } from '../customers/types.js';

/** The customer id owning `phone` (normalized), or null. */
export function customerByPhone(deps: BackOfficeDeps, phone: string): string | null {
  const keys = phoneKeys(phone, deps.config().shop.country);
  const row = deps.db
    .prepare(`SELECT customer_id FROM customer_phones WHERE phone IN (${keys.map(() => '?').join(', ')}) LIMIT 1`)
    .get(...keys) as { customer_id: string } | undefined;
  return row?.customer_id ?? null;
}

/** Inside the caller's transaction: a new customer with this phone (and name), source 'order'. */
export function createOrderCustomer(deps: BackOfficeDeps, actor: Actor, phone: string, name: string | null): string {
  const id = deps.newId();
  const now = deps.clock.now();
  deps.db
    .prepare(`INSERT INTO customers (id, name, source, created_at, updated_at, version) VALUES (?, ?, 'order', ?, ?, 1)`)
    .run(id, name, now, now);
  deps.db.prepare('INSERT INTO customer_phones (phone, customer_id, label, added_at) VALUES (?, ?, NULL, ?)').run(phone, id, now);
  const at = new Date(now).toISOString();
  const record: Customer = {
    id,
    name,
    phones: [{ phone, label: null }],
    tags: [],
    notes: '',
    consent: {},
    doNotCall: false,
    source: 'order',
    createdAt: at,
    updatedAt: at,
    version: 1,
    erasedAt: null,
  };
  deps.outbox.put('customers', id, 1, record);
  deps.audit.record(actor.username, 'customer.create', 'customer', id, { source: 'order' });
  return id;
}

/** The first phone of a customer (for the return visit when the order has no ship phone). */
export function firstPhoneOf(deps: BackOfficeDeps, customerId: string): string | null {
  const row = deps.db.prepare('SELECT phone FROM customer_phones WHERE customer_id = ? ORDER BY added_at, phone LIMIT 1').get(customerId) as
    | { phone: string }
    | undefined;
  return row?.phone ?? null;
}

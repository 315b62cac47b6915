/**
 * Customers of orders: an order taken by phone finds or creates its customer through the customers
 * area (`customers.ensureByPhone(actor, phone, shipName, 'order')`, in the order's transaction);
 * this file only reads the contract table customer_phones.
 */
import type { BackOfficeDeps } from '../common/deps.js';

/** The first phone of a customer (for the return visit when the order has no ship phone). */
export function firstPhoneOf(deps: BackOfficeDeps, customerId: string): string | null {
  const row = deps.db.prepare('SELECT phone FROM customer_phones WHERE customer_id = ? ORDER BY added_at, phone LIMIT 1').get(customerId) as
    | { phone: string }
    | undefined;
  return row?.phone ?? null;
}

/**
 * Order status for the IVR: the sales area's `orders.statusByNumber`. While the sales area is not
 * built (NOT_IMPLEMENTED) the same answer is read from its contract tables (`orders`, the latest
 * `shipments` row of the order for the carrier).
 */
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { IvrOrderStatus } from './types.js';

export function orderStatus(deps: BackOfficeDeps, number: string): IvrOrderStatus | null {
  try {
    const info = deps.areas().orders.statusByNumber(number);
    return info ? { number: info.number, status: info.status, carrier: info.carrier } : null;
  } catch (err) {
    if (!(err instanceof CallboxError && err.code === 'NOT_IMPLEMENTED')) throw err;
  }
  const row = deps.db
    .prepare(
      `SELECT o.number, o.status,
         (SELECT s.carrier FROM shipments s WHERE s.order_id = o.id ORDER BY s.shipped_at DESC LIMIT 1) AS carrier
       FROM orders o WHERE o.number = ?`,
    )
    .get(number) as IvrOrderStatus | undefined;
  return row ?? null;
}

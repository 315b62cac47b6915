/** Order status for the IVR: the sales area's `orders.statusByNumber`, in the words the IVR speaks. */
import type { BackOfficeDeps } from '../common/deps.js';
import type { IvrOrderStatus } from './types.js';

export function orderStatus(deps: BackOfficeDeps, number: string): IvrOrderStatus | null {
  const info = deps.areas().orders.statusByNumber(number);
  return info ? { number: info.number, status: info.status, carrier: info.carrier } : null;
}

/** The customers area: built from the shared back-office deps. */
import type { BackOfficeDeps } from '../common/deps.js';
import { notBuilt } from '../common/not-built.js';
import type { CustomersService } from './types.js';

export function createCustomers(_deps: BackOfficeDeps): CustomersService {
  return notBuilt<CustomersService>('customers');
}

/** The finance area: built from the shared back-office deps. */
import type { BackOfficeDeps } from '../common/deps.js';
import { Finance } from './service.js';
import type { FinanceService } from './types.js';

export function createFinance(deps: BackOfficeDeps): FinanceService {
  return new Finance(deps);
}

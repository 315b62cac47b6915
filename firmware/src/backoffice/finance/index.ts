/** The finance area: built from the shared back-office deps. */
import type { BackOfficeDeps } from '../common/deps.js';
import { notBuilt } from '../common/not-built.js';
import type { FinanceService } from './types.js';

export function createFinance(_deps: BackOfficeDeps): FinanceService {
  return notBuilt<FinanceService>('finance');
}

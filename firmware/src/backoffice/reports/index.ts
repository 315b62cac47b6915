/** The reports area: built from the shared back-office deps. */
import type { BackOfficeDeps } from '../common/deps.js';
import { notBuilt } from '../common/not-built.js';
import type { ReportsService } from './types.js';

export function createReports(_deps: BackOfficeDeps): ReportsService {
  return notBuilt<ReportsService>('reports');
}

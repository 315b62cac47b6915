/** Reports (报表): the service contract. */
import type { Actor } from '../common/types.js';

export type ReportPeriod = 'day' | 'week' | 'month';

export interface ReportsService {
  /** The report of the period containing local date `date` (YYYY-MM-DD) in the shop's time zone. */
  report(actor: Actor, q: { period: ReportPeriod; date: string }): unknown;
}

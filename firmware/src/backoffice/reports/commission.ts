/**
 * The commission section (提成): the finance area's settlement of the month
 * (deps.areas().finance.settlement), per person: referral commission + sales rebate + bonus-pool
 * share (base salaries are not commission). Commission settles by month, so only the month report
 * carries it; day and week reports say so. The report never fails because of this section: when
 * finance cannot answer (not built, an error) or the actor may not see the shop's money (no
 * `finance.read`: supervisors), the section says why.
 */
import { isCallboxError } from '../../errors.js';
import { can } from '../../service/permissions.js';
import type { Actor } from '../common/types.js';
import type { FinanceService } from '../finance/types.js';
import type { ReportCommission, ReportPeriod, Unavailable } from './types.js';

export function commissionSection(
  finance: FinanceService,
  actor: Actor,
  period: ReportPeriod,
  month: string,
): ReportCommission | Unavailable {
  if (!can(actor.role, 'finance.read')) {
    return { available: false, reason: `提成属于财务数据 commission is the shop's money: role ${actor.role} lacks finance.read` };
  }
  if (period !== 'month') {
    return { available: false, reason: '提成按月结算，见月报 commission settles by month: see the month report' };
  }
  try {
    const s = finance.settlement(actor, month);
    const rows = s.people
      .map((p) => ({
        person: p.personId,
        name: p.name,
        referralCents: p.referralCents,
        rebateCents: p.rebateCents,
        bonusCents: p.bonusCents,
        amountCents: p.referralCents + p.rebateCents + p.bonusCents,
      }))
      .filter((r) => r.amountCents !== 0);
    return { available: true, month: s.month, status: s.status, rows, totalCents: rows.reduce((n, r) => n + r.amountCents, 0) };
  } catch (e) {
    const why = isCallboxError(e) ? `${e.code}: ${e.message}` : 'finance failed';
    return { available: false, reason: `提成暂不可用 commission unavailable (${why})` };
  }
}

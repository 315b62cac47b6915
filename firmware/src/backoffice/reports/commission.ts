/**
 * The commission section: asked of the finance area (deps.areas().finance) at report time. The
 * report never fails because of it: when finance cannot answer (not built yet, an error) or the
 * actor may not see the shop's money (no `finance.read`), the section says why.
 *
 * What reports expect of finance (duck-typed, so either side can land first):
 *   commissionSummary(actor, { from: ISO, to: ISO }) → Array<{ personId, name, amountCents }>
 */
import { isCallboxError } from '../../errors.js';
import { can } from '../../service/permissions.js';
import type { FinanceService } from '../finance/types.js';
import type { Actor } from '../common/types.js';
import type { ReportCommission, Unavailable } from './types.js';

export interface CommissionSummaryRow {
  personId: string;
  name: string;
  amountCents: number;
}

interface CommissionSource {
  commissionSummary(actor: Actor, q: { from: string; to: string }): CommissionSummaryRow[];
}

export function commissionSection(finance: FinanceService, actor: Actor, from: string, to: string): ReportCommission | Unavailable {
  if (!can(actor.role, 'finance.read')) {
    return { available: false, reason: `提成属于财务数据 commission is the shop's money: role ${actor.role} lacks finance.read` };
  }
  const source = finance as unknown as Partial<CommissionSource>;
  if (typeof source.commissionSummary !== 'function') {
    return { available: false, reason: '财务模块未提供提成汇总 the finance area has no commission summary yet' };
  }
  try {
    const rows = source.commissionSummary(actor, { from, to });
    if (!Array.isArray(rows)) return { available: false, reason: 'finance answered no rows' };
    const clean = rows
      .filter((r) => r && typeof r.amountCents === 'number' && Number.isFinite(r.amountCents))
      .map((r) => ({ person: String(r.personId), name: String(r.name ?? r.personId), amountCents: Math.round(r.amountCents) }));
    return { available: true, rows: clean, totalCents: clean.reduce((s, r) => s + r.amountCents, 0) };
  } catch (e) {
    const why = isCallboxError(e) ? `${e.code}: ${e.message}` : 'finance failed';
    return { available: false, reason: `提成暂不可用 commission unavailable (${why})` };
  }
}

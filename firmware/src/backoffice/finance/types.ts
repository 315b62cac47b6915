/** The shop's money: people, expenses, salaries, commission and settlements. The service contract. */
import type { Actor } from '../common/types.js';

export type PersonKind = 'staff' | 'salesperson' | 'distributor';
export type PersonStatus = 'applied' | 'approved' | 'rejected' | 'left';

export interface Person {
  id: string;
  name: string;
  kind: PersonKind;
  phone: string | null;
  agentId: string | null;
  username: string | null;
  inviterId: string | null;
  status: PersonStatus;
  baseSalaryCents: number;
  appliedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  version: number;
}

/** Commission rules as data (the seed's plan is the default). Percentages are numbers like 30 for 30 %. */
export interface CommissionRules {
  /** Center bonus pool from the month's net profit (纯利), by tier. */
  bonusPool: {
    /** Ascending; the last tier has upToCents null (no upper bound). */
    tiers: Array<{ upToCents: number | null; pct: number }>;
    /** 'whole': the tier's rate applies to the whole profit (the seed's reading); 'marginal': each slice at its rate. */
    mode: 'whole' | 'marginal';
    /** Per-person monthly cap, or null. */
    capPerPersonCents: number | null;
  };
  /** Salesperson referral commission: to the seller (also on their own orders) and to the seller's inviter. */
  referral: { sellerPct: number; inviterPct: number };
  /** Commission on an order settles only when this many days passed since delivery without a refund. */
  refundWindowDays: number;
  /** Monthly sales rebates, by the person's sales in the month (ascending thresholds; the highest reached applies). */
  rebates: Array<{ minSalesCents: number; rebateCents: number }>;
  /** A distributor's supply price as a percentage of the list price. */
  distributorPricePct: number;
}

export interface FinanceService {
  people(actor: Actor): Person[];
  /** The rules in force (defaults until the owner changes them). */
  rules(): CommissionRules;
}

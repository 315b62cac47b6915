/**
 * The shop's money: people, expenses, salaries, commission and settlements. The service contract.
 * Money is integer cents (分); months are 'YYYY-MM' in the shop's time zone; percentages are
 * numbers like 30 for 30 % (at most two decimals). See finance/README.md for the definitions.
 */
import type { Actor, Page, PageQuery } from '../common/types.js';

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
  /** The base salary in force now (history: FinanceService.salaries). */
  baseSalaryCents: number;
  /** This person's monthly bonus-pool cap; null = the rules' capPerPersonCents. */
  bonusCapCents: number | null;
  note: string;
  appliedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  leftAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** An application to join (销售员 / 分销商 申请), or the owner adding staff; approved by the owner. */
export interface PersonApplication {
  name: string;
  kind: PersonKind;
  phone?: string | null;
  agentId?: string | null;
  username?: string | null;
  /** Who invited them (邀请人): must be an approved person. */
  inviterId?: string | null;
  note?: string;
}

export interface PersonPatch {
  name?: string;
  phone?: string | null;
  agentId?: string | null;
  username?: string | null;
  /** Must be approved and must not make a cycle (A invites B invites A). */
  inviterId?: string | null;
  bonusCapCents?: number | null;
  note?: string;
  version?: number;
}

export interface PeopleQuery extends PageQuery {
  /** Matches name, phone and username. */
  q?: string;
  kind?: PersonKind;
  status?: PersonStatus;
}

/** Commission rules as data (the seed's plan is the default). Percentages are numbers like 30 for 30 %. */
export interface CommissionRules {
  /** Center bonus pool from the month's net profit (纯利), by tier. */
  bonusPool: {
    /** Ascending; a tier covers [previous upToCents, upToCents); the last tier has upToCents null (no upper bound). */
    tiers: Array<{ upToCents: number | null; pct: number }>;
    /** 'whole': the tier's rate applies to the whole profit (the seed's reading); 'marginal': each slice at its rate. */
    mode: 'whole' | 'marginal';
    /** Per-person monthly cap, or null (a person's bonusCapCents overrides it). */
    capPerPersonCents: number | null;
  };
  /** Salesperson referral commission: to the seller (also on their own orders) and to the seller's inviter. */
  referral: { sellerPct: number; inviterPct: number };
  /** Commission on an order settles only when this many days passed since delivery. */
  refundWindowDays: number;
  /** Monthly sales rebates, by the person's sales in the month (ascending thresholds; the highest reached applies). */
  rebates: Array<{ minSalesCents: number; rebateCents: number }>;
  /** A distributor's supply price as a percentage of the list price. */
  distributorPricePct: number;
}

export interface Expense {
  id: string;
  month: string;
  /** e.g. 房租, 广告费, 话费. */
  category: string;
  amountCents: number;
  note: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ExpenseInput {
  month: string;
  category: string;
  amountCents: number;
  note?: string;
}

export type ExpensePatch = Partial<ExpenseInput> & { version?: number };

export interface ExpenseQuery extends PageQuery {
  month: string;
}

/** A person's base salary in a month: the latest value set for that month or before. */
export interface SalaryLine {
  personId: string;
  name: string;
  kind: PersonKind;
  status: PersonStatus;
  /** The month this amount took effect (null: never set, 0). */
  fromMonth: string | null;
  baseSalaryCents: number;
  /** Whether it counts in the month's net profit (the person was with the shop that month). */
  counted: boolean;
}

export interface SalaryInput {
  personId: string;
  /** Effective from this month on (must be an open month). */
  month: string;
  baseSalaryCents: number;
}

export interface MarginDay {
  date: string;
  orders: number;
  totalCents: number;
  costCents: number;
  refundCents: number;
  marginCents: number;
}

export interface BonusPool {
  /** The rate of the tier the profit reached (whole mode) or of the top slice (marginal). */
  tierPct: number;
  mode: 'whole' | 'marginal';
  poolCents: number;
  /** Paid to staff after caps. */
  paidCents: number;
  /** Cut by the caps: stays with the shop. */
  capCutCents: number;
  /** Not paid because no staff had sales: stays with the shop. */
  unallocatedCents: number;
}

/** The month's profit: gross margin of its orders − expenses − base salaries = net profit (纯利). */
export interface MonthProfit {
  month: string;
  timezone: string;
  closed: boolean;
  /** Per local day of order creation; cancelled orders left out (as the sales margins report). */
  days: MarginDay[];
  orders: number;
  totalCents: number;
  costCents: number;
  refundCents: number;
  grossMarginCents: number;
  expensesCents: number;
  baseSalariesCents: number;
  netProfitCents: number;
  pool: BonusPool;
}

export type CommissionRole = 'seller' | 'inviter';
export type CommissionStatus = 'pending' | 'settled' | 'reversed';

export interface CommissionEntry {
  id: string;
  orderId: string;
  orderNumber: string | null;
  personId: string;
  role: CommissionRole;
  /** 'commission': the order's commission; 'adjustment': a refund after it settled (negative). */
  kind: 'commission' | 'adjustment';
  /** The order's net (total − refunds) the amount was computed on. */
  baseCents: number;
  pct: number;
  amountCents: number;
  /** When the refund window closes (delivery + refundWindowDays). */
  dueAt: string;
  /** The month it settles in (or settled in). */
  month: string;
  status: CommissionStatus;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface CommissionQuery extends PageQuery {
  month?: string;
  personId?: string;
  status?: CommissionStatus;
}

/** One person's money for a month. */
export interface PersonSettlement {
  personId: string;
  name: string;
  kind: PersonKind;
  baseSalaryCents: number;
  /** Net sales (total − refunds) of their orders whose refund window closed in the month. */
  salesCents: number;
  /** Referral commission (seller 20 % + inviter 5 % + adjustments) settling in the month. */
  referralCents: number;
  rebateCents: number;
  /** Bonus-pool share after the cap. */
  bonusCents: number;
  /** What the cap cut from the share (stays with the shop). */
  bonusCapCutCents: number;
  totalCents: number;
}

export interface MonthSettlement {
  month: string;
  timezone: string;
  status: 'open' | 'closed';
  closedAt: string | null;
  closedBy: string | null;
  profit: Omit<MonthProfit, 'days'>;
  people: PersonSettlement[];
  totalCents: number;
  /** The rules the month was computed with (frozen when closed). */
  rules: CommissionRules;
}

export interface MySettlement {
  person: Person;
  settlement: PersonSettlement;
  /** Their commission entries of the month, and their entries still pending from later months. */
  entries: CommissionEntry[];
}

export interface FinanceService {
  /** Every person (any status), by name. */
  people(actor: Actor): Person[];
  listPeople(actor: Actor, q: PeopleQuery): Page<Person>;
  person(actor: Actor, id: string): Person;
  /** The person whose username is this principal's, or null. */
  personOf(username: string): Person | null;
  apply(actor: Actor, input: PersonApplication): Person;
  approve(actor: Actor, id: string, version?: number): Person;
  reject(actor: Actor, id: string, version?: number): Person;
  leave(actor: Actor, id: string, version?: number): Person;
  updatePerson(actor: Actor, id: string, patch: PersonPatch): Person;

  /** The rules in force (defaults until the owner changes them). */
  rules(): CommissionRules;
  setRules(actor: Actor, rules: CommissionRules): CommissionRules;

  expenses(actor: Actor, q: ExpenseQuery): Page<Expense>;
  expense(actor: Actor, id: string): Expense;
  addExpense(actor: Actor, input: ExpenseInput): Expense;
  updateExpense(actor: Actor, id: string, patch: ExpensePatch): Expense;
  deleteExpense(actor: Actor, id: string): void;

  salaries(actor: Actor, month: string): SalaryLine[];
  setSalary(actor: Actor, input: SalaryInput): SalaryLine;

  profit(actor: Actor, month: string): MonthProfit;
  /** The month's settlement: live for an open month, the frozen one for a closed month. */
  settlement(actor: Actor, month: string): MonthSettlement;
  /** Freezes the month (idempotent: closing a closed month returns it unchanged). */
  closeMonth(actor: Actor, month: string): MonthSettlement;
  commissions(actor: Actor, q: CommissionQuery): Page<CommissionEntry>;
  /** The actor's own settlement and entries (people.username = actor.username); NOT_FOUND if none. */
  mine(actor: Actor, month: string): MySettlement;
}

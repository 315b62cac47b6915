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

export interface FinanceService {
  people(actor: Actor): Person[];
}

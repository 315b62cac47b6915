/** Tickets (工单): the service contract. */
import type { Actor, Page, PageQuery } from '../common/types.js';

export type TicketStatus = 'new' | 'assigned' | 'in_progress' | 'waiting_customer' | 'resolved' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type TicketSource = 'call' | 'voicemail' | 'missed_call' | 'sms' | 'manual' | 'survey';

export interface TicketCategory {
  id: string;
  nameZh: string;
  nameEn: string;
  /** Hours from creation to the due time; null: no SLA. */
  slaHours: number | null;
  builtin: boolean;
  disabled: boolean;
}

export interface Ticket {
  id: string;
  /** Human-readable number, e.g. "T20261127-0001". */
  number: string;
  subject: string;
  description: string;
  category: string;
  priority: TicketPriority;
  department: string | null;
  assignee: string | null;
  status: TicketStatus;
  source: TicketSource;
  customerId: string | null;
  phone: string | null;
  callId: string | null;
  dueAt: string | null;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  reopenCount: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface TicketInput {
  subject: string;
  description?: string;
  category?: string;
  priority?: TicketPriority;
  department?: string | null;
  assignee?: string | null;
  source?: TicketSource;
  customerId?: string | null;
  phone?: string | null;
  callId?: string | null;
}

export interface TicketQuery extends PageQuery {
  q?: string;
  status?: TicketStatus;
  assignee?: string;
  customerId?: string;
  category?: string;
}

export interface TicketsService {
  /** Only `subject` is required; defaults: category inquiry, priority normal, source manual, status new (assigned when an assignee is given). */
  create(actor: Actor, input: TicketInput): Ticket;
  get(actor: Actor, id: string): Ticket | null;
  search(actor: Actor, q: TicketQuery): Page<Ticket>;
}

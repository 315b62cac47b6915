/** Tickets (工单): the service contract. */
import type { Actor, Page, PageQuery } from '../common/types.js';
import type { FollowupItem } from '../followups/types.js';

export type TicketStatus = 'new' | 'assigned' | 'in_progress' | 'waiting_customer' | 'resolved' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type TicketSource = 'call' | 'voicemail' | 'missed_call' | 'sms' | 'manual' | 'survey';
export type TicketLinkKind = 'call' | 'recording' | 'voicemail' | 'order' | 'sms';

export interface TicketCategory {
  id: string;
  nameZh: string;
  nameEn: string;
  /** Hours from creation to the due time; null: no SLA. */
  slaHours: number | null;
  builtin: boolean;
  disabled: boolean;
  /** Order in pickers (lower first). */
  sort: number;
}

export interface Ticket {
  id: string;
  /** Human-readable number, e.g. "T20261127-0001" (per local day in the shop's time zone). */
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
  /** Masked (138****5678) for viewers without customers.phones. */
  phone: string | null;
  callId: string | null;
  dueAt: string | null;
  /** Open (not resolved or closed) and past its due time. */
  overdue: boolean;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  reopenCount: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** One line of a ticket's history, oldest first. */
export interface TicketEvent {
  seq: number;
  ts: string;
  actor: string;
  /** created, updated, transition, note, link, return_visit, return_visit_failed, auto_link. */
  type: string;
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus | null;
  /** What changed or was said (free text or a short JSON summary). */
  body: string | null;
}

export interface TicketNote {
  id: string;
  ticketId: string;
  author: string;
  body: string;
  /** Internal notes (内部备注) are for staff only; others may be shown to the customer. */
  internal: boolean;
  createdAt: string;
}

export interface TicketLink {
  kind: TicketLinkKind;
  refId: string;
  linkedAt: string;
}

/** A ticket with its history, notes and linked calls, recordings, voicemails, orders and SMS. */
export interface TicketDetail extends Ticket {
  events: TicketEvent[];
  notes: TicketNote[];
  links: TicketLink[];
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

export interface TicketPatch {
  subject?: string;
  description?: string;
  category?: string;
  priority?: TicketPriority;
  department?: string | null;
  /** Setting an assignee on a `new` ticket moves it to `assigned`. */
  assignee?: string | null;
  customerId?: string | null;
  phone?: string | null;
  /** The version read; CONFLICT when the ticket moved on. */
  version?: number;
}

/** `to` is a status, or 'reopen' (resolved/closed → in_progress). */
export interface TransitionInput {
  to: TicketStatus | 'reopen';
  note?: string;
  /** Who takes it (for `assigned`). */
  assignee?: string;
  version?: number;
}

export interface NoteInput {
  body: string;
  /** Default true. */
  internal?: boolean;
}

export interface LinkInput {
  kind: TicketLinkKind;
  refId: string;
}

export interface ReturnVisitInput {
  /** Epoch ms of the 回访 (not before); or `inDays` from now. */
  dueAt?: number;
  inDays?: number;
  note?: string;
  /** The number to call; default the ticket's phone or its customer's first phone. */
  phone?: string;
}

export interface TicketQuery extends PageQuery {
  /** Searches subject, description, number (and the phone, digits only). */
  q?: string;
  status?: TicketStatus;
  assignee?: string;
  customerId?: string;
  category?: string;
  source?: TicketSource;
  /** true: open and past due; false: not overdue. */
  overdue?: boolean;
}

export interface CategoryInput {
  /** Lowercase id like "gift_card"; generated when absent. */
  id?: string;
  nameZh: string;
  nameEn?: string;
  slaHours?: number | null;
  sort?: number;
}

export interface CategoryPatch {
  nameZh?: string;
  nameEn?: string;
  slaHours?: number | null;
  disabled?: boolean;
  sort?: number;
}

/** The shop's ticket settings (settings table, key 'tickets.settings'). */
export interface TicketSettings {
  /** A missed, abandoned or unanswered (noAgent) inbound call opens a ticket (one per caller per local day). */
  missedCallTickets: boolean;
  /** A voicemail left opens a ticket. */
  voicemailTickets: boolean;
  /** An SMS received opens a ticket (or adds to the caller's open SMS ticket of the day). */
  smsTickets: boolean;
  /** Resolving a ticket with a phone schedules a return visit (回访). */
  returnVisitOnResolve: boolean;
  /** Days after resolving (1..90). */
  returnVisitAfterDays: number;
}

export interface TicketsService {
  /** Only `subject` is required; defaults: category inquiry, priority normal, source manual, status new (assigned when an assignee is given). */
  create(actor: Actor, input: TicketInput): Ticket;
  /** By id or number (T20261127-0001). */
  get(actor: Actor, id: string): Ticket | null;
  /** The ticket with events, notes and links; null when unknown. */
  detail(actor: Actor, id: string): TicketDetail | null;
  search(actor: Actor, q: TicketQuery): Page<Ticket>;
  update(actor: Actor, id: string, patch: TicketPatch): Ticket;
  /** Moves along the workflow; CONFLICT naming from/to when not allowed. */
  transition(actor: Actor, id: string, input: TransitionInput): Ticket;
  addNote(actor: Actor, id: string, input: NoteInput): TicketNote;
  /** Links a call/recording/voicemail/order (must exist) or an SMS; CONFLICT when already linked. */
  addLink(actor: Actor, id: string, input: LinkInput): TicketLink;
  /** Schedules a return visit (回访) in the follow-ups area for this ticket. */
  scheduleReturnVisit(actor: Actor, id: string, input: ReturnVisitInput): FollowupItem;
  /** An SMS received by the modem: a ticket (source sms), or a note on the sender's open SMS ticket of the day, linked to `smsId` (its id in the inbox). Null when SMS tickets are off. */
  fromSms(from: string, text: string, receivedAt: number, smsId?: string): Ticket | null;
  categories(actor: Actor): TicketCategory[];
  createCategory(actor: Actor, input: CategoryInput): TicketCategory;
  updateCategory(actor: Actor, id: string, patch: CategoryPatch): TicketCategory;
  settings(actor: Actor): TicketSettings;
  updateSettings(actor: Actor, patch: Partial<TicketSettings>): TicketSettings;
}

/** Customers (CRM): the service contract. */
import type { Actor, Page, PageQuery } from '../common/types.js';

export type CustomerSource = 'callerId' | 'manual' | 'import' | 'sms' | 'order';

export interface CustomerPhone {
  /** Normalized (common/phone.ts); masked (138****5678) for viewers without customers.phones. */
  phone: string;
  label: string | null;
}

export interface Consent {
  /** May be recorded (the consent announcement was accepted / not objected to). */
  recording?: boolean;
  marketing?: boolean;
  sms?: boolean;
}

export interface Customer {
  id: string;
  name: string | null;
  phones: CustomerPhone[];
  tags: string[];
  notes: string;
  consent: Consent;
  doNotCall: boolean;
  source: CustomerSource;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** Set when the customer's personal data was erased on request. */
  erasedAt: string | null;
}

export interface CustomerInput {
  name?: string | null;
  phones?: Array<string | { phone: string; label?: string | null }>;
  tags?: string[];
  notes?: string;
  consent?: Consent;
  doNotCall?: boolean;
}

export interface CustomerQuery extends PageQuery {
  /** Matches name, phone digits, tags and notes. */
  q?: string;
  tag?: string;
}

/** A call in the screen pop (from the calls table). */
export interface ScreenPopCall {
  id: string;
  direction: 'inbound' | 'outbound';
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  outcome: string | null;
  queue: string | null;
  agent: string | null;
}

/** An open ticket in the screen pop (status not resolved/closed). */
export interface ScreenPopTicket {
  id: string;
  number: string;
  subject: string;
  category: string;
  priority: string;
  status: string;
  assignee: string | null;
  createdAt: string;
  dueAt: string | null;
}

export interface ScreenPopOrder {
  id: string;
  number: string;
  status: string;
  totalCents: number;
  refundCents: number;
  createdAt: string;
}

/** What an agent's screen shows while a call rings (来电弹屏). */
export interface ScreenPop {
  /** The number asked about (or the call's caller ID), masked per viewer; null when unknown. */
  phone: string | null;
  /** The call asked about, when asked by callId. */
  callId: string | null;
  customer: Customer | null;
  vip: boolean;
  /** Newest first, at most 5, from every stored form of every number of the customer. */
  lastCalls: ScreenPopCall[];
  /** Oldest first (the one waiting longest on top). */
  openTickets: ScreenPopTicket[];
  /** Newest first, at most 5. */
  lastOrders: ScreenPopOrder[];
  /** Σ (total − refund) over the customer's orders not cancelled, in cents (分). */
  lifetimeValueCents: number;
  orderCount: number;
}

export type ScreenPopQuery = { phone: string } | { callId: string } | { customerId: string };

export interface CustomerImportSkip {
  /** 1-based line of the CSV file. */
  line: number;
  reason: string;
}

export interface CustomerImportReport {
  encoding: 'utf-8' | 'gbk';
  /** Data rows read (header excluded). */
  rows: number;
  created: number;
  updated: number;
  /** Rows that matched a customer and changed nothing. */
  unchanged: number;
  skipped: CustomerImportSkip[];
}

/** Everything the box holds about one customer (PIPL/GDPR access request). */
export interface PersonalDataExport {
  exportedAt: string;
  customer: Customer;
  calls: Array<ScreenPopCall & { callerId: string | null; callerName: string | null }>;
  tickets: Array<Record<string, unknown>>;
  orders: Array<Record<string, unknown>>;
  voicemails: Array<{ id: string; callId: string; box: string; createdAt: string; durationMs: number; state: string }>;
  recordings: Array<{ id: string; callId: string; startedAt: string; durationMs: number; state: string; legalHold: boolean }>;
  /** Text messages received from (in) and sent to (out) the customer or its numbers. */
  sms: Array<{ id: string; direction: 'in' | 'out'; phone: string; text: string; at: string; ticketId: string | null }>;
  /** The audit trail of this customer. */
  audit: Array<{ ts: string; actor: string; action: string; detail: unknown }>;
}

/** What an erasure changed (counts only: the numbers themselves are gone). */
export interface ErasureResult {
  customer: Customer;
  scrubbed: {
    phones: number;
    calls: number;
    tickets: number;
    orders: number;
    voicemails: number;
    callbacks: number;
    selfServiceChecks: number;
    /** Received and finished sent text messages whose number was masked. */
    sms: number;
  };
  /** Audio files of the customer's calls/voicemails still on disk (own retention, legal hold): ids. */
  recordingsKept: string[];
  voicemailsKept: string[];
}

export interface CustomersService {
  /** 201 semantics: durable when it returns. VALIDATION_FAILED without name or phones; CONFLICT when a phone belongs to another customer. */
  create(actor: Actor, input: CustomerInput): Customer;
  get(actor: Actor, id: string): Customer | null;
  /** Replaces the fields given. With `version`, CONFLICT when the record moved on. */
  update(actor: Actor, id: string, patch: CustomerInput & { version?: number }): Customer;
  search(actor: Actor, q: CustomerQuery): Page<Customer>;
  /** The customer owning this number (any stored form of it), or null. */
  byPhone(actor: Actor, phone: string): Customer | null;
  /** The customer of an inbound caller ID, created (source callerId) when new; null for anonymous/invalid numbers. */
  ensureFromCallerId(callerId: string | null, callerName: string | null): Customer | null;
  /**
   * The id of the customer owning `phone` (any stored form), created with `source` when nobody
   * does (e.g. an order taken by phone); `name` fills a customer who has none. Other areas call it
   * inside their own transaction. VALIDATION_FAILED for a malformed phone.
   */
  ensureByPhone(actor: Actor, phone: string, name: string | null, source: CustomerSource): string;
  /** Screen pop data by number, call or customer (NOT_FOUND for an unknown call or customer). */
  screenPop(actor: Actor, q: ScreenPopQuery): ScreenPop;
  /** The ACD priority of a caller: 5 for VIP-tagged customers, else null. Never throws. */
  queuePriority(phone: string): number | null;
  /** Import a CSV file (UTF-8 with/without BOM, or GBK). One transaction. */
  importCsv(actor: Actor, bytes: Uint8Array): CustomerImportReport;
  /** Every customer not erased as CSV (UTF-8 with BOM), optionally by tag. */
  exportCsv(actor: Actor, q?: { tag?: string }): string;
  /** All data of one customer (NOT_FOUND unknown). Audited. */
  personalData(actor: Actor, id: string): PersonalDataExport;
  /** Erase one customer's personal data, keeping the row id. Audited with the reason. */
  erase(actor: Actor, id: string, reason: string): ErasureResult;
}

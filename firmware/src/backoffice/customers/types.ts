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

export interface CustomersService {
  /** 201 semantics: durable when it returns. VALIDATION_FAILED without name or phones; CONFLICT when a phone belongs to another customer. */
  create(actor: Actor, input: CustomerInput): Customer;
  get(actor: Actor, id: string): Customer | null;
  /** Replaces the fields given. With `version`, CONFLICT when the record moved on. */
  update(actor: Actor, id: string, patch: CustomerInput & { version?: number }): Customer;
  search(actor: Actor, q: CustomerQuery): Page<Customer>;
  /** The customer owning this number (any stored form of it), or null. */
  byPhone(actor: Actor, phone: string): Customer | null;
}

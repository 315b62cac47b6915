/**
 * The customers service: create, read (masked per viewer), update with optimistic versions,
 * search, lookup by any stored form of a number, the customer of a caller ID, the ACD priority of
 * VIPs. Each write is one transaction: the rows, the outbox row (stream 'customers', the full
 * record) and the audit row (field names, never values).
 */
import { CallboxError } from '../../errors.js';
import { can } from '../../service/permissions.js';
import type { BackOfficeDeps } from '../common/deps.js';
import { maskPhone, normalizePhone, phoneKeys } from '../common/phone.js';
import { type Actor, type Page, SYSTEM_ACTOR } from '../common/types.js';
import { CustomerStore } from './store.js';
import type { Customer, CustomerInput, CustomerQuery, CustomerSource } from './types.js';
import { type CleanInput, cleanInput, invalid } from './validate.js';

/** Tags that put a caller ahead in the queue (case-insensitive). */
export const VIP_TAGS = ['vip', '贵宾'];
export const VIP_PRIORITY = 5;
const NOT_NAMES = /^(p|o|private|anonymous|unavailable|unknown|withheld|restricted|out of area)$/i;

export function canSeePhones(actor: Actor): boolean {
  return can(actor.role, 'customers.phones');
}

/** The record as `actor` may see it (numbers masked without customers.phones). */
export function viewOf(actor: Actor, c: Customer): Customer {
  return canSeePhones(actor) ? c : { ...c, phones: c.phones.map((p) => ({ ...p, phone: maskPhone(p.phone) })) };
}

export function isVip(tags: readonly string[]): boolean {
  return tags.some((t) => VIP_TAGS.includes(t.toLowerCase()));
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export class CustomersCore {
  readonly store: CustomerStore;

  constructor(readonly deps: BackOfficeDeps) {
    this.store = new CustomerStore(deps.db);
  }

  country(): 'CN' | 'US' | 'EU' {
    return this.deps.config().shop.country;
  }

  keys(phone: string): string[] {
    return phoneKeys(phone, this.country());
  }

  /** The customer id owning `phone` (normalized) in any stored form, or null. */
  idByPhone(phone: string): string | null {
    return this.store.owners(this.keys(phone))[0]?.customer_id ?? null;
  }

  /** A full-number view of one customer by a person: audited. */
  auditView(actor: Actor, id: string, via: string): void {
    if (actor.username === SYSTEM_ACTOR.username || !canSeePhones(actor)) return;
    this.deps.audit.record(actor.username, 'customer.view', 'customer', id, { via });
  }

  /**
   * Phones deduplicated by lookup key; a number stored by another customer in any form is
   * CONFLICT; a number this customer already stores in another form keeps the stored form.
   */
  private ownPhones(id: string | null, phones: ReadonlyArray<{ phone: string; label: string | null }>) {
    const seen = new Set<string>();
    const out: Array<{ phone: string; label: string | null }> = [];
    for (const p of phones) {
      const keys = this.keys(p.phone);
      if (keys.some((k) => seen.has(k))) continue;
      for (const k of keys) seen.add(k);
      const owners = this.store.owners(keys);
      const other = owners.find((o) => o.customer_id !== id);
      if (other) {
        throw new CallboxError('CONFLICT', `phones: ${p.phone} belongs to another customer`, {
          field: 'phones',
          customerId: other.customer_id,
        });
      }
      out.push({ phone: owners[0]?.phone ?? p.phone, label: p.label });
    }
    return out;
  }

  /** Inside a transaction: a new customer from clean input. */
  insert(actor: Actor, c: CleanInput, source: CustomerSource): Customer {
    const name = c.name ?? null;
    const phones = this.ownPhones(null, c.phones ?? []);
    if (name === null && phones.length === 0) throw invalid('name', 'or phones is required');
    const id = this.deps.newId();
    const now = this.deps.clock.now();
    this.store.insert({ id, name, notes: c.notes ?? '', consent: c.consent ?? {}, doNotCall: c.doNotCall ?? false, source, now });
    this.store.setPhones(id, phones, now);
    this.store.setTags(id, c.tags ?? []);
    const record = this.store.get(id) as Customer;
    this.deps.outbox.put('customers', id, 1, record);
    this.deps.audit.record(actor.username, 'customer.create', 'customer', id, { source });
    return record;
  }

  /** Inside a transaction: apply clean input to a customer. Returns the record and whether it changed. */
  patch(actor: Actor, id: string, c: CleanInput, action = 'customer.update'): { record: Customer; changed: boolean } {
    const row = this.store.row(id);
    if (!row) throw new CallboxError('NOT_FOUND', `no customer ${JSON.stringify(id)}`);
    if (c.version !== undefined && c.version !== row.version) {
      throw new CallboxError('CONFLICT', `customer ${id} is at version ${row.version}, not ${c.version}`, {
        field: 'version',
        version: row.version,
      });
    }
    if (row.erased_at !== null) throw new CallboxError('CONFLICT', `customer ${id} was erased`, { field: 'id' });
    const before = this.store.record(row);
    const next = {
      name: c.name !== undefined ? c.name : before.name,
      notes: c.notes ?? before.notes,
      consent: c.consent ?? before.consent,
      doNotCall: c.doNotCall ?? before.doNotCall,
    };
    const phones = c.phones ? this.ownPhones(id, c.phones) : before.phones;
    const tags = c.tags ?? before.tags;
    if (next.name === null && phones.length === 0) throw invalid('name', 'or phones is required');
    const changed: string[] = (['name', 'notes', 'consent', 'doNotCall'] as const).filter((k) => !sameJson(next[k], before[k]));
    if (!sameJson(phones, before.phones)) changed.push('phones');
    if (!sameJson([...tags].sort(), [...before.tags].sort())) changed.push('tags');
    if (changed.length === 0) return { record: before, changed: false };
    const now = this.deps.clock.now();
    this.store.update(id, { ...next, now });
    if (c.phones) this.store.setPhones(id, phones, now);
    if (c.tags) this.store.setTags(id, tags);
    const record = this.store.get(id) as Customer;
    this.deps.outbox.put('customers', id, record.version, record);
    this.deps.audit.record(actor.username, action, 'customer', id, { fields: changed });
    return { record, changed: true };
  }

  create(actor: Actor, input: CustomerInput): Customer {
    const c = cleanInput(input);
    return viewOf(actor, this.deps.db.transaction(() => this.insert(actor, c, 'manual'))());
  }

  get(actor: Actor, id: string): Customer | null {
    const c = this.store.get(id);
    if (!c) return null;
    this.auditView(actor, id, 'get');
    return viewOf(actor, c);
  }

  update(actor: Actor, id: string, input: CustomerInput & { version?: number }): Customer {
    const c = cleanInput(input);
    return viewOf(actor, this.deps.db.transaction(() => this.patch(actor, id, c).record)());
  }

  search(actor: Actor, q: CustomerQuery): Page<Customer> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw invalid('limit', 'must be an integer from 1 to 500');
    if (!Number.isInteger(offset) || offset < 0) throw invalid('offset', 'must be an integer ≥ 0');
    const text = q.q?.trim() || undefined;
    if (text !== undefined && text.length > 100) throw invalid('q', 'must be at most 100 characters');
    const tag = q.tag?.trim() || undefined;
    const filter: Parameters<CustomerStore['search']>[0] = { limit, offset };
    if (tag !== undefined) filter.tag = tag;
    if (text !== undefined) {
      filter.text = text;
      // "5678", "138 1234", "+86 138…": the digits of a number-like query match stored numbers
      if (/^[+\d\s\-()（）]+$/.test(text)) {
        const digits = text.replace(/\D/g, '');
        if (!canSeePhones(actor)) {
          // Masked viewers see the last 4 digits only: a longer search, or digits matched elsewhere
          // in the number, would reveal the hidden ones (as in the calls list).
          if (digits.length > 4)
            throw new CallboxError('FORBIDDEN', 'q: your role may search numbers by the last 4 digits only', { field: 'q' });
          if (digits.length >= 3) Object.assign(filter, { digits, digitsAtEnd: true });
        } else {
          if (digits.length >= 3) filter.digits = digits;
          try {
            if (digits.length >= 7) filter.keys = this.keys(normalizePhone(text));
          } catch {
            // not a whole number: the digit match above is enough
          }
        }
      }
    }
    const { ids, total } = this.store.search(filter);
    return { items: ids.map((id) => viewOf(actor, this.store.get(id) as Customer)), total };
  }

  byPhone(actor: Actor, phone: string): Customer | null {
    const id = this.idByPhone(normalizePhone(phone));
    if (!id) return null;
    this.auditView(actor, id, 'byPhone');
    return viewOf(actor, this.store.get(id) as Customer);
  }

  ensureFromCallerId(callerId: string | null, callerName: string | null): Customer | null {
    if (!callerId) return null;
    let phone: string;
    try {
      phone = normalizePhone(callerId);
    } catch {
      return null; // anonymous, private, "P"/"O", garbage
    }
    if (/^\+?0+$/.test(phone)) return null;
    const raw = callerName?.trim() ?? '';
    const name = raw && !NOT_NAMES.test(raw) && !/^\+?[\d\s-]+$/.test(raw) ? raw.slice(0, 100) : null;
    return this.ensureByPhone(SYSTEM_ACTOR, phone, name, 'callerId');
  }

  /**
   * The customer owning `phone` (normalized; any stored form), created with `source` when nobody
   * does; `name` fills a customer who has none (an order's ship name after a caller-ID customer).
   * One transaction (a savepoint inside the caller's).
   */
  ensureByPhone(actor: Actor, phone: string, name: string | null, source: CustomerSource): Customer {
    return this.deps.db.transaction(() => {
      const id = this.idByPhone(phone);
      if (!id) return this.insert(actor, { name, phones: [{ phone, label: null }] }, source);
      const current = this.store.get(id) as Customer;
      if (current.name !== null || name === null || current.erasedAt !== null) return current;
      return this.patch(actor, id, { name }).record;
    })();
  }

  queuePriority(phone: string): number | null {
    try {
      const id = this.idByPhone(normalizePhone(phone));
      return id && isVip(this.store.tags(id)) ? VIP_PRIORITY : null;
    } catch (err) {
      if (!(err instanceof CallboxError)) this.deps.log.error({ err: String(err) }, 'customers: queue priority lookup failed');
      return null;
    }
  }
}

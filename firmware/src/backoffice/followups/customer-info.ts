/**
 * What follow-ups read of the customers area, through its contract tables (schema step 7):
 * the customer of a phone number, do-not-call, the first phone, name/tags/notes for the offer.
 */
import type { Database } from '../../store/db.js';
import { phoneKeys } from '../common/phone.js';

export interface CustomerFacts {
  id: string;
  name: string | null;
  notes: string;
  doNotCall: boolean;
  erased: boolean;
}

interface Row {
  id: string;
  name: string | null;
  notes: string;
  do_not_call: number;
  erased_at: number | null;
}

export class CustomerInfo {
  constructor(
    private readonly db: Database,
    private readonly country: () => 'CN' | 'US' | 'EU',
  ) {}

  get(id: string): CustomerFacts | null {
    const r = this.db.prepare<[string], Row>('SELECT id, name, notes, do_not_call, erased_at FROM customers WHERE id = ?').get(id);
    return r ? { id: r.id, name: r.name, notes: r.notes, doNotCall: r.do_not_call === 1, erased: r.erased_at !== null } : null;
  }

  /** The customer owning `phone` (any stored form), or null. */
  byPhone(phone: string): string | null {
    const keys = phoneKeys(phone, this.country());
    const r = this.db
      .prepare(`SELECT customer_id FROM customer_phones WHERE phone IN (${keys.map(() => '?').join(', ')}) LIMIT 1`)
      .get(...keys) as { customer_id: string } | undefined;
    return r?.customer_id ?? null;
  }

  firstPhone(customerId: string): string | null {
    const r = this.db.prepare('SELECT phone FROM customer_phones WHERE customer_id = ? ORDER BY added_at, phone LIMIT 1').get(customerId) as
      | { phone: string }
      | undefined;
    return r?.phone ?? null;
  }

  tags(customerId: string): string[] {
    return (this.db.prepare('SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY tag').all(customerId) as { tag: string }[]).map(
      (r) => r.tag,
    );
  }

  withTag(tag: string): string[] {
    return (
      this.db.prepare('SELECT customer_id FROM customer_tags WHERE tag = ? ORDER BY customer_id').all(tag) as { customer_id: string }[]
    ).map((r) => r.customer_id);
  }

  /** Why this customer / number must not be called, or null. */
  blocked(customerId: string | null, phone: string): 'do_not_call' | 'customer_erased' | null {
    const id = customerId ?? this.byPhone(phone);
    if (!id) return null;
    const c = this.get(id);
    if (!c) return null;
    if (c.erased) return 'customer_erased';
    return c.doNotCall ? 'do_not_call' : null;
  }
}

/**
 * What tickets read of other records, by SQL on their tables: calls, recordings and voicemails
 * (store/db.ts steps 1-4), orders (step 10) and customers with their phones (step 7 contract).
 */
import type { Database } from '../../store/db.js';
import { phoneKeys } from '../common/phone.js';
import type { TicketLinkKind } from './types.js';

export class References {
  constructor(
    private readonly db: Database,
    private readonly country: () => 'CN' | 'US' | 'EU',
  ) {}

  /** The stored id of the linked record (orders may be named by number; an SMS sent or received), or null when unknown. */
  resolve(kind: TicketLinkKind, refId: string): string | null {
    switch (kind) {
      case 'call':
        return this.one('SELECT id FROM calls WHERE id = ?', refId);
      case 'recording':
        return this.one('SELECT id FROM recordings WHERE id = ?', refId);
      case 'voicemail':
        return this.one('SELECT id FROM voicemails WHERE id = ?', refId);
      case 'order':
        return this.one('SELECT id FROM orders WHERE id = ? OR number = ?', refId, refId);
      case 'sms':
        return this.one('SELECT id FROM sms_messages WHERE id = ? UNION ALL SELECT id FROM sms_received WHERE id = ?', refId, refId);
    }
  }

  private one(sql: string, ...args: string[]): string | null {
    const r = this.db.prepare(sql).get(...args) as { id: string } | undefined;
    return r?.id ?? null;
  }

  customerExists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM customers WHERE id = ?').get(id) !== undefined;
  }

  /** The customer (not erased) owning `phone` in any stored form, or null. */
  customerByPhone(phone: string): string | null {
    const keys = this.phoneKeys(phone);
    const r = this.db
      .prepare(
        `SELECT p.customer_id FROM customer_phones p JOIN customers c ON c.id = p.customer_id
         WHERE p.phone IN (${keys.map(() => '?').join(', ')}) AND c.erased_at IS NULL LIMIT 1`,
      )
      .get(...keys) as { customer_id: string } | undefined;
    return r?.customer_id ?? null;
  }

  firstPhone(customerId: string): string | null {
    const r = this.db.prepare('SELECT phone FROM customer_phones WHERE customer_id = ? ORDER BY added_at, phone LIMIT 1').get(customerId) as
      | { phone: string }
      | undefined;
    return r?.phone ?? null;
  }

  phoneKeys(phone: string): string[] {
    return phoneKeys(phone, this.country());
  }

  /** The voicemail of a call (saved, not recording), with the caller ID it kept. */
  voicemailOfCall(callId: string): { id: string; callerId: string | null; box: string; durationMs: number } | null {
    const r = this.db
      .prepare(
        "SELECT id, caller_id, box, duration_ms FROM voicemails WHERE call_id = ? AND state != 'recording' ORDER BY created_at DESC LIMIT 1",
      )
      .get(callId) as { id: string; caller_id: string | null; box: string; duration_ms: number } | undefined;
    return r ? { id: r.id, callerId: r.caller_id, box: r.box, durationMs: r.duration_ms } : null;
  }

  /** The recordings of a call (ids). */
  recordingsOfCall(callId: string): string[] {
    return (this.db.prepare('SELECT id FROM recordings WHERE call_id = ? ORDER BY started_at').all(callId) as { id: string }[]).map(
      (r) => r.id,
    );
  }
}

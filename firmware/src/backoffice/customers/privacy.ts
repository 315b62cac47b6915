/**
 * Personal data on request (PIPL 个人信息保护法 / GDPR): everything the box holds about one customer
 * as JSON, and erasure. Erasure keeps the customer's row and id (orders and tickets point at it)
 * with every personal field cleared and `erased_at` set, deletes its numbers and tags, and scrubs
 * those numbers (every stored form) from calls (caller_id, caller_name), tickets.phone, orders'
 * ship_name/ship_phone/ship_address, voicemails.caller_id and self-service checks; finished
 * callbacks and follow-up items, received text messages and finished sent ones keep a masked number
 * (their columns are NOT NULL). What stays, and
 * why, is in README.md (the append-only event log, audio files under their own retention).
 */
import { CallboxError } from '../../errors.js';
import { maskPhone } from '../common/phone.js';
import type { Actor } from '../common/types.js';
import { callOf } from './screen-pop.js';
import type { CustomersCore } from './service.js';
import type { Customer, ErasureResult, PersonalDataExport } from './types.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const inList = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

function keysOfCustomer(core: CustomersCore, c: Customer): string[] {
  const keys = new Set<string>();
  for (const p of c.phones) for (const k of core.keys(p.phone)) keys.add(k);
  return [...keys];
}

function mustGet(core: CustomersCore, id: string): Customer {
  const c = core.store.get(id);
  if (!c) throw new CallboxError('NOT_FOUND', `no customer ${JSON.stringify(id)}`);
  return c;
}

export function personalData(core: CustomersCore, actor: Actor, id: string): PersonalDataExport {
  const db = core.deps.db;
  const customer = mustGet(core, id);
  const keys = keysOfCustomer(core, customer);
  const k = inList(keys.length);
  const any = keys.length > 0;
  const calls = any
    ? (
        db.prepare(`SELECT * FROM calls WHERE caller_id IN (${k}) ORDER BY started_at`).all(...keys) as Array<
          Parameters<typeof callOf>[0] & { caller_id: string | null; caller_name: string | null }
        >
      ).map((r) => ({ ...callOf(r), callerId: r.caller_id, callerName: r.caller_name }))
    : [];
  const tickets = db
    .prepare(`SELECT * FROM tickets WHERE customer_id = ? ${any ? `OR phone IN (${k})` : ''} ORDER BY created_at`)
    .all(id, ...keys) as Array<Record<string, unknown>>;
  const noteStmt = db.prepare('SELECT author, body, internal, created_at FROM ticket_notes WHERE ticket_id = ? ORDER BY created_at');
  const orders = db.prepare('SELECT * FROM orders WHERE customer_id = ? ORDER BY created_at').all(id) as Array<Record<string, unknown>>;
  const lineStmt = db.prepare('SELECT name, qty, unit_price_cents, discount_cents, gift FROM order_lines WHERE order_id = ? ORDER BY idx');
  const voicemails = any
    ? (
        db
          .prepare(`SELECT id, call_id, box, created_at, duration_ms, state FROM voicemails WHERE caller_id IN (${k}) ORDER BY created_at`)
          .all(...keys) as Array<{
          id: string;
          call_id: string;
          box: string;
          created_at: number;
          duration_ms: number;
          state: string;
        }>
      ).map((v) => ({
        id: v.id,
        callId: v.call_id,
        box: v.box,
        createdAt: iso(v.created_at) as string,
        durationMs: v.duration_ms,
        state: v.state,
      }))
    : [];
  const recStmt = db.prepare('SELECT id, call_id, started_at, duration_ms, state, legal_hold FROM recordings WHERE call_id = ?');
  const recordings = calls.flatMap((c) =>
    (
      recStmt.all(c.id) as Array<{
        id: string;
        call_id: string;
        started_at: number;
        duration_ms: number;
        state: string;
        legal_hold: number;
      }>
    ).map((r) => ({
      id: r.id,
      callId: r.call_id,
      startedAt: iso(r.started_at) as string,
      durationMs: r.duration_ms,
      state: r.state,
      legalHold: r.legal_hold === 1,
    })),
  );
  const sms = smsOf(core, id, keys);
  const audit = core.deps.audit
    .list({ entity: 'customer', entityId: id, limit: 1000 })
    .map((a) => ({ ts: a.ts, actor: a.actor, action: a.action, detail: a.detail }));
  core.deps.audit.record(actor.username, 'customer.personal_data_export', 'customer', id, {
    calls: calls.length,
    tickets: tickets.length,
    orders: orders.length,
    sms: sms.length,
  });
  return {
    exportedAt: iso(core.deps.clock.now()) as string,
    customer,
    calls,
    tickets: tickets.map((t) => ({ ...t, notes: noteStmt.all(t.id) })),
    orders: orders.map((o) => ({ ...o, lines: lineStmt.all(o.id) })),
    voicemails,
    recordings,
    sms,
    audit,
  };
}

/** The text messages from (received) and to (sent) the customer or its numbers, oldest first. */
function smsOf(core: CustomersCore, id: string, keys: string[]): PersonalDataExport['sms'] {
  const by = `customer_id = ? ${keys.length ? `OR phone IN (${inList(keys.length)})` : ''}`;
  const rows = core.deps.db
    .prepare(
      `SELECT id, 'in' AS direction, phone, body, received_at AS at, ticket_id FROM sms_received WHERE ${by}
       UNION ALL SELECT id, 'out', phone, body, created_at, ticket_id FROM sms_messages WHERE ${by} ORDER BY at, id`,
    )
    .all(id, ...keys, id, ...keys) as {
    id: string;
    direction: 'in' | 'out';
    phone: string;
    body: string;
    at: number;
    ticket_id: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    direction: r.direction,
    phone: r.phone,
    text: r.body,
    at: iso(r.at) as string,
    ticketId: r.ticket_id,
  }));
}

export function erase(core: CustomersCore, actor: Actor, id: string, reason: string): ErasureResult {
  if (typeof reason !== 'string' || reason.trim() === '' || reason.length > 500) {
    throw new CallboxError('VALIDATION_FAILED', 'reason must be a string of 1..500 characters', { field: 'reason' });
  }
  const db = core.deps.db;
  return db.transaction(() => {
    const before = mustGet(core, id);
    if (before.erasedAt !== null) throw new CallboxError('CONFLICT', `customer ${id} was already erased`, { field: 'id' });
    const keys = keysOfCustomer(core, before);
    const k = inList(keys.length);
    const any = keys.length > 0;
    const run = (sql: string, ...args: unknown[]): number => db.prepare(sql).run(...args).changes;
    const callIds = any
      ? (db.prepare(`SELECT id FROM calls WHERE caller_id IN (${k})`).all(...keys) as { id: string }[]).map((r) => r.id)
      : [];
    const vmIds = any
      ? (db.prepare(`SELECT id FROM voicemails WHERE caller_id IN (${k})`).all(...keys) as { id: string }[]).map((r) => r.id)
      : [];
    const recStmt = db.prepare('SELECT id FROM recordings WHERE call_id = ?');
    const recordingsKept = callIds.flatMap((c) => (recStmt.all(c) as { id: string }[]).map((r) => r.id));
    const now = core.deps.clock.now();
    const masked = (sql: string, table: string): number => {
      let n = 0;
      for (const key of keys) n += run(sql.replace('$T', table), maskPhone(key), key);
      return n;
    };
    const maskAll = (select: string, table: string): number => {
      const rows = db.prepare(select).all(id, ...keys) as { id: string; phone: string }[];
      const set = db.prepare(`UPDATE ${table} SET phone = ? WHERE id = ?`);
      return rows.filter((r) => !r.phone.includes('*')).reduce((n, r) => n + set.run(maskPhone(r.phone), r.id).changes, 0);
    };
    const scrubbed = {
      phones: run('DELETE FROM customer_phones WHERE customer_id = ?', id),
      calls: any ? run(`UPDATE calls SET caller_id = NULL, caller_name = NULL WHERE caller_id IN (${k})`, ...keys) : 0,
      tickets: run(
        `UPDATE tickets SET phone = NULL WHERE phone IS NOT NULL AND (customer_id = ? ${any ? `OR phone IN (${k})` : ''})`,
        id,
        ...keys,
      ),
      orders: run(
        `UPDATE orders SET ship_name = NULL, ship_phone = NULL, ship_address = NULL
         WHERE (ship_name IS NOT NULL OR ship_phone IS NOT NULL OR ship_address IS NOT NULL)
           AND (customer_id = ? ${any ? `OR ship_phone IN (${k})` : ''})`,
        id,
        ...keys,
      ),
      voicemails: any ? run(`UPDATE voicemails SET caller_id = NULL WHERE caller_id IN (${k})`, ...keys) : 0,
      callbacks: masked("UPDATE $T SET number = ? WHERE number = ? AND state IN ('done', 'failed')", 'callbacks'),
      selfServiceChecks: any ? run(`UPDATE selfservice_checks SET caller = NULL WHERE caller IN (${k})`, ...keys) : 0,
      // received ones and sent ones no longer queued keep the masked number (queued ones: until sent)
      sms:
        maskAll(`SELECT id, phone FROM sms_received WHERE customer_id = ? ${any ? `OR phone IN (${k})` : ''}`, 'sms_received') +
        maskAll(
          `SELECT id, phone FROM sms_messages WHERE status IN ('sent', 'delivered', 'failed') AND (customer_id = ? ${any ? `OR phone IN (${k})` : ''})`,
          'sms_messages',
        ),
    };
    masked("UPDATE $T SET phone = ? WHERE phone = ? AND state IN ('done', 'failed', 'skipped', 'cancelled')", 'followup_items');
    run('DELETE FROM customer_tags WHERE customer_id = ?', id);
    run(
      `UPDATE customers SET name = NULL, notes = '', consent = '{}', do_not_call = 1, erased_at = ?, updated_at = ?, version = version + 1
       WHERE id = ?`,
      now,
      now,
      id,
    );
    const customer = core.store.get(id) as Customer;
    core.deps.outbox.put('customers', id, customer.version, customer);
    core.deps.audit.record(actor.username, 'customer.erase', 'customer', id, { reason: reason.trim(), scrubbed });
    return { customer, scrubbed, recordingsKept, voicemailsKept: vmIds };
  })();
}

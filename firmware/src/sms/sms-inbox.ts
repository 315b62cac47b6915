/**
 * The SMS inbox (收件箱): every message the modem hands over is stored (`sms_received`, schema step
 * 29) before anything else happens to it, once by the driver's id (a message read again from the
 * SIM after a restart is dropped here), with the owner of the number; then, in the same
 * transaction, it becomes a ticket or a note on one (`tickets.fromSms`, when SMS tickets are on) and
 * the row names that ticket. A ticket that fails is logged and rolled back alone: the message stays.
 * A message that could not be stored makes the next `durable()` refuse, so the modem keeps it on the
 * SIM (read again at the next start) instead of deleting it: the modem calls `durable()` right after
 * handing over what it is about to delete (in the same synchronous run), so a refusal covers that
 * batch (a drain at start: every message of it stays, the stored ones are dropped by id next time).
 */
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../../hal/src/clock.js';
import { maskPhone, normalizePhone } from '../backoffice/common/phone.js';
import { type Actor, SYSTEM_ACTOR } from '../backoffice/common/types.js';
import { ulidFactory } from '../backoffice/common/ulid.js';
import type { CustomersService } from '../backoffice/customers/types.js';
import type { TicketsService } from '../backoffice/tickets/types.js';
import { CallboxError } from '../errors.js';
import { can } from '../service/permissions.js';
import type { SmsArrival, SmsReceived } from './types.js';

interface Row {
  id: string;
  modem_id: string;
  phone: string;
  body: string;
  received_at: number;
  customer_id: string | null;
  ticket_id: string | null;
  read_at: number | null;
  read_by: string | null;
}

export interface SmsInboxDeps {
  db: Database;
  clock: Clock;
  log: { info(o: object, msg: string): void; warn(o: object, msg: string): void; error(o: object, msg: string): void };
  customers: CustomersService;
  tickets: Pick<TicketsService, 'fromSms' | 'get'>;
}

/** Longest text kept (a long message of 255 parts of 153 characters is under it). */
const MAX_TEXT = 40_000;

export class SmsInbox {
  private readonly newId: () => string;
  /** A message could not be stored since the last durable(): the SIM must keep it. */
  private unsaved: string | null = null;

  constructor(private readonly d: SmsInboxDeps) {
    this.newId = ulidFactory(() => d.clock.now());
  }

  /**
   * Store a message the modem received (and make its ticket). Returns the inbox id, or null when
   * the message was already in the inbox. Never throws: a failure is logged and remembered (durable()).
   */
  receive(m: SmsArrival): string | null {
    try {
      const id = this.store(m);
      if (id) this.d.log.info({ id, modemId: m.id }, 'SMS received');
      return id;
    } catch (err) {
      this.unsaved = (err as Error).message;
      this.d.log.error({ err, modemId: m.id }, 'a received SMS could not be stored: kept on the SIM');
      return null;
    }
  }

  /** Resolves with `sync` (the storage confirms what is saved); rejects when a message handed over since the last call could not be stored. */
  durable(sync: () => Promise<void>): Promise<void> {
    const unsaved = this.unsaved;
    this.unsaved = null;
    if (unsaved !== null) return Promise.reject(new Error(`a received SMS could not be stored: ${unsaved}`));
    return sync();
  }

  private store(m: SmsArrival): string | null {
    const db = this.d.db;
    const from = typeof m.from === 'string' ? m.from.slice(0, 64) : '';
    const text = typeof m.text === 'string' ? m.text.slice(0, MAX_TEXT) : '';
    const receivedAt = typeof m.receivedAt === 'number' && Number.isFinite(m.receivedAt) ? m.receivedAt : this.d.clock.now();
    const id = this.newId();
    // no id from the driver: nothing to know it again by
    const modemId = typeof m.id === 'string' && m.id.length > 0 ? m.id.slice(0, 200) : `box:${id}`;
    return db.transaction(() => {
      const added = db
        .prepare(
          `INSERT INTO sms_received (id, modem_id, phone, body, received_at, customer_id) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (modem_id) DO NOTHING`,
        )
        .run(id, modemId, from, text, receivedAt, this.customerOf(from));
      if (added.changes === 0) return null;
      const ticketId = this.ticket(id, from, text, receivedAt);
      if (ticketId) db.prepare('UPDATE sms_received SET ticket_id = ? WHERE id = ?').run(ticketId, id);
      return id;
    })();
  }

  /** The owner of the sender's number (any stored form), or null (a service number, a name, nobody). */
  private customerOf(from: string): string | null {
    let phone: string;
    try {
      phone = normalizePhone(from);
    } catch {
      return null;
    }
    return this.d.customers.byPhone(SYSTEM_ACTOR, phone)?.id ?? null;
  }

  /** The ticket it became (SMS tickets on), in a savepoint of its own: a failure takes back only the ticket. */
  /** The ticket made from (or noted with) the stored message `id`, linked to it by that id (GET /api/v1/sms/:id). */
  private ticket(id: string, from: string, text: string, receivedAt: number): string | null {
    try {
      return this.d.db.transaction(() => this.d.tickets.fromSms(from, text, receivedAt, id))()?.id ?? null;
    } catch (err) {
      this.d.log.error({ err, from: maskPhone(from) }, 'SMS could not become a ticket (kept in the inbox)');
      return null;
    }
  }

  get(actor: Actor, id: string): SmsReceived | null {
    const r = this.d.db.prepare('SELECT * FROM sms_received WHERE id = ?').get(id) as Row | undefined;
    return r ? this.view(actor, r) : null;
  }

  /** Who sent a received message, for a reply (its number, customer, ticket); NOT_FOUND naming `replyTo`. */
  sender(id: string): { phone: string | null; customerId: string | null; ticketId: string | null } {
    const r = this.d.db.prepare('SELECT * FROM sms_received WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw new CallboxError('NOT_FOUND', `no text message ${JSON.stringify(id)} to reply to`, { field: 'replyTo' });
    let phone: string | null = null;
    try {
      phone = normalizePhone(r.phone);
    } catch {
      // a name or a service code the network gave: no number to answer
    }
    return { phone, customerId: r.customer_id, ticketId: r.ticket_id };
  }

  /** Mark read (shop-wide); a message already read keeps its first reader. NOT_FOUND for an unknown id. */
  markRead(actor: Actor, id: string): SmsReceived {
    this.d.db
      .prepare('UPDATE sms_received SET read_at = ?, read_by = ? WHERE id = ? AND read_at IS NULL')
      .run(this.d.clock.now(), actor.username, id);
    const r = this.get(actor, id);
    if (!r) throw new CallboxError('NOT_FOUND', `no text message ${JSON.stringify(id)} to reply to`);
    return r;
  }

  /**
   * The messages stored whose driver ids start with `prefix` (a long message's sender, reference and
   * total: the modem asks when a part of one is still on the SIM), at most 20, by the id's index.
   */
  known(prefix: string): { id: string; text: string }[] {
    return this.d.db
      .prepare('SELECT modem_id AS id, body AS text FROM sms_received WHERE modem_id >= ? AND modem_id < ? LIMIT 20')
      .all(prefix, `${prefix}\uffff`) as { id: string; text: string }[];
  }

  unread(): number {
    return (this.d.db.prepare('SELECT COUNT(*) AS n FROM sms_received WHERE read_at IS NULL').get() as { n: number }).n;
  }

  private view(actor: Actor, r: Row): SmsReceived {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const ticket = r.ticket_id ? this.d.tickets.get(SYSTEM_ACTOR, r.ticket_id) : null;
    return {
      id: r.id,
      direction: 'in',
      from: can(actor.role, 'customers.phones') ? r.phone : maskPhone(r.phone),
      text: r.body,
      receivedAt: iso(r.received_at) as string,
      customerId: r.customer_id,
      customerName: r.customer_id ? (this.d.customers.get(SYSTEM_ACTOR, r.customer_id)?.name ?? null) : null,
      ticketId: r.ticket_id,
      ticketNumber: ticket?.number ?? null,
      readAt: iso(r.read_at),
      readBy: r.read_by,
    };
  }
}

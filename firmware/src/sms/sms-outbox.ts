/**
 * The SMS outbox: a message is stored (queued) before anything is sent, so nothing is lost across
 * a restart or a missing modem; one worker sends the due messages oldest first through the modem.
 * A failed try is retried after 30 s, 2 min, then 10 min (4 tries; the modem driver also resends a
 * part the network refused); while the modem is not ready nothing is tried and no try is counted.
 * A message about a ticket is linked to it (link kind 'sms') when queued and noted on it when sent;
 * the customer is the ticket's, the one named, or the owner of the number. The network's delivery
 * reports then make a sent message delivered or failed (sms-delivery.ts). It is also the SMS
 * service of the box: received messages are in its `inbox` (sms-inbox.ts); the list shows both.
 */
import type { Database } from 'better-sqlite3';
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import { maskPhone, normalizePhone } from '../backoffice/common/phone.js';
import { type Actor, SYSTEM_ACTOR } from '../backoffice/common/types.js';
import { ulidFactory } from '../backoffice/common/ulid.js';
import type { CustomersService } from '../backoffice/customers/types.js';
import type { TicketsService } from '../backoffice/tickets/types.js';
import { CallboxError } from '../errors.js';
import { can } from '../service/permissions.js';
import { DeliveryReports, partReports } from './sms-delivery.js';
import { SmsInbox } from './sms-inbox.js';
import { smsListPage } from './sms-list.js';
import type { SmsList, SmsMessage, SmsQuery, SmsReceived, SmsRecord, SmsSender, SmsSendInput, SmsService, SmsStatus } from './types.js';

/** 10 parts of UCS2 (67 characters each): longer texts are refused. */
export const SMS_MAX_CHARS = 670;
export const SMS_RETRY_MS = [30_000, 120_000, 600_000];
const POLL_MS = 5000;

interface Row {
  id: string;
  phone: string;
  body: string;
  status: SmsStatus;
  attempts: number;
  next_try_at: number;
  last_error: string | null;
  refs: string | null;
  customer_id: string | null;
  ticket_id: string | null;
  created_by: string;
  created_at: number;
  sent_at: number | null;
  reports: string | null;
  delivered_at: number | null;
}

export interface SmsOutboxDeps {
  db: Database;
  clock: Clock;
  log: { info(o: object, msg: string): void; warn(o: object, msg: string): void; error(o: object, msg: string): void };
  /** The modem, or null when the box has none. */
  sender: SmsSender | null;
  customers: CustomersService;
  tickets: TicketsService;
}

export class SmsOutbox implements SmsService {
  private readonly newId: () => string;
  private timer: TimerHandle | null = null;
  private busy = false;
  private running = false;
  private readonly delivery: DeliveryReports;
  private stopReports: (() => void) | null = null;
  /** Received messages (sms-in.ts hands them over). */
  readonly inbox: SmsInbox;

  constructor(private readonly d: SmsOutboxDeps) {
    this.newId = ulidFactory(() => d.clock.now());
    this.delivery = new DeliveryReports(d);
    this.inbox = new SmsInbox(d);
  }

  /** Resume: a message cut off mid-send by a restart goes back to the queue. */
  start(): void {
    this.d.db.prepare(`UPDATE sms_messages SET status = 'queued' WHERE status = 'sending'`).run();
    this.running = true;
    this.stopReports = this.d.sender?.onReport?.((r) => this.delivery.report(r)) ?? null;
    this.schedule(0);
  }

  stop(): void {
    this.stopReports?.();
    this.stopReports = null;
    this.running = false;
    this.timer?.cancel();
    this.timer = null;
  }

  send(actor: Actor, input: SmsSendInput): SmsMessage {
    const text = typeof input.text === 'string' ? input.text.trim() : '';
    if (!text) throw new CallboxError('VALIDATION_FAILED', 'text must not be empty', { field: 'text' });
    if ([...text].length > SMS_MAX_CHARS) {
      throw new CallboxError('VALIDATION_FAILED', `text must be at most ${SMS_MAX_CHARS} characters`, { field: 'text' });
    }
    if (!this.d.sender)
      throw new CallboxError('CONFLICT', 'this box has no GSM modem to send text messages (CALLBOX_MODEM or hardware.modem)');
    const replyTo = input.replyTo !== undefined ? this.replyTarget(input.replyTo) : null;
    let customerId = input.customerId ?? replyTo?.customerId ?? null;
    let phone = input.to !== undefined ? normalizePhone(input.to, 'to') : (replyTo?.phone ?? null);
    const ticketId = input.ticketId ?? replyTo?.ticketId ?? null;
    if (ticketId !== null) {
      const ticket = this.d.tickets.get(SYSTEM_ACTOR, ticketId);
      if (!ticket) throw new CallboxError('NOT_FOUND', `no ticket ${ticketId}`, { field: 'ticketId' });
      customerId ??= ticket.customerId;
      phone ??= ticket.phone;
    }
    if (customerId !== null) {
      const customer = this.d.customers.get(SYSTEM_ACTOR, customerId);
      if (!customer) throw new CallboxError('NOT_FOUND', `no customer ${customerId}`, { field: 'customerId' });
      phone ??= customer.phones[0]?.phone ?? null;
    }
    if (phone === null)
      throw new CallboxError('VALIDATION_FAILED', 'to is required (or a customer or ticket with a phone)', { field: 'to' });
    customerId ??= this.d.customers.byPhone(SYSTEM_ACTOR, phone)?.id ?? null;
    const id = this.newId();
    const now = this.d.clock.now();
    this.d.db.transaction(() => {
      this.d.db
        .prepare(
          `INSERT INTO sms_messages (id, direction, phone, body, status, attempts, next_try_at, customer_id, ticket_id, created_by, created_at)
           VALUES (?, 'out', ?, ?, 'queued', 0, ?, ?, ?, ?, ?)`,
        )
        .run(id, phone, text, now, customerId, ticketId, actor.username, now);
      if (ticketId) this.d.tickets.addLink(actor, ticketId, { kind: 'sms', refId: id });
    })();
    this.d.log.info({ id, ticketId }, 'SMS queued');
    this.schedule(0);
    return this.view(actor, this.row(id) as Row);
  }

  list(actor: Actor, q: SmsQuery): SmsList {
    const page = smsListPage(this.d.db, q);
    const messages = page.rows.map((r) => (r.dir === 'in' ? this.inbox.get(actor, r.id) : this.get(actor, r.id)));
    return { messages: messages.filter((m): m is SmsRecord => m !== null), total: page.total, unread: this.inbox.unread() };
  }

  get(actor: Actor, id: string): SmsRecord | null {
    const r = this.row(id);
    return r ? this.view(actor, r) : this.inbox.get(actor, id);
  }

  markRead(actor: Actor, id: string): SmsReceived {
    if (this.row(id)) throw new CallboxError('CONFLICT', `text message ${id} was sent, not received: nothing to read`);
    return this.inbox.markRead(actor, id);
  }

  /**
   * Whom a reply goes to: a received message's sender, or a sent message's number (a thread of the
   * Sent tab), with its customer and ticket; NOT_FOUND naming `replyTo`.
   */
  private replyTarget(id: string): { phone: string | null; customerId: string | null; ticketId: string | null } {
    const sent = this.row(id);
    if (sent) return { phone: sent.phone, customerId: sent.customer_id, ticketId: sent.ticket_id };
    return this.inbox.sender(id);
  }

  private row(id: string): Row | undefined {
    return this.d.db.prepare('SELECT * FROM sms_messages WHERE id = ?').get(id) as Row | undefined;
  }

  private view(actor: Actor, r: Row): SmsMessage {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      id: r.id,
      direction: 'out',
      to: can(actor.role, 'customers.phones') ? r.phone : maskPhone(r.phone),
      text: r.body,
      status: r.status,
      attempts: r.attempts,
      nextTryAt: r.status === 'queued' ? iso(r.next_try_at) : null,
      lastError: r.last_error,
      parts: r.refs ? (JSON.parse(r.refs) as number[]).length : null,
      customerId: r.customer_id,
      ticketId: r.ticket_id,
      createdBy: r.created_by,
      createdAt: iso(r.created_at) as string,
      sentAt: iso(r.sent_at),
      deliveredAt: iso(r.delivered_at),
      delivery: partReports(r.refs, r.reports),
    };
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer?.cancel();
    this.timer = this.d.clock.setTimeout(() => {
      this.timer = null;
      void this.work();
    }, ms);
  }

  /** Send what is due, one message at a time; then wait for the next due time (or poll the modem). */
  private async work(): Promise<void> {
    if (this.busy || !this.running) return;
    this.busy = true;
    try {
      for (;;) {
        const sender = this.d.sender;
        if (!sender?.ready()) break;
        const due = this.d.db
          .prepare(`SELECT * FROM sms_messages WHERE status = 'queued' AND next_try_at <= ? ORDER BY next_try_at, id LIMIT 1`)
          .get(this.d.clock.now()) as Row | undefined;
        if (!due) break;
        await this.attempt(sender, due);
      }
    } finally {
      this.busy = false;
    }
    const next = this.d.db.prepare(`SELECT MIN(next_try_at) AS at FROM sms_messages WHERE status = 'queued'`).get() as {
      at: number | null;
    };
    if (next.at === null) return;
    // Not ready: look again in a while; ready: at the next due time (at most POLL_MS away).
    const ready = this.d.sender?.ready() ?? false;
    this.schedule(ready ? Math.min(POLL_MS, Math.max(1, next.at - this.d.clock.now())) : POLL_MS);
  }

  private async attempt(sender: SmsSender, r: Row): Promise<void> {
    const db = this.d.db;
    db.prepare(`UPDATE sms_messages SET status = 'sending', attempts = attempts + 1 WHERE id = ?`).run(r.id);
    try {
      const refs = await sender.send(r.phone, r.body);
      const now = this.d.clock.now();
      db.transaction(() => {
        db.prepare(`UPDATE sms_messages SET status = 'sent', sent_at = ?, refs = ?, last_error = NULL WHERE id = ?`).run(
          now,
          JSON.stringify(refs),
          r.id,
        );
        if (r.ticket_id) {
          this.d.tickets.addNote(SYSTEM_ACTOR, r.ticket_id, {
            body: `短信已发送 / SMS sent (${r.created_by}): ${r.body}`,
            internal: false,
          });
        }
      })();
      this.d.log.info({ id: r.id, parts: refs.length }, 'SMS sent');
      this.delivery.retry();
    } catch (e) {
      const error = (e as Error).message;
      const tries = r.attempts + 1;
      const wait = SMS_RETRY_MS[tries - 1];
      if (wait === undefined) {
        db.prepare(`UPDATE sms_messages SET status = 'failed', last_error = ? WHERE id = ?`).run(error, r.id);
        this.d.log.warn({ id: r.id, tries, error }, 'SMS failed; giving up');
      } else {
        db.prepare(`UPDATE sms_messages SET status = 'queued', last_error = ?, next_try_at = ? WHERE id = ?`).run(
          error,
          this.d.clock.now() + wait,
          r.id,
        );
        this.d.log.warn({ id: r.id, tries, error, retryInMs: wait }, 'SMS failed; will retry');
      }
    }
  }
}

/**
 * Creating and changing ticket rows by the rules every change shares: version + 1, updated_at, a
 * ticket_events row and an outbox row (stream 'tickets', the full record) in the caller's
 * transaction. The service and the automatic tickets both write through here.
 */
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor } from '../common/types.js';
import type { CategoryStore } from './categories.js';
import { nextNumber } from './numbering.js';
import { type TicketRow, type TicketStore, toTicket } from './ticket-store.js';
import type { Ticket, TicketPriority, TicketSource, TicketStatus } from './types.js';

export interface NewTicket {
  subject: string;
  description: string;
  category: string;
  priority: TicketPriority;
  department: string | null;
  assignee: string | null;
  source: TicketSource;
  customerId: string | null;
  phone: string | null;
  callId: string | null;
}

export interface Change {
  type: string;
  from?: TicketStatus | null;
  to?: TicketStatus | null;
  body?: string | null;
}

const HOUR_MS = 3_600_000;

export class TicketWriter {
  constructor(
    private readonly deps: BackOfficeDeps,
    private readonly store: TicketStore,
    private readonly categories: CategoryStore,
  ) {}

  now(): number {
    return this.deps.clock.now();
  }

  /** The due time of a ticket of `category` created at `createdAt` (null: no SLA). */
  dueAt(category: string, createdAt: number): number | null {
    const sla = this.categories.get(category)?.slaHours ?? null;
    return sla === null ? null : createdAt + sla * HOUR_MS;
  }

  /** Inserts a ticket (status new, or assigned with an assignee) with its `created` event. */
  create(actor: Actor, t: NewTicket): TicketRow {
    const now = this.now();
    const row: TicketRow = {
      id: this.deps.newId(),
      number: nextNumber(this.deps.db, now, this.deps.config().shop.timezone),
      subject: t.subject,
      description: t.description,
      category: t.category,
      priority: t.priority,
      department: t.department,
      assignee: t.assignee,
      status: t.assignee ? 'assigned' : 'new',
      source: t.source,
      customer_id: t.customerId,
      phone: t.phone,
      call_id: t.callId,
      due_at: this.dueAt(t.category, now),
      first_response_at: null,
      resolved_at: null,
      closed_at: null,
      reopen_count: 0,
      created_by: actor.username,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    this.store.insert(row);
    this.store.event(
      row.id,
      now,
      actor.username,
      'created',
      null,
      row.status,
      JSON.stringify({ source: row.source, category: row.category }),
    );
    this.deps.outbox.put('tickets', row.id, row.version, toTicket(row, now, true));
    return row;
  }

  /**
   * Saves `next` (a changed copy of the stored row) as the next version with its events. A change
   * by a person (not the system) that answers the ticket (note, transition) sets first_response_at.
   */
  save(actor: Actor, next: TicketRow, changes: Change[], responds = false): TicketRow {
    const now = this.now();
    next.version += 1;
    next.updated_at = now;
    if (responds && actor.username !== 'system' && next.first_response_at === null) next.first_response_at = now;
    this.store.write(next);
    for (const c of changes) this.store.event(next.id, now, actor.username, c.type, c.from ?? null, c.to ?? null, c.body ?? null);
    this.deps.outbox.put('tickets', next.id, next.version, toTicket(next, now, true));
    return next;
  }

  view(row: TicketRow, showPhone: boolean): Ticket {
    return toTicket(row, this.now(), showPhone);
  }
}

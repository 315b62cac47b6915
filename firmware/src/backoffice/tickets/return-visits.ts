/**
 * Return visits (回访) of tickets: scheduled in the follow-ups area (`followups.schedule`, purpose
 * return_visit) by hand or, when the settings say so, when a ticket is resolved. Called inside the
 * ticket's transaction; the follow-up item and the ticket's `return_visit` event commit together.
 */
import type { BackOfficeDeps } from '../common/deps.js';
import { normalizePhone } from '../common/phone.js';
import { type Actor, SYSTEM_ACTOR } from '../common/types.js';
import type { FollowupItem } from '../followups/types.js';
import type { References } from './references.js';
import type { TicketRow } from './ticket-store.js';
import type { TicketWriter } from './ticket-writer.js';
import type { TicketSettings } from './types.js';
import { int, invalid, LIMITS, optionalText } from './validate.js';

const DAY_MS = 86_400_000;
const MAX_AHEAD_MS = 366 * DAY_MS;

export class ReturnVisits {
  constructor(
    private readonly deps: BackOfficeDeps,
    private readonly refs: References,
    private readonly writer: TicketWriter,
  ) {}

  /** The number to call: the given one, the ticket's, or its customer's first phone. */
  private phoneFor(row: TicketRow, given: unknown): string {
    if (given !== undefined && given !== null) {
      if (typeof given !== 'string') throw invalid('phone', 'must be a phone number');
      return normalizePhone(given, 'phone');
    }
    const phone = row.phone ?? (row.customer_id ? this.refs.firstPhone(row.customer_id) : null);
    if (!phone) throw invalid('phone', `is needed: ticket ${row.number} has no phone number and no customer with one`);
    return phone;
  }

  /** Validates { dueAt | inDays, note, phone } and schedules the item. */
  schedule(actor: Actor, row: TicketRow, b: Record<string, unknown>, settings: TicketSettings): FollowupItem {
    for (const k of Object.keys(b)) if (!['dueAt', 'inDays', 'note', 'phone'].includes(k)) throw invalid(k, 'is not a known field');
    if (b.dueAt !== undefined && b.inDays !== undefined) throw invalid('dueAt', 'and inDays cannot both be given');
    const now = this.writer.now();
    let dueAt: number;
    if (b.dueAt !== undefined) {
      dueAt = typeof b.dueAt === 'string' ? Date.parse(b.dueAt) : (b.dueAt as number);
      if (typeof dueAt !== 'number' || !Number.isFinite(dueAt) || dueAt < now - 60_000 || dueAt > now + MAX_AHEAD_MS) {
        throw invalid('dueAt', 'must be a time (ISO string or epoch ms) from now to a year ahead');
      }
    } else {
      const days = b.inDays === undefined ? settings.returnVisitAfterDays : int(b.inDays, 'inDays', 0, 365);
      dueAt = now + days * DAY_MS;
    }
    const note = optionalText(b.note, 'note', LIMITS.note) ?? '';
    return this.book(actor, row, this.phoneFor(row, b.phone), Math.trunc(dueAt), note);
  }

  private book(actor: Actor, row: TicketRow, phone: string, dueAt: number, note: string): FollowupItem {
    const item = this.deps.areas().followups.schedule(actor, {
      purpose: 'return_visit',
      phone,
      dueAt,
      customerId: row.customer_id,
      ticketId: row.id,
      note: note || `工单 ${row.number} 回访 / return visit: ${row.subject}`.slice(0, 2000),
    });
    const body = JSON.stringify({ followupItemId: item.id, dueAt: new Date(dueAt).toISOString(), state: item.state });
    this.writer.save(actor, { ...(this.refsRow(row.id) ?? row) }, [{ type: 'return_visit', body }]);
    return item;
  }

  private refsRow(id: string): TicketRow | null {
    return (this.deps.db.prepare('SELECT * FROM tickets WHERE id = ?').get(id) as TicketRow | undefined) ?? null;
  }

  /** After a resolve: schedule the automatic return visit when the settings ask for it; a failure is noted on the ticket, never fatal. */
  onResolved(row: TicketRow, settings: TicketSettings): void {
    if (!settings.returnVisitOnResolve) return;
    const phone = row.phone ?? (row.customer_id ? this.refs.firstPhone(row.customer_id) : null);
    const fail = (why: string) => {
      const now = this.writer.now();
      this.deps.db
        .prepare('INSERT INTO ticket_events (ticket_id, ts, actor, type, body) VALUES (?, ?, ?, ?, ?)')
        .run(row.id, now, 'system', 'return_visit_failed', why);
    };
    if (!phone) {
      fail('no phone number to call back');
      return;
    }
    try {
      this.deps.db.transaction(() => this.book(SYSTEM_ACTOR, row, phone, this.writer.now() + settings.returnVisitAfterDays * DAY_MS, ''))();
    } catch (err) {
      this.deps.log.warn({ ticket: row.id, err: String(err) }, 'automatic return visit not scheduled');
      fail(err instanceof Error ? err.message : String(err));
    }
  }
}

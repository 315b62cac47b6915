/** The SQL of tickets, their history, notes and links (schema step 8). No rules here: see service.ts. */
import type { Database } from '../../store/db.js';
import { maskPhone } from '../common/phone.js';
import type { Page } from '../common/types.js';
import type {
  Ticket,
  TicketEvent,
  TicketLink,
  TicketLinkKind,
  TicketNote,
  TicketPriority,
  TicketQuery,
  TicketSource,
  TicketStatus,
} from './types.js';
import { OPEN_STATUSES } from './validate.js';

export interface TicketRow {
  id: string;
  number: string;
  subject: string;
  description: string;
  category: string;
  priority: TicketPriority;
  department: string | null;
  assignee: string | null;
  status: TicketStatus;
  source: TicketSource;
  customer_id: string | null;
  phone: string | null;
  call_id: string | null;
  due_at: number | null;
  first_response_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  reopen_count: number;
  created_by: string;
  created_at: number;
  updated_at: number;
  version: number;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const OPEN_SQL = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;

export function isOpen(status: TicketStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

export function toTicket(r: TicketRow, now: number, showPhone: boolean): Ticket {
  return {
    id: r.id,
    number: r.number,
    subject: r.subject,
    description: r.description,
    category: r.category,
    priority: r.priority,
    department: r.department,
    assignee: r.assignee,
    status: r.status,
    source: r.source,
    customerId: r.customer_id,
    phone: r.phone === null ? null : showPhone ? r.phone : maskPhone(r.phone),
    callId: r.call_id,
    dueAt: iso(r.due_at),
    overdue: r.due_at !== null && r.due_at < now && isOpen(r.status),
    firstResponseAt: iso(r.first_response_at),
    resolvedAt: iso(r.resolved_at),
    closedAt: iso(r.closed_at),
    reopenCount: r.reopen_count,
    createdBy: r.created_by,
    createdAt: iso(r.created_at) as string,
    updatedAt: iso(r.updated_at) as string,
    version: r.version,
  };
}

const COLUMNS = [
  'id',
  'number',
  'subject',
  'description',
  'category',
  'priority',
  'department',
  'assignee',
  'status',
  'source',
  'customer_id',
  'phone',
  'call_id',
  'due_at',
  'first_response_at',
  'resolved_at',
  'closed_at',
  'reopen_count',
  'created_by',
  'created_at',
  'updated_at',
  'version',
] as const;

const MUTABLE = COLUMNS.filter((c) => !['id', 'number', 'created_by', 'created_at', 'source'].includes(c));

/** `%`, `_` and `\` taken literally in LIKE ... ESCAPE '\'. */
function likeText(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class TicketStore {
  constructor(private readonly db: Database) {}

  row(id: string): TicketRow | null {
    return (this.db.prepare('SELECT * FROM tickets WHERE id = ? OR number = ?').get(id, id) as TicketRow | undefined) ?? null;
  }

  insert(r: TicketRow): void {
    this.db.prepare(`INSERT INTO tickets (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`).run(r);
  }

  /** Writes every mutable column of `r` (whose version the caller already raised). */
  write(r: TicketRow): void {
    this.db.prepare(`UPDATE tickets SET ${MUTABLE.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(r);
  }

  event(
    ticketId: string,
    ts: number,
    actor: string,
    type: string,
    from: TicketStatus | null,
    to: TicketStatus | null,
    body: string | null,
  ): void {
    this.db
      .prepare('INSERT INTO ticket_events (ticket_id, ts, actor, type, from_status, to_status, body) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(ticketId, ts, actor, type, from, to, body);
  }

  events(ticketId: string): TicketEvent[] {
    const rows = this.db.prepare('SELECT * FROM ticket_events WHERE ticket_id = ? ORDER BY seq').all(ticketId) as {
      seq: number;
      ts: number;
      actor: string;
      type: string;
      from_status: TicketStatus | null;
      to_status: TicketStatus | null;
      body: string | null;
    }[];
    return rows.map((r) => ({
      seq: r.seq,
      ts: iso(r.ts) as string,
      actor: r.actor,
      type: r.type,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      body: r.body,
    }));
  }

  addNote(n: { id: string; ticketId: string; author: string; body: string; internal: boolean; ts: number }): TicketNote {
    this.db
      .prepare('INSERT INTO ticket_notes (id, ticket_id, author, body, internal, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(n.id, n.ticketId, n.author, n.body, n.internal ? 1 : 0, n.ts);
    return { id: n.id, ticketId: n.ticketId, author: n.author, body: n.body, internal: n.internal, createdAt: iso(n.ts) as string };
  }

  notes(ticketId: string): TicketNote[] {
    const rows = this.db.prepare('SELECT * FROM ticket_notes WHERE ticket_id = ? ORDER BY created_at, id').all(ticketId) as {
      id: string;
      ticket_id: string;
      author: string;
      body: string;
      internal: number;
      created_at: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      ticketId: r.ticket_id,
      author: r.author,
      body: r.body,
      internal: r.internal === 1,
      createdAt: iso(r.created_at) as string,
    }));
  }

  /** False when the link existed already. */
  addLink(ticketId: string, kind: TicketLinkKind, refId: string, ts: number): boolean {
    return (
      this.db
        .prepare('INSERT OR IGNORE INTO ticket_links (ticket_id, kind, ref_id, linked_at) VALUES (?, ?, ?, ?)')
        .run(ticketId, kind, refId, ts).changes === 1
    );
  }

  links(ticketId: string): TicketLink[] {
    const rows = this.db
      .prepare('SELECT kind, ref_id, linked_at FROM ticket_links WHERE ticket_id = ? ORDER BY linked_at, kind, ref_id')
      .all(ticketId) as {
      kind: TicketLinkKind;
      ref_id: string;
      linked_at: number;
    }[];
    return rows.map((r) => ({ kind: r.kind, refId: r.ref_id, linkedAt: iso(r.linked_at) as string }));
  }

  /** Tickets linked to `kind`/`refId` (e.g. the ticket of a voicemail). */
  linkedTo(kind: TicketLinkKind, refId: string): string[] {
    return (
      this.db.prepare('SELECT ticket_id FROM ticket_links WHERE kind = ? AND ref_id = ?').all(kind, refId) as { ticket_id: string }[]
    ).map((r) => r.ticket_id);
  }

  /** The newest open ticket of `source` whose phone is one of `phones`, created at or after `since`. */
  openFrom(source: TicketSource, phones: string[], since: number): TicketRow | null {
    if (phones.length === 0) return null;
    const sql = `SELECT * FROM tickets WHERE source = ? AND phone IN (${phones.map(() => '?').join(', ')})
      AND created_at >= ? AND status IN ${OPEN_SQL} ORDER BY created_at DESC LIMIT 1`;
    return (this.db.prepare(sql).get(source, ...phones, since) as TicketRow | undefined) ?? null;
  }

  search(q: TicketQuery & { limit: number; offset: number }, now: number): Page<TicketRow> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.q) {
      const digits = q.q.replace(/[\s\-+()]/g, '');
      const parts = ["subject LIKE ? ESCAPE '\\'", "description LIKE ? ESCAPE '\\'", "number LIKE ? ESCAPE '\\'"];
      args.push(likeText(q.q), likeText(q.q), likeText(q.q));
      if (/^[0-9]{3,20}$/.test(digits)) {
        parts.push("phone LIKE ? ESCAPE '\\'");
        args.push(likeText(digits));
      }
      where.push(`(${parts.join(' OR ')})`);
    }
    for (const [col, value] of [
      ['status', q.status],
      ['assignee', q.assignee],
      ['customer_id', q.customerId],
      ['category', q.category],
      ['source', q.source],
    ] as const) {
      if (value !== undefined) {
        where.push(`${col} = ?`);
        args.push(value);
      }
    }
    if (q.overdue === true) {
      where.push(`due_at IS NOT NULL AND due_at < ? AND status IN ${OPEN_SQL}`);
      args.push(now);
    } else if (q.overdue === false) {
      where.push(`NOT (due_at IS NOT NULL AND due_at < ? AND status IN ${OPEN_SQL})`);
      args.push(now);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM tickets ${w}`).get(...args) as { n: number }).n;
    const items = this.db
      .prepare(`SELECT * FROM tickets ${w} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`)
      .all(...args, q.limit, q.offset) as TicketRow[];
    return { items, total };
  }
}

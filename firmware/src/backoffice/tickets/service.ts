/**
 * The tickets service (工单): create, read, search, edit with versions, the workflow, notes,
 * links, return visits (回访, through the follow-ups area), categories and settings. Automatic
 * tickets (voicemail, missed calls, SMS) are in auto-tickets.ts.
 */
import { CallboxError } from '../../errors.js';
import { can } from '../../service/permissions.js';
import type { BackOfficeDeps } from '../common/deps.js';
import { normalizePhone } from '../common/phone.js';
import type { Actor, Page } from '../common/types.js';
import type { FollowupItem } from '../followups/types.js';
import { CategoryStore } from './categories.js';
import { References } from './references.js';
import { ReturnVisits } from './return-visits.js';
import { SettingsStore } from './settings.js';
import { type TicketRow, TicketStore } from './ticket-store.js';
import { type Change, type NewTicket, TicketWriter } from './ticket-writer.js';
import type {
  CategoryInput,
  CategoryPatch,
  LinkInput,
  NoteInput,
  ReturnVisitInput,
  Ticket,
  TicketCategory,
  TicketDetail,
  TicketInput,
  TicketLink,
  TicketNote,
  TicketPatch,
  TicketQuery,
  TicketSettings,
  TicketsService,
  TransitionInput,
} from './types.js';
import { checkTransition, isReopen } from './workflow.js';
import {
  bool,
  int,
  invalid,
  LIMITS,
  LINK_KINDS,
  notFound,
  object,
  oneOf,
  optionalText,
  PRIORITIES,
  SOURCES,
  STATUSES,
  text,
  version,
} from './validate.js';

const PATCH_FIELDS = ['subject', 'description', 'category', 'priority', 'department', 'assignee', 'customerId', 'phone'] as const;
type PatchField = (typeof PATCH_FIELDS)[number];
const COLUMN: Record<PatchField, keyof TicketRow> = {
  subject: 'subject',
  description: 'description',
  category: 'category',
  priority: 'priority',
  department: 'department',
  assignee: 'assignee',
  customerId: 'customer_id',
  phone: 'phone',
};

export class TicketsImpl implements TicketsService {
  readonly store: TicketStore;
  readonly refs: References;
  readonly categoryStore: CategoryStore;
  readonly settingsStore: SettingsStore;
  readonly writer: TicketWriter;
  private readonly visits: ReturnVisits;

  constructor(private readonly deps: BackOfficeDeps) {
    this.store = new TicketStore(deps.db);
    this.refs = new References(deps.db, () => deps.config().shop.country);
    this.categoryStore = new CategoryStore(deps.db, deps.newId);
    this.settingsStore = new SettingsStore(deps.db);
    this.writer = new TicketWriter(deps, this.store, this.categoryStore);
    this.visits = new ReturnVisits(deps, this.refs, this.writer);
  }

  tx<T>(fn: () => T): T {
    return this.deps.db.transaction(fn)();
  }

  private show(actor: Actor): boolean {
    return can(actor.role, 'customers.phones');
  }

  /** The stored row or NOT_FOUND; CONFLICT when `expected` is given and stale. */
  private need(id: string, expected?: number): TicketRow {
    const row = typeof id === 'string' && id.length <= LIMITS.id ? this.store.row(id) : null;
    if (!row) throw notFound('ticket', String(id));
    if (expected !== undefined && expected !== row.version) {
      throw new CallboxError('CONFLICT', `ticket ${row.number} is at version ${row.version}, not ${expected}; reload it`, {
        version: row.version,
      });
    }
    return row;
  }

  private phone(value: unknown): string | null {
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string') throw invalid('phone', 'must be a phone number');
    return normalizePhone(value, 'phone');
  }

  private customer(value: unknown): string | null {
    const id = optionalText(value, 'customerId', LIMITS.id);
    if (id !== null && !this.refs.customerExists(id)) throw invalid('customerId', `is not a known customer (${id})`);
    return id;
  }

  /** Validates a new ticket (shared with automatic tickets, which pass system-made input). */
  newTicket(input: TicketInput): NewTicket {
    const b = object(input);
    const phone = this.phone(b.phone);
    let customerId = this.customer(b.customerId);
    if (!customerId && phone) customerId = this.refs.customerByPhone(phone);
    const callId = optionalText(b.callId, 'callId', LIMITS.id);
    if (callId !== null && !this.refs.resolve('call', callId)) throw invalid('callId', `is not a known call (${callId})`);
    return {
      subject: text(b.subject, 'subject', LIMITS.subject),
      description: b.description === undefined ? '' : text(b.description, 'description', LIMITS.description, 0),
      category: this.categoryStore.usable(b.category ?? 'inquiry').id,
      priority: b.priority === undefined ? 'normal' : oneOf(b.priority, 'priority', PRIORITIES),
      department: optionalText(b.department, 'department', LIMITS.name),
      assignee: optionalText(b.assignee, 'assignee', LIMITS.name),
      source: b.source === undefined ? 'manual' : oneOf(b.source, 'source', SOURCES),
      customerId,
      phone,
      callId,
    };
  }

  create(actor: Actor, input: TicketInput): Ticket {
    const t = this.newTicket(input);
    return this.tx(() => {
      const row = this.writer.create(actor, t);
      if (t.callId) this.store.addLink(row.id, 'call', t.callId, row.created_at);
      return this.writer.view(row, this.show(actor));
    });
  }

  get(actor: Actor, id: string): Ticket | null {
    const row = typeof id === 'string' ? this.store.row(id) : null;
    return row ? this.writer.view(row, this.show(actor)) : null;
  }

  detail(actor: Actor, id: string): TicketDetail | null {
    const row = typeof id === 'string' ? this.store.row(id) : null;
    if (!row) return null;
    return {
      ...this.writer.view(row, this.show(actor)),
      events: this.store.events(row.id),
      notes: this.store.notes(row.id),
      links: this.store.links(row.id),
    };
  }

  search(actor: Actor, q: TicketQuery): Page<Ticket> {
    const b = object(q, 'query');
    const query: TicketQuery & { limit: number; offset: number } = {
      limit: b.limit === undefined ? 50 : int(b.limit, 'limit', 1, 500),
      offset: b.offset === undefined ? 0 : int(b.offset, 'offset', 0, 100_000_000),
    };
    if (b.q !== undefined && b.q !== '') query.q = text(b.q, 'q', LIMITS.query);
    if (b.status !== undefined) query.status = oneOf(b.status, 'status', STATUSES);
    if (b.source !== undefined) query.source = oneOf(b.source, 'source', SOURCES);
    if (b.assignee !== undefined) query.assignee = text(b.assignee, 'assignee', LIMITS.name);
    if (b.customerId !== undefined) query.customerId = text(b.customerId, 'customerId', LIMITS.id);
    if (b.category !== undefined) query.category = text(b.category, 'category', LIMITS.id);
    if (b.overdue !== undefined) query.overdue = bool(b.overdue, 'overdue');
    const page = this.store.search(query, this.writer.now());
    return { items: page.items.map((r) => this.writer.view(r, this.show(actor))), total: page.total };
  }

  update(actor: Actor, id: string, patch: TicketPatch): Ticket {
    const b = object(patch);
    const expected = version(b.version);
    return this.tx(() => {
      const cur = this.need(id, expected);
      const next: TicketRow = { ...cur };
      const v: Partial<Record<PatchField, unknown>> = {};
      if (b.subject !== undefined) v.subject = text(b.subject, 'subject', LIMITS.subject);
      if (b.description !== undefined) v.description = text(b.description, 'description', LIMITS.description, 0);
      if (b.category !== undefined) v.category = b.category === cur.category ? cur.category : this.categoryStore.usable(b.category).id;
      if (b.priority !== undefined) v.priority = oneOf(b.priority, 'priority', PRIORITIES);
      if (b.department !== undefined) v.department = optionalText(b.department, 'department', LIMITS.name);
      if (b.assignee !== undefined) v.assignee = optionalText(b.assignee, 'assignee', LIMITS.name);
      if (b.customerId !== undefined) v.customerId = this.customer(b.customerId);
      if (b.phone !== undefined) v.phone = this.phone(b.phone);
      const changed: Record<string, unknown> = {};
      for (const f of PATCH_FIELDS) {
        if (!(f in v) || v[f] === cur[COLUMN[f]]) continue;
        changed[f] = f === 'phone' || f === 'description' ? 'changed' : [cur[COLUMN[f]], v[f]];
        (next as unknown as Record<string, unknown>)[COLUMN[f]] = v[f];
      }
      if (Object.keys(changed).length === 0) return this.writer.view(cur, this.show(actor));
      if ('category' in changed) next.due_at = this.writer.dueAt(next.category, next.created_at);
      const changes: Change[] = [{ type: 'updated', body: JSON.stringify(changed) }];
      // an assignee given to a new ticket assigns it; taking it away from an assigned one un-assigns
      if (cur.status === 'new' && next.assignee) next.status = 'assigned';
      else if (cur.status === 'assigned' && !next.assignee) next.status = 'new';
      if (next.status !== cur.status) changes.push({ type: 'transition', from: cur.status, to: next.status });
      return this.writer.view(this.writer.save(actor, next, changes), this.show(actor));
    });
  }

  transition(actor: Actor, id: string, input: TransitionInput): Ticket {
    const b = object(input);
    const requested = oneOf(b.to, 'to', [...STATUSES, 'reopen'] as const);
    const note = b.note === undefined ? null : optionalText(b.note, 'note', LIMITS.note);
    const assignee = b.assignee === undefined ? undefined : text(b.assignee, 'assignee', LIMITS.name);
    const expected = version(b.version);
    return this.tx(() => {
      const cur = this.need(id, expected);
      const to = checkTransition(cur.status, requested);
      const next: TicketRow = { ...cur, status: to };
      if (assignee !== undefined) next.assignee = assignee;
      if (to === 'assigned' && !next.assignee) throw invalid('assignee', 'is needed to assign a ticket (nobody is assigned yet)');
      // picking up an unassigned ticket makes the person its assignee
      if (to === 'in_progress' && !next.assignee && actor.username !== 'system') next.assignee = actor.username;
      const now = this.writer.now();
      if (to === 'resolved') next.resolved_at = now;
      if (to === 'closed') next.closed_at = now;
      const reopen = isReopen(cur.status, to);
      if (reopen) {
        next.reopen_count += 1;
        next.resolved_at = null;
        next.closed_at = null;
      }
      const changes: Change[] = [{ type: reopen ? 'reopen' : 'transition', from: cur.status, to, body: note }];
      if (assignee !== undefined && assignee !== cur.assignee) {
        changes.push({ type: 'updated', body: JSON.stringify({ assignee: [cur.assignee, assignee] }) });
      }
      const saved = this.writer.save(actor, next, changes, true);
      if (to === 'resolved') this.visits.onResolved(saved, this.settingsStore.get());
      return this.writer.view(this.store.row(saved.id) as TicketRow, this.show(actor));
    });
  }

  addNote(actor: Actor, id: string, input: NoteInput): TicketNote {
    const b = object(input);
    const body = text(b.body, 'body', LIMITS.note);
    const internal = b.internal === undefined ? true : bool(b.internal, 'internal');
    return this.tx(() => {
      const cur = this.need(id);
      const note = this.store.addNote({
        id: this.deps.newId(),
        ticketId: cur.id,
        author: actor.username,
        body,
        internal,
        ts: this.writer.now(),
      });
      this.writer.save(actor, { ...cur }, [{ type: 'note', body: `${internal ? '[internal] ' : ''}${body.slice(0, 500)}` }], true);
      return note;
    });
  }

  addLink(actor: Actor, id: string, input: LinkInput): TicketLink {
    const b = object(input);
    const kind = oneOf(b.kind, 'kind', LINK_KINDS);
    const refId = text(b.refId, 'refId', LIMITS.id);
    return this.tx(() => {
      const cur = this.need(id);
      const stored = this.refs.resolve(kind, refId);
      if (!stored) throw invalid('refId', `is not a known ${kind} (${refId})`);
      const now = this.writer.now();
      if (!this.store.addLink(cur.id, kind, stored, now)) {
        throw new CallboxError('CONFLICT', `ticket ${cur.number} is already linked to ${kind} ${stored}`, { kind, refId: stored });
      }
      this.writer.save(actor, { ...cur }, [{ type: 'link', body: `${kind}:${stored}` }]);
      return { kind, refId: stored, linkedAt: new Date(now).toISOString() };
    });
  }

  scheduleReturnVisit(actor: Actor, id: string, input: ReturnVisitInput): FollowupItem {
    const b = object(input);
    return this.tx(() => this.visits.schedule(actor, this.need(id), b, this.settingsStore.get()));
  }

  fromSms(from: string, smsText: string, receivedAt: number, smsId?: string): Ticket | null {
    return this.auto?.fromSms(from, smsText, receivedAt, smsId) ?? null;
  }

  /** Set by index.ts: the automatic tickets (they need this service). */
  auto: { fromSms(from: string, text: string, receivedAt: number, smsId?: string): Ticket | null } | null = null;

  categories(_actor: Actor): TicketCategory[] {
    return this.categoryStore.all();
  }

  createCategory(_actor: Actor, input: CategoryInput): TicketCategory {
    return this.tx(() => this.categoryStore.create(input));
  }

  updateCategory(_actor: Actor, id: string, patch: CategoryPatch): TicketCategory {
    return this.tx(() => this.categoryStore.update(id, patch));
  }

  settings(_actor: Actor): TicketSettings {
    return this.settingsStore.get();
  }

  updateSettings(actor: Actor, patch: Partial<TicketSettings>): TicketSettings {
    return this.tx(() => {
      const next = this.settingsStore.put(patch);
      this.deps.audit.record(actor.username, 'tickets.settings', 'settings', 'tickets.settings', next);
      return next;
    });
  }
}

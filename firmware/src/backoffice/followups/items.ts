/** Follow-up items and attempts: rows, reads (masked phones), inserts and state changes. */
import { CallboxError } from '../../errors.js';
import { can } from '../../service/permissions.js';
import type { BackOfficeDeps } from '../common/deps.js';
import { maskPhone } from '../common/phone.js';
import type { Actor, Page } from '../common/types.js';
import type { DialResult, FollowupAttempt, FollowupItem, FollowupItemState, FollowupOutcome, ItemQuery } from './types.js';

export const STATES: readonly FollowupItemState[] = ['pending', 'offered', 'dialing', 'done', 'failed', 'skipped', 'cancelled'];
/** States an item can still be called in. */
export const OPEN_STATES: readonly FollowupItemState[] = ['pending', 'offered', 'dialing'];

export interface ItemRow {
  id: string;
  list_id: string;
  customer_id: string | null;
  phone: string;
  due_at: number;
  next_at: number;
  ticket_id: string | null;
  order_id: string | null;
  assignee: string | null;
  state: FollowupItemState;
  attempts: number;
  outcome: string | null;
  note: string;
  offered_to: string | null;
  offered_at: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  version: number;
}

interface AttemptRow {
  id: string;
  item_id: string;
  n: number;
  agent: string;
  started_at: number;
  ended_at: number | null;
  call_id: string | null;
  line: string | null;
  dial_result: DialResult | null;
  outcome: FollowupOutcome | null;
  note: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function toItem(r: ItemRow, actor: Actor): FollowupItem {
  return {
    id: r.id,
    listId: r.list_id,
    customerId: r.customer_id,
    phone: can(actor.role, 'customers.phones') ? r.phone : maskPhone(r.phone),
    dueAt: iso(r.due_at),
    nextAt: iso(r.next_at),
    ticketId: r.ticket_id,
    orderId: r.order_id,
    assignee: r.assignee,
    state: r.state,
    attempts: r.attempts,
    outcome: r.outcome,
    note: r.note,
    offeredTo: r.offered_to,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    version: r.version,
  };
}

export function toAttempt(r: AttemptRow): FollowupAttempt {
  return {
    id: r.id,
    itemId: r.item_id,
    n: r.n,
    agent: r.agent,
    startedAt: iso(r.started_at),
    endedAt: r.ended_at === null ? null : iso(r.ended_at),
    callId: r.call_id,
    line: r.line,
    dialResult: r.dial_result,
    outcome: r.outcome,
    note: r.note,
  };
}

export interface NewItem {
  listId: string;
  customerId: string | null;
  phone: string;
  dueAt: number;
  ticketId: string | null;
  orderId: string | null;
  assignee: string | null;
  note: string;
  state: 'pending' | 'skipped';
  outcome: string | null;
}

/** Changes of an item row; `version` +1 and `updated_at` are set by `set`. */
export type ItemChange = Partial<
  Pick<ItemRow, 'state' | 'next_at' | 'due_at' | 'attempts' | 'outcome' | 'note' | 'assignee' | 'offered_to' | 'offered_at'>
>;

export class ItemStore {
  constructor(private readonly deps: BackOfficeDeps) {}

  row(id: string): ItemRow | undefined {
    return typeof id === 'string'
      ? this.deps.db.prepare<[string], ItemRow>('SELECT * FROM followup_items WHERE id = ?').get(id)
      : undefined;
  }

  need(id: string): ItemRow {
    const r = this.row(id);
    if (!r) throw new CallboxError('NOT_FOUND', `no follow-up item ${JSON.stringify(id)}`);
    return r;
  }

  insert(actor: Actor, n: NewItem): ItemRow {
    const id = this.deps.newId();
    const now = this.deps.clock.now();
    this.deps.db
      .prepare(
        `INSERT INTO followup_items (id, list_id, customer_id, phone, due_at, next_at, ticket_id, order_id, assignee, state, outcome, note, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        n.listId,
        n.customerId,
        n.phone,
        n.dueAt,
        n.dueAt,
        n.ticketId,
        n.orderId,
        n.assignee,
        n.state,
        n.outcome,
        n.note,
        actor.username,
        now,
        now,
      );
    return this.need(id);
  }

  set(id: string, change: ItemChange): ItemRow {
    const keys = Object.keys(change) as (keyof ItemChange)[];
    const sets = keys.map((k) => `${k} = @${k}`).join(', ');
    this.deps.db
      .prepare(`UPDATE followup_items SET ${sets}${sets ? ', ' : ''}updated_at = @now, version = version + 1 WHERE id = @id`)
      .run({ ...change, now: this.deps.clock.now(), id });
    return this.need(id);
  }

  /** An item of `listId` for this customer or phone still open (not done/failed/…). */
  openOnList(listId: string, customerId: string | null, phone: string): boolean {
    const r = this.deps.db
      .prepare(
        `SELECT 1 FROM followup_items WHERE list_id = ? AND state IN ('pending', 'offered', 'dialing') AND (phone = ? OR (customer_id IS NOT NULL AND customer_id = ?)) LIMIT 1`,
      )
      .get(listId, phone, customerId);
    return r !== undefined;
  }

  query(actor: Actor, q: ItemQuery, limit: number, offset: number): Page<FollowupItem> {
    const where: string[] = [];
    const p: Record<string, unknown> = { limit, offset };
    const eq = (col: string, key: keyof ItemQuery) => {
      if (q[key] !== undefined) {
        where.push(`${col} = @${key}`);
        p[key] = q[key];
      }
    };
    eq('list_id', 'listId');
    eq('state', 'state');
    eq('customer_id', 'customerId');
    eq('ticket_id', 'ticketId');
    eq('order_id', 'orderId');
    if (q.due) {
      where.push("state = 'pending' AND next_at <= @now");
      p.now = this.deps.clock.now();
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.deps.db.prepare(`SELECT COUNT(*) AS n FROM followup_items ${w}`).get(p) as { n: number }).n;
    const rows = this.deps.db
      .prepare<Record<string, unknown>, ItemRow>(`SELECT * FROM followup_items ${w} ORDER BY next_at, id LIMIT @limit OFFSET @offset`)
      .all(p);
    return { items: rows.map((r) => toItem(r, actor)), total };
  }

  /**
   * Pending items due by `now` on active lists, soonest first (the dialer's candidates). Not the
   * built-in 回拨 list's: agents call those from the console (callbacks.ts).
   */
  due(now: number, limit: number): ItemRow[] {
    return this.deps.db
      .prepare<[number, number], ItemRow>(
        `SELECT i.* FROM followup_items i JOIN followup_lists l ON l.id = i.list_id
         WHERE i.state = 'pending' AND i.next_at <= ? AND l.active = 1 AND l.default_for IS NOT 'callback'
         ORDER BY i.next_at, i.id LIMIT ?`,
      )
      .all(now, limit);
  }

  /** The item offered to (or being dialled for) `agent`. */
  heldBy(agent: string): ItemRow | undefined {
    return this.deps.db
      .prepare<[string], ItemRow>("SELECT * FROM followup_items WHERE offered_to = ? AND state IN ('offered', 'dialing') LIMIT 1")
      .get(agent);
  }

  offeredBefore(ms: number): ItemRow[] {
    return this.deps.db.prepare<[number], ItemRow>("SELECT * FROM followup_items WHERE state = 'offered' AND offered_at < ?").all(ms);
  }

  /** When the oldest open offer was made (it expires first), or null. */
  firstOfferedAt(): number | null {
    return (
      this.deps.db.prepare<[], { at: number | null }>("SELECT min(offered_at) AS at FROM followup_items WHERE state = 'offered'").get()
        ?.at ?? null
    );
  }

  // ---- attempts ----

  attempts(itemId: string): FollowupAttempt[] {
    return this.deps.db
      .prepare<[string], AttemptRow>('SELECT * FROM followup_attempts WHERE item_id = ? ORDER BY n')
      .all(itemId)
      .map(toAttempt);
  }

  lastAttempt(itemId: string): AttemptRow | undefined {
    return this.deps.db
      .prepare<[string], AttemptRow>('SELECT * FROM followup_attempts WHERE item_id = ? ORDER BY n DESC LIMIT 1')
      .get(itemId);
  }

  addAttempt(itemId: string, n: number, agent: string): FollowupAttempt {
    const id = this.deps.newId();
    this.deps.db
      .prepare('INSERT INTO followup_attempts (id, item_id, n, agent, started_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, itemId, n, agent, this.deps.clock.now());
    return toAttempt(this.deps.db.prepare<[string], AttemptRow>('SELECT * FROM followup_attempts WHERE id = ?').get(id) as AttemptRow);
  }

  setAttempt(id: string, change: Partial<Pick<AttemptRow, 'ended_at' | 'call_id' | 'line' | 'dial_result' | 'outcome' | 'note'>>): void {
    const keys = Object.keys(change);
    if (!keys.length) return;
    this.deps.db
      .prepare(`UPDATE followup_attempts SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`)
      .run({ ...change, id });
  }
}

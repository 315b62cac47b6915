/**
 * The follow-ups service: lists, items (added by hand, imported by customer tag, or scheduled by
 * other areas: 回访 after a ticket or an order), and the agent's side (offers, outcomes) through the
 * desk (desk.ts). Do-not-call customers are never called: their items are `skipped` with the reason.
 */
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import { normalizePhone } from '../common/phone.js';
import type { Actor, Page } from '../common/types.js';
import { CallbackBook } from './callbacks.js';
import { CustomerInfo } from './customer-info.js';
import { FollowupDesk } from './desk.js';
import { ItemStore, STATES, toItem } from './items.js';
import { invalid, ListStore, purposeOf } from './lists.js';
import type {
  CallbackDay,
  CallbackInput,
  FollowupAttempt,
  FollowupItem,
  FollowupItemState,
  FollowupList,
  FollowupOffer,
  FollowupsService,
  ImportResult,
  ItemInput,
  ItemPatch,
  ItemQuery,
  ListInput,
  ListPatch,
  OfferNotice,
  OutcomeInput,
  PreviewDialPort,
  ScheduleRequest,
} from './types.js';

function optId(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length < 1 || value.length > 64)
    throw invalid(field, 'must be a string of 1..64 characters, or null');
  return value;
}

function note(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value !== 'string' || value.length > 2000) throw invalid('note', 'must be a string of at most 2000 characters');
  return value;
}

function time(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 8.64e15)
    throw invalid(field, 'must be a time in epoch milliseconds');
  return Math.trunc(value);
}

export class FollowupsImpl implements FollowupsService {
  private readonly listStore: ListStore;
  private readonly store: ItemStore;
  private readonly customers: CustomerInfo;
  private readonly desk: FollowupDesk;
  private readonly book: CallbackBook;

  constructor(private readonly deps: BackOfficeDeps) {
    this.listStore = new ListStore(deps);
    this.store = new ItemStore(deps);
    this.customers = new CustomerInfo(deps.db, () => deps.config().shop.country as 'CN' | 'US' | 'EU');
    this.desk = new FollowupDesk(deps, this.listStore, this.store, this.customers);
    this.book = new CallbackBook(deps, this.listStore, this.customers, (actor, listId, input) => this.add(actor, listId, input));
  }

  private tx<T>(fn: () => T): T {
    return this.deps.db.transaction(fn)();
  }

  lists(_actor: Actor): FollowupList[] {
    return this.listStore.all();
  }

  getList(_actor: Actor, id: string): FollowupList | null {
    return typeof id === 'string' ? this.listStore.get(id) : null;
  }

  createList(actor: Actor, input: ListInput): FollowupList {
    return this.tx(() => this.listStore.create(actor, input));
  }

  updateList(_actor: Actor, id: string, patch: ListPatch): FollowupList {
    const list = this.tx(() => this.listStore.update(id, patch));
    this.desk.kick(); // started, or its calling hours widened
    return list;
  }

  deleteList(actor: Actor, id: string): void {
    this.tx(() => {
      this.listStore.need(id);
      if (this.store.query(actor, { listId: id, state: 'dialing' }, 1, 0).total > 0) {
        throw new CallboxError('CONFLICT', `list ${id} has an item being dialled now`);
      }
      this.listStore.delete(id);
    });
  }

  schedule(actor: Actor, req: ScheduleRequest): FollowupItem {
    if (typeof req !== 'object' || req === null) throw invalid('body', 'must be an object');
    const purpose = purposeOf(req.purpose);
    if (typeof req.phone !== 'string') throw invalid('phone', 'must be a phone number');
    if (req.dueAt === undefined) throw invalid('dueAt', 'must be a time in epoch milliseconds');
    const dueAt = time(req.dueAt, 'dueAt', 0);
    const item = this.tx(() => {
      const list = this.listStore.defaultFor(actor, purpose);
      return this.add(actor, list.id, { ...req, dueAt });
    });
    this.desk.kick();
    return item;
  }

  addItem(actor: Actor, listId: string, input: ItemInput): FollowupItem {
    if (typeof input !== 'object' || input === null) throw invalid('body', 'must be an object');
    const item = this.tx(() => {
      this.listStore.need(listId);
      return this.add(actor, listId, input);
    });
    this.desk.kick();
    return item;
  }

  /** Validates and inserts one item (inside a transaction); DNC customers' items are skipped at once. */
  private add(actor: Actor, listId: string, input: ItemInput): FollowupItem {
    let customerId = optId(input.customerId, 'customerId');
    if (customerId && !this.customers.get(customerId)) throw invalid('customerId', `is not a known customer (${customerId})`);
    let phone: string | null = null;
    if (input.phone !== undefined && input.phone !== null) {
      if (typeof input.phone !== 'string') throw invalid('phone', 'must be a phone number');
      phone = normalizePhone(input.phone, 'phone');
    } else if (customerId) phone = this.customers.firstPhone(customerId);
    if (!phone)
      throw invalid('phone', customerId ? 'is required: the customer has no phone number' : 'is required (or a customerId with a phone)');
    customerId ??= this.customers.byPhone(phone);
    const blocked = this.customers.blocked(customerId, phone);
    const row = this.store.insert(actor, {
      listId,
      customerId,
      phone,
      dueAt: time(input.dueAt, 'dueAt', this.deps.clock.now()),
      ticketId: optId(input.ticketId, 'ticketId'),
      orderId: optId(input.orderId, 'orderId'),
      assignee: optId(input.assignee, 'assignee'),
      note: note(input.note),
      state: blocked ? 'skipped' : 'pending',
      outcome: blocked,
    });
    return toItem(row, actor);
  }

  importByTag(actor: Actor, listId: string, q: { tag: string; dueAt?: number; note?: string }): ImportResult {
    if (typeof q?.tag !== 'string' || q.tag.trim() === '' || q.tag.length > 32)
      throw invalid('tag', 'must be a string of 1..32 characters');
    const dueAt = time(q.dueAt, 'dueAt', this.deps.clock.now());
    const text = note(q.note);
    this.desk.kick();
    return this.tx(() => {
      this.listStore.need(listId);
      const result: ImportResult = { added: 0, skipped: [] };
      for (const customerId of this.customers.withTag(q.tag.trim())) {
        const phone = this.customers.firstPhone(customerId);
        if (!phone) result.skipped.push({ customerId, reason: 'no_phone' });
        else if (this.customers.blocked(customerId, phone)) result.skipped.push({ customerId, reason: 'do_not_call' });
        else if (this.store.openOnList(listId, customerId, phone)) result.skipped.push({ customerId, reason: 'already_listed' });
        else {
          this.add(actor, listId, { customerId, phone, dueAt, note: text });
          result.added++;
        }
      }
      return result;
    });
  }

  items(actor: Actor, q: ItemQuery): Page<FollowupItem> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw invalid('limit', 'must be an integer from 1 to 500');
    if (!Number.isInteger(offset) || offset < 0) throw invalid('offset', 'must be an integer ≥ 0');
    if (q.state !== undefined && !STATES.includes(q.state as FollowupItemState))
      throw invalid('state', `must be one of ${STATES.join(', ')}`);
    return this.store.query(actor, q, limit, offset);
  }

  getItem(actor: Actor, id: string): FollowupItem | null {
    const r = this.store.row(id);
    return r ? toItem(r, actor) : null;
  }

  updateItem(actor: Actor, id: string, patch: ItemPatch): FollowupItem {
    if (typeof patch !== 'object' || patch === null) throw invalid('body', 'must be an object');
    return this.tx(() => {
      const cur = this.store.need(id);
      if (patch.version !== undefined && patch.version !== cur.version) {
        throw new CallboxError('CONFLICT', `item ${id} is at version ${cur.version}, not ${patch.version}`, { version: cur.version });
      }
      const change: Parameters<ItemStore['set']>[1] = {};
      if (patch.dueAt !== undefined) {
        if (cur.state !== 'pending') throw new CallboxError('CONFLICT', `item ${id} is ${cur.state}: only a pending item can be moved`);
        change.due_at = time(patch.dueAt, 'dueAt', 0);
        change.next_at = change.due_at;
      }
      if (patch.assignee !== undefined) change.assignee = optId(patch.assignee, 'assignee');
      if (patch.note !== undefined) change.note = note(patch.note);
      this.desk.kick(); // moved to now, or given to an agent who is free
      return toItem(this.store.set(id, change), actor);
    });
  }

  cancelItem(actor: Actor, id: string): FollowupItem {
    return this.tx(() => {
      const cur = this.store.need(id);
      if (cur.state === 'dialing') throw new CallboxError('CONFLICT', `item ${id} is being dialled now`);
      if (cur.state !== 'pending' && cur.state !== 'offered') throw new CallboxError('CONFLICT', `item ${id} is already ${cur.state}`);
      return toItem(this.store.set(id, { state: 'cancelled', offered_to: null, offered_at: null }), actor);
    });
  }

  attempts(_actor: Actor, itemId: string): FollowupAttempt[] {
    this.store.need(itemId);
    return this.store.attempts(itemId);
  }

  offerFor(actor: Actor, agentId: string): FollowupOffer | null {
    return this.desk.offerFor(actor, agentId);
  }

  accept(actor: Actor, agentId: string, itemId: string): FollowupAttempt {
    return this.desk.accept(actor, agentId, itemId);
  }

  skip(actor: Actor, agentId: string, itemId: string, text?: string): FollowupItem {
    return this.desk.skip(actor, agentId, itemId, text === undefined ? '' : note(text));
  }

  recordOutcome(actor: Actor, itemId: string, input: OutcomeInput): FollowupItem {
    return this.desk.recordOutcome(actor, itemId, input);
  }

  scheduleCallback(actor: Actor, input: CallbackInput): FollowupItem {
    if (typeof input === 'object' && input !== null) note(input.note);
    return this.book.schedule(actor, input);
  }

  callbacksFor(actor: Actor, agentId: string): CallbackDay {
    return this.book.day(actor, agentId);
  }

  callbacksDue(): number {
    return this.book.due();
  }

  callNow(actor: Actor, agentId: string, itemId: string): FollowupAttempt {
    return this.desk.callNow(actor, agentId, itemId);
  }

  attachDialer(port: PreviewDialPort | null): void {
    this.desk.attach(port);
  }

  tick(): number {
    return this.desk.tick();
  }

  onOffer(fn: (n: OfferNotice) => void): () => void {
    return this.desk.onOffer(fn);
  }
}

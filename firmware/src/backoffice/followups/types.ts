/** Follow-up lists (outbound calling: 回访, satisfaction surveys, order confirmations). The service contract. */
import type { Actor, Page, PageQuery } from '../common/types.js';

export type FollowupPurpose = 'return_visit' | 'satisfaction' | 'order_confirmation' | 'other';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/**
 * When customers may be called, per weekday, in the shop's time zone (`shop.timezone`): windows
 * "HH:MM-HH:MM" (end exclusive), e.g. { mon: ["09:00-12:00", "14:00-20:00"], …, sun: [] }.
 */
export type CallingHours = Record<Weekday, string[]>;

export interface FollowupList {
  id: string;
  name: string;
  purpose: FollowupPurpose;
  callingHours: CallingHours;
  /** Dial attempts before an item fails (no answer, busy). */
  maxAttempts: number;
  /** Minutes before a retry after no answer / busy. */
  retryDelayMin: number;
  /** What the agent says (话术), shown with the offer. */
  script: string;
  /** An inactive list offers nothing. */
  active: boolean;
  /** The purpose this list is the `schedule()` target of, `callback` for the built-in 回拨 list, or null. */
  defaultFor: FollowupPurpose | 'callback' | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ListInput {
  name: string;
  purpose: FollowupPurpose;
  /** Days left out have no calling hours. */
  callingHours?: Partial<CallingHours>;
  maxAttempts?: number;
  retryDelayMin?: number;
  script?: string;
  active?: boolean;
}

export interface ListPatch extends Partial<ListInput> {
  version?: number;
}

export type FollowupItemState = 'pending' | 'offered' | 'dialing' | 'done' | 'failed' | 'skipped' | 'cancelled';

/** What the agent recorded after a call (or the dialer, for calls nobody answered). */
export type FollowupOutcome = 'reached' | 'no_answer' | 'busy' | 'wrong_number' | 'refused' | 'callback_later';

/** Why an item was skipped without a call. */
export type FollowupSkipReason = 'do_not_call' | 'customer_erased';

export interface FollowupItem {
  id: string;
  listId: string;
  customerId: string | null;
  /** Masked for viewers without customers.phones. */
  phone: string;
  dueAt: string;
  /** When it may be offered next (the due date, a retry or a callback-later time). */
  nextAt: string;
  ticketId: string | null;
  orderId: string | null;
  assignee: string | null;
  state: FollowupItemState;
  attempts: number;
  /** The last outcome, or a skip reason (`do_not_call`). */
  outcome: string | null;
  note: string;
  /** The agent holding the offer (state offered/dialing). */
  offeredTo: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A return visit (回访) or other follow-up asked for by another area (a resolved ticket, a delivered order). */
export interface ScheduleRequest {
  purpose: FollowupPurpose;
  phone: string;
  /** Epoch ms when the call should be made (not before). */
  dueAt: number;
  customerId?: string | null;
  ticketId?: string | null;
  orderId?: string | null;
  assignee?: string | null;
  note?: string;
}

export interface ItemInput {
  /** A phone number, or taken from the customer's first number. */
  phone?: string;
  customerId?: string | null;
  /** Epoch ms; default now. */
  dueAt?: number;
  ticketId?: string | null;
  orderId?: string | null;
  assignee?: string | null;
  note?: string;
}

export interface ItemPatch {
  dueAt?: number;
  assignee?: string | null;
  note?: string;
  version?: number;
}

export interface ItemQuery extends PageQuery {
  listId?: string;
  state?: FollowupItemState;
  customerId?: string;
  ticketId?: string;
  orderId?: string;
  /** Only items that may be offered now (pending, next_at ≤ now). */
  due?: boolean;
}

export interface ImportResult {
  added: number;
  /** Customers not added: do-not-call, no phone, already on the list and open. */
  skipped: { customerId: string; reason: 'do_not_call' | 'no_phone' | 'already_listed' }[];
}

/** How the box's call attempt ended (before the agent records the outcome). */
export type DialResult = 'answered' | 'noAnswer' | 'noLine' | 'agentNoAnswer' | 'agentHangup' | 'failed';

export interface FollowupAttempt {
  id: string;
  itemId: string;
  /** 1, 2, … */
  n: number;
  agent: string;
  startedAt: string;
  endedAt: string | null;
  /** The outbound call record (direction outbound). */
  callId: string | null;
  line: string | null;
  dialResult: DialResult | null;
  outcome: FollowupOutcome | null;
  note: string;
}

/**
 * An agent's offer changed (the live stream's `event: offer`, to that agent and supervisors): a new
 * offer made, or an offer gone back to the list unanswered (`expired`). No customer data: the
 * console reads the offer itself (`offerFor`).
 */
export interface OfferNotice {
  agent: string;
  itemId: string;
  change: 'offered' | 'expired';
  /** When, ISO (the box's clock). */
  at: string;
}

/** What an agent sees before the box dials (preview): the customer and the item. */
export interface FollowupOffer {
  item: FollowupItem;
  list: Pick<FollowupList, 'id' | 'name' | 'purpose' | 'script'>;
  customer: { id: string; name: string | null; tags: string[]; notes: string } | null;
  attempts: FollowupAttempt[];
  offeredAt: string;
  /** The offer goes back to the list if not accepted by then. */
  expiresAt: string;
}

export interface OutcomeInput {
  outcome: FollowupOutcome;
  note?: string;
  /** For callback_later: epoch ms or the shop's wall time "2026-11-27T16:00" (default: the list's retry delay from now). */
  callbackAt?: number | string;
}

/** A callback (回拨) an agent promised a customer: an item of the built-in 回拨 list (callbacks.ts). */
export interface CallbackInput {
  /** A known customer (their first phone), or a `phone`. */
  customerId?: string | null;
  phone?: string;
  /** Epoch ms, or the shop's wall time "YYYY-MM-DDTHH:MM" (read in `shop.timezone`). */
  at: number | string;
  /** The agent who will call (for myself), or null: anyone on the team. */
  assignee: string | null;
  note?: string;
}

/** A callback as the console lists it: the item, the customer's name, due now, the time on the shop's clock. */
export interface CallbackView extends FollowupItem {
  customerName: string | null;
  /** nextAt has come (highlighted: call now). */
  due: boolean;
  /** nextAt on the shop's clock: "16:00" today, else "11-28 09:00". */
  local: string;
}

/** A quick choice of time: in an hour, today 16:00, tomorrow morning — each inside the calling hours. */
export interface CallbackPreset {
  key: 'in1h' | 'today16' | 'tomorrow';
  at: string;
  /** On the shop's clock, "11-28 09:00". */
  local: string;
}

/** One agent's callbacks (GET /api/v1/followups/callbacks): today's and overdue, mine and the team's. */
export interface CallbackDay {
  agent: string;
  items: CallbackView[];
  /** Open callbacks of this agent or the team after today. */
  later: number;
  timezone: string;
  /** The box's clock, ISO, and on the shop's clock ("2026-11-27T15:20"). */
  now: string;
  nowLocal: string;
  /** The 回拨 list's calling hours (callbacks are scheduled inside them). */
  callingHours: CallingHours;
  /** The built-in list's id (made on first use). */
  listId: string;
  presets: CallbackPreset[];
}

/**
 * What the dialer needs from the phone system (the call engine's preview dialer implements it):
 * which agents are free, and "ring this agent, then dial this number and bridge them".
 */
export interface PreviewDialPort {
  /** Agents (ids) logged in and available in the ACD whose phone is idle. */
  availableAgents(): string[];
  /** A line is free to dial out on. */
  lineFree(): boolean;
  /**
   * Reserve the agent (busy in the ACD), ring their phone; when they pick up, dial `number` over a
   * free line (FXO first, GSM last) and bridge. `onDialling` when the customer's number is dialled
   * (the call record exists); `onEnd` once, when the attempt is over. Null when it cannot start,
   * else the reason it cannot ('agentBusy' | 'noLine').
   */
  dial(req: PreviewDialRequest): 'agentBusy' | 'noLine' | null;
}

export interface PreviewDialRequest {
  agentId: string;
  number: string;
  /** Shown on the agent's phone (caller ID display). */
  displayName: string | null;
  onDialling(callId: string, line: string): void;
  onEnd(result: DialResult, callId: string | null): void;
}

export interface FollowupsService {
  lists(actor: Actor): FollowupList[];
  getList(actor: Actor, id: string): FollowupList | null;
  createList(actor: Actor, input: ListInput): FollowupList;
  updateList(actor: Actor, id: string, patch: ListPatch): FollowupList;
  /** Deletes a list and its items; CONFLICT while one of its items is being dialled. */
  deleteList(actor: Actor, id: string): void;
  /** Adds an item to the shop's list for `purpose` (created on first use). Returns it. */
  schedule(actor: Actor, req: ScheduleRequest): FollowupItem;
  addItem(actor: Actor, listId: string, input: ItemInput): FollowupItem;
  /** Adds every customer with `tag` (skipping do-not-call, no phone, already open on the list). */
  importByTag(actor: Actor, listId: string, q: { tag: string; dueAt?: number; note?: string }): ImportResult;
  items(actor: Actor, q: ItemQuery): Page<FollowupItem>;
  getItem(actor: Actor, id: string): FollowupItem | null;
  updateItem(actor: Actor, id: string, patch: ItemPatch): FollowupItem;
  cancelItem(actor: Actor, id: string): FollowupItem;
  attempts(actor: Actor, itemId: string): FollowupAttempt[];
  /** The offer held by agent `agentId`, or null. */
  offerFor(actor: Actor, agentId: string): FollowupOffer | null;
  /** The agent takes the offer: the box rings their phone and dials the customer. CONFLICT when not theirs or busy. */
  accept(actor: Actor, agentId: string, itemId: string): FollowupAttempt;
  /** The agent passes: the item goes back to the list (offered again later, to anyone). */
  skip(actor: Actor, agentId: string, itemId: string, note?: string): FollowupItem;
  /** The result of the call: done, retried later, rescheduled (callback_later) or failed. */
  recordOutcome(actor: Actor, itemId: string, input: OutcomeInput): FollowupItem;
  /** A callback (回拨) for a chosen time on the built-in 回拨 list (made on first use); inside its calling hours, not in the past. */
  scheduleCallback(actor: Actor, input: CallbackInput): FollowupItem;
  /** Agent `agentId`'s callbacks due today (overdue too), theirs and the team's, soonest first. */
  callbacksFor(actor: Actor, agentId: string): CallbackDay;
  /** Callbacks of the 回拨 list whose time has come and nobody called yet (the wallboard's callbacks pending). */
  callbacksDue(): number;
  /**
   * Call an item now (the console's 回拨 button): a pending item (the agent's, unassigned, or offered to
   * them) is dialled like an accepted offer — the agent's phone rings, then the customer's number.
   */
  callNow(actor: Actor, agentId: string, itemId: string): FollowupAttempt;
  /** Connects the dialer to the phone system (the box does it at start); without it nothing is offered. */
  attachDialer(port: PreviewDialPort | null): void;
  /** One dialer pass: expire stale offers, offer due items to free agents. Returns offers made. */
  tick(): number;
  /** Every offer made or expired from now on (the live stream); returns the unsubscribe function. Listeners must not block. */
  onOffer(fn: (n: OfferNotice) => void): () => void;
}

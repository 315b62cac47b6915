/**
 * The agent's side of follow-ups (preview dialling): every TICK_MS the dialer offers the next due
 * item (in its list's calling hours, never a do-not-call customer) to a free agent; the agent sees
 * the customer and accepts or skips. On accept the phone system (PreviewDialPort: the call
 * engine's preview dialer) rings the agent's phone, dials the customer over a free line and bridges
 * them; the attempt is kept with its call id. After the call the agent records the outcome
 * (reached, no answer, busy, wrong number, refused, callback later), which closes, retries or
 * reschedules the item. Calls nobody answered are recorded as no_answer by the dialer itself.
 * When passes run (at once on an agent becoming free, coalesced; every TICK_MS as the safety net):
 * pacer.ts. Every offer made or expired is told to `onOffer` listeners (the console's push).
 */
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor } from '../common/types.js';
import { SYSTEM_ACTOR } from '../common/types.js';
import { localToMs } from './callbacks.js';
import type { CustomerInfo } from './customer-info.js';
import { checkCallbackTime, nextCallingTime, withinCallingHours } from './hours.js';
import { type ItemChange, type ItemRow, type ItemStore, toItem } from './items.js';
import { invalid, type ListStore } from './lists.js';
import { DialerPacer } from './pacer.js';
import type {
  DialResult,
  FollowupAttempt,
  FollowupItem,
  FollowupList,
  FollowupOffer,
  FollowupOutcome,
  OfferNotice,
  OutcomeInput,
  PreviewDialPort,
} from './types.js';

export { KICK_DELAY_MS, TICK_MS } from './pacer.js';
/** An offer not accepted within this goes back to the list. */
export const OFFER_TTL_MS = 60_000;
/** A skipped item waits this long before it is offered again. */
export const SKIP_DELAY_MS = 5 * 60_000;
/** An answered call whose outcome the agent never recorded counts as reached after this. */
export const OUTCOME_GRACE_MS = 15 * 60_000;
/** No line free when the agent picked up: offered again after this, the attempt not counted. */
const NO_LINE_DELAY_MS = 30_000;

export const OUTCOMES: readonly FollowupOutcome[] = ['reached', 'no_answer', 'busy', 'wrong_number', 'refused', 'callback_later'];

export class FollowupDesk {
  private port: PreviewDialPort | null = null;
  readonly pacer: DialerPacer;
  private readonly listeners = new Set<(n: OfferNotice) => void>();

  constructor(
    private readonly deps: BackOfficeDeps,
    private readonly lists: ListStore,
    private readonly store: ItemStore,
    private readonly customers: CustomerInfo,
  ) {
    this.pacer = new DialerPacer(deps.clock, deps.engineEvents, () => {
      try {
        this.tick();
      } catch (err) {
        this.deps.log.error({ err: err instanceof Error ? err.stack : String(err) }, 'follow-up dialer pass failed');
      }
    });
  }

  private now(): number {
    return this.deps.clock.now();
  }

  private tx<T>(fn: () => T): T {
    return this.deps.db.transaction(fn)();
  }

  /** Connect (box start) or disconnect (stop) the phone system. Offers and calls cut by a restart go back to the list. */
  attach(port: PreviewDialPort | null): void {
    this.pacer.stop();
    this.port = port;
    if (!port) return;
    this.tx(() => {
      for (const state of ['offered', 'dialing'] as const) {
        for (const r of this.store.query(SYSTEM_ACTOR, { state }, 500, 0).items) {
          const last = this.store.lastAttempt(r.id);
          if (state === 'dialing' && last && last.ended_at === null)
            this.store.setAttempt(last.id, { ended_at: this.now(), dial_result: 'failed' });
          this.store.set(r.id, { state: 'pending', offered_to: null, offered_at: null, next_at: this.now() });
        }
      }
    });
    this.pacer.start();
    this.pacer.kick();
  }

  /** A pass soon (coalesced with the other kicks of this turn): something may make an offer possible. */
  kick(): void {
    this.pacer.kick();
  }

  onOffer(fn: (n: OfferNotice) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** One pass: expire offers, close forgotten outcomes, offer due items to free agents. */
  tick(): number {
    const notices: OfferNotice[] = [];
    let offers = 0;
    try {
      offers = this.pass(notices);
    } finally {
      this.tell(notices);
    }
    // the next offer to expire: a pass then (offeredBefore is strict: 1 ms after)
    const first = this.store.firstOfferedAt();
    if (first !== null) this.pacer.wakeAt(first + OFFER_TTL_MS + 1);
    return offers;
  }

  private pass(notices: OfferNotice[]): number {
    const now = this.now();
    const at = new Date(now).toISOString();
    const expired: OfferNotice[] = [];
    this.tx(() => {
      for (const r of this.store.offeredBefore(now - OFFER_TTL_MS)) {
        this.store.set(r.id, { state: 'pending', offered_to: null, offered_at: null });
        if (r.offered_to) expired.push({ agent: r.offered_to, itemId: r.id, change: 'expired', at });
      }
      for (const r of this.store.query(SYSTEM_ACTOR, { state: 'dialing' }, 500, 0).items) {
        const last = this.store.lastAttempt(r.id);
        if (last?.ended_at != null && last.dial_result === 'answered' && last.ended_at < now - OUTCOME_GRACE_MS) {
          this.apply(this.store.need(r.id), 'reached', '(auto: no outcome recorded)', undefined);
        }
      }
    });
    notices.push(...expired);
    const port = this.port;
    if (!port?.lineFree()) return 0;
    const free = port.availableAgents().filter((a) => !this.store.heldBy(a));
    if (!free.length) return 0;
    const tz = this.deps.config().shop.timezone;
    const listCache = new Map<string, FollowupList | null>();
    const made: OfferNotice[] = [];
    this.tx(() => {
      for (const r of this.store.due(now, 200)) {
        if (!free.length) break;
        if (!listCache.has(r.list_id)) listCache.set(r.list_id, this.lists.get(r.list_id));
        const list = listCache.get(r.list_id);
        if (!list || !withinCallingHours(list.callingHours, tz, now)) continue;
        const blocked = this.customers.blocked(r.customer_id, r.phone);
        if (blocked) {
          this.store.set(r.id, { state: 'skipped', outcome: blocked });
          continue;
        }
        const i = r.assignee ? free.indexOf(r.assignee) : 0;
        if (i < 0) continue;
        const agent = free.splice(i, 1)[0] as string;
        this.store.set(r.id, { state: 'offered', offered_to: agent, offered_at: now });
        made.push({ agent, itemId: r.id, change: 'offered', at });
      }
    });
    // told only once committed (a rolled-back pass offered nothing)
    notices.push(...made);
    return made.length;
  }

  private tell(notices: OfferNotice[]): void {
    for (const n of notices) {
      for (const fn of [...this.listeners]) {
        try {
          fn(n);
        } catch (err) {
          this.deps.log.warn({ err: String(err) }, 'a follow-up offer listener failed');
        }
      }
    }
  }

  offerFor(actor: Actor, agentId: string): FollowupOffer | null {
    const r = this.store.heldBy(agentId);
    if (!r || r.offered_at === null) return null;
    const list = this.lists.need(r.list_id);
    const c = r.customer_id ? this.customers.get(r.customer_id) : null;
    return {
      item: toItem(r, actor),
      list: { id: list.id, name: list.name, purpose: list.purpose, script: list.script },
      customer: c && !c.erased ? { id: c.id, name: c.name, tags: this.customers.tags(c.id), notes: c.notes } : null,
      attempts: this.store.attempts(r.id),
      offeredAt: new Date(r.offered_at).toISOString(),
      expiresAt: new Date(r.offered_at + OFFER_TTL_MS).toISOString(),
    };
  }

  private heldByAgent(agentId: string, itemId: string, state: 'offered' | 'dialing'): ItemRow {
    const r = this.store.need(itemId);
    if (r.state !== state || r.offered_to !== agentId) {
      throw new CallboxError(
        'CONFLICT',
        `item ${itemId} is not ${state === 'offered' ? 'offered to' : 'being dialled for'} agent ${agentId} (it is ${r.state})`,
      );
    }
    return r;
  }

  accept(_actor: Actor, agentId: string, itemId: string): FollowupAttempt {
    return this.dial(this.heldByAgent(agentId, itemId, 'offered'), agentId);
  }

  /**
   * Call a pending item now, without waiting for an offer (the console's 回拨 button): the agent's
   * own item, an unassigned one, or the one offered to them. CONFLICT (`details.reason`) when it is
   * not pending (`notPending`), another agent's (`assigned`) or offered to another agent (`offered`).
   */
  callNow(_actor: Actor, agentId: string, itemId: string): FollowupAttempt {
    const r = this.store.need(itemId);
    const mineOffered = r.state === 'offered' && r.offered_to === agentId;
    if (r.state !== 'pending' && !mineOffered) {
      const reason = r.state === 'offered' ? 'offered' : 'notPending';
      throw new CallboxError('CONFLICT', `item ${itemId} is ${r.state}${r.offered_to ? ` (${r.offered_to})` : ''}`, { reason });
    }
    if (r.assignee !== null && r.assignee !== agentId)
      throw new CallboxError('CONFLICT', `item ${itemId} is agent ${r.assignee}'s to call`, { reason: 'assigned' });
    const held = this.store.heldBy(agentId);
    if (held?.state === 'dialing' && held.id !== r.id)
      throw new CallboxError('CONFLICT', `agent ${agentId} is on follow-up item ${held.id}`, { reason: 'agentBusy' });
    // an offer the agent holds of another item goes back to its list: they chose this one
    if (held && held.id !== r.id) this.tx(() => this.store.set(held.id, { state: 'pending', offered_to: null, offered_at: null }));
    return this.dial(r, agentId);
  }

  /** Ring the agent's phone, then dial the item's customer (PreviewDialPort); the item is dialing with a new attempt. */
  private dial(r: ItemRow, agentId: string): FollowupAttempt {
    const blocked = this.customers.blocked(r.customer_id, r.phone);
    if (blocked) {
      this.tx(() => this.store.set(r.id, { state: 'skipped', outcome: blocked, offered_to: null, offered_at: null }));
      throw new CallboxError('CONFLICT', `the customer of item ${r.id} must not be called (${blocked})`, { reason: blocked });
    }
    const port = this.port;
    if (!port) throw new CallboxError('UNAVAILABLE', 'the dialer is not running');
    const c = r.customer_id ? this.customers.get(r.customer_id) : null;
    const attemptId = this.deps.newId();
    const refused = port.dial({
      agentId,
      number: r.phone,
      displayName: c?.name ?? null,
      onDialling: (callId, line) => this.safe(() => this.store.setAttempt(attemptId, { call_id: callId, line })),
      onEnd: (result, callId) => this.safe(() => this.dialEnded(r.id, attemptId, result, callId)),
    });
    if (refused) {
      const why = refused === 'noLine' ? 'no line is free to dial out' : `agent ${agentId} is not free (phone busy or not available)`;
      throw new CallboxError('CONFLICT', why, { reason: refused });
    }
    return this.tx(() => {
      const n = r.attempts + 1;
      this.deps.db
        .prepare('INSERT INTO followup_attempts (id, item_id, n, agent, started_at) VALUES (?, ?, ?, ?, ?)')
        .run(attemptId, r.id, n, agentId, this.now());
      this.store.set(r.id, { state: 'dialing', attempts: n, offered_to: agentId, offered_at: r.offered_at ?? this.now() });
      return this.store.attempts(r.id).find((a) => a.id === attemptId) as FollowupAttempt;
    });
  }

  skip(actor: Actor, agentId: string, itemId: string, note: string): FollowupItem {
    this.kick(); // the agent is free for the next item (this one waits SKIP_DELAY_MS)
    return this.tx(() => {
      this.heldByAgent(agentId, itemId, 'offered');
      this.deps.audit.record(actor.username, 'followup.skip', 'followup_item', itemId, { agent: agentId, note });
      return toItem(
        this.store.set(itemId, { state: 'pending', offered_to: null, offered_at: null, next_at: this.now() + SKIP_DELAY_MS }),
        actor,
      );
    });
  }

  recordOutcome(actor: Actor, itemId: string, input: OutcomeInput): FollowupItem {
    if (typeof input !== 'object' || input === null) throw invalid('body', 'must be an object');
    if (!OUTCOMES.includes(input.outcome)) throw invalid('outcome', `must be one of ${OUTCOMES.join(', ')}`);
    if (input.note !== undefined && (typeof input.note !== 'string' || input.note.length > 2000))
      throw invalid('note', 'must be a string of at most 2000 characters');
    const cb =
      typeof input.callbackAt === 'string' ? localToMs(input.callbackAt, this.deps.config().shop.timezone, 'callbackAt') : input.callbackAt;
    if (cb !== undefined && (typeof cb !== 'number' || !Number.isFinite(cb) || cb < this.now() - 60_000)) {
      const past = typeof cb === 'number' && Number.isFinite(cb);
      throw new CallboxError('VALIDATION_FAILED', `callbackAt ${past ? 'is in the past' : 'must be a time'}`, {
        field: 'callbackAt',
        reason: past ? 'past' : 'format',
      });
    }
    this.kick(); // the agent no longer holds the item
    return this.tx(() => {
      const r = this.store.need(itemId);
      if (r.state !== 'pending' && r.state !== 'offered' && r.state !== 'dialing') {
        throw new CallboxError('CONFLICT', `item ${itemId} is already ${r.state}`);
      }
      const list = this.lists.get(r.list_id);
      // a callback (回拨) promised for later: inside the list's calling hours, like a new one
      if (input.outcome === 'callback_later' && cb !== undefined && list?.defaultFor === 'callback')
        checkCallbackTime(list.callingHours, this.deps.config().shop.timezone, cb, this.now(), 'callbackAt');
      const last = this.store.lastAttempt(itemId);
      if (r.state !== 'dialing' || !last) {
        // a call made by hand (not through the dialer): it counts as an attempt
        this.store.addAttempt(itemId, r.attempts + 1, actor.username);
        this.store.set(itemId, { attempts: r.attempts + 1 });
      }
      return toItem(this.apply(this.store.need(itemId), input.outcome, input.note ?? '', cb), actor);
    });
  }

  /** The outcome of the item's last attempt: close, retry, reschedule or fail. Inside a transaction. */
  private apply(r: ItemRow, outcome: FollowupOutcome, note: string, callbackAt: number | undefined): ItemRow {
    const last = this.store.lastAttempt(r.id);
    if (last) this.store.setAttempt(last.id, { outcome, note });
    const list = this.lists.get(r.list_id);
    const retryMs = (list?.retryDelayMin ?? 60) * 60_000;
    const base: ItemChange = { outcome, offered_to: null, offered_at: null };
    const now = this.now();
    switch (outcome) {
      case 'reached':
      case 'refused':
        return this.store.set(r.id, { ...base, state: 'done' });
      case 'wrong_number':
        return this.store.set(r.id, { ...base, state: 'failed' });
      case 'callback_later':
        return this.store.set(r.id, { ...base, state: 'pending', next_at: Math.trunc(callbackAt ?? now + retryMs) });
      default: {
        if (r.attempts >= (list?.maxAttempts ?? 3)) return this.store.set(r.id, { ...base, state: 'failed' });
        const tz = this.deps.config().shop.timezone;
        const next = list ? (nextCallingTime(list.callingHours, tz, now + retryMs) ?? now + retryMs) : now + retryMs;
        return this.store.set(r.id, { ...base, state: 'pending', next_at: next });
      }
    }
  }

  /** The phone system finished an attempt. */
  private dialEnded(itemId: string, attemptId: string, result: DialResult, callId: string | null): void {
    this.kick();
    this.tx(() => {
      this.store.setAttempt(attemptId, { ended_at: this.now(), dial_result: result, ...(callId ? { call_id: callId } : {}) });
      const r = this.store.row(itemId);
      if (r?.state !== 'dialing') return; // the agent already recorded the outcome
      if (result === 'answered') return; // the agent records it (or OUTCOME_GRACE_MS closes it)
      if (result === 'noAnswer' || result === 'agentHangup') {
        this.apply(r, 'no_answer', '', undefined);
        return;
      }
      // the customer was never dialled (agent did not pick up, no line, failure): not an attempt
      const delay = result === 'agentNoAnswer' ? SKIP_DELAY_MS : NO_LINE_DELAY_MS;
      this.store.set(itemId, {
        state: 'pending',
        attempts: Math.max(0, r.attempts - 1),
        offered_to: null,
        offered_at: null,
        next_at: this.now() + delay,
      });
    });
  }

  private safe(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.deps.log.error({ err: err instanceof Error ? err.stack : String(err) }, 'follow-up attempt update failed');
    }
  }
}

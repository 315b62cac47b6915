/**
 * Callbacks in the queues (回拨保位): a waiting caller who asked to be called back keeps their
 * entry under the callback's id, without a line and without maxWaitS; a failed attempt is taken out
 * (its reserved agent freed) and a retry joins ahead of the waiting callers. The dispatcher reserves
 * one agent per callback (CALLBACK_RESERVE_S) while the box dials.
 */
import type { Clock } from '../../../hal/src/clock.js';
import type { Dispatcher } from './dispatcher.js';
import type { Entry } from './entry.js';
import type { QueueDef } from './types.js';
import type { WaitingList } from './waiting-list.js';

/** Callbacks go ahead of the waiting callers. */
const CALLBACK_PRIORITY = 10;

export class CallbackEntries {
  constructor(
    private readonly list: WaitingList,
    private readonly dispatcher: Dispatcher,
    private readonly queues: ReadonlyMap<string, QueueDef>,
    private readonly clock: Clock,
  ) {}

  /** The waiting call becomes callback `callbackId`, keeping its place. Ringing offers are withdrawn. */
  toCallback(callId: string, callbackId: string): boolean {
    const entry = this.list.find(callId);
    if (!entry) return false;
    this.dispatcher.withdrawOffers(entry, 'callerLeft');
    entry.expiry?.cancel();
    entry.expiry = null;
    entry.callId = callbackId;
    entry.callback = true;
    this.dispatcher.dispatch();
    return true;
  }

  /**
   * A callback asked for before waiting (the IVR's callback action): a new entry at the place of a
   * caller arriving now with `priority`; `enter` records its ENTERQUEUE (for the caller's call).
   */
  request(
    callbackId: string,
    queueId: string,
    priority: number,
    enter: (e: { queue: string; position: number; priority: number }) => void,
  ): void {
    const queue = this.queues.get(queueId);
    if (!queue) throw new Error(`unknown queue ${queueId}`);
    if (this.list.find(callbackId)) throw new Error(`callback ${callbackId} is already queued`);
    const now = this.clock.now();
    const entry: Entry = {
      callId: callbackId,
      queue,
      enqueuedAt: now,
      since: now,
      priority,
      origPosition: 0,
      onlyAgent: null,
      caller: null,
      offers: new Map(),
      tried: new Set(),
      expiry: null,
      callback: true,
    };
    this.list.insert(entry);
    entry.origPosition = this.list.position(entry);
    enter({ queue: queue.id, position: entry.origPosition, priority });
    this.dispatcher.dispatch();
  }

  enqueue(callbackId: string, queueId: string): void {
    const queue = this.queues.get(queueId);
    if (!queue) throw new Error(`unknown queue ${queueId}`);
    if (this.list.find(callbackId)) return;
    const now = this.clock.now();
    const entry: Entry = {
      callId: callbackId,
      queue,
      enqueuedAt: now,
      since: now,
      priority: CALLBACK_PRIORITY,
      origPosition: 1,
      onlyAgent: null,
      caller: null,
      offers: new Map(),
      tried: new Set(),
      expiry: null,
      callback: true,
    };
    this.list.first(entry);
    this.dispatcher.dispatch();
  }

  release(callbackId: string): void {
    const entry = this.list.find(callbackId);
    if (!entry) return;
    this.dispatcher.detach(entry, null, 'callerLeft');
    this.dispatcher.dispatch();
  }

  isCallback(id: string): boolean {
    return this.list.find(id)?.callback ?? false;
  }
}

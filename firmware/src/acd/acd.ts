/**
 * Automatic call distribution. Callers wait in queues ordered by priority, then arrival; free
 * agents (available, members, with the queue's skills) are offered calls by the queue's strategy;
 * an unanswered offer is withdrawn after ringTimeoutS (an agent missing N in a row is paused);
 * wrap-up is honoured across queues because agent state is global; a caller waiting past maxWaitS,
 * or finding no member logged in, overflows to another queue or is given up. Every step is a
 * queue_log-style event through the port. All timing comes from the injected clock.
 */
import type { Clock } from '../../../hal/src/clock.js';
import { type Agent, AgentBook } from './agent-book.js';
import type { Connected, Entry } from './entry.js';
import { HandleTimes } from './handle-times.js';
import { hasSkills, rank } from './strategies.js';
import { queuesView, staffedCount } from './views.js';
import type { AcdPort, AgentDef, AgentView, PauseReason, QueueDef, QueueView } from './types.js';

export interface AcdOptions {
  queues: QueueDef[];
  agents: AgentDef[];
  clock: Clock;
  port: AcdPort;
  pauseReasons?: PauseReason[];
  timezone?: string;
  seed?: number;
}

const MAX_OVERFLOW_HOPS = 4;
/** Handle times averaged for the estimated wait, and the guess before any call completed. */
/** How long an agent is reserved for a callback while the box dials the customer and asks them to accept. */
export const CALLBACK_RESERVE_S = 120;

const DIRECT: Omit<QueueDef, 'members'> = {
  id: '_direct',
  name: 'direct',
  strategy: 'ringAll',
  ringTimeoutS: 30,
  maxWaitS: 60,
  wrapUpS: 0,
};

export class Acd {
  readonly agents: AgentBook;
  private readonly entries: Entry[] = [];
  private readonly connected = new Map<string, Connected>();
  private readonly queues = new Map<string, QueueDef>();
  private readonly rrLast = new Map<string, number>();
  /** The wrap-up owed after each agent's current call (the queue it came from). */
  private readonly owedWrapUp = new Map<string, number>();
  private readonly handleTimes = new HandleTimes();
  private dispatching = false;
  /**
   * Queues known to have no available member with their skills: pick() skips them without looking
   * at their members. Forgotten whenever any agent becomes available (the only way a queue can gain
   * a free agent), so it never goes stale.
   */
  private noFree = new WeakSet<QueueDef>();
  private rng: number;

  constructor(private readonly o: AcdOptions) {
    for (const q of o.queues) this.queues.set(q.id, q);
    this.rng = (o.seed ?? 7) >>> 0 || 7;
    this.agents = new AgentBook(
      o.agents,
      o.clock,
      (agent, state, prev, reason, callId) => {
        if (state === 'available') this.noFree = new WeakSet();
        o.port.record('agent.state', callId, { agent, state, prev, ...(reason ? { reason } : {}) });
      },
      o.pauseReasons ?? [],
      o.timezone ?? 'UTC',
    );
  }

  start(): void {
    this.agents.start();
  }

  /** Stop: waiting callers are released, and every logged-in agent is logged out (the box is down). */
  stop(): void {
    for (const e of this.entries.splice(0)) {
      e.expiry?.cancel();
      for (const of of e.offers.values()) of.timer.cancel();
    }
    for (const a of this.agents.all()) if (a.state !== 'loggedOut') this.agents.set(a, 'loggedOut', 'shutdown', null);
    this.agents.stop();
  }

  hasQueue(id: string): boolean {
    return this.queues.has(id);
  }

  agentByExtension(channelId: string): AgentDef | undefined {
    return this.agents.byExtension(channelId);
  }

  // ---- callers ----

  enqueue(callId: string, queueId: string, priority = 0): void {
    const queue = this.queues.get(queueId);
    if (!queue) throw new Error(`unknown queue ${queueId}`);
    this.add(callId, queue, null, priority);
  }

  enqueueDirect(callId: string, agentId: string): void {
    if (!this.agents.get(agentId)) throw new Error(`unknown agent ${agentId}`);
    this.add(callId, { ...DIRECT, members: [agentId] }, agentId, 0);
  }

  /** The agent picked up: the call is theirs. Returns the queue and wait, or null if it was not waiting. */
  answered(callId: string, agentId: string): { queue: string; waitMs: number } | null {
    const entry = this.entry(callId);
    const agent = this.agents.get(agentId);
    if (!entry || !agent) return null;
    const now = this.o.clock.now();
    const offer = entry.offers.get(agentId);
    const waitMs = now - entry.enqueuedAt;
    this.detach(entry, agentId, 'takenByOther');
    agent.missedInARow = 0;
    this.agents.set(agent, 'onCall', null, callId);
    this.owedWrapUp.set(agentId, entry.queue.wrapUpS);
    this.connected.set(callId, { queue: entry.queue, agent: agentId, waitMs, at: now });
    this.o.port.record('queue.connect', callId, { queue: entry.queue.id, agent: agentId, waitMs, ringMs: offer ? now - offer.at : 0 });
    this.dispatch();
    return { queue: entry.queue.id, waitMs };
  }

  /** The caller left while waiting (hung up): ABANDON. A call not waiting is ignored. */
  leave(callId: string): void {
    const entry = this.entry(callId);
    if (!entry) return;
    const position = this.position(entry);
    this.detach(entry, null, 'callerLeft');
    this.o.port.record('queue.abandon', callId, {
      queue: entry.queue.id,
      position,
      origPosition: entry.origPosition,
      waitMs: this.o.clock.now() - entry.enqueuedAt,
    });
    this.dispatch();
  }

  /** The caller pressed a breakout key (e.g. voicemail): EXITWITHKEY. False when not waiting. */
  exitWithKey(callId: string, key: string): boolean {
    const entry = this.entry(callId);
    if (!entry || entry.callback) return false;
    const position = this.position(entry);
    this.detach(entry, null, 'callerLeft');
    this.o.port.record('queue.exitWithKey', callId, {
      queue: entry.queue.id,
      key,
      position,
      waitMs: this.o.clock.now() - entry.enqueuedAt,
    });
    this.dispatch();
    return true;
  }

  /** A connected call ended: COMPLETECALLER/COMPLETEAGENT, counted for the agent's day. */
  completed(callId: string, by: 'caller' | 'agent' | 'system'): void {
    const c = this.connected.get(callId);
    if (!c) return;
    this.connected.delete(callId);
    const talkMs = this.o.clock.now() - c.at;
    const agent = this.agents.get(c.agent);
    if (agent) this.agents.countCall(agent, talkMs);
    this.o.port.record('queue.complete', callId, { queue: c.queue.id, agent: c.agent, waitMs: c.waitMs, talkMs, by });
    this.handleTimes.add(c.queue.id, talkMs + c.queue.wrapUpS * 1000);
  }

  // ---- agents' phones and states ----

  /** The agent's phone is back on hook: wrap-up owed from the last call, then available. */
  phoneIdle(agentId: string): void {
    const a = this.agents.get(agentId);
    if (a?.state !== 'onCall') return;
    const wrap = this.owedWrapUp.get(agentId) ?? 0;
    this.owedWrapUp.delete(agentId);
    this.agents.wrapUp(a, wrap, null, () => this.dispatch());
  }

  /** The phone went off hook on its own (the agent is dialling or busy): never offer it a call. */
  phoneBusy(agentId: string): void {
    const a = this.agents.get(agentId);
    if (a && (a.state === 'available' || a.state === 'wrapUp')) this.agents.set(a, 'onCall', 'offHook', null);
  }

  login(agentId: string): void {
    const a = this.need(agentId);
    if (a.state === 'loggedOut' || a.state === 'paused') this.agents.set(a, 'available', null, null);
    this.dispatch();
  }

  logout(agentId: string): void {
    const a = this.need(agentId);
    this.withdrawAll(a);
    this.agents.set(a, 'loggedOut', null, null);
  }

  pause(agentId: string, reasonCode: string | null): void {
    const a = this.need(agentId);
    if (a.state === 'loggedOut') throw new Error(`agent ${agentId} is logged out`);
    this.withdrawAll(a);
    this.agents.pause(a, reasonCode);
  }

  unpause(agentId: string): void {
    const a = this.need(agentId);
    if (a.state === 'paused') this.agents.set(a, 'available', null, null);
    this.dispatch();
  }

  agentsView(): AgentView[] {
    return this.agents.all().map((a) => this.agents.view(a));
  }

  queuesView(): QueueView[] {
    return queuesView([...this.queues.values()], this.entries, (id) => this.agents.get(id)?.state, this.o.clock.now());
  }

  /**
   * The waiting caller asked to be called back: the entry keeps its place under the callback's id,
   * without a line and without maxWaitS. Ringing offers are withdrawn. False when not waiting.
   */
  toCallback(callId: string, callbackId: string): boolean {
    const entry = this.entry(callId);
    if (!entry) return false;
    this.withdrawOffers(entry, 'callerLeft');
    entry.expiry?.cancel();
    entry.expiry = null;
    entry.callId = callbackId;
    entry.callback = true;
    this.dispatch();
    return true;
  }

  /** A callback tries again (after a failed attempt): it joins ahead of the waiting callers. */
  enqueueCallback(callbackId: string, queueId: string): void {
    const queue = this.queues.get(queueId);
    if (!queue) throw new Error(`unknown queue ${queueId}`);
    if (this.entry(callbackId)) return;
    const entry: Entry = {
      callId: callbackId,
      queue,
      enqueuedAt: this.o.clock.now(),
      priority: 10,
      origPosition: 1,
      onlyAgent: null,
      offers: new Map(),
      tried: new Set(),
      expiry: null,
      callback: true,
    };
    this.entries.unshift(entry);
    this.dispatch();
  }

  /** A callback attempt failed (no answer, not accepted): take it out and free its agent. */
  release(callbackId: string): void {
    const entry = this.entry(callbackId);
    if (!entry) return;
    this.detach(entry, null, 'callerLeft');
    this.dispatch();
  }

  isCallback(id: string): boolean {
    return this.entry(id)?.callback ?? false;
  }

  /** Members who are working (not logged out, not paused). */
  staffed(queueId: string): number {
    const q = this.queues.get(queueId);
    return q ? staffedCount(q, (id) => this.agents.get(id)?.state) : 0;
  }

  /** Average handle time (talk + wrap-up) of the queue's last calls, in seconds. */
  ahtS(queueId: string): number {
    return this.handleTimes.ahtS(queueId);
  }

  /** Seed the handle times from the event log (newest last), so EWT is right after a restart. */
  seedHandleTimes(byQueue: Map<string, number[]>): void {
    this.handleTimes.seed(byQueue);
  }

  /** Position (1 = next) of a waiting call in its queue, or null. */
  positionOf(callId: string): number | null {
    const e = this.entry(callId);
    return e ? this.position(e) : null;
  }

  // ---- internals ----

  private add(callId: string, queue: QueueDef, onlyAgent: string | null, priority: number, hops = 0): void {
    if (this.entry(callId)) throw new Error(`call ${callId} is already queued`);
    if (!onlyAgent && !this.anyoneLoggedIn(queue)) {
      this.overflowOrExpire(callId, queue, 1, 0, priority, hops);
      return;
    }
    const entry: Entry = {
      callId,
      queue,
      enqueuedAt: this.o.clock.now(),
      priority,
      origPosition: 0,
      onlyAgent,
      offers: new Map(),
      tried: new Set(),
      callback: false,
      expiry: this.o.clock.setTimeout(() => {
        const position = this.position(entry);
        this.detach(entry, null, 'callerLeft');
        this.overflowOrExpire(callId, queue, position, this.o.clock.now() - entry.enqueuedAt, priority, hops);
      }, queue.maxWaitS * 1000),
    };
    // priority first, then arrival
    let i = this.entries.findIndex((e) => e.priority < priority);
    if (i < 0) i = this.entries.length;
    this.entries.splice(i, 0, entry);
    entry.origPosition = this.position(entry);
    this.o.port.record('queue.enter', callId, { queue: queue.id, position: entry.origPosition, priority });
    this.dispatch();
  }

  private overflowOrExpire(callId: string, queue: QueueDef, position: number, waitMs: number, priority: number, hops: number): void {
    this.o.port.record('queue.exitTimeout', callId, { queue: queue.id, position, waitMs });
    const next = queue.overflowQueue ? this.queues.get(queue.overflowQueue) : undefined;
    // overflow chains are bounded: queues overflowing into each other cannot loop forever
    if (next && next.id !== queue.id && hops < MAX_OVERFLOW_HOPS) this.add(callId, next, null, priority, hops + 1);
    else this.o.port.expire(callId, queue.id);
  }

  private anyoneLoggedIn(queue: QueueDef): boolean {
    return queue.members.some((id) => {
      const a = this.agents.get(id);
      return !!a && a.state !== 'loggedOut' && hasSkills(a, queue);
    });
  }

  private entry(callId: string): Entry | undefined {
    return this.entries.find((e) => e.callId === callId);
  }

  private position(entry: Entry): number {
    let n = 0;
    for (const e of this.entries) {
      if (e.queue.id === entry.queue.id) n++;
      if (e === entry) return n;
    }
    return n;
  }

  /** Take the entry out of the queue, withdrawing every offer but `keep`'s. */
  private detach(entry: Entry, keep: string | null, why: 'takenByOther' | 'callerLeft'): void {
    const i = this.entries.indexOf(entry);
    if (i < 0) return;
    this.entries.splice(i, 1);
    entry.expiry?.cancel();
    const kept = keep === null ? undefined : entry.offers.get(keep);
    if (kept && keep !== null) {
      kept.timer.cancel();
      entry.offers.delete(keep);
    }
    this.withdrawOffers(entry, why);
  }

  private withdrawOffers(entry: Entry, why: 'takenByOther' | 'callerLeft'): void {
    const now = this.o.clock.now();
    for (const [agentId, offer] of entry.offers) {
      offer.timer.cancel();
      const a = this.agents.get(agentId);
      if (!a) continue;
      this.o.port.record('queue.ringNoAnswer', entry.callId, { queue: entry.queue.id, agent: agentId, ringMs: now - offer.at, why });
      if (a.state === 'ringing') this.agents.set(a, 'available', null, entry.callId);
      this.o.port.withdraw(entry.callId, a);
    }
    entry.offers.clear();
  }

  private withdrawAll(a: Agent): void {
    for (const e of this.entries) {
      const offer = e.offers.get(a.id);
      if (!offer) continue;
      offer.timer.cancel();
      e.offers.delete(a.id);
      this.o.port.record('queue.ringNoAnswer', e.callId, {
        queue: e.queue.id,
        agent: a.id,
        ringMs: this.o.clock.now() - offer.at,
        why: 'timeout',
      });
      this.o.port.withdraw(e.callId, a);
    }
  }

  /** Offer waiting calls to free agents, highest priority and oldest first. Re-entrant calls fold. */
  private dispatch(): void {
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      const snapshot = this.entries.slice();
      for (let i = 0; i < snapshot.length; i++) {
        const entry = snapshot[i] as Entry;
        // Still queued? Found at its old index unless a port callback changed the queue; then search.
        if (this.entries[i] !== entry && !this.entries.includes(entry)) continue;
        if (entry.offers.size > 0 && (entry.queue.strategy !== 'ringAll' || entry.callback)) continue;
        for (;;) {
          const picks = this.pick(entry);
          if (picks.length === 0) break;
          for (const a of picks) this.offer(entry, a);
          if (entry.offers.size > 0) break;
        }
      }
    } finally {
      this.dispatching = false;
    }
  }

  private pick(entry: Entry): Agent[] {
    const q = entry.queue;
    if (!this.anyoneFree(q)) return [];
    let free = q.members
      .map((id) => this.agents.get(id))
      .filter((a): a is Agent => !!a && a.state === 'available' && !entry.offers.has(a.id) && hasSkills(a, q));
    if (free.length === 0) return [];
    const untried = free.filter((a) => !entry.tried.has(a.id));
    if (untried.length === 0) entry.tried.clear();
    else free = untried;
    const ranked = rank(q.strategy, free, q, { lastIndex: this.rrLast.get(q.id) ?? -1, random: () => this.random() });
    if (q.strategy === 'ringAll' && !entry.callback) return ranked;
    const first = ranked[0];
    if (!first) return [];
    if (q.strategy === 'roundRobin') this.rrLast.set(q.id, q.members.indexOf(first.id));
    return [first];
  }

  /** Whether any member is available with the queue's skills (remembered in noFree when not). */
  private anyoneFree(q: QueueDef): boolean {
    if (this.noFree.has(q)) return false;
    for (const id of q.members) {
      const a = this.agents.get(id);
      if (a?.state === 'available' && hasSkills(a, q)) return true;
    }
    this.noFree.add(q);
    return false;
  }

  private offer(entry: Entry, a: Agent): void {
    entry.tried.add(a.id);
    if (!this.o.port.offer(entry.callId, a, entry.queue)) {
      this.agents.set(a, 'onCall', 'offHook', null); // the phone is busy: not available until back on hook
      return;
    }
    this.agents.set(a, 'ringing', null, entry.callId);
    const at = this.o.clock.now();
    const timeoutS = entry.callback ? CALLBACK_RESERVE_S : entry.queue.ringTimeoutS;
    const timer = this.o.clock.setTimeout(() => this.ringTimeout(entry, a, at), timeoutS * 1000);
    entry.offers.set(a.id, { at, timer });
  }

  private ringTimeout(entry: Entry, a: Agent, at: number): void {
    entry.offers.delete(a.id);
    const now = this.o.clock.now();
    this.o.port.record('queue.ringNoAnswer', entry.callId, { queue: entry.queue.id, agent: a.id, ringMs: now - at, why: 'timeout' });
    a.missedInARow++;
    const limit = entry.queue.autoPauseAfterMisses ?? 0;
    if (limit > 0 && a.missedInARow >= limit) this.agents.pause(a, `autoPause`);
    else this.agents.set(a, 'available', null, entry.callId);
    this.o.port.withdraw(entry.callId, a);
    this.dispatch();
  }

  private need(agentId: string): Agent {
    const a = this.agents.get(agentId);
    if (!a) throw new Error(`unknown agent ${agentId}`);
    return a;
  }

  private random(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng / 0x1_0000_0000;
  }
}

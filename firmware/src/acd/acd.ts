/**
 * Automatic call distribution. Callers wait in queues ordered by priority, then arrival; free
 * agents (available, members, with the queue's skills) are offered calls by the queue's strategy
 * (dispatcher.ts); an unanswered offer is withdrawn after ringTimeoutS (an agent missing N in a
 * row is paused); wrap-up is honoured across queues because agent state is global; a caller
 * waiting past maxWaitS, or finding no member logged in, goes through the queue's overflow rules
 * (overflow.ts: another queue, the owner's mobile, voicemail) or is given up; a caller who hung up
 * and calls again soon keeps their place (resume.ts). Callbacks keep a place without a line
 * (callback-entries.ts). Every step is a queue_log-style event through the port. All timing comes
 * from the injected clock.
 */
import type { Clock } from '../../../hal/src/clock.js';
import { AgentBook } from './agent-book.js';
import { CallbackEntries } from './callback-entries.js';
import { Dispatcher } from './dispatcher.js';
import type { Connected, Entry } from './entry.js';
import { HandleTimes } from './handle-times.js';
import { MAX_OVERFLOW_HOPS, type PendingOverflow, overflowRules } from './overflow.js';
import { AbandonMemory, RESUME_WINDOW_MIN } from './resume.js';
import { hasSkills } from './strategies.js';
import { queuesView, staffedCount } from './views.js';
import { WaitingList } from './waiting-list.js';
import { WrapUpHold } from './wrap-up-hold.js';
import type { AcdPort, AgentDef, AgentView, PauseReason, QueueDef, QueueView } from './types.js';

export { CALLBACK_RESERVE_S } from './dispatcher.js';

export interface AcdOptions {
  queues: QueueDef[];
  agents: AgentDef[];
  clock: Clock;
  port: AcdPort;
  pauseReasons?: PauseReason[];
  timezone?: string;
  seed?: number;
  /** The caller's number of a call (abandoned-call resume); absent or null: never resumed. */
  callerOf?(callId: string): string | null;
}

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
  /** Callbacks keeping their place (the engine's callback desk drives them). */
  readonly callbacks: CallbackEntries;
  private readonly list = new WaitingList();
  readonly dispatcher: Dispatcher;
  private readonly connected = new Map<string, Connected>();
  readonly queues = new Map<string, QueueDef>();
  /** The wrap-up owed after each agent's current call (the queue it came from). */
  private readonly owedWrapUp = new Map<string, number>();
  private readonly handleTimes = new HandleTimes();
  private readonly abandons = new AbandonMemory();
  private readonly pendingOverflow = new Map<string, PendingOverflow>();
  /** Wrap-up, held for a required call result (wrap-up-hold.ts). */
  readonly wrapUps: WrapUpHold;

  constructor(private readonly o: AcdOptions) {
    for (const q of o.queues) this.queues.set(q.id, q);
    this.agents = new AgentBook(
      o.agents,
      o.clock,
      (agent, state, prev, reason, callId) => {
        if (state === 'available') this.dispatcher.agentFreed();
        o.port.record('agent.state', callId, { agent, state, prev, ...(reason ? { reason } : {}) });
      },
      o.pauseReasons ?? [],
      o.timezone ?? 'UTC',
    );
    this.dispatcher = new Dispatcher(this.list, this.agents, o.clock, o.port, o.seed ?? 7);
    this.callbacks = new CallbackEntries(this.list, this.dispatcher, this.queues, o.clock);
    this.wrapUps = new WrapUpHold(this.agents, o.clock, () => this.dispatcher.dispatch());
  }

  start(): void {
    this.agents.start();
  }

  /** Stop: waiting callers are released, and every logged-in agent is logged out (the box is down). */
  stop(): void {
    for (const e of this.list.clear()) {
      e.expiry?.cancel();
      for (const of of e.offers.values()) of.timer.cancel();
    }
    this.pendingOverflow.clear();
    this.wrapUps.stop();
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
    const entry = this.list.find(callId);
    const agent = this.agents.get(agentId);
    if (!entry || !agent) return null;
    const now = this.o.clock.now();
    const offer = entry.offers.get(agentId);
    const waitMs = now - entry.enqueuedAt;
    this.dispatcher.detach(entry, agentId, 'takenByOther');
    agent.missedInARow = 0;
    this.agents.set(agent, 'onCall', null, callId);
    this.owedWrapUp.set(agentId, entry.queue.wrapUpS);
    this.wrapUps.owe(agentId, entry.queue);
    this.connected.set(callId, { queue: entry.queue, agent: agentId, waitMs, at: now });
    this.o.port.record('queue.connect', callId, { queue: entry.queue.id, agent: agentId, waitMs, ringMs: offer ? now - offer.at : 0 });
    this.dispatcher.dispatch();
    return { queue: entry.queue.id, waitMs };
  }

  /** The caller left while waiting (hung up): ABANDON, remembered for a resume. A call not waiting is ignored. */
  leave(callId: string): void {
    this.pendingOverflow.delete(callId);
    const entry = this.list.find(callId);
    if (!entry) return;
    const position = this.list.position(entry);
    this.dispatcher.detach(entry, null, 'callerLeft');
    const now = this.o.clock.now();
    this.o.port.record('queue.abandon', callId, {
      queue: entry.queue.id,
      position,
      origPosition: entry.origPosition,
      waitMs: now - entry.enqueuedAt,
    });
    const resume = entry.queue.resume;
    if (resume && entry.caller && !entry.callback) {
      const until = now + (resume.windowMin ?? RESUME_WINDOW_MIN) * 60_000;
      this.abandons.remember(entry.caller, { callId, queue: entry.queue.id, since: entry.since, priority: entry.priority, at: now, until });
    }
    this.dispatcher.dispatch();
  }

  /** The caller pressed a breakout key (e.g. voicemail): EXITWITHKEY. False when not waiting. */
  exitWithKey(callId: string, key: string): boolean {
    const entry = this.list.find(callId);
    if (!entry || entry.callback) return false;
    const position = this.list.position(entry);
    this.dispatcher.detach(entry, null, 'callerLeft');
    this.o.port.record('queue.exitWithKey', callId, {
      queue: entry.queue.id,
      key,
      position,
      waitMs: this.o.clock.now() - entry.enqueuedAt,
    });
    this.dispatcher.dispatch();
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

  /**
   * A queue with abandoned-call resume and skipIvr that the caller abandoned within its window:
   * a new call from them may go straight back to it (with this priority). Null otherwise.
   */
  resumeTarget(caller: string | null): { queue: string; priority: number } | null {
    if (!caller) return null;
    const a = this.abandons.latest(caller, this.o.clock.now());
    if (!a || !this.queues.get(a.queue)?.resume?.skipIvr) return null;
    return { queue: a.queue, priority: a.priority };
  }

  /** A mobile overflow came to nothing (refused, not answered, hung up): the caller goes on with the next rule. */
  overflowFailed(callId: string): void {
    const p = this.pendingOverflow.get(callId);
    if (!p) return;
    this.pendingOverflow.delete(callId);
    this.nextRule(callId, p);
  }

  /** A mobile overflow is over (bridged, or the caller is gone): nothing more to try. */
  overflowDone(callId: string): void {
    this.pendingOverflow.delete(callId);
  }

  // ---- agents' phones and states ----

  /** The agent's phone is back on hook: wrap-up owed from the last call, then available. */
  phoneIdle(agentId: string): void {
    const a = this.agents.get(agentId);
    this.wrapUps.phoneDown(agentId);
    if (a?.state !== 'onCall') return;
    const wrap = this.owedWrapUp.get(agentId) ?? 0;
    this.owedWrapUp.delete(agentId);
    this.wrapUps.start(a, wrap);
  }

  /** The phone went off hook on its own (dialling, busy): never offer it a call (in wrap-up it stays in wrap-up). */
  phoneBusy(agentId: string): void {
    const a = this.agents.get(agentId);
    if (a && !this.wrapUps.phoneBusy(a) && a.state === 'available') this.agents.set(a, 'onCall', 'offHook', null);
  }

  login(agentId: string): void {
    const a = this.need(agentId);
    if (a.state === 'loggedOut' || a.state === 'paused') this.agents.set(a, 'available', null, null);
    this.dispatcher.dispatch();
  }

  logout(agentId: string): void {
    const a = this.need(agentId);
    this.dispatcher.withdrawAll(a);
    this.agents.set(a, 'loggedOut', null, null);
  }

  pause(agentId: string, reasonCode: string | null): void {
    const a = this.need(agentId);
    if (a.state === 'loggedOut') throw new Error(`agent ${agentId} is logged out`);
    this.dispatcher.withdrawAll(a);
    this.agents.pause(a, reasonCode);
  }

  unpause(agentId: string): void {
    const a = this.need(agentId);
    if (a.state === 'paused') this.agents.set(a, 'available', null, null);
    this.dispatcher.dispatch();
  }

  agentsView(): AgentView[] {
    return this.agents.all().map((a) => this.agents.view(a));
  }

  queuesView(): QueueView[] {
    return queuesView([...this.queues.values()], this.list.entries, (id) => this.agents.get(id)?.state, this.o.clock.now());
  }

  // ---- callbacks (see callback-entries.ts) ----

  /** The waiting caller asked to be called back: the entry keeps its place under the callback's id. False when not waiting. */
  toCallback(callId: string, callbackId: string): boolean {
    return this.callbacks.toCallback(callId, callbackId);
  }

  /** A callback asked for before waiting (IVR callback action): ENTERQUEUE at a new caller's place, kept without a line. */
  requestCallback(callId: string, callbackId: string, queueId: string, priority = 0): void {
    this.callbacks.request(callbackId, queueId, priority, (enter) => this.o.port.record('queue.enter', callId, enter));
  }

  /** A callback tries again (after a failed attempt): it joins ahead of the waiting callers. */
  enqueueCallback(callbackId: string, queueId: string): void {
    this.callbacks.enqueue(callbackId, queueId);
  }

  /** A callback attempt failed (no answer, not accepted): take it out and free its agent. */
  release(callbackId: string): void {
    this.callbacks.release(callbackId);
  }

  isCallback(id: string): boolean {
    return this.callbacks.isCallback(id);
  }

  // ---- figures for announcements ----

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
    const e = this.list.find(callId);
    return e ? this.list.position(e) : null;
  }

  // ---- internals ----

  private add(callId: string, queue: QueueDef, onlyAgent: string | null, priority: number, hops = 0): void {
    if (this.list.find(callId)) throw new Error(`call ${callId} is already queued`);
    if (!onlyAgent && !this.anyoneLoggedIn(queue)) {
      this.overflowOrExpire(callId, queue, 1, 0, priority, hops);
      return;
    }
    const now = this.o.clock.now();
    const caller = onlyAgent ? null : (this.o.callerOf?.(callId) ?? null);
    // a caller back within the resume window takes the place of their first entry
    const back = caller && queue.resume && hops === 0 ? this.abandons.take(caller, queue.id, now) : null;
    const entry: Entry = {
      callId,
      queue,
      enqueuedAt: now,
      since: back ? back.since : now,
      priority: back ? Math.max(priority, back.priority) : priority,
      origPosition: 0,
      onlyAgent,
      caller,
      offers: new Map(),
      tried: new Set(),
      callback: false,
      expiry: this.o.clock.setTimeout(() => {
        const position = this.list.position(entry);
        this.dispatcher.detach(entry, null, 'callerLeft');
        this.overflowOrExpire(callId, queue, position, this.o.clock.now() - entry.enqueuedAt, entry.priority, hops);
      }, queue.maxWaitS * 1000),
    };
    this.list.insert(entry);
    entry.origPosition = this.list.position(entry);
    this.o.port.record('queue.enter', callId, { queue: queue.id, position: entry.origPosition, priority: entry.priority });
    if (back) {
      this.o.port.record('queue.resume', callId, {
        queue: queue.id,
        abandonedCallId: back.callId,
        abandonedAgoMs: now - back.at,
        firstEnteredAgoMs: now - back.since,
        position: entry.origPosition,
      });
    }
    this.dispatcher.dispatch();
  }

  private overflowOrExpire(callId: string, queue: QueueDef, position: number, waitMs: number, priority: number, hops: number): void {
    this.o.port.record('queue.exitTimeout', callId, { queue: queue.id, position, waitMs });
    this.nextRule(callId, { queue, priority, hops, next: 0 });
  }

  /** Try the queue's overflow rules from `p.next`; after the last, give up on the call. */
  private nextRule(callId: string, p: PendingOverflow): void {
    const rules = overflowRules(p.queue);
    for (let i = p.next; i < rules.length; i++) {
      const rule = rules[i];
      if (!rule) continue;
      if (rule.action === 'queue') {
        const next = this.queues.get(rule.queue);
        // overflow chains are bounded: queues overflowing into each other cannot loop forever
        if (!next || next.id === p.queue.id || p.hops >= MAX_OVERFLOW_HOPS) continue;
        this.add(callId, next, null, p.priority, p.hops + 1);
        return;
      }
      if (this.o.port.overflow?.(callId, p.queue, rule)) {
        if (rule.action === 'mobile') this.pendingOverflow.set(callId, { ...p, next: i + 1 });
        return;
      }
    }
    this.o.port.expire(callId, p.queue.id);
  }

  private anyoneLoggedIn(queue: QueueDef): boolean {
    return queue.members.some((id) => {
      const a = this.agents.get(id);
      return !!a && a.state !== 'loggedOut' && hasSkills(a, queue);
    });
  }

  private need(agentId: string) {
    const a = this.agents.get(agentId);
    if (!a) throw new Error(`unknown agent ${agentId}`);
    return a;
  }
}

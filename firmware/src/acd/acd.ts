/**
 * Automatic call distribution: callers wait in queues in arrival order; idle member agents are
 * offered calls by the queue's strategy (longest idle, ring all, round robin with memory); an
 * unanswered offer is withdrawn after ringTimeoutS and the next agent tried; an agent whose call
 * ended gets wrapUpS before the next offer. All timing comes from the injected clock.
 */
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import type { AcdPort, AgentDef, AgentStatus, AgentView, QueueDef, QueueView } from './types.js';

interface Entry {
  callId: string;
  queue: QueueDef;
  enqueuedAt: number;
  /** Ring only this agent (IVR "extension" action). */
  onlyAgent: string | null;
  offers: Map<string, TimerHandle>;
  tried: Set<string>;
  expiry: TimerHandle;
}

interface AgentSlot extends AgentView {
  wrapTimer: TimerHandle | null;
}

export interface AcdOptions {
  queues: QueueDef[];
  agents: AgentDef[];
  clock: Clock;
  port: AcdPort;
}

const DIRECT_QUEUE: Omit<QueueDef, 'members'> = {
  id: '_direct',
  name: 'direct',
  strategy: 'ringAll',
  ringTimeoutS: 30,
  maxWaitS: 60,
  wrapUpS: 0,
};

export class Acd {
  private readonly entries: Entry[] = [];
  private readonly agents = new Map<string, AgentSlot>();
  private readonly queues = new Map<string, QueueDef>();
  private readonly rrCursor = new Map<string, number>();
  private dispatching = false;

  constructor(private readonly opts: AcdOptions) {
    for (const q of opts.queues) this.queues.set(q.id, q);
    const now = opts.clock.now();
    for (const a of opts.agents) {
      this.agents.set(a.id, { ...a, status: 'idle', since: now, callsToday: 0, wrapTimer: null });
    }
  }

  hasQueue(id: string): boolean {
    return this.queues.has(id);
  }

  agentByExtension(channelId: string): AgentDef | undefined {
    for (const a of this.agents.values()) if (a.extension === channelId) return a;
    return undefined;
  }

  enqueue(callId: string, queueId: string): void {
    const queue = this.queues.get(queueId);
    if (!queue) throw new Error(`unknown queue ${queueId}`);
    this.add(callId, queue, null);
  }

  /** Ring one agent directly, with the direct-dial timeouts. */
  enqueueDirect(callId: string, agentId: string): void {
    if (!this.agents.has(agentId)) throw new Error(`unknown agent ${agentId}`);
    this.add(callId, { ...DIRECT_QUEUE, members: [agentId] }, agentId);
  }

  /** The agent picked up for the call: it is theirs; other offers are withdrawn. */
  answered(callId: string, agentId: string): void {
    const entry = this.entry(callId);
    if (entry) this.remove(entry, agentId);
    const agent = this.agents.get(agentId);
    if (agent) {
      this.setStatus(agent, 'busy');
      agent.callsToday++;
    }
  }

  /** The caller left (hung up, or the engine ended the call). */
  leave(callId: string): void {
    const entry = this.entry(callId);
    if (entry) this.remove(entry, null);
  }

  /** The agent's phone went back on hook: wrap-up, then available. */
  phoneIdle(agentId: string, wrapUpS: number): void {
    const agent = this.agents.get(agentId);
    if (!agent || agent.status === 'idle' || agent.status === 'wrapUp') return;
    if (agent.status === 'ringing') return; // offer withdrawal handles it
    if (wrapUpS <= 0) {
      this.setStatus(agent, 'idle');
      this.dispatch();
      return;
    }
    this.setStatus(agent, 'wrapUp');
    agent.wrapTimer = this.opts.clock.setTimeout(() => {
      agent.wrapTimer = null;
      this.setStatus(agent, 'idle');
      this.dispatch();
    }, wrapUpS * 1000);
  }

  /** The agent's phone went off hook on its own (not for an offer). */
  phoneBusy(agentId: string): void {
    const agent = this.agents.get(agentId);
    if (agent && agent.status !== 'ringing') this.setStatus(agent, 'busy');
  }

  queueOf(callId: string): QueueDef | undefined {
    return this.entry(callId)?.queue;
  }

  agentsView(): AgentView[] {
    return [...this.agents.values()].map(({ wrapTimer: _w, ...v }) => v);
  }

  queuesView(): QueueView[] {
    return [...this.queues.values()].map((q) => {
      const waiting = this.entries.filter((e) => e.queue.id === q.id);
      return { id: q.id, name: q.name, waiting: waiting.length, oldestEnqueuedAt: waiting[0]?.enqueuedAt ?? null };
    });
  }

  stop(): void {
    for (const e of this.entries.splice(0)) {
      e.expiry.cancel();
      for (const t of e.offers.values()) t.cancel();
    }
    for (const a of this.agents.values()) a.wrapTimer?.cancel();
  }

  private add(callId: string, queue: QueueDef, onlyAgent: string | null): void {
    if (this.entry(callId)) throw new Error(`call ${callId} is already queued`);
    const entry: Entry = {
      callId,
      queue,
      enqueuedAt: this.opts.clock.now(),
      onlyAgent,
      offers: new Map(),
      tried: new Set(),
      expiry: this.opts.clock.setTimeout(() => {
        this.remove(entry, null);
        this.opts.port.expire(callId, queue.id);
      }, queue.maxWaitS * 1000),
    };
    this.entries.push(entry);
    this.dispatch();
  }

  private entry(callId: string): Entry | undefined {
    return this.entries.find((e) => e.callId === callId);
  }

  private remove(entry: Entry, keepAgent: string | null): void {
    const i = this.entries.indexOf(entry);
    if (i < 0) return;
    this.entries.splice(i, 1);
    entry.expiry.cancel();
    for (const [agentId, timer] of entry.offers) {
      timer.cancel();
      if (agentId === keepAgent) continue;
      const agent = this.agents.get(agentId);
      if (!agent) continue;
      this.setStatus(agent, 'idle');
      this.opts.port.withdraw(entry.callId, agent);
    }
    entry.offers.clear();
    this.dispatch();
  }

  /** Offer waiting calls to available agents, oldest call first. Re-entrant calls are folded. */
  private dispatch(): void {
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (const entry of this.entries.slice()) {
        if (!this.entries.includes(entry)) continue;
        if (entry.offers.size > 0 && entry.queue.strategy !== 'ringAll') continue;
        // An agent whose phone refuses the offer is marked busy, so each round picks someone else.
        for (;;) {
          const picks = this.pick(entry);
          if (picks.length === 0) break;
          for (const agent of picks) this.offer(entry, agent);
          if (entry.offers.size > 0) break;
        }
      }
    } finally {
      this.dispatching = false;
    }
  }

  private pick(entry: Entry): AgentSlot[] {
    const q = entry.queue;
    const members = q.members.map((id) => this.agents.get(id)).filter((a): a is AgentSlot => !!a);
    let free = members.filter((a) => a.status === 'idle' && !entry.offers.has(a.id));
    if (free.length === 0) return [];
    const untried = free.filter((a) => !entry.tried.has(a.id));
    if (untried.length === 0)
      entry.tried.clear(); // everyone had a go: start another round
    else free = untried;
    switch (q.strategy) {
      case 'ringAll':
        return free;
      case 'roundRobin': {
        const last = this.rrCursor.get(q.id) ?? -1;
        const ordered = free
          .map((a) => ({ a, idx: q.members.indexOf(a.id) }))
          .sort(
            (x, y) =>
              ((x.idx - last - 1 + q.members.length) % q.members.length) - ((y.idx - last - 1 + q.members.length) % q.members.length),
          );
        const first = ordered[0];
        if (!first) return [];
        this.rrCursor.set(q.id, first.idx);
        return [first.a];
      }
      default: {
        const byIdle = free.slice().sort((x, y) => x.since - y.since);
        return byIdle.slice(0, 1);
      }
    }
  }

  private offer(entry: Entry, agent: AgentSlot): void {
    entry.tried.add(agent.id);
    if (!this.opts.port.offer(entry.callId, agent)) {
      this.setStatus(agent, 'busy'); // phone not idle: unavailable until it goes back on hook
      return;
    }
    this.setStatus(agent, 'ringing');
    const timer = this.opts.clock.setTimeout(() => {
      entry.offers.delete(agent.id);
      this.setStatus(agent, 'idle');
      this.opts.port.withdraw(entry.callId, agent);
      this.dispatch();
    }, entry.queue.ringTimeoutS * 1000);
    entry.offers.set(agent.id, timer);
  }

  private setStatus(agent: AgentSlot, status: AgentStatus): void {
    if (agent.status === status) return;
    agent.wrapTimer?.cancel();
    agent.wrapTimer = null;
    agent.status = status;
    agent.since = this.opts.clock.now();
  }
}

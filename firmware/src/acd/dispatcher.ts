/**
 * Offering waiting calls to free agents: who is picked (the queue's strategy over the available
 * members with the queue's skills), the offer and its ring timeout (RINGNOANSWER, auto-pause after
 * N misses), and withdrawing offers when a call is taken, leaves, or its agent goes away.
 */
import type { Clock } from '../../../hal/src/clock.js';
import type { Agent, AgentBook } from './agent-book.js';
import type { Entry } from './entry.js';
import { hasSkills, rank } from './strategies.js';
import type { AcdPort, QueueDef } from './types.js';
import type { WaitingList } from './waiting-list.js';

/** How long an agent is reserved for a callback while the box dials the customer and asks them to accept. */
export const CALLBACK_RESERVE_S = 120;

export type WithdrawWhy = 'takenByOther' | 'callerLeft';

export class Dispatcher {
  private readonly rrLast = new Map<string, number>();
  private dispatching = false;
  /**
   * Queues known to have no available member with their skills: pick() skips them without looking
   * at their members. Forgotten whenever any agent becomes available (the only way a queue can gain
   * a free agent), so it never goes stale.
   */
  private noFree = new WeakSet<QueueDef>();
  private rng: number;

  constructor(
    private readonly list: WaitingList,
    private readonly agents: AgentBook,
    private readonly clock: Clock,
    private readonly port: AcdPort,
    seed: number,
  ) {
    this.rng = seed >>> 0 || 7;
  }

  /** An agent became available: every queue may have a free member again. */
  agentFreed(): void {
    this.noFree = new WeakSet();
  }

  /** Offer waiting calls to free agents, highest priority and oldest first. Re-entrant calls fold. */
  dispatch(): void {
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      const entries = this.list.entries;
      const snapshot = entries.slice();
      for (let i = 0; i < snapshot.length; i++) {
        const entry = snapshot[i] as Entry;
        // Still queued? Found at its old index unless a port callback changed the queue; then search.
        if (entries[i] !== entry && !entries.includes(entry)) continue;
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

  /** Take the entry out of the queue, withdrawing every offer but `keep`'s. */
  detach(entry: Entry, keep: string | null, why: WithdrawWhy): void {
    if (!this.list.remove(entry)) return;
    entry.expiry?.cancel();
    const kept = keep === null ? undefined : entry.offers.get(keep);
    if (kept && keep !== null) {
      kept.timer.cancel();
      entry.offers.delete(keep);
    }
    this.withdrawOffers(entry, why);
  }

  withdrawOffers(entry: Entry, why: WithdrawWhy): void {
    const now = this.clock.now();
    for (const [agentId, offer] of entry.offers) {
      offer.timer.cancel();
      const a = this.agents.get(agentId);
      if (!a) continue;
      this.port.record('queue.ringNoAnswer', entry.callId, { queue: entry.queue.id, agent: agentId, ringMs: now - offer.at, why });
      if (a.state === 'ringing') this.agents.set(a, 'available', null, entry.callId);
      this.port.withdraw(entry.callId, a);
    }
    entry.offers.clear();
  }

  /** The agent logs out or pauses: every call ringing it stops. */
  withdrawAll(a: Agent): void {
    for (const e of this.list.entries) {
      const offer = e.offers.get(a.id);
      if (!offer) continue;
      offer.timer.cancel();
      e.offers.delete(a.id);
      this.port.record('queue.ringNoAnswer', e.callId, {
        queue: e.queue.id,
        agent: a.id,
        ringMs: this.clock.now() - offer.at,
        why: 'timeout',
      });
      this.port.withdraw(e.callId, a);
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
    if (!this.port.offer(entry.callId, a, entry.queue)) {
      this.agents.set(a, 'onCall', 'offHook', null); // the phone is busy: not available until back on hook
      return;
    }
    this.agents.set(a, 'ringing', null, entry.callId);
    const at = this.clock.now();
    const timeoutS = entry.callback ? CALLBACK_RESERVE_S : entry.queue.ringTimeoutS;
    const timer = this.clock.setTimeout(() => this.ringTimeout(entry, a, at), timeoutS * 1000);
    entry.offers.set(a.id, { at, timer });
  }

  private ringTimeout(entry: Entry, a: Agent, at: number): void {
    entry.offers.delete(a.id);
    const now = this.clock.now();
    this.port.record('queue.ringNoAnswer', entry.callId, { queue: entry.queue.id, agent: a.id, ringMs: now - at, why: 'timeout' });
    a.missedInARow++;
    const limit = entry.queue.autoPauseAfterMisses ?? 0;
    if (limit > 0 && a.missedInARow >= limit) this.agents.pause(a, `autoPause`);
    else this.agents.set(a, 'available', null, entry.callId);
    this.port.withdraw(entry.callId, a);
    this.dispatch();
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

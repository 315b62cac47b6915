/**
 * A live config change for the ACD (box.applyConfig → engine.reconfigure): the next callers join
 * the new queues, while callers already waiting keep the queue settings they entered with (their
 * entry holds its QueueDef); agents kept by id keep their state and today's counters; new agents log
 * in unless `loggedInAtStart: false`; removed agents stop ringing and are logged out.
 */
import type { Acd } from './acd.js';
import type { AgentDef, PauseReason, QueueDef } from './types.js';

export interface AcdConfig {
  queues: QueueDef[];
  agents: AgentDef[];
  pauseReasons?: PauseReason[];
}

export function reconfigureAcd(acd: Acd, c: AcdConfig): void {
  acd.queues.clear();
  for (const q of c.queues) acd.queues.set(q.id, q);
  const { added, removed } = acd.agents.reconfigure(c.agents, c.pauseReasons ?? []);
  for (const a of removed) {
    acd.dispatcher.withdrawAll(a);
    acd.agents.set(a, 'loggedOut', 'removed', null);
    acd.agents.remove(a.id);
  }
  for (const a of added) if (a.loggedInAtStart !== false) acd.agents.set(a, 'available', null, null);
  acd.dispatcher.agentFreed();
  acd.dispatcher.dispatch();
}

/** Read-only views of the ACD for the service API, the wallboard and announcements. */
import type { Entry } from './entry.js';
import type { AgentState, QueueDef, QueueView } from './types.js';

type StateOf = (agentId: string) => AgentState | undefined;

export function queuesView(queues: QueueDef[], entries: readonly Entry[], stateOf: StateOf, now: number): QueueView[] {
  return queues.map((q) => {
    const waiting = entries.filter((e) => e.queue.id === q.id && !e.callback);
    const agents: Record<AgentState, number> = { loggedOut: 0, available: 0, ringing: 0, onCall: 0, wrapUp: 0, paused: 0 };
    for (const id of q.members) {
      const s = stateOf(id);
      if (s) agents[s]++;
    }
    const oldest = waiting.reduce((m, e) => Math.min(m, e.enqueuedAt), now);
    return {
      id: q.id,
      name: q.name,
      strategy: q.strategy,
      waiting: waiting.length,
      callbacks: entries.filter((e) => e.queue.id === q.id && e.callback).length,
      longestWaitS: Math.round((now - oldest) / 1000),
      agents,
    };
  });
}

/** Members who are working (not logged out, not paused). */
export function staffedCount(q: QueueDef, stateOf: StateOf): number {
  return q.members.filter((id) => {
    const s = stateOf(id);
    return s === 'available' || s === 'ringing' || s === 'onCall' || s === 'wrapUp';
  }).length;
}

/**
 * Who gets the next call: each strategy ranks the free, eligible agents of a queue. The ACD offers
 * the first (or, for ring-all, every one). Ties fall back to longest idle, so rankings are stable.
 */
import type { Agent } from './agent-book.js';
import type { QueueDef, QueueStrategy } from './types.js';

export interface RankContext {
  /** Index in queue.members of the agent offered last (round robin memory), -1 for none. */
  lastIndex: number;
  /** Uniform [0, 1) random numbers (seeded by the ACD, so runs repeat). */
  random: () => number;
}

const byIdle = (a: Agent, b: Agent) => a.idleSince - b.idleSince;

export function skillScore(agent: Agent, queue: QueueDef): number {
  let sum = 0;
  for (const s of queue.skills ?? []) sum += agent.skills?.[s] ?? 0;
  return sum;
}

/** Whether the agent has every skill the queue requires. */
export function hasSkills(agent: Agent, queue: QueueDef): boolean {
  return (queue.skills ?? []).every((s) => (agent.skills?.[s] ?? 0) > 0);
}

export function rank(strategy: QueueStrategy, free: Agent[], queue: QueueDef, ctx: RankContext): Agent[] {
  const list = free.slice();
  const idx = (a: Agent) => queue.members.indexOf(a.id);
  switch (strategy) {
    case 'ringAll':
    case 'longestIdle':
      return list.sort(byIdle);
    case 'fewestCalls':
      return list.sort((a, b) => a.callsToday - b.callsToday || byIdle(a, b));
    case 'leastTalkTime':
      return list.sort((a, b) => a.talkTodayMs - b.talkTodayMs || byIdle(a, b));
    case 'linear':
      return list.sort((a, b) => idx(a) - idx(b));
    case 'roundRobin': {
      const n = queue.members.length;
      const after = (a: Agent) => (idx(a) - ctx.lastIndex - 1 + n) % n;
      return list.sort((a, b) => after(a) - after(b));
    }
    case 'random': {
      for (let i = list.length - 1; i > 0; i--) {
        const j = Math.floor(ctx.random() * (i + 1));
        [list[i], list[j]] = [list[j] as Agent, list[i] as Agent];
      }
      return list;
    }
    case 'skillsWeighted':
      return list.sort((a, b) => skillScore(b, queue) - skillScore(a, queue) || byIdle(a, b));
  }
}

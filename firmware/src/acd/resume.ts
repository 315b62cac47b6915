/**
 * Abandoned-call resume (放弃续排): a caller who hung up while waiting and calls again within the
 * queue's `resume.windowMin` rejoins that queue at the place of their first entry (their first
 * arrival orders them among callers of the same priority), ahead of everyone who came after it.
 * Kept in memory by caller number and queue: a restart forgets it (documented in docs/config.md).
 */

/** Default window when a queue has `resume` without `windowMin`. */
export const RESUME_WINDOW_MIN = 10;
/** Forget expired abandons once this many are remembered. */
const PRUNE_AT = 1000;

export interface Abandoned {
  /** The call that abandoned (the first call, or itself a resumed one). */
  callId: string;
  queue: string;
  /** The first entry's ordering time, carried over from call to call. */
  since: number;
  priority: number;
  /** When the caller hung up. */
  at: number;
  /** Until when a new call from the number resumes (ms). */
  until: number;
}

export class AbandonMemory {
  private readonly byKey = new Map<string, Abandoned>();

  remember(caller: string, a: Abandoned): void {
    if (this.byKey.size >= PRUNE_AT) this.prune(a.at);
    this.byKey.set(key(caller, a.queue), a);
  }

  /** The caller's abandon in `queue`, still inside its window at `now`, taken out (used once). */
  take(caller: string, queue: string, now: number): Abandoned | null {
    const k = key(caller, queue);
    const a = this.byKey.get(k);
    if (!a) return null;
    this.byKey.delete(k);
    return now <= a.until ? a : null;
  }

  /** The caller's most recent abandon still inside its window, in any queue (not taken). */
  latest(caller: string, now: number): Abandoned | null {
    let best: Abandoned | null = null;
    for (const [k, a] of this.byKey) {
      if (!k.startsWith(`${caller}\u0000`) || now > a.until) continue;
      if (!best || a.at > best.at) best = a;
    }
    return best;
  }

  private prune(now: number): void {
    for (const [k, a] of this.byKey) if (now > a.until) this.byKey.delete(k);
  }
}

function key(caller: string, queue: string): string {
  return `${caller}\u0000${queue}`;
}

/**
 * The waiting calls of every queue in one list, in dispatch order: priority first, then `since`
 * (arrival, or the first arrival of a resumed abandoned call). Positions are counted per queue.
 */
import type { Entry } from './entry.js';

export class WaitingList {
  readonly entries: Entry[] = [];

  find(callId: string): Entry | undefined {
    return this.entries.find((e) => e.callId === callId);
  }

  /** Position (1 = next) of the entry among the waiting calls of its queue. */
  position(entry: Entry): number {
    let n = 0;
    for (const e of this.entries) {
      if (e.queue.id === entry.queue.id) n++;
      if (e === entry) return n;
    }
    return n;
  }

  /** Insert by priority, then `since`; equal keys keep arrival order (the newcomer goes last). */
  insert(entry: Entry): void {
    let i = this.entries.findIndex((e) => e.priority < entry.priority || (e.priority === entry.priority && e.since > entry.since));
    if (i < 0) i = this.entries.length;
    this.entries.splice(i, 0, entry);
  }

  /** Put the entry first (a callback trying again). */
  first(entry: Entry): void {
    this.entries.unshift(entry);
  }

  /** Take the entry out; false when it was not in the list. */
  remove(entry: Entry): boolean {
    const i = this.entries.indexOf(entry);
    if (i < 0) return false;
    this.entries.splice(i, 1);
    return true;
  }

  /** Empty the list, returning what was in it. */
  clear(): Entry[] {
    return this.entries.splice(0);
  }
}

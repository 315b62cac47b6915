/**
 * Which queue entries are new, as queue_log's TRANSFER counts them: a transferred call entering a
 * queue it was already in is a repeat (not offered there again, the end of its wait there not
 * counted again); every other entry is new, an overflow's too. The KPIs (compute.ts) and the
 * staffing advice's demand (erlang.ts) both ask here, so they count the same entries. Fed in seq
 * order; `ended` forgets a call.
 */
export class QueueEntries {
  private readonly entered = new Map<string, Set<string>>();
  private readonly transferred = new Set<string>();

  /** The call was transferred: its later entries into queues it was in are repeats. */
  transfer(callId: string): void {
    this.transferred.add(callId);
  }

  /** The call entered `queue`: true when that repeats an entry (after a transfer). */
  enter(callId: string, queue: string): boolean {
    let seen = this.entered.get(callId);
    if (seen === undefined) {
      seen = new Set();
      this.entered.set(callId, seen);
    }
    const repeat = this.transferred.has(callId) && seen.has(queue);
    seen.add(queue);
    return repeat;
  }

  ended(callId: string): void {
    this.entered.delete(callId);
    this.transferred.delete(callId);
  }
}

/** Recent handle times (talk + wrap-up, ms) per queue: the average handle time behind the estimated wait. */
export const AHT_WINDOW = 20;
/** The guess before any call of the queue has completed. */
export const DEFAULT_AHT_S = 120;

export class HandleTimes {
  private readonly byQueue = new Map<string, number[]>();

  add(queue: string, ms: number): void {
    const list = this.byQueue.get(queue) ?? [];
    list.push(ms);
    if (list.length > AHT_WINDOW) list.shift();
    this.byQueue.set(queue, list);
  }

  /** Seed from the event log (oldest first), so the estimate is right after a restart. */
  seed(byQueue: Map<string, number[]>): void {
    for (const [q, list] of byQueue) this.byQueue.set(q, list.slice(-AHT_WINDOW));
  }

  ahtS(queue: string): number {
    const h = this.byQueue.get(queue);
    if (!h || h.length === 0) return DEFAULT_AHT_S;
    return h.reduce((a, b) => a + b, 0) / h.length / 1000;
  }
}

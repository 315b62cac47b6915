/**
 * A small typed event emitter. Listener errors are caught and reported to the emitter's onError
 * hook (by default rethrown asynchronously) so one failing subscriber cannot break the emitter's
 * other subscribers or the driver that emitted.
 */
export type EventMap = { [name: string]: unknown };
export type Listener<T> = (payload: T) => void;

export class TypedEmitter<E extends EventMap> {
  private listeners: { [K in keyof E]?: Listener<E[K]>[] } = {};
  /** Called when a listener throws. */
  onListenerError: (err: unknown, event: string) => void = (err) => {
    queueMicrotask(() => {
      throw err;
    });
  };

  on<K extends keyof E>(event: K, fn: Listener<E[K]>): () => void {
    const list = this.listeners[event] ?? [];
    list.push(fn);
    this.listeners[event] = list;
    return () => this.off(event, fn);
  }

  once<K extends keyof E>(event: K, fn: Listener<E[K]>): () => void {
    const off = this.on(event, (p) => {
      off();
      fn(p);
    });
    return off;
  }

  off<K extends keyof E>(event: K, fn: Listener<E[K]>): void {
    const list = this.listeners[event];
    if (!list) return;
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  }

  emit<K extends keyof E>(event: K, payload: E[K]): void {
    const list = this.listeners[event];
    if (!list || list.length === 0) return;
    for (const fn of list.slice()) {
      try {
        fn(payload);
      } catch (err) {
        this.onListenerError(err, String(event));
      }
    }
  }

  listenerCount<K extends keyof E>(event: K): number {
    return this.listeners[event]?.length ?? 0;
  }
}

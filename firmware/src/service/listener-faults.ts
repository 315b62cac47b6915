/**
 * Listener faults: a subscriber of a channel's (or the call engine's) events that threw. The
 * emitter (hal/src/events.ts TypedEmitter) catches the error and the other listeners still run;
 * the box hands it here (Box wires each emitter's onListenerError), which logs it and keeps the
 * last fault per subject for the health alarms (LISTENER_FAILED). A listener bug does not go away
 * by itself, so the alarm stays until no new fault came for `clearAfterMs` (default 1 hour).
 */
import type { Logger } from 'pino';

export interface ListenerFault {
  /** A channel id, or 'calls' for the call engine's events. */
  subject: string;
  event: string;
  message: string;
  /** Wall time (ms) of the first fault of this run, and of the last. */
  firstAt: number;
  lastAt: number;
  count: number;
}

export class ListenerFaults {
  private faults = new Map<string, ListenerFault>();

  constructor(
    private readonly now: () => number,
    private readonly log: Logger,
    private readonly clearAfterMs = 3_600_000,
  ) {}

  /** An error hook for one emitter: `emitter.onListenerError = faults.hook('fxo1')`. */
  hook(subject: string): (err: unknown, event: string) => void {
    return (err, event) => this.report(subject, event, err);
  }

  report(subject: string, event: string, err: unknown): void {
    const at = this.now();
    const message = err instanceof Error ? err.message : String(err);
    const prev = this.current().find((f) => f.subject === subject);
    const fault: ListenerFault = prev
      ? { ...prev, event, message, lastAt: at, count: prev.count + 1 }
      : { subject, event, message, firstAt: at, lastAt: at, count: 1 };
    this.faults.set(subject, fault);
    // every fault of a burst would flood the log: the first, then every 100th
    if (fault.count === 1 || fault.count % 100 === 0)
      this.log.error({ err, subject, event, count: fault.count }, `a listener of ${subject} '${event}' events threw: ${message}`);
  }

  /** The faults seen within clearAfterMs (older ones are dropped). */
  current(): ListenerFault[] {
    const now = this.now();
    for (const [k, f] of this.faults) if (Math.abs(now - f.lastAt) > this.clearAfterMs) this.faults.delete(k);
    return [...this.faults.values()];
  }
}

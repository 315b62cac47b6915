/**
 * Wrap-up (话后处理) after a call, and the hold for a required call result (通话小结): an agent whose
 * call came from a queue with `dispositionRequired` stays in wrap-up past the queue's wrapUpS until
 * a result is set for the call (`settle`), at most DISPOSITION_HOLD_MAX_S more; then the port is
 * told (`onTimeout`: the engine records the code `none`) and the agent is available.
 *
 * An agent who lifts the handset during wrap-up (to dial `*4N`) stays in wrap-up: no call is offered
 * in wrap-up anyway. If wrap-up ends while the handset is still off hook, the agent goes on call
 * (`offHook`), never available: a phone off hook is never offered a call.
 */
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import type { Agent, AgentBook } from './agent-book.js';
import type { QueueDef } from './types.js';

/** Longest hold for a required call result after the queue's wrap-up time. */
export const DISPOSITION_HOLD_MAX_S = 300;

export class WrapUpHold {
  /** Agents whose current or last call needs a result that is not set yet. */
  private readonly owed = new Set<string>();
  private readonly held = new Map<string, TimerHandle>();
  private readonly offHook = new Set<string>();
  /** A held agent set no result in time (the engine records `none` on their call). */
  onTimeout: ((agentId: string) => void) | null = null;

  constructor(
    private readonly agents: AgentBook,
    private readonly clock: Clock,
    private readonly dispatch: () => void,
  ) {}

  /** The agent answered a call of `queue`: a result is owed when the queue requires one. */
  owe(agentId: string, queue: QueueDef): void {
    this.settle(agentId);
    if (queue.dispositionRequired) this.owed.add(agentId);
  }

  /** A result was set for the agent's call: a hold on them ends (wrap-up is over then). */
  settle(agentId: string): void {
    this.owed.delete(agentId);
    const t = this.held.get(agentId);
    if (!t) return;
    t.cancel();
    this.held.delete(agentId);
    const a = this.agents.get(agentId);
    if (a?.state === 'wrapUp') this.release(a);
  }

  /** The agent's phone is down after a call: wrap-up for `s` seconds, longer while a result is owed. */
  start(a: Agent, s: number): void {
    this.offHook.delete(a.id);
    if (s <= 0 && !this.owed.has(a.id)) {
      this.release(a);
      return;
    }
    this.agents.set(a, 'wrapUp', null, null);
    if (s <= 0) {
      this.end(a);
      return;
    }
    a.timer = this.clock.setTimeout(() => {
      a.timer = null;
      if (a.state === 'wrapUp') this.end(a);
    }, s * 1000);
  }

  /** The handset went off hook while not on a call: false when the caller should treat the agent as busy. */
  phoneBusy(a: Agent): boolean {
    if (a.state !== 'wrapUp') return false;
    this.offHook.add(a.id);
    return true;
  }

  phoneDown(agentId: string): void {
    this.offHook.delete(agentId);
  }

  isHeld(agentId: string): boolean {
    return this.held.has(agentId);
  }

  stop(): void {
    for (const t of this.held.values()) t.cancel();
    this.held.clear();
  }

  private end(a: Agent): void {
    if (!this.owed.has(a.id)) {
      this.release(a);
      return;
    }
    this.held.set(
      a.id,
      this.clock.setTimeout(() => {
        this.held.delete(a.id);
        this.owed.delete(a.id);
        this.onTimeout?.(a.id);
        if (a.state === 'wrapUp') this.release(a);
      }, DISPOSITION_HOLD_MAX_S * 1000),
    );
  }

  private release(a: Agent): void {
    if (this.offHook.has(a.id)) this.agents.set(a, 'onCall', 'offHook', null);
    else this.agents.set(a, 'available', null, null);
    this.dispatch();
  }
}

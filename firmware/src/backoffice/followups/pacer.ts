/**
 * When the follow-up dialer runs a pass (desk.ts `tick`). At once on what can make an offer
 * possible — an agent becomes available in the ACD (`agent.state` → available: logged in, wrap-up
 * over, back from a pause, a call over), a call ends (a line is free again), an offer is skipped or
 * ends, items are added, a list is started — coalesced: the events of one turn of the event loop
 * (KICK_DELAY_MS) make one pass. At an offer's expiry, so an unanswered offer goes to the next
 * agent at once. And every TICK_MS, the safety net for what no event says (a phone hung up without
 * a state change, an item's due time reached).
 */
import type { Clock, TimerHandle } from '../../../../hal/src/clock.js';
import type { BackOfficeDeps } from '../common/deps.js';

/** The safety-net pass. */
export const TICK_MS = 5_000;
/** A kick runs its pass after this (0: after the current turn): the kicks of one turn share it. */
export const KICK_DELAY_MS = 0;

export class DialerPacer {
  private interval: TimerHandle | null = null;
  private kicked: TimerHandle | null = null;
  private wake: { at: number; timer: TimerHandle } | null = null;
  private unhook: (() => void) | null = null;
  /** Passes run by kicks and wake-ups (not the safety net's). */
  kickedPasses = 0;

  constructor(
    private readonly clock: Clock,
    private readonly engineEvents: BackOfficeDeps['engineEvents'],
    private readonly pass: () => void,
  ) {}

  get running(): boolean {
    return this.interval !== null;
  }

  start(): void {
    this.stop();
    this.interval = this.clock.setInterval(this.pass, TICK_MS);
    this.unhook = this.engineEvents.on('event', (e) => {
      if (e.type === 'call.ended' || (e.type === 'agent.state' && (e.data as { state?: string }).state === 'available')) this.kick();
    });
  }

  stop(): void {
    for (const t of [this.interval, this.kicked, this.wake?.timer]) t?.cancel();
    this.interval = this.kicked = this.wake = null;
    this.unhook?.();
    this.unhook = null;
  }

  /** A pass soon (coalesced); nothing while the dialer is stopped. */
  kick(): void {
    if (!this.interval || this.kicked) return;
    this.kicked = this.clock.setTimeout(() => {
      this.kicked = null;
      this.kickedPasses++;
      this.pass();
    }, KICK_DELAY_MS);
  }

  /** A pass at `at` (epoch ms, the clock's now()): the earliest asked for is kept. */
  wakeAt(at: number): void {
    if (!this.interval || (this.wake && this.wake.at <= at)) return;
    this.wake?.timer.cancel();
    const timer = this.clock.setTimeout(
      () => {
        this.wake = null;
        this.kick();
      },
      Math.max(0, at - this.clock.now()),
    );
    this.wake = { at, timer };
  }
}

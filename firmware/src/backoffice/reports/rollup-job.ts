/**
 * Keeps the hourly roll-ups current on a running box: a small batch of closed hours per tick (a
 * few milliseconds of work, so calls and audio never wait long), every second while behind — after
 * an upgrade, a restart or a late event — then once every ten minutes. The work itself is
 * RollupStore.step: each batch commits with its watermark, so a restart resumes where it stopped.
 */
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../../../hal/src/clock.js';
import type { Config } from '../../config/schema.js';
import type { Database } from '../../store/db.js';
import { RollupStore } from './rollup-store.js';

/** Hours per tick on a running box. */
export const TICK_HOURS = 6;
const BEHIND_MS = 1000;
const IDLE_MS = 10 * 60_000;

export class ReportRollups {
  private timer: TimerHandle | null = null;
  private store: RollupStore | null = null;

  constructor(private readonly deps: { db: Database; clock: Clock; log: Logger; config: () => Config }) {}

  start(): void {
    this.stop();
    this.schedule(0);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  /** One batch now; returns the hours rolled up (0: up to date). */
  tick(maxHours = TICK_HOURS): number {
    this.store ??= new RollupStore(this.deps.db);
    return this.store.step(this.deps.clock.now(), this.deps.config().lines.length, maxHours);
  }

  /** Everything closed, now (tests, the bench, a maintenance command). */
  catchUp(): number {
    this.store ??= new RollupStore(this.deps.db);
    return this.store.catchUp(this.deps.clock.now(), this.deps.config().lines.length);
  }

  private schedule(ms: number): void {
    this.timer = this.deps.clock.setTimeout(() => {
      let n = 0;
      try {
        n = this.tick();
      } catch (err) {
        this.deps.log.error({ err: err instanceof Error ? err.stack : String(err) }, 'report roll-up failed');
      }
      if (this.timer) this.schedule(n > 0 ? BEHIND_MS : IDLE_MS);
    }, ms);
  }
}

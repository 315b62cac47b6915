/**
 * The recorder's life in the box: at start, repair the files a crash left open and apply the
 * retention rules; then apply them again every hour; at stop, let pending writes finish.
 */
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import type { Module } from '../modules.js';
import type { Recorder } from './recorder.js';

const RETENTION_EVERY_MS = 3_600_000;

export class RecorderModule implements Module {
  readonly name = 'recorder';
  private timer: TimerHandle | null = null;

  constructor(
    private readonly recorder: Recorder,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const repair = await this.recorder.repairOnStart();
    if (repair.repaired || repair.missing) this.log.warn(repair, 'recordings left open by an unclean stop were repaired');
    await this.retention();
    this.timer = this.clock.setInterval(() => {
      this.retention().catch((err: unknown) => this.log.error({ err: String(err) }, 'recording retention failed'));
    }, RETENTION_EVERY_MS);
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    await this.recorder.drain();
  }

  private async retention(): Promise<void> {
    const r = await this.recorder.enforceRetention();
    if (r.deleted) this.log.info(r, 'old recordings deleted (retention / quota)');
  }
}

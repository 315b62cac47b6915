/**
 * Demo traffic: simulated customers arriving as a Poisson process (exponential gaps at a rate per
 * hour), each calling a free line with a random mainland mobile number, mostly pressing 1 for the
 * queue, and staying on the line for a wait plus an exponentially distributed talk time.
 * Seeded, so a demo or a test run is repeatable.
 */
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import type { SimControl } from '../service/types.js';

export interface TrafficOptions {
  callsPerHour: number;
  meanTalkS: number;
  lines: () => string[];
  seed?: number;
}

export class TrafficGenerator {
  private timer: TimerHandle | null = null;
  private rng: number;
  placed = 0;
  skipped = 0;

  constructor(
    private readonly sim: SimControl,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly opts: TrafficOptions,
  ) {
    this.rng = (opts.seed ?? 20261126) >>> 0 || 1;
  }

  start(): void {
    this.scheduleNext();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private scheduleNext(): void {
    const meanGapMs = 3_600_000 / Math.max(0.001, this.opts.callsPerHour);
    this.timer = this.clock.setTimeout(
      () => {
        this.arrive();
        this.scheduleNext();
      },
      Math.round(this.exp(meanGapMs)),
    );
  }

  private arrive(): void {
    const lines = this.opts.lines();
    if (lines.length === 0) {
      this.skipped++;
      return;
    }
    const channel = lines[Math.floor(this.uniform() * lines.length)] as string;
    const prefix = ['138', '139', '186', '150', '177', '135'][Math.floor(this.uniform() * 6)] as string;
    const callerId = prefix + String(Math.floor(this.uniform() * 1e8)).padStart(8, '0');
    const digits = this.uniform() < 0.9 ? '1' : '';
    const hangupAfterS = Math.round(15 + this.exp(this.opts.meanTalkS * 1000) / 1000);
    this.sim.placeCall({ channel, callerId, digits, hangupAfterS }).then(
      () => {
        this.placed++;
      },
      (err: unknown) => {
        this.skipped++;
        this.log.debug({ err: String(err) }, 'demo call not placed');
      },
    );
  }

  private uniform(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng / 0x1_0000_0000;
  }

  private exp(mean: number): number {
    return -Math.log(1 - this.uniform()) * mean;
  }
}

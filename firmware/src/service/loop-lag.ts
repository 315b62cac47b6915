/**
 * Event-loop lag, the figure that says whether audio frames and timers run on time. Percentiles
 * come from the last complete window (so a scrape sees a stable recent figure), or from the current
 * window before the first one completes.
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

export interface LagFigures {
  p50S: number;
  p99S: number;
  maxS: number;
}

export class LoopLagMonitor {
  private hist: IntervalHistogram | null = null;
  private timer: NodeJS.Timeout | null = null;
  private last: LagFigures | null = null;

  constructor(private readonly windowMs = 10_000) {}

  start(): void {
    this.hist = monitorEventLoopDelay({ resolution: 10 });
    this.hist.enable();
    this.timer = setInterval(() => this.rotate(), this.windowMs);
    this.timer.unref();
  }

  stop(): void {
    this.hist?.disable();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  figures(): LagFigures {
    return this.last ?? this.read();
  }

  private rotate(): void {
    this.last = this.read();
    this.hist?.reset();
  }

  private read(): LagFigures {
    const h = this.hist;
    if (!h || h.count === 0) return { p50S: 0, p99S: 0, maxS: 0 };
    // The histogram includes the sampling interval itself; subtract it to get the lag.
    const res = 10e6;
    const lag = (ns: number) => Math.max(0, ns - res) / 1e9;
    return { p50S: lag(h.percentile(50)), p99S: lag(h.percentile(99)), maxS: lag(h.max) };
  }
}

/** `tel` (QoS 0, not retained): what the fleet dashboard plots, every telemetryIntervalS. */
import { statfsSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { TelemetryFigures } from './host.js';

export interface TelemetryMessage extends TelemetryFigures {
  ts: string;
  cpuPercent: number;
  load1: number;
  rssBytes: number;
  diskFreeBytes: number | null;
  diskTotalBytes: number | null;
  outboxDepth: number;
  outboxAlarm: boolean;
}

export function diskFigures(dir: string | null): { freeBytes: number | null; totalBytes: number | null } {
  if (!dir) return { freeBytes: null, totalBytes: null };
  try {
    const s = statfsSync(dir);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  } catch {
    return { freeBytes: null, totalBytes: null };
  }
}

/** CPU use of this process between calls, in percent of one core. */
export class CpuMeter {
  private last = process.cpuUsage();
  private lastAt = performance.now();

  percent(): number {
    const now = performance.now();
    const d = process.cpuUsage(this.last);
    const ms = now - this.lastAt;
    this.last = process.cpuUsage();
    this.lastAt = now;
    return ms > 0 ? Math.round(((d.user + d.system) / 1000 / ms) * 1000) / 10 : 0;
  }
}

export function telemetryMessage(
  figures: TelemetryFigures,
  o: { now: number; cpu: CpuMeter; dataDir: string | null; outboxDepth: number; outboxAlarm: boolean },
): TelemetryMessage {
  const disk = diskFigures(o.dataDir);
  return {
    ts: new Date(o.now).toISOString(),
    ...figures,
    cpuPercent: o.cpu.percent(),
    load1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    rssBytes: process.memoryUsage().rss,
    diskFreeBytes: disk.freeBytes,
    diskTotalBytes: disk.totalBytes,
    outboxDepth: o.outboxDepth,
    outboxAlarm: o.outboxAlarm,
  };
}

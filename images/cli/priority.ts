/**
 * The box asks the kernel to schedule it ahead of ordinary work: it answers calls and moves audio
 * every 20 ms, and a screen pop or a report should not wait behind a backup or an update. Measured
 * (bench/results/backoffice.json, screenPop.causes): on a loaded machine every screen pop slower
 * than 1 ms had been preempted by another process (involuntary context switches), none was slowed
 * by GC or statement preparation; at nice -5 the preemptions and the p99 drop. Needs root or
 * CAP_SYS_NICE (the box's service runs as root); otherwise the box runs as it is, with a warning.
 * CALLBOX_NICE sets the value (-20..19, default -5; 0 leaves the priority alone).
 */
import { setPriority } from 'node:os';
import type { Logger } from 'pino';

export const DEFAULT_NICE = -5;

export function raisePriority(log: Logger, env: NodeJS.ProcessEnv = process.env): number | null {
  const raw = env.CALLBOX_NICE;
  const nice = raw === undefined || raw === '' ? DEFAULT_NICE : Number(raw);
  if (!Number.isInteger(nice) || nice < -20 || nice > 19) {
    log.warn({ CALLBOX_NICE: raw }, 'CALLBOX_NICE must be an integer from -20 to 19; priority left alone');
    return null;
  }
  if (nice === 0) return null;
  try {
    setPriority(0, nice);
    return nice;
  } catch (err) {
    log.warn(
      { nice, err: err instanceof Error ? err.message : String(err) },
      'could not raise the process priority (needs root or CAP_SYS_NICE)',
    );
    return null;
  }
}

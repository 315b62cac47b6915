/**
 * Real-time waits of the integration tests. A deadline is given as what an idle machine needs and
 * stretched by the machine's load when it is judged (`scaled`): a CI run on an overloaded machine
 * is slow, not failing, while a real hang still fails, after at most MAX_STRETCH times the wait.
 */
import { availableParallelism, loadavg } from 'node:os';

/** The most a deadline is stretched: a wait that is still not over by then is a hang. */
export const MAX_STRETCH = 4;

/**
 * `ms` as this machine needs it now: unchanged while the 1-minute load average is at most one
 * runnable process per core, stretched in proportion above that, at most MAX_STRETCH times.
 */
export function scaled(ms: number, load = loadavg()[0] ?? 0, cores = availableParallelism()): number {
  const stretch = Math.min(MAX_STRETCH, Math.max(1, load / Math.max(1, cores)));
  return Math.round(ms * stretch);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Whether `ok()` comes to hold, looking every `every` ms: true as soon as it does, false once `ms`
 * (scaled by the load at that moment) has passed without it; for `t.ok(await within(...), what)`.
 */
export async function within(ok: () => boolean, ms: number, every = 10): Promise<boolean> {
  const start = Date.now();
  while (!ok()) {
    const waited = Date.now() - start;
    if (waited > ms && waited > scaled(ms)) return ok();
    await sleep(every);
  }
  return true;
}

/** Waits until `ok()` holds, or throws naming `what` (the deadline as `within`'s). */
export async function until(what: string, ok: () => boolean, ms = 5000, every = 10): Promise<void> {
  const start = Date.now();
  if (!(await within(ok, ms, every))) throw new Error(`timed out after ${Date.now() - start} ms waiting for ${what}`);
}

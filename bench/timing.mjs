// Timing helpers of the in-process benchmarks: wall and CPU time of one call, running a call at a
// given nice level, and telling why a slow call was slow (a V8 GC pause overlapping it, or the
// kernel taking the core away during it).
import { getPriority, setPriority } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { pct, r2 } from './lib.mjs';

/** [wall ms, result] of one call. */
export function time(fn) {
  const s = performance.now();
  const out = fn();
  return [performance.now() - s, out];
}

/** [wall ms, CPU (user + system) ms] of one call. */
export function timeCpu(fn) {
  const c = process.cpuUsage();
  const s = performance.now();
  fn();
  const u = process.cpuUsage(c);
  return [performance.now() - s, (u.user + u.system) / 1000];
}

/** The process's nice level when this module loaded: what `atPriority` returns to. */
export const basePriority = getPriority(0);

/** Sets this process's nice level; false (level kept) when not allowed, as a negative one without root. */
export function setNice(nice) {
  try {
    setPriority(0, nice);
    return true;
  } catch {
    return false;
  }
}

/** `fn()` run at nice level `nice`, then back at `basePriority`. */
export function atPriority(nice, fn) {
  setNice(nice);
  try {
    return fn();
  } finally {
    setNice(basePriority);
  }
}

/**
 * Records the GC pauses from now on, and times calls with the involuntary context switches they
 * suffered: `timed(i, fn)` gives { i, s, e, preempted }; after `stop()`, `causes(whys)` sorts the
 * slow ones (>= 1 ms) by GC, preemption or neither.
 */
export function slowCallWatch() {
  const gcs = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push([e.startTime, e.startTime + e.duration]);
  });
  obs.observe({ entryTypes: ['gc'] });
  const withGc = (w) => gcs.some(([a, b]) => a < w.e && b > w.s);
  return {
    /** How many GC pauses were seen. */
    get pauses() {
      return gcs.length;
    },
    timed(i, fn) {
      const cs = process.resourceUsage().involuntaryContextSwitches;
      const s = performance.now();
      fn();
      const e = performance.now();
      return { i, s, e, preempted: process.resourceUsage().involuntaryContextSwitches - cs };
    },
    async stop() {
      await new Promise((r) => setTimeout(r, 100)); // GC entries arrive asynchronously
      obs.disconnect();
    },
    causes(whys) {
      const slow = whys.filter((w) => w.e - w.s >= 1);
      const clean = whys.filter((w) => !withGc(w) && w.preempted === 0).map((w) => w.e - w.s);
      return {
        slowOver1Ms: slow.length,
        gcDuring: slow.filter(withGc).length,
        preemptedDuring: slow.filter((w) => w.preempted > 0).length,
        neither: slow.filter((w) => !withGc(w) && w.preempted === 0).length,
        inFirst100: slow.filter((w) => w.i < 100).length,
        p99WithoutGcOrPreemptionMs: r2(pct(clean, 99) * 1000) / 1000,
      };
    },
  };
}

// Pure helpers of the soak (bench/soak.mjs): the least-squares slope of samples and the event-loop
// lag p99 read from the box's /metrics text.

/** Least-squares slope of [x, y] points (y per unit of x); 0 with fewer than 2 distinct x. */
export function fitSlope(points) {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

/** callbox_event_loop_lag_seconds{quantile="0.99"} from a Prometheus exposition, or NaN. */
export function parseLagP99(text) {
  const m = /^callbox_event_loop_lag_seconds\{quantile="0\.99"\} (\S+)$/m.exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

/**
 * The RSS split of /proc/<pid>/status text in bytes: anonymous (heaps, V8, malloc, SQLite's cache)
 * and file-backed (the node binary and shared libraries as their pages are first touched). NaN for
 * a field that is missing.
 */
export function parseRssSplit(statusText) {
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(statusText)?.[1] ?? Number.NaN) * 1024;
  return { rssAnonBytes: kb('RssAnon'), rssFileBytes: kb('RssFile') };
}

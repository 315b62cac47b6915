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

const ARENA_BYTES = 64 * 1048576; // glibc's HEAP_MAX_SIZE on 64-bit: a thread arena's heap, 64 MB aligned

/**
 * The anonymous RSS of /proc/<pid>/smaps text in bytes, by who holds it: `brk` (glibc's main malloc
 * arena, `[heap]`), `threadArenas` (glibc's per-thread arenas: anonymous read-write mappings that
 * start on a 64 MB boundary and are at most 64 MB — the heuristic can take a V8 page that happens
 * to be so aligned), `stacks` (`[stack]`), `otherAnon` (the rest: V8's heap and code pages, mmap'd
 * large mallocs, thread stacks), and `file` (file-backed). `arenaCount` counts the thread arenas.
 */
export function classifySmaps(smapsText) {
  const out = { brk: 0, threadArenas: 0, arenaCount: 0, stacks: 0, otherAnon: 0, file: 0 };
  let cur = null;
  const flush = () => {
    if (!cur || cur.rss === 0) return;
    if (cur.name === '[heap]') out.brk += cur.rss;
    else if (cur.name === '[stack]') out.stacks += cur.rss;
    else if (cur.name.startsWith('/')) out.file += cur.rss;
    // [vdso], [vvar], [vsyscall]: the kernel's pages, a few kB, in no bucket. A named anonymous
    // mapping ([anon:…], prctl PR_SET_VMA_ANON_NAME; glibc names its own with the tunable
    // glibc.mem.decorate_maps) is anonymous memory like an unnamed one.
    else if (cur.name.startsWith('[') && !cur.name.startsWith('[anon:')) return;
    else if (cur.name.startsWith('[anon: glibc: malloc arena]')) {
      out.threadArenas += cur.rss;
      out.arenaCount++;
    } else if (
      !cur.name.startsWith('[anon:') &&
      cur.perms.startsWith('rw') &&
      cur.start % ARENA_BYTES === 0 &&
      cur.end - cur.start <= ARENA_BYTES
    ) {
      out.threadArenas += cur.rss;
      out.arenaCount++;
    } else out.otherAnon += cur.rss;
  };
  for (const line of smapsText.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      flush();
      cur = { start: Number.parseInt(head[1], 16), end: Number.parseInt(head[2], 16), perms: head[3], name: head[4].trim(), rss: 0 };
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB$/.exec(line);
    if (rss && cur) cur.rss = Number(rss[1]) * 1024;
  }
  flush();
  return out;
}

/**
 * The `Environment=NAME=VALUE` settings of a systemd unit's text (images/systemd/callbox.service),
 * so the soak runs the box with the memory settings it has in the field. Quoted values
 * (`Environment="A=b c"`) and several settings on one line are split as systemd does for the
 * simple cases; `EnvironmentFile=` is not read.
 */
export function unitEnvironment(unitText) {
  const env = {};
  for (const line of unitText.split('\n')) {
    const m = /^Environment=(.*)$/.exec(line.trim());
    if (!m) continue;
    for (const [, quoted, bare] of m[1].matchAll(/"([^"]*)"|(\S+)/g)) {
      const item = quoted ?? bare;
      const eq = item.indexOf('=');
      if (eq > 0) env[item.slice(0, eq)] = item.slice(eq + 1);
    }
  }
  return env;
}

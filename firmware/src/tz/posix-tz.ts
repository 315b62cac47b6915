/**
 * POSIX TZ strings, as in the footer of a TZif file (RFC 8536 §3.3): `CST-8`, `EST5EDT,M3.2.0,M11.1.0`,
 * `<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45`, `IST-1GMT0,M10.5.0,M3.5.0/1` (negative DST),
 * `<-04>4<-03>,M9.1.6/24,M4.1.6/24` (hours past 24, RFC 8536's extension). Rules may be `Mm.w.d`,
 * `Jn` (1..365, 29 Feb never counted) or `n` (0..365). Offsets here are seconds EAST of UTC (the
 * POSIX sign is the other way round).
 */

export interface PosixRule {
  /** Standard time's offset, seconds east of UTC. */
  std: number;
  /** Daylight time's offset and when it starts/ends (local times, seconds into the year's rule day). */
  dst: { offset: number; start: RuleDate; end: RuleDate } | null;
}

type RuleDate = { kind: 'M'; month: number; week: number; weekday: number; time: number } | { kind: 'J' | 'n'; day: number; time: number };

const DAY_S = 86_400;

/** Parses a TZ string; null when it is not one this reader understands. */
export function parsePosixTz(text: string): PosixRule | null {
  let i = 0;
  const name = (): boolean => {
    if (text[i] === '<') {
      const end = text.indexOf('>', i);
      if (end < 0) return false;
      i = end + 1;
      return true;
    }
    const start = i;
    while (i < text.length && /[A-Za-z]/.test(text[i] as string)) i++;
    return i - start >= 3;
  };
  /** [+-]hh[:mm[:ss]] in seconds (POSIX sign: positive is west). */
  const hms = (): number | null => {
    const m = /^([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?/.exec(text.slice(i));
    if (!m) return null;
    i += m[0].length;
    const s = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    return m[1] === '-' ? -s : s;
  };
  const date = (): RuleDate | null => {
    let d: RuleDate;
    const mm = /^M(\d{1,2})\.(\d)\.(\d)/.exec(text.slice(i));
    const jn = /^(J?)(\d{1,3})/.exec(text.slice(i));
    if (mm) {
      d = { kind: 'M', month: Number(mm[1]), week: Number(mm[2]), weekday: Number(mm[3]), time: 7200 };
      if (d.month < 1 || d.month > 12 || d.week < 1 || d.week > 5 || d.weekday > 6) return null;
      i += mm[0].length;
    } else if (jn) {
      d = { kind: jn[1] === 'J' ? 'J' : 'n', day: Number(jn[2]), time: 7200 };
      i += jn[0].length;
    } else return null;
    if (text[i] === '/') {
      i++;
      const t = hms();
      if (t === null) return null;
      d.time = t;
    }
    return d;
  };

  if (!name()) return null;
  const stdWest = hms();
  if (stdWest === null) return null;
  const std = -stdWest;
  if (i === text.length) return { std, dst: null };
  if (!name()) return null;
  let offset = std + 3600;
  if (i < text.length && text[i] !== ',') {
    const w = hms();
    if (w === null) return null;
    offset = -w;
  }
  if (text[i] !== ',') return null;
  i++;
  const start = date();
  if (!start || text[i] !== ',') return null;
  i++;
  const end = date();
  if (!end || i !== text.length) return null;
  return { std, dst: { offset, start, end } };
}

/** Days since 1970-01-01 of a civil date (proleptic Gregorian). */
function daysFromCivil(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / 86_400_000);
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Seconds since the epoch of a rule's moment in `year`, read on a clock `offset` seconds east of UTC. */
function ruleInstant(year: number, d: RuleDate, offset: number): number {
  let day: number;
  if (d.kind === 'M') {
    const first = daysFromCivil(year, d.month, 1);
    const firstWeekday = (((first + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday (4)
    let dom = 1 + ((d.weekday - firstWeekday + 7) % 7) + (d.week - 1) * 7;
    const monthDays = new Date(Date.UTC(year, d.month, 0)).getUTCDate();
    while (dom > monthDays) dom -= 7;
    day = first + dom - 1;
  } else if (d.kind === 'J') {
    day = daysFromCivil(year, 1, 1) + d.day - 1 + (isLeap(year) && d.day >= 60 ? 1 : 0);
  } else {
    day = daysFromCivil(year, 1, 1) + d.day;
  }
  return day * DAY_S + d.time - offset;
}

/** The offset (seconds east of UTC) the rule gives at `t` seconds since the epoch. */
export function posixOffsetAt(rule: PosixRule, t: number): number {
  const dst = rule.dst;
  if (!dst) return rule.std;
  const year = new Date((t + rule.std) * 1000).getUTCFullYear();
  // Check the year of `t` and its neighbours: a transition's local time may fall in another year.
  let inDst = false;
  let latest = -Infinity;
  for (const y of [year - 1, year, year + 1]) {
    const start = ruleInstant(y, dst.start, rule.std);
    const end = ruleInstant(y, dst.end, dst.offset);
    if (start <= t && start > latest) {
      latest = start;
      inDst = true;
    }
    if (end <= t && end > latest) {
      latest = end;
      inDst = false;
    }
  }
  if (latest === -Infinity) return rule.std;
  return inDst ? dst.offset : rule.std;
}

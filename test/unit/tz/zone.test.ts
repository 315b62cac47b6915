// The time-zone module against Intl (ICU's own tz data) over many zones and instants, the POSIX TZ
// footer rules alone, the Intl fallback, and bad names.
import { existsSync } from 'node:fs';
import t from 'tap';
import { parsePosixTz, posixOffsetAt } from '../../../firmware/src/tz/posix-tz.js';
import {
  isKnownZone,
  localDateString,
  localDateTimeString,
  localDayStart,
  localMidnight,
  wallTime,
  zoneOffsetMs,
} from '../../../firmware/src/tz/zone.js';

const HAVE_TZDATA = existsSync('/usr/share/zoneinfo/Asia/Shanghai');

const formats = new Map<string, Intl.DateTimeFormat>();
/** ICU's offset at `ms` in ms (whole seconds). */
function intlOffset(ms: number, tz: string): number {
  const f =
    formats.get(tz) ??
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  formats.set(tz, f);
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return (
    Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) -
    Math.floor(ms / 1000) * 1000
  );
}

// Zones whose rules have been stable for years (so Debian's tzdata and Node's ICU data agree),
// covering: no DST, fractional hours, northern and southern DST, negative DST, 24:00+ rule times.
const ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/St_Johns',
  'America/Santiago',
  'America/Havana',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Dublin',
  'Europe/Moscow',
  'Australia/Sydney',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Africa/Johannesburg',
  'UTC',
  'Etc/GMT+5',
  'Etc/GMT-14',
];

t.test(
  'offsets agree with Intl: 26 zones, 1970..2100, random instants and every hour around transitions',
  { skip: !HAVE_TZDATA && 'no tzdata' },
  async (t) => {
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const from = Date.UTC(1971, 0, 1);
    const to = Date.UTC(2100, 0, 1);
    for (const tz of ZONES) {
      const bad: string[] = [];
      for (let k = 0; k < 400; k++) {
        const ms = Math.floor(from + rnd() * (to - from));
        if (zoneOffsetMs(ms, tz) !== intlOffset(ms, tz)) bad.push(new Date(ms).toISOString());
      }
      // Hour by hour through 2026 and 2061 (past the end of slim files' transitions: the footer rule).
      for (const year of [2026, 2061]) {
        for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += 3_600_000) {
          if (zoneOffsetMs(ms, tz) !== intlOffset(ms, tz)) bad.push(new Date(ms).toISOString());
        }
      }
      t.same(bad.slice(0, 5), [], `${tz}: ${bad.length} instants differ`);
    }
  },
);

t.test('POSIX TZ rules on their own', async (t) => {
  const ny = parsePosixTz('EST5EDT,M3.2.0,M11.1.0');
  t.ok(ny);
  if (!ny) return;
  const s = (iso: string) => Date.parse(iso) / 1000;
  t.equal(posixOffsetAt(ny, s('2030-03-10T06:59:59Z')), -5 * 3600, 'just before 02:00 EST on the 2nd Sunday of March');
  t.equal(posixOffsetAt(ny, s('2030-03-10T07:00:00Z')), -4 * 3600, 'DST from 02:00 EST');
  t.equal(posixOffsetAt(ny, s('2030-11-03T05:59:59Z')), -4 * 3600);
  t.equal(posixOffsetAt(ny, s('2030-11-03T06:00:00Z')), -5 * 3600, 'back at 02:00 EDT on the 1st Sunday of November');
  const santiago = parsePosixTz('<-04>4<-03>,M9.1.6/24,M4.1.6/24');
  t.ok(santiago, 'quoted names and 24:00 rule times');
  if (santiago) {
    t.equal(posixOffsetAt(santiago, s('2030-01-15T12:00:00Z')), -3 * 3600, 'southern summer: DST across the new year');
    t.equal(posixOffsetAt(santiago, s('2030-06-15T12:00:00Z')), -4 * 3600);
  }
  const dublin = parsePosixTz('IST-1GMT0,M10.5.0,M3.5.0/1');
  t.ok(dublin, 'negative DST (Irish winter time)');
  if (dublin) {
    t.equal(posixOffsetAt(dublin, s('2030-07-01T12:00:00Z')), 3600);
    t.equal(posixOffsetAt(dublin, s('2030-12-01T12:00:00Z')), 0);
  }
  const julian = parsePosixTz('XXX0YYY,J60/0,J300/0');
  t.ok(julian, 'Jn days (29 February never counted)');
  if (julian) {
    t.equal(posixOffsetAt(julian, s('2032-02-29T12:00:00Z')), 0, '2032-02-29 is not day J60');
    t.equal(posixOffsetAt(julian, s('2032-03-01T12:00:00Z')), 3600, 'J60 is 1 March, leap year or not');
  }
  t.same(parsePosixTz('CST-8'), { std: 8 * 3600, dst: null });
  t.same(parsePosixTz('<+0545>-5:45'), { std: 5 * 3600 + 45 * 60, dst: null });
  for (const bad of ['', 'C-8', 'CST', 'EST5EDT,M13.1.0,M11.1.0', 'EST5EDT,M3.2.0', 'EST5EDT,M3.2.0,M11.1.0,x', '<EST5']) {
    t.equal(parsePosixTz(bad), null, `"${bad}" refused`);
  }
});

t.test('wall time, local days and midnights in Shanghai and across a New York DST change', async (t) => {
  const ms = Date.parse('2026-11-26T16:30:05Z');
  t.same(wallTime(ms, 'Asia/Shanghai'), { year: 2026, month: 11, day: 27, hour: 0, minute: 30, second: 5, weekday: 5 });
  t.equal(localDateString(ms, 'Asia/Shanghai'), '2026-11-27');
  t.equal(localDateString(ms, 'Asia/Shanghai', ''), '20261127');
  t.equal(localDateTimeString(ms, 'Asia/Shanghai'), '2026-11-27 00:30');
  t.equal(localMidnight(ms, 'Asia/Shanghai'), Date.parse('2026-11-26T16:00:00Z'));
  t.equal(localDayStart(Date.UTC(2026, 2, 8), 'America/New_York'), Date.parse('2026-03-08T05:00:00Z'), 'spring-forward day starts in EST');
  t.equal(localDayStart(Date.UTC(2026, 2, 9), 'America/New_York'), Date.parse('2026-03-09T04:00:00Z'), 'the day after starts in EDT');
  t.equal(
    localMidnight(Date.parse('2026-11-01T12:00:00Z'), 'America/New_York'),
    Date.parse('2026-11-01T04:00:00Z'),
    'fall-back day starts in EDT',
  );
});

t.test('the Intl fallback (no tz files) gives the same answers', async (t) => {
  const saved = process.env.TZDIR;
  process.env.TZDIR = '/nonexistent-tzdir';
  try {
    // A zone not read before in this process, so it is looked up under the empty TZDIR.
    const ms = Date.parse('2026-07-01T12:00:00Z');
    t.equal(zoneOffsetMs(ms, 'America/Denver'), -6 * 3_600_000);
    t.equal(zoneOffsetMs(Date.parse('2026-01-01T12:00:00Z'), 'America/Denver'), -7 * 3_600_000);
    t.ok(isKnownZone('America/Denver'));
  } finally {
    if (saved === undefined) delete process.env.TZDIR;
    else process.env.TZDIR = saved;
  }
});

t.test('bad zone names: unknown, no path tricks', async (t) => {
  for (const bad of ['Mars/Olympus_Mons', '../../etc/passwd', '/usr/share/zoneinfo/UTC', 'Asia/../UTC', '', 'Asia//Shanghai']) {
    t.equal(isKnownZone(bad), false, `"${bad}"`);
    t.throws(() => zoneOffsetMs(0, bad), RangeError);
  }
});

import t from 'tap';
import { LocalHours } from '../../../firmware/src/kpi/local-time.js';

function pieces(zone: string, start: number, stop: number): [number, number][] {
  const out: [number, number][] = [];
  new LocalHours(zone).split(start, stop, (slot, ms) => out.push([slot, ms / 60_000]));
  return out;
}

t.test('weekday × hour slots in a zone', (t) => {
  t.equal(new LocalHours('Asia/Shanghai').slotOf(Date.UTC(2025, 0, 6, 2, 30)), 10, 'Monday 10:30 in Shanghai');
  t.equal(new LocalHours('Asia/Shanghai').slotOf(Date.UTC(2025, 0, 5, 16)), 0, 'Monday 00:00 in Shanghai is Sunday in UTC');
  t.equal(new LocalHours('UTC').slotOf(Date.UTC(2025, 0, 5, 23, 59)), 167, 'Sunday 23:59');
  t.equal(new LocalHours('UTC').slotOf(Date.UTC(1969, 11, 29, 0)), 0, 'a Monday before 1970');
  t.equal(new LocalHours('Asia/Shanghai').offsetMs(Date.UTC(2025, 5, 1)), 8 * 3_600_000);
  t.throws(() => new LocalHours('Mars/Olympus_Mons'), RangeError);
  t.end();
});

t.test('splitting at local hours: half-hour zones and daylight saving', (t) => {
  // Kolkata is UTC+5:30: local hours start at :30 UTC.
  t.same(pieces('Asia/Kolkata', Date.UTC(2025, 0, 6, 0), Date.UTC(2025, 0, 6, 2)), [
    [5, 30],
    [6, 60],
    [7, 30],
  ]);
  // New York springs forward on Sunday 2025-03-09 at 02:00 EST (07:00 UTC): no 02:00 hour.
  t.same(pieces('America/New_York', Date.UTC(2025, 2, 9, 5), Date.UTC(2025, 2, 9, 9)), [
    [144, 60],
    [145, 60],
    [147, 60],
    [148, 60],
  ]);
  // …and falls back on Sunday 2025-11-02 at 02:00 EDT (06:00 UTC): 01:00 happens twice.
  t.same(pieces('America/New_York', Date.UTC(2025, 10, 2, 4), Date.UTC(2025, 10, 2, 8)), [
    [144, 60],
    [145, 60],
    [145, 60],
    [146, 60],
  ]);
  t.end();
});

// Calling hours: per weekday windows in the shop's time zone, end exclusive, other zones and DST.
import t from 'tap';
import {
  checkCallingHours,
  defaultCallingHours,
  nextCallingTime,
  withinCallingHours,
} from '../../../firmware/src/backoffice/followups/hours.js';

const SH = 'Asia/Shanghai';

t.test('inside and outside the default windows (Shanghai)', async (t) => {
  const h = defaultCallingHours();
  const at = (hh: number, mm = 0) => Date.UTC(2026, 10, 26, hh - 8, mm); // Thursday, Shanghai local hh:mm
  t.notOk(withinCallingHours(h, SH, at(8, 59)));
  t.ok(withinCallingHours(h, SH, at(9, 0)), 'start inclusive');
  t.ok(withinCallingHours(h, SH, at(11, 59)));
  t.notOk(withinCallingHours(h, SH, at(12, 0)), 'end exclusive');
  t.notOk(withinCallingHours(h, SH, at(13, 30)), 'lunch');
  t.ok(withinCallingHours(h, SH, at(19, 59)));
  t.notOk(withinCallingHours(h, SH, at(20, 0)));
  t.notOk(withinCallingHours(h, SH, at(23, 0)));
});

t.test('weekdays and time zones', async (t) => {
  const h = checkCallingHours({ mon: ['09:00-17:00'], sat: ['10:00-24:00'] });
  // 2026-11-30 is a Monday. 09:30 in Shanghai is 01:30 UTC; 20:30 on Sunday in New York.
  const mon0930sh = Date.UTC(2026, 10, 30, 1, 30);
  t.ok(withinCallingHours(h, SH, mon0930sh));
  t.notOk(withinCallingHours(h, 'America/New_York', mon0930sh), 'still Sunday evening in New York');
  t.ok(withinCallingHours(h, 'Europe/London', Date.UTC(2026, 10, 30, 9, 0)));
  const sat2330 = Date.UTC(2026, 10, 28, 15, 30); // Saturday 23:30 in Shanghai
  t.ok(withinCallingHours(h, SH, sat2330), 'window to 24:00');
  t.notOk(withinCallingHours(h, SH, Date.UTC(2026, 10, 25, 2)), 'Wednesday: no windows');
  // DST: New York 09:00 local is 13:00 UTC in summer, 14:00 UTC in winter
  t.ok(withinCallingHours(h, 'America/New_York', Date.UTC(2026, 6, 6, 13, 0)), 'Monday 2026-07-06, EDT');
  t.notOk(withinCallingHours(h, 'America/New_York', Date.UTC(2026, 10, 30, 13, 0)), 'Monday 08:00 EST');
});

t.test('next calling time', async (t) => {
  const h = defaultCallingHours();
  const lunch = Date.UTC(2026, 10, 26, 4, 30); // 12:30 Shanghai
  t.equal(nextCallingTime(h, SH, lunch), Date.UTC(2026, 10, 26, 6, 0), '14:00');
  const night = Date.UTC(2026, 10, 26, 13, 0); // 21:00
  t.equal(nextCallingTime(h, SH, night), Date.UTC(2026, 10, 27, 1, 0), 'next morning 09:00');
  const inside = Date.UTC(2026, 10, 26, 2, 0, 30);
  t.equal(nextCallingTime(h, SH, inside), inside, 'already inside: now');
  t.equal(nextCallingTime(checkCallingHours({}), SH, night), null, 'no windows at all');
});

t.test('bad calling hours name the day', async (t) => {
  for (const [bad, field] of [
    [{ mon: ['9-12'] }, 'callingHours.mon'],
    [{ tue: ['12:00-09:00'] }, 'callingHours.tue'],
    [{ wed: '09:00-12:00' }, 'callingHours.wed'],
    [{ funday: [] }, 'callingHours.funday'],
    [[], 'callingHours'],
    [{ thu: ['24:00-24:30'] }, 'callingHours.thu'],
  ] as const) {
    t.throws(() => checkCallingHours(bad), { code: 'VALIDATION_FAILED', details: { field } }, field);
  }
});

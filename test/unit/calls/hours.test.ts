// Business hours in the shop's time zone, holidays, and interval edges.
import t from 'tap';
import { type HoursDef, isOpen, localTime } from '../../../firmware/src/ivr/hours.js';

const hours: HoursDef = {
  weekly: {
    mon: [
      { open: '09:00', close: '12:00' },
      { open: '13:00', close: '18:00' },
    ],
    sat: [{ open: '10:00', close: '24:00' }],
  },
  holidays: ['2026-10-01'],
};
const TZ = 'Asia/Shanghai';
// 2026-11-30 is a Monday; Shanghai is UTC+8 all year.
const at = (iso: string) => Date.parse(iso);

t.test('local time in the shop time zone', (t) => {
  t.same(localTime(at('2026-11-30T01:30:00Z'), TZ), { weekday: 'mon', date: '2026-11-30', minute: 9 * 60 + 30 });
  t.same(localTime(at('2026-11-29T17:00:00Z'), TZ).weekday, 'mon', 'UTC Sunday evening is Monday 01:00 in Shanghai');
  t.end();
});

t.test('open and closed, edges inclusive at open and exclusive at close', (t) => {
  t.equal(isOpen(hours, TZ, at('2026-11-30T01:00:00Z')), true, 'Mon 09:00 opens');
  t.equal(isOpen(hours, TZ, at('2026-11-30T00:59:00Z')), false, 'Mon 08:59 closed');
  t.equal(isOpen(hours, TZ, at('2026-11-30T04:00:00Z')), false, 'Mon 12:00 lunch');
  t.equal(isOpen(hours, TZ, at('2026-11-30T05:00:00Z')), true, 'Mon 13:00 again');
  t.equal(isOpen(hours, TZ, at('2026-12-01T02:00:00Z')), false, 'Tuesday has no hours');
  t.equal(isOpen(hours, TZ, at('2026-12-05T15:59:00Z')), true, 'Sat 23:59 inside 10:00-24:00');
  t.end();
});

t.test('a holiday closes a day that would be open', (t) => {
  const h: HoursDef = { ...hours, weekly: { thu: [{ open: '00:00', close: '24:00' }] } };
  t.equal(isOpen(h, TZ, at('2026-10-01T06:00:00Z')), false, '2026-10-01 (Thursday) is a holiday');
  t.equal(isOpen(h, TZ, at('2026-10-08T06:00:00Z')), true, 'the next Thursday is open');
  t.end();
});

// Shifts (排班) and attendance (考勤) from the agents' log-ins and log-outs in the event log:
// on time, late, early leave, absence, grace minutes, overnight shifts, shifts not over yet; and
// the staffing rows against the Erlang advice.
import t from 'tap';
import { SYSTEM_ACTOR } from '../../../firmware/src/backoffice/common/types.js';
import { DAY, scenario } from './fixtures/scenario.js';
import { local, Shop } from './fixtures/shop.js';

t.test('the worked day: a1 on time, a2 late and left early, a3 absent', (t) => {
  const s = scenario();
  const rows = s.bo.reports.attendance(SYSTEM_ACTOR, { from: DAY, to: DAY });
  t.same(
    rows.map((r) => [r.agent, r.status, r.lateMin, r.earlyLeaveMin, r.workedMin, r.firstLoginAt, r.lastLogoutAt]),
    [
      ['a1', 'ok', 0, 0, 540, '2026-11-26T00:55:00.000Z', null],
      ['a2', 'lateAndEarlyLeave', 20, 60, 460, '2026-11-26T01:20:00.000Z', '2026-11-26T09:00:00.000Z'],
      ['a3', 'absent', 0, 0, 0, null, null],
    ],
  );
  t.same(s.bo.reports.report(SYSTEM_ACTOR, { period: 'day', date: DAY }).attendance, rows);
  t.end();
});

t.test('grace minutes, a break inside the shift, overnight shifts and shifts not over', (t) => {
  const s = new Shop(local('2026-11-27', '12:00'));
  const d = (time: string) => local('2026-11-26', time);
  // a1: logs in 4 min late (within grace), breaks 12:00-13:00, leaves 3 min early (within grace).
  s.login(d('08:04'), 'a1').logout(d('12:00'), 'a1').login(d('13:00'), 'a1').logout(d('16:57'), 'a1');
  // a2: overnight 22:00-06:00, in from 21:50 to 06:10.
  s.login(d('21:50'), 'a2').logout(local('2026-11-27', '06:10'), 'a2');
  // a3: in at 08:00 the 27th for a shift 08:00-20:00 still running at 12:00; then logs out at 11:00.
  s.login(local('2026-11-27', '08:00'), 'a3').logout(local('2026-11-27', '11:00'), 'a3');
  s.flush();
  const r = s.bo.reports;
  r.createShift(SYSTEM_ACTOR, { agent: 'a1', date: '2026-11-26', start: '08:00', end: '17:00' });
  r.createShift(SYSTEM_ACTOR, { agent: 'a2', date: '2026-11-26', start: '22:00', end: '06:00' });
  r.createShift(SYSTEM_ACTOR, { agent: 'a3', date: '2026-11-27', start: '08:00', end: '20:00' });
  r.createShift(SYSTEM_ACTOR, { agent: 'a4', date: '2026-11-27', start: '14:00', end: '18:00' });
  const rows = r.attendance(SYSTEM_ACTOR, { from: '2026-11-26', to: '2026-11-27' });
  t.same(
    rows.map((x) => [x.agent, x.status, x.lateMin, x.earlyLeaveMin, x.workedMin]),
    [
      ['a1', 'ok', 0, 0, 236 + 237],
      ['a2', 'ok', 0, 0, 480],
      ['a3', 'ok', 0, 0, 180],
      ['a4', 'upcoming', 0, 0, 0],
    ],
    'a3 logged out during a shift not over yet is not judged early leave yet',
  );
  t.end();
});

t.test('shift CRUD: agents of the config, overlaps, versions', (t) => {
  const s = new Shop();
  const r = s.bo.reports;
  const a = r.createShift(SYSTEM_ACTOR, { agent: 'a1', date: '2026-11-26', start: '22:00', end: '06:00', note: '夜班' });
  t.match(a, { agent: 'a1', date: '2026-11-26', start: '22:00', end: '06:00', note: '夜班', version: 1 });
  t.throws(
    () => r.createShift(SYSTEM_ACTOR, { agent: 'a1', date: '2026-11-27', start: '05:00', end: '09:00' }),
    { code: 'CONFLICT' },
    'overlaps the night shift',
  );
  t.ok(r.createShift(SYSTEM_ACTOR, { agent: 'a1', date: '2026-11-27', start: '06:00', end: '09:00' }), 'back to back is fine');
  t.ok(r.createShift(SYSTEM_ACTOR, { agent: 'a2', date: '2026-11-27', start: '05:00', end: '09:00' }), 'another agent');
  t.throws(() => r.createShift(SYSTEM_ACTOR, { agent: 'zz', date: '2026-11-27', start: '05:00', end: '09:00' }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'agent' },
  });
  t.throws(() => r.createShift(SYSTEM_ACTOR, { agent: 'a3', date: '2026-11-27', start: '25:00', end: '09:00' }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'start' },
  });
  t.throws(() => r.createShift(SYSTEM_ACTOR, { agent: 'a3', date: '2026-11-27', start: '09:00', end: '09:00' }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'end' },
  });
  t.throws(() => r.createShift(SYSTEM_ACTOR, { agent: 'a3', date: '27/11/2026', start: '08:00', end: '09:00' }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'date' },
  });
  t.match(r.updateShift(SYSTEM_ACTOR, a.id, { end: '05:00', version: 1 }), { end: '05:00', version: 2 });
  t.throws(() => r.updateShift(SYSTEM_ACTOR, a.id, { end: '04:00', version: 1 }), { code: 'CONFLICT' });
  t.same(
    r.listShifts(SYSTEM_ACTOR, { from: '2026-11-27', agent: 'a1' }).map((x) => x.start),
    ['06:00'],
  );
  r.deleteShift(SYSTEM_ACTOR, a.id);
  t.throws(() => r.getShift(SYSTEM_ACTOR, a.id), { code: 'NOT_FOUND' });
  t.end();
});

t.test('staffing rows: scheduled and logged-in agents per hour against the Erlang advice', (t) => {
  const s = scenario();
  const rows = s.bo.reports.report(SYSTEM_ACTOR, { period: 'day', date: DAY }).staffing;
  const at = (hour: number) => rows.find((r) => r.hour === hour);
  t.ok(
    rows.every((r) => r.weekday === 4),
    'Thursday',
  );
  // 09:00-10:00: three shifts; a1 in all hour, a2 from 09:20 → 1 + 40/60.
  t.match(at(9), { scheduled: 3, loggedIn: 1.67, hoursObserved: 1, offeredPerHour: 2 });
  t.type(at(9)?.advised, 'number');
  t.equal(at(9)?.gap, Math.round((5 / 3 - (at(9)?.advised as number)) * 100) / 100);
  // 17:00-18:00: three shifts, only a1 logged in.
  t.match(at(17), { scheduled: 3, loggedIn: 1, offeredPerHour: 0, advised: 0 });
  // 03:00: nobody scheduled, nobody in, no calls: no row.
  t.equal(at(3), undefined);
  // 00:00-01:00: a1 still in from the 25th until 00:30.
  t.match(at(0), { scheduled: 0, loggedIn: 0.5 });
  t.end();
});

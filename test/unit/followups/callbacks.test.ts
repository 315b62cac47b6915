// Callback times (回拨预约): the shop's wall time read in its zone (DST too), the checks with their
// reasons (past, too far, outside the calling hours with the next calling time), and the quick
// choices (in an hour, today 16:00, tomorrow morning) moved into the calling hours.
import t from 'tap';
import { localToMs, presets } from '../../../firmware/src/backoffice/followups/callbacks.js';
import { checkCallbackTime, checkCallingHours, defaultCallingHours } from '../../../firmware/src/backoffice/followups/hours.js';
import { CallboxError } from '../../../firmware/src/errors.js';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
/** Shanghai local time on Thursday 2026-11-26. */
const sh = (hh: number, mm = 0) => Date.UTC(2026, 10, 26, hh - 8, mm);

function reasonOf(fn: () => void): Record<string, unknown> | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (!(err instanceof CallboxError)) throw err;
    return { code: err.code, ...(err.details as Record<string, unknown>) };
  }
}

t.test("the shop's wall time to an instant", async (t) => {
  t.equal(localToMs('2026-11-26T16:00', SH), sh(16));
  t.equal(localToMs('2026-07-01T09:30', NY), Date.UTC(2026, 6, 1, 13, 30), 'summer time: UTC-4');
  t.equal(localToMs('2026-12-01T09:30', NY), Date.UTC(2026, 11, 1, 14, 30), 'winter: UTC-5');
  t.equal(localToMs('2026-03-08T02:30', NY), Date.UTC(2026, 2, 8, 7, 30), 'a time in the spring-forward gap lands an hour later');
  for (const bad of ['2026-11-26 16:00', '2026-11-26T16:00:00', '2026-02-30T10:00', '2026-11-26T24:00', '2026-13-01T10:00', 'soon'])
    t.match(
      reasonOf(() => localToMs(bad, SH)),
      { code: 'VALIDATION_FAILED', field: 'at' },
      bad,
    );
});

t.test('a callback time: not past, not too far, inside the calling hours', async (t) => {
  const h = defaultCallingHours();
  const now = sh(10);
  t.equal(
    reasonOf(() => checkCallbackTime(h, SH, sh(16), now, 'at')),
    null,
  );
  t.equal(
    reasonOf(() => checkCallbackTime(h, SH, now - 30_000, now, 'at')),
    null,
    'a minute of grace',
  );
  t.match(
    reasonOf(() => checkCallbackTime(h, SH, sh(9), now, 'at')),
    { code: 'VALIDATION_FAILED', field: 'at', reason: 'past' },
  );
  t.match(
    reasonOf(() => checkCallbackTime(h, SH, now + 400 * 86_400_000, now, 'at')),
    { reason: 'tooFar' },
  );
  t.match(
    reasonOf(() => checkCallbackTime(h, SH, sh(12, 30), now, 'callbackAt')),
    {
      field: 'callbackAt',
      reason: 'outsideCallingHours',
      next: new Date(sh(14)).toISOString(),
      nextLocal: '2026-11-26 14:00',
    },
  );
  const none = checkCallingHours({});
  t.match(
    reasonOf(() => checkCallbackTime(none, SH, sh(16), now, 'at')),
    { reason: 'outsideCallingHours', next: null },
  );
});

t.test('quick choices', async (t) => {
  const h = checkCallingHours({
    mon: ['09:00-21:00'],
    tue: ['09:00-21:00'],
    wed: ['09:00-21:00'],
    thu: ['09:00-21:00'],
    fri: ['09:00-12:00'],
  });
  t.same(
    presets(h, SH, sh(10, 2)).map((p) => [p.key, p.local]),
    [
      ['in1h', '11-26 11:05'],
      ['today16', '11-26 16:00'],
      ['tomorrow', '11-27 09:00'],
    ],
    'in an hour (to 5 minutes), today 16:00, tomorrow morning',
  );
  t.same(
    presets(h, SH, sh(20, 30)).map((p) => [p.key, p.local]),
    [['in1h', '11-27 09:00']],
    'late: an hour later is outside the hours → the next calling time, which is tomorrow morning (shown once)',
  );
  // Friday 11:30: in an hour is lunch-closed → Monday 09:00; no 16:00 on Friday; tomorrow (Saturday) has no hours → Monday
  const fri = Date.UTC(2026, 10, 27, 3, 30);
  t.same(
    presets(h, SH, fri).map((p) => [p.key, p.local]),
    [['in1h', '11-30 09:00']],
  );
  t.equal(presets(h, SH, sh(10))[0]?.at, new Date(sh(11)).toISOString(), 'ISO times for the API');
});

// GET /api/v1/setup/time (routes/setup-time.ts): owner and technician only; the box's clock, the
// shop's zone from the config, the NTP state parsed from `timedatectl show` (null without systemd);
// and the setup page's copy of the default call result codes is the firmware's.
import t from 'tap';
import { DEFAULT_DISPOSITIONS } from '../../../firmware/src/config/schema-dispositions.js';
import { DEFAULT_CODES } from '../../../web-ui/app/src/pages/disposition-defaults.js';
import { parseTimedatectl } from '../../../web-ui/server/routes/setup-time.js';
import { errorOf, startTestServer } from './fixtures/helpers.js';

t.test('GET /api/v1/setup/time: roles and shape', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  const tokenOf = async (role: 'supervisor' | 'agent' | 'technician') => {
    s.fake.auth.users.set(role, { password: 'pass-word-1', role });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: role, password: 'pass-word-1' } });
    return ((await res.json()) as { token: string }).token;
  };
  const before = Date.now();
  const res = await s.call('/api/v1/setup/time', { token });
  t.equal(res.status, 200);
  const body = (await res.json()) as { now: string; timezone: string; systemTimezone: string | null; ntp: unknown };
  t.equal(body.timezone, s.fake.config.store.get().shop.timezone, "the shop's zone from the config");
  t.ok(Math.abs(Date.parse(body.now) - before) < 5000, 'the box clock');
  t.ok(body.ntp === null || typeof body.ntp === 'object', 'NTP state or null');
  t.ok(body.systemTimezone === null || typeof body.systemTimezone === 'string');
  t.equal((await s.call('/api/v1/setup/time', { token: await tokenOf('technician') })).status, 200);
  for (const role of ['supervisor', 'agent'] as const) {
    const r = await s.call('/api/v1/setup/time', { token: await tokenOf(role) });
    t.equal(r.status, 403, role);
    t.equal((await errorOf(r)).code, 'FORBIDDEN');
  }
  t.equal((await s.call('/api/v1/setup/time')).status, 401);
});

t.test('timedatectl show output', (t) => {
  t.same(parseTimedatectl('NTP=yes\nNTPSynchronized=no\n'), { enabled: true, synchronized: false });
  t.same(parseTimedatectl('NTPSynchronized=yes\nNTP=no'), { enabled: false, synchronized: true });
  t.equal(parseTimedatectl(''), null);
  t.equal(parseTimedatectl('Failed to connect to bus: No such file or directory'), null);
  t.end();
});

t.test("the setup page's default call result codes are the firmware's", (t) => {
  t.same(DEFAULT_CODES, DEFAULT_DISPOSITIONS);
  t.end();
});

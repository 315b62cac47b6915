// Browser sessions against the real Auth: cookie attributes, CSRF on state changes (refused
// without the token, accepted with it; bearer clients need none), logout, logout everywhere,
// password change revoking the other sessions, and the login lockout (429 + Retry-After).
import t from 'tap';
import { errorOf } from './fixtures/helpers.js';
import { OWNER_PW, startSessionServer } from './fixtures/session-server.js';

t.test('login sets an HttpOnly SameSite=Strict cookie and answers the CSRF token', async (t) => {
  const s = await startSessionServer(t);
  const b = s.browser();
  const res = await b.login('owner', OWNER_PW);
  t.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie') ?? '';
  t.match(cookie, /^callbox_session=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
  t.notMatch(cookie, /Secure/, 'plain HTTP: no Secure flag');
  const body = (await res.json()) as Record<string, unknown>;
  t.match(body, { username: 'owner', role: 'owner', agentId: null, csrfToken: /^[A-Za-z0-9_-]{43}$/ });
  t.ok((body.permissions as string[]).includes('users.admin'));
  t.notOk('token' in body, 'the session token is only in the cookie');

  const session = await b.call('/api/v1/auth/session');
  t.equal(session.status, 200);
  t.match(await session.json(), { username: 'owner', csrfToken: b.csrf });
  t.equal((await b.call('/api/v1/agents')).status, 200, 'cookie authenticates GETs of every route');
  t.equal((await fetch(s.url('/api/v1/agents'))).status, 401, 'no cookie, no access');
});

t.test('a session token is not a bearer token, and a bearer token is not a cookie', async (t) => {
  const s = await startSessionServer(t);
  const b = s.browser();
  await b.login('owner', OWNER_PW);
  const token = (b.cookie ?? '').split('=')[1];
  const asBearer = await fetch(s.url('/api/v1/me'), { headers: { authorization: `Bearer ${token}` } });
  t.equal(asBearer.status, 401);
  const grant = await fetch(s.url('/api/v1/auth/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'owner', password: OWNER_PW }),
  });
  const { token: bearer } = (await grant.json()) as { token: string };
  const asCookie = await fetch(s.url('/api/v1/me'), { headers: { cookie: `callbox_session=${bearer}` } });
  t.equal(asCookie.status, 401);
});

t.test('CSRF: state changes with the cookie need X-CSRF-Token; bearer clients need none', async (t) => {
  const s = await startSessionServer(t);
  const b = s.browser();
  await b.login('owner', OWNER_PW);
  const change = { state: 'paused', reason: '1' };
  const without = await b.call('/api/v1/agents/a1/state', { method: 'POST', json: change });
  t.equal(without.status, 403);
  t.match(await errorOf(without), { code: 'FORBIDDEN', details: { reason: 'csrf' } });
  t.equal(s.fake.acd.agents().find((a) => a.id === 'a1')?.state, 'available', 'nothing changed');
  const wrong = await b.call('/api/v1/agents/a1/state', { method: 'POST', json: change, headers: { 'x-csrf-token': 'x'.repeat(43) } });
  t.equal(wrong.status, 403);
  const ok = await b.call('/api/v1/agents/a1/state', { method: 'POST', json: change, csrf: true });
  t.equal(ok.status, 200);
  t.equal(s.fake.acd.agents().find((a) => a.id === 'a1')?.state, 'paused');

  const grant = await fetch(s.url('/api/v1/auth/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'owner', password: OWNER_PW }),
  });
  const { token } = (await grant.json()) as { token: string };
  const bearer = await fetch(s.url('/api/v1/agents/a1/state'), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ state: 'available' }),
  });
  t.equal(bearer.status, 200, 'no CSRF token for bearer clients');
  // logout is a state change too
  t.equal((await b.call('/api/v1/auth/logout', { method: 'POST' })).status, 403);
});

t.test('logout ends the session and clears the cookie', async (t) => {
  const s = await startSessionServer(t);
  const b = s.browser();
  await b.login('owner', OWNER_PW);
  const res = await b.call('/api/v1/auth/logout', { method: 'POST', csrf: true });
  t.equal(res.status, 204);
  t.match(res.headers.get('set-cookie'), /^callbox_session=; .*Max-Age=0/);
  t.equal((await b.call('/api/v1/auth/session')).status, 401);
});

t.test('logout everywhere revokes every session and token of the user', async (t) => {
  const s = await startSessionServer(t);
  const phone = s.browser();
  const pc = s.browser();
  await phone.login('owner', OWNER_PW);
  await pc.login('owner', OWNER_PW);
  const grant = await s.auth.login('owner', OWNER_PW);
  const res = await phone.call('/api/v1/auth/logout-all', { method: 'POST', csrf: true });
  t.equal(res.status, 200);
  t.same(await res.json(), { revoked: 3 });
  t.equal((await phone.call('/api/v1/auth/session')).status, 401);
  t.equal((await pc.call('/api/v1/auth/session')).status, 401);
  t.equal(s.auth.verify(grant.token), null, 'bearer token revoked too');
});

t.test('password change needs the old password and revokes the other sessions only', async (t) => {
  const s = await startSessionServer(t);
  const mine = s.browser();
  const other = s.browser();
  await mine.login('owner', OWNER_PW);
  await other.login('owner', OWNER_PW);
  const wrong = await mine.call('/api/v1/auth/password', {
    method: 'POST',
    csrf: true,
    json: { oldPassword: 'not-it-at-all', newPassword: 'new-password-2' },
  });
  t.equal(wrong.status, 401);
  t.match(await errorOf(wrong), { code: 'BAD_CREDENTIALS' });
  const short = await mine.call('/api/v1/auth/password', {
    method: 'POST',
    csrf: true,
    json: { oldPassword: OWNER_PW, newPassword: 'short' },
  });
  t.equal(short.status, 400);
  t.equal((await other.call('/api/v1/auth/session')).status, 200, 'failed changes revoke nothing');
  const ok = await mine.call('/api/v1/auth/password', {
    method: 'POST',
    csrf: true,
    json: { oldPassword: OWNER_PW, newPassword: 'new-password-2' },
  });
  t.equal(ok.status, 204);
  t.equal((await mine.call('/api/v1/auth/session')).status, 200, 'this session stays');
  t.equal((await other.call('/api/v1/auth/session')).status, 401, 'the other session is revoked');
  t.equal((await s.browser().login('owner', OWNER_PW)).status, 401, 'old password no longer works');
  t.equal((await s.browser().login('owner', 'new-password-2')).status, 200);
});

t.test('lockout: per user after repeated failures, per address; 429 with Retry-After; success clears', async (t) => {
  const s = await startSessionServer(t, { loginLimits: { userFailures: 3, lockMs: 60_000, addressFailures: 6, windowMs: 600_000 } });
  const b = s.browser();
  for (let i = 0; i < 3; i++) t.equal((await b.login('owner', 'wrong-password')).status, 401);
  const locked = await b.login('owner', OWNER_PW);
  t.equal(locked.status, 429, 'even the right password is refused while locked');
  t.equal(locked.headers.get('retry-after'), '60');
  t.match(await errorOf(locked), { code: 'RATE_LIMITED', details: { retryAfterS: 60 } });
  const token = await fetch(s.url('/api/v1/auth/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'owner', password: OWNER_PW }),
  });
  t.equal(token.status, 429, 'the token login shares the lockout');
  s.advance(61_000);
  t.equal((await b.login('owner', OWNER_PW)).status, 200, 'unlocked after the lock time');

  // per address: failures spread over unknown users still block the address
  for (let i = 0; i < 3; i++) t.equal((await b.login(`nobody${i}`, 'wrong-password')).status, 401);
  const blocked = await b.login('someone', 'wrong-password');
  t.equal(blocked.status, 429, '6 failures from this address in the window');
  t.match(await errorOf(blocked), { message: /this address/ });
  s.advance(600_001);
  t.equal((await b.login('owner', OWNER_PW)).status, 200);
});

import t from 'tap';
import { OWNER, SETUP_CODE } from './fixtures/fake-service.js';
import { errorOf, startTestServer } from './fixtures/helpers.js';

t.test('token flow: login → bearer works → logout revokes', async (t) => {
  const s = await startTestServer(t);
  let res = await s.call('/api/v1/auth/token', { method: 'POST', json: OWNER });
  t.equal(res.status, 200);
  const grant = (await res.json()) as { token: string; expiresAt: string };
  t.same(Object.keys(grant).sort(), ['expiresAt', 'token']);
  t.ok(grant.token.length > 10);
  t.ok(Date.parse(grant.expiresAt) > Date.now());
  t.equal(res.headers.get('cache-control'), 'no-store');

  res = await s.call('/api/v1/me', { token: grant.token });
  t.equal(res.status, 200);
  t.same(await res.json(), { username: 'owner', role: 'owner' });

  res = await s.call('/api/v1/auth/logout', { method: 'POST', token: grant.token });
  t.equal(res.status, 204);
  t.equal(await res.text(), '');

  res = await s.call('/api/v1/me', { token: grant.token });
  t.equal(res.status, 401);
  t.match(res.headers.get('www-authenticate'), /^Bearer realm="callbox", error="invalid_token"$/);
  t.match(await errorOf(res), { code: 'UNAUTHORIZED' });
});

t.test('wrong password → 401 BAD_CREDENTIALS with a Bearer challenge', async (t) => {
  const s = await startTestServer(t);
  const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: 'owner', password: 'nope' } });
  t.equal(res.status, 401);
  t.match(res.headers.get('www-authenticate'), /^Bearer/);
  const err = await errorOf(res);
  t.equal(err.code, 'BAD_CREDENTIALS');
  t.notMatch(err.message, /nope/);
});

t.test('missing, malformed, expired bearer → 401 UNAUTHORIZED with WWW-Authenticate', async (t) => {
  const s = await startTestServer(t);
  let res = await s.call('/api/v1/me');
  t.equal(res.status, 401);
  t.equal(res.headers.get('www-authenticate'), 'Bearer realm="callbox"');
  t.match(await errorOf(res), { code: 'UNAUTHORIZED', message: /bearer token is required/ });

  for (const authorization of ['Basic b3duZXI6eA==', 'Bearer', 'Bearer a b', `Bearer ${'x'.repeat(5000)}`]) {
    res = await s.call('/api/v1/me', { headers: { authorization } });
    t.equal(res.status, 401, authorization.slice(0, 20));
    t.match(res.headers.get('www-authenticate'), /^Bearer realm="callbox", error="invalid_request"$/);
    await res.arrayBuffer();
  }

  const token = await s.login();
  res = await s.call('/api/v1/me', { headers: { authorization: `bearer   ${token}` } });
  t.equal(res.status, 200, 'scheme is case-insensitive');
  await res.arrayBuffer();

  s.fake.auth.now = () => Date.now() + 2 * 3_600_000;
  res = await s.call('/api/v1/me', { token });
  t.equal(res.status, 401, 'expired token');
  await res.arrayBuffer();

  res = await s.call('/api/v1/auth/logout', { method: 'POST' });
  t.equal(res.status, 401, 'logout needs a bearer');
  await res.arrayBuffer();
});

t.test('login body validation names the field', async (t) => {
  const s = await startTestServer(t);
  const cases: [unknown, string][] = [
    [{ password: 'x' }, 'username'],
    [{ username: '', password: 'x' }, 'username'],
    [{ username: 'a'.repeat(129), password: 'x' }, 'username'],
    [{ username: 42, password: 'x' }, 'username'],
    [{ username: 'owner' }, 'password'],
    [{ username: 'owner', password: null }, 'password'],
    [{ username: 'owner', password: 'x'.repeat(129) }, 'password'],
    [{ username: 'owner', password: 'x', admin: true }, 'admin'],
    [['owner', 'x'], 'body'],
    ['owner', 'body'],
  ];
  for (const [json, field] of cases) {
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json });
    t.equal(res.status, 400, JSON.stringify(json).slice(0, 60));
    const err = await errorOf(res);
    t.equal(err.code, 'VALIDATION_FAILED');
    t.match(err.message, new RegExp(`^${field} `));
    t.same(err.details, { field });
  }
  const empty = await s.call('/api/v1/auth/token', { method: 'POST' });
  t.equal(empty.status, 400, 'no body at all');
  t.match(await errorOf(empty), { code: 'VALIDATION_FAILED', details: { field: 'body' } });
  const ok = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: 'owner', password: 'x'.repeat(128) } });
  t.equal(ok.status, 401, '128 characters pass validation and reach the service');
  await ok.arrayBuffer();
});

t.test('first-boot setup: code + password → token; refused once an owner exists', async (t) => {
  const s = await startTestServer(t, { withOwner: false });
  let res = await s.call('/api/v1/auth/setup', { method: 'POST', json: { code: 'wrong', password: 'pw' } });
  t.equal(res.status, 401);
  t.match(await errorOf(res), { code: 'BAD_CREDENTIALS' });

  res = await s.call('/api/v1/auth/setup', { method: 'POST', json: { code: SETUP_CODE } });
  t.equal(res.status, 400);
  t.match(await errorOf(res), { code: 'VALIDATION_FAILED', details: { field: 'password' } });

  res = await s.call('/api/v1/auth/setup', { method: 'POST', json: { code: SETUP_CODE, password: 'new secret' } });
  t.equal(res.status, 200);
  const grant = (await res.json()) as { token: string; expiresAt: string };
  res = await s.call('/api/v1/me', { token: grant.token });
  t.same(await res.json(), { username: 'owner', role: 'owner' });

  res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: 'owner', password: 'new secret' } });
  t.equal(res.status, 200, 'the new password logs in');
  await res.arrayBuffer();

  res = await s.call('/api/v1/auth/setup', { method: 'POST', json: { code: SETUP_CODE, password: 'again' } });
  t.equal(res.status, 409);
  t.match(await errorOf(res), { code: 'CONFLICT' });
});

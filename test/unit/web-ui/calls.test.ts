import t from 'tap';
import { errorOf, startTestServer } from './fixtures/helpers.js';

t.test('calls list: default limit 50, explicit limit, bearer required', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  let res = await s.call('/api/v1/calls');
  t.equal(res.status, 401);
  t.match(res.headers.get('www-authenticate'), /^Bearer/);
  await res.arrayBuffer();

  res = await s.call('/api/v1/calls', { token });
  t.equal(res.status, 200);
  const body = (await res.json()) as { calls: { id: string }[] };
  t.equal(body.calls.length, 50);
  t.equal(s.fake.calls.lastLimit, 50);
  t.match(body.calls[0], { id: 'call-1', direction: 'inbound', legs: [{ channel: 'fxo1', role: 'caller' }] });

  for (const [q, n] of [
    ['1', 1],
    ['500', 120],
    ['7', 7],
    ['007', 7],
  ] as const) {
    res = await s.call(`/api/v1/calls?limit=${q}`, { token });
    t.equal(res.status, 200, `limit=${q}`);
    t.equal(((await res.json()) as { calls: unknown[] }).calls.length, n);
  }
});

t.test('calls list: a bad limit is 400 VALIDATION_FAILED naming limit', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  for (const q of ['limit=0', 'limit=501', 'limit=abc', 'limit=1.5', 'limit=-1', 'limit=', 'limit=1&limit=2', 'limit=1e2']) {
    const res = await s.call(`/api/v1/calls?${q}`, { token });
    t.equal(res.status, 400, q);
    const err = await errorOf(res);
    t.equal(err.code, 'VALIDATION_FAILED', q);
    t.match(err.message, /^limit must be an integer from 1 to 500$/);
    t.same(err.details, { field: 'limit' });
  }
});

t.test('one call by id; unknown id → 404 NOT_FOUND', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  let res = await s.call('/api/v1/calls/call-3', { token });
  t.equal(res.status, 200);
  t.match(await res.json(), { id: 'call-3', outcome: 'answered', queue: 'sales' });

  res = await s.call('/api/v1/calls/no-such-call', { token });
  t.equal(res.status, 404);
  t.match(await errorOf(res), { code: 'NOT_FOUND', message: /no-such-call/ });

  res = await s.call('/api/v1/calls/call-3');
  t.equal(res.status, 401, 'bearer required');
  await res.arrayBuffer();
});

t.test('calls list: outcome filter is validated and named', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  for (const q of ['outcome=', 'outcome=missed,lost', 'outcome=MISSED', 'outcome=missed&outcome=abandoned']) {
    const res = await s.call(`/api/v1/calls?${q}`, { token });
    t.equal(res.status, 400, q);
    const err = await errorOf(res);
    t.equal(err.code, 'VALIDATION_FAILED', q);
    t.same(err.details, { field: 'outcome' });
  }
  const ok = await s.call('/api/v1/calls?outcome=missed,abandoned&limit=5', { token });
  t.equal(ok.status, 200);
});

t.test('calls: agents see callers masked, technicians nothing, owners full numbers', async (t) => {
  const s = await startTestServer(t);
  const tokenOf = async (username: string, role: 'agent' | 'technician'): Promise<string> => {
    s.fake.auth.users.set(username, { password: 'role-password-1', role });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username, password: 'role-password-1' } });
    return ((await res.json()) as { token: string }).token;
  };
  const owner = (await (await s.call('/api/v1/calls/call-1', { token: await s.login() })).json()) as { callerId: string };
  t.equal(owner.callerId, '+8613800000001');
  const agent = await tokenOf('li', 'agent');
  const one = (await (await s.call('/api/v1/calls/call-1', { token: agent })).json()) as { callerId: string };
  t.equal(one.callerId, '+86****0001');
  const list = (await (await s.call('/api/v1/calls?limit=3', { token: agent })).json()) as { calls: { callerId: string }[] };
  t.ok(
    list.calls.every((c) => c.callerId.includes('****')),
    'every listed caller masked',
  );
  const tech = await tokenOf('wu', 'technician');
  t.equal((await s.call('/api/v1/calls', { token: tech })).status, 403);
});

// GET /api/v1/calls filters for the 通话记录 page: from/to, queue, agent, number and offset reach
// the service parsed; bad values are 400 VALIDATION_FAILED naming the field; a masked viewer may
// search by the last 4 digits only, matched at the end of the number (a longer search, or digits
// matched elsewhere, would reveal the hidden ones).
import t from 'tap';
import { errorOf, startTestServer } from './fixtures/helpers.js';

t.test('calls filters reach the service parsed', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  const res = await s.call(
    '/api/v1/calls?from=2026-11-26T00:00:00%2B08:00&to=2026-11-27&queue=main&agent=a1&number=%2B8613800&offset=20&limit=10&outcome=missed',
    { token },
  );
  t.equal(res.status, 200);
  await res.arrayBuffer();
  t.same(s.fake.calls.lastQuery, {
    limit: 10,
    offset: 20,
    outcomes: ['missed'],
    from: Date.parse('2026-11-25T16:00:00Z'),
    to: Date.parse('2026-11-27T00:00:00Z'),
    queue: 'main',
    agent: 'a1',
    number: '8613800',
  });
  await (await s.call('/api/v1/calls?limit=5', { token })).arrayBuffer();
  t.same(s.fake.calls.lastQuery, { limit: 5 }, 'no filters: only the limit');
});

t.test('bad filters name their field', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  const cases: [string, string][] = [
    ['from=yesterday', 'from'],
    ['from=2026-11-26T00:00:00', 'from'],
    ['to=2026-13-45', 'to'],
    ['from=2026-11-27&to=2026-11-26', 'to'],
    ['from=2026-11-27&to=2026-11-27', 'to'],
    ['queue=', 'queue'],
    ['queue=a%20b', 'queue'],
    [`agent=${'x'.repeat(65)}`, 'agent'],
    ['number=138-0013', 'number'],
    ['number=', 'number'],
    ['number=123456789012345678901', 'number'],
    ['offset=-1', 'offset'],
    ['offset=abc', 'offset'],
    ['queue=a&queue=b', 'queue'],
  ];
  for (const [q, field] of cases) {
    const res = await s.call(`/api/v1/calls?${q}`, { token });
    t.equal(res.status, 400, q);
    const err = await errorOf(res);
    t.equal(err.code, 'VALIDATION_FAILED', q);
    t.same(err.details, { field }, q);
    t.match(err.message, new RegExp(`^${field} `), `${q}: the message starts with the field`);
  }
});

t.test('a masked viewer searches by the last 4 digits only', async (t) => {
  const s = await startTestServer(t);
  s.fake.auth.users.set('li', { password: 'role-password-1', role: 'agent' });
  const grant = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: 'li', password: 'role-password-1' } });
  const agent = ((await grant.json()) as { token: string }).token;
  const ok = await s.call('/api/v1/calls?number=5678', { token: agent });
  t.equal(ok.status, 200);
  await ok.arrayBuffer();
  t.same(s.fake.calls.lastQuery, { limit: 50, number: '5678', numberAtEnd: true }, 'matched at the end of the number only');
  const res = await s.call('/api/v1/calls?number=13800138000', { token: agent });
  t.equal(res.status, 403);
  t.match(await errorOf(res), { code: 'FORBIDDEN', details: { field: 'number' } });
  const owner = await s.call('/api/v1/calls?number=13800138000', { token: await s.login() });
  t.equal(owner.status, 200, 'the owner sees full numbers, so may search them');
  await owner.arrayBuffer();
  t.same(s.fake.calls.lastQuery, { limit: 50, number: '13800138000' }, 'anywhere in the number');
});

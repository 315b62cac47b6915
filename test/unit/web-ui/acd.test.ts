// Live queues and agents over HTTP, with the real ACD behind the service API.
import t from 'tap';
import { errorOf, startTestServer } from './fixtures/helpers.js';

t.test('queues and agents: live state, bearer required', async (t) => {
  const s = await startTestServer(t);
  t.equal((await s.call('/api/v1/queues')).status, 401);
  const token = await s.login();
  const q = (await (await s.call('/api/v1/queues', { token })).json()) as {
    queues: { id: string; waiting: number; agents: Record<string, number> }[];
  };
  t.same(
    q.queues.map((x) => [x.id, x.waiting, x.agents.available, x.agents.loggedOut]),
    [['main', 0, 1, 1]],
  );
  const a = (await (await s.call('/api/v1/agents', { token })).json()) as { agents: { id: string; state: string }[] };
  t.same(
    a.agents.map((x) => [x.id, x.state]),
    [
      ['a1', 'available'],
      ['a2', 'loggedOut'],
    ],
  );
});

t.test('agent state changes: log in, pause with a reason, conflicts and bad input named', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  const post = (id: string, json: unknown) => s.call(`/api/v1/agents/${id}/state`, { method: 'POST', token, json });

  let res = await post('a2', { state: 'available' });
  t.equal(res.status, 200);
  t.match(await res.json(), { id: 'a2', state: 'available' });

  res = await post('a2', { state: 'paused', reason: '1' });
  t.match(await res.json(), { id: 'a2', state: 'paused', reason: 'lunch' }, 'reason code resolved to its name');

  res = await post('a2', { state: 'loggedOut' });
  t.match(await res.json(), { state: 'loggedOut' });

  res = await post('a2', { state: 'paused' });
  t.equal(res.status, 409);
  t.match((await errorOf(res)).message, /logged out: log in first/);

  res = await post('nobody', { state: 'available' });
  t.equal(res.status, 404);
  t.equal((await errorOf(res)).code, 'NOT_FOUND');

  res = await post('a1', { state: 'sleeping' });
  t.equal(res.status, 400);
  t.same(await errorOf(res), {
    code: 'VALIDATION_FAILED',
    message: 'state must be one of available, paused, loggedOut',
    details: { field: 'state' },
  });

  res = await post('a1', { state: 'paused', mood: 'tired' });
  t.equal(res.status, 400);
  t.match((await errorOf(res)).message, /mood/);
});

t.test('only owners and supervisors change agent states', async (t) => {
  const s = await startTestServer(t);
  s.fake.auth.users.set('li', { password: 'agent-pass-1', role: 'agent' });
  const login = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: 'li', password: 'agent-pass-1' } });
  const { token } = (await login.json()) as { token: string };
  const res = await s.call('/api/v1/agents/a1/state', { method: 'POST', token, json: { state: 'paused' } });
  t.equal(res.status, 403);
  t.equal((await errorOf(res)).code, 'FORBIDDEN');
  t.equal((await s.call('/api/v1/agents', { token })).status, 200, 'but may look');
});

// Users and roles (owner only) against the real Auth: create with a role and a linked agent,
// validation, conflicts, disable (revokes sessions), the last owner kept, role checks.
import t from 'tap';
import { errorOf } from './fixtures/helpers.js';
import { OWNER_PW, startSessionServer } from './fixtures/session-server.js';

t.test('the owner creates, lists, reads and patches users', async (t) => {
  const s = await startSessionServer(t);
  const owner = s.browser();
  await owner.login('owner', OWNER_PW);
  const created = await owner.call('/api/v1/users', {
    method: 'POST',
    csrf: true,
    json: { username: 'xiaowang', role: 'agent', password: 'agent-password-1', agentId: 'a1' },
  });
  t.equal(created.status, 201);
  t.match(await created.json(), { id: 'xiaowang', username: 'xiaowang', role: 'agent', agentId: 'a1', disabled: false });
  const list = (await (await owner.call('/api/v1/users')).json()) as { items: { username: string }[]; total: number };
  t.same(
    list.items.map((u) => u.username),
    ['owner', 'xiaowang'],
  );
  t.equal(list.total, 2);
  t.equal((await owner.call('/api/v1/users/nobody')).status, 404);

  const dup = await owner.call('/api/v1/users', {
    method: 'POST',
    csrf: true,
    json: { username: 'xiaowang', role: 'agent', password: 'agent-password-1' },
  });
  t.equal(dup.status, 409);
  const badRole = await owner.call('/api/v1/users', {
    method: 'POST',
    csrf: true,
    json: { username: 'li', role: 'boss', password: 'agent-password-1' },
  });
  t.match(await errorOf(badRole), { code: 'VALIDATION_FAILED', details: { field: 'role' } });
  const badName = await owner.call('/api/v1/users', {
    method: 'POST',
    csrf: true,
    json: { username: '小王', role: 'agent', password: 'agent-password-1' },
  });
  t.match(await errorOf(badName), { code: 'VALIDATION_FAILED', details: { field: 'username' } });
  const shortPw = await owner.call('/api/v1/users', {
    method: 'POST',
    csrf: true,
    json: { username: 'li', role: 'agent', password: 'short' },
  });
  t.match(await errorOf(shortPw), { code: 'VALIDATION_FAILED', details: { field: 'password' } });

  // the agent signs in; the agent cannot manage users
  const agent = s.browser();
  t.equal((await agent.login('xiaowang', 'agent-password-1')).status, 200);
  t.match(await (await agent.call('/api/v1/auth/session')).json(), { role: 'agent', agentId: 'a1' });
  const forbidden = await agent.call('/api/v1/users');
  t.equal(forbidden.status, 403);
  t.match(await errorOf(forbidden), { code: 'FORBIDDEN', details: { permission: 'users.admin' } });

  // promote, unlink, then disable: the agent's session ends
  const patched = await owner.call('/api/v1/users/xiaowang', { method: 'PATCH', csrf: true, json: { role: 'supervisor', agentId: null } });
  t.match(await patched.json(), { role: 'supervisor', agentId: null });
  t.match(await (await agent.call('/api/v1/auth/session')).json(), { role: 'supervisor' }, 'role change applies at once');
  const disabled = await owner.call('/api/v1/users/xiaowang', { method: 'PATCH', csrf: true, json: { disabled: true } });
  t.match(await disabled.json(), { disabled: true });
  t.equal((await agent.call('/api/v1/auth/session')).status, 401, 'sessions of a disabled user end');
  t.equal((await s.browser().login('xiaowang', 'agent-password-1')).status, 401, 'a disabled user cannot sign in');
  const badPatch = await owner.call('/api/v1/users/xiaowang', { method: 'PATCH', csrf: true, json: { disabled: 'yes' } });
  t.match(await errorOf(badPatch), { code: 'VALIDATION_FAILED', details: { field: 'disabled' } });
});

t.test('the last enabled owner can be neither demoted nor disabled', async (t) => {
  const s = await startSessionServer(t);
  const owner = s.browser();
  await owner.login('owner', OWNER_PW);
  for (const json of [{ role: 'agent' }, { disabled: true }]) {
    const res = await owner.call('/api/v1/users/owner', { method: 'PATCH', csrf: true, json });
    t.equal(res.status, 409);
  }
  t.match(s.auth.getUser('owner'), { role: 'owner', disabled: false }, 'nothing changed');
});

t.test('every role but the owner is refused the users routes', async (t) => {
  const s = await startSessionServer(t);
  for (const role of ['supervisor', 'agent', 'technician'] as const) {
    await s.auth.addUser({ username: role, role, password: 'role-password-1' });
    const b = s.browser();
    await b.login(role, 'role-password-1');
    t.equal((await b.call('/api/v1/users')).status, 403, `${role}: GET`);
    const post = await b.call('/api/v1/users', {
      method: 'POST',
      csrf: true,
      json: { username: 'x', role: 'agent', password: 'xxxxxxxx1' },
    });
    t.equal(post.status, 403, `${role}: POST`);
  }
  t.equal((await fetch(s.url('/api/v1/users'))).status, 401, 'anonymous: 401');
});

t.test('an agent user pauses only the agent linked to the account; supervisors any agent', async (t) => {
  const s = await startSessionServer(t);
  await s.auth.addUser({ username: 'xiaoli', role: 'agent', password: 'agent-password-1', agentId: 'a1' });
  await s.auth.addUser({ username: 'banzhang', role: 'supervisor', password: 'super-password-1' });
  const agent = s.browser();
  await agent.login('xiaoli', 'agent-password-1');
  const own = await agent.call('/api/v1/agents/a1/state', { method: 'PATCH', csrf: true, json: { state: 'paused', reason: '1' } });
  t.equal(own.status, 200);
  t.match(await own.json(), { id: 'a1', state: 'paused', reason: 'lunch' }, 'pause code 1 is lunch');
  const other = await agent.call('/api/v1/agents/a2/state', { method: 'PATCH', csrf: true, json: { state: 'available' } });
  t.equal(other.status, 403);
  t.match(await errorOf(other), { code: 'FORBIDDEN', details: { permission: 'agents.state' } });
  const sup = s.browser();
  await sup.login('banzhang', 'super-password-1');
  t.equal((await sup.call('/api/v1/agents/a1/state', { method: 'PATCH', csrf: true, json: { state: 'available' } })).status, 200);
  const tech = s.browser();
  await s.auth.addUser({ username: 'tech', role: 'technician', password: 'tech-password-1' });
  await tech.login('tech', 'tech-password-1');
  t.equal((await tech.call('/api/v1/agents')).status, 403, 'technicians do not see the floor');
});

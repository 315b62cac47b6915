// Call results over REST: GET /api/v1/dispositions, POST /api/v1/calls/:id/disposition — auth, roles
// (an agent only for calls they handled, supervisor/owner any), 201 then 200, 404, 400 naming the field.
// The fake calls carry agent "fxs1"; the validation is the firmware's (calls/dispositions.ts).
import t from 'tap';
import { errorOf, startTestServer, type TestServer } from './fixtures/helpers.js';

async function tokenOf(s: TestServer, username: string, role: 'agent' | 'supervisor' | 'technician', agentId?: string): Promise<string> {
  s.fake.auth.users.set(username, { password: 'role-password-1', role, ...(agentId ? { agentId } : {}) });
  const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username, password: 'role-password-1' } });
  return ((await res.json()) as { token: string }).token;
}

t.test('the configured list; bearer required; technicians may not', async (t) => {
  const s = await startTestServer(t);
  let res = await s.call('/api/v1/dispositions');
  t.equal(res.status, 401);
  await res.arrayBuffer();
  res = await s.call('/api/v1/dispositions', { token: await s.login() });
  t.equal(res.status, 200);
  const body = (await res.json()) as { dispositions: { code: string; label: Record<string, string> }[] };
  t.match(body.dispositions[0], { code: '1', label: { 'zh-CN': '咨询', en: 'Inquiry' } });
  t.ok(body.dispositions.some((d) => d.label['zh-CN'] === '投诉'));
  res = await s.call('/api/v1/dispositions', { token: await tokenOf(s, 'tech', 'technician') });
  t.equal(res.status, 403);
  await res.arrayBuffer();
});

t.test('owner sets a result: 201, then 200 replacing it; shown in the call history', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  let res = await s.call('/api/v1/calls/call-3/disposition', { method: 'POST', token, json: { code: '2', note: '要两盒' } });
  t.equal(res.status, 201);
  t.match(await res.json(), { id: 'call-3', disposition: { code: '2', note: '要两盒', agent: 'fxs1', by: 'owner' } });
  res = await s.call('/api/v1/calls/call-3/disposition', { method: 'POST', token, json: { code: '7' } });
  t.equal(res.status, 200);
  t.match(await res.json(), { disposition: { code: '7', note: null } });
  res = await s.call('/api/v1/calls?limit=5', { token });
  const list = (await res.json()) as { calls: { id: string; disposition?: unknown }[] };
  t.match(
    list.calls.find((c) => c.id === 'call-3'),
    { disposition: { code: '7' } },
  );
});

t.test('validation: unknown code, bad note, unknown fields, not JSON; unknown call 404', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  const post = (id: string, json: unknown) => s.call(`/api/v1/calls/${id}/disposition`, { method: 'POST', token, json });
  for (const [json, field] of [
    [{ code: '42' }, 'code'],
    [{ code: 1 }, 'code'],
    [{}, 'code'],
    [{ code: 'none' }, 'code'],
    [{ code: '1', note: 5 }, 'note'],
    [{ code: '1', note: 'x'.repeat(501) }, 'note'],
    [{ code: '1', mood: 'x' }, 'mood'],
    [[1], 'body'],
  ] as const) {
    const res = await post('call-4', json);
    t.equal(res.status, 400, JSON.stringify(json));
    const err = await errorOf(res);
    t.equal(err.code, 'VALIDATION_FAILED');
    t.match(err.details, { field }, `names ${field}`);
  }
  const res = await post('no-such-call', { code: '1' });
  t.equal(res.status, 404);
  t.match(await errorOf(res), { code: 'NOT_FOUND', message: /no-such-call/ });
  t.equal(s.fake.calls.get('call-4')?.disposition, undefined, 'nothing was set');
});

t.test('roles: an agent only for calls they handled; a supervisor any', async (t) => {
  const s = await startTestServer(t);
  const post = (token: string) => s.call('/api/v1/calls/call-5/disposition', { method: 'POST', token, json: { code: '1' } });
  let res = await post(await tokenOf(s, 'wang', 'agent', 'fxs2'));
  t.equal(res.status, 403, 'another agent');
  t.equal((await errorOf(res)).code, 'FORBIDDEN');
  res = await post(await tokenOf(s, 'zhao', 'agent'));
  t.equal(res.status, 403, 'an agent user not linked to an agent');
  await res.arrayBuffer();
  const li = await tokenOf(s, 'li', 'agent', 'fxs1');
  res = await post(li);
  t.equal(res.status, 201, 'the agent who handled it');
  t.match(await res.json(), { disposition: { by: 'li' }, callerId: /\*\*\*\*/ }, 'the agent sees the number masked');
  res = await post(await tokenOf(s, 'zhou', 'supervisor'));
  t.equal(res.status, 200, 'a supervisor, any call');
  t.match(await res.json(), { disposition: { by: 'zhou' } });
  res = await post(await tokenOf(s, 'tech', 'technician'));
  t.equal(res.status, 403, 'technicians work on the box, not calls');
  await res.arrayBuffer();
});

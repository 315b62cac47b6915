// The box config over HTTP (routes/config.ts) with the REAL config control (in-memory config):
// who may read and change it, secrets redacted, PUT/PATCH applied live with the restart-only paths
// named, 400 with the path of every bad field, 409 on a stale If-Match, the dry run, CSRF for the
// browser session, and the audit trail.
import t from 'tap';
import type { Config } from '../../../firmware/src/config/schema.js';
import type { ConfigApplyResult, ConfigCheck, ConfigSnapshot } from '../../../firmware/src/service/types.js';
import { errorOf, startTestServer } from './fixtures/helpers.js';
import { OWNER_PW, startSessionServer } from './fixtures/session-server.js';

async function server(t: { teardown(fn: () => unknown): void }) {
  const s = await startTestServer(t);
  const token = await s.login();
  const tokenOf = async (role: 'supervisor' | 'agent' | 'technician') => {
    s.fake.auth.users.set(role, { password: 'pass-word-1', role });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: role, password: 'pass-word-1' } });
    return ((await res.json()) as { token: string }).token;
  };
  return { s, token, tokenOf };
}

t.test('GET: owner and technician only; secrets redacted; ETag is the version', async (t) => {
  const { s, token, tokenOf } = await server(t);
  await s.fake.config.store.replace({
    ...s.fake.config.store.get(),
    cloud: { enabled: false, url: 'mqtt://127.0.0.1:1883', deviceId: 'shop1', password: 'broker-secret' },
  });
  const res = await s.call('/api/v1/config', { token });
  t.equal(res.status, 200);
  const body = (await res.json()) as ConfigSnapshot;
  t.equal(res.headers.get('etag'), `"${body.version}"`);
  t.equal(body.config.cloud?.password, '********');
  t.same(body.restartRequired, ['/cloud'], 'the cloud section differs from what the box started with');
  t.equal(body.config.ivr.menus.main?.prompt, 'welcome');
  t.equal((await s.call('/api/v1/config', { token: await tokenOf('technician') })).status, 200);
  for (const role of ['supervisor', 'agent'] as const) {
    const r = await s.call('/api/v1/config', { token: await tokenOf(role) });
    t.equal(r.status, 403, role);
    t.equal((await errorOf(r)).code, 'FORBIDDEN');
  }
  t.equal((await s.call('/api/v1/config')).status, 401);
  t.equal((await s.call('/api/v1/config', { method: 'PUT', json: {} })).status, 401, 'no body read without auth');
});

t.test('PUT: the whole document, applied live; the redacted secret is kept', async (t) => {
  const { s, token, tokenOf } = await server(t);
  await s.fake.config.store.replace({ ...s.fake.config.store.get(), sip: { extensions: [{ user: '101', password: 'phone-secret-101' }] } });
  const snap = (await (await s.call('/api/v1/config', { token })).json()) as ConfigSnapshot;
  t.equal(snap.config.sip?.extensions[0]?.password, '********');
  const doc = structuredClone(snap.config) as Config;
  doc.queues[0]!.strategy = 'ringAll';
  doc.hardware.sim.fxo = 3;
  const res = await s.call('/api/v1/config', {
    method: 'PUT',
    token: await tokenOf('technician'),
    json: doc,
    headers: { 'if-match': `"${snap.version}"` },
  });
  t.equal(res.status, 200);
  const r = (await res.json()) as ConfigApplyResult;
  t.same(r.applied, ['/queues']);
  t.same(r.restartRequired, ['/hardware', '/sip']);
  t.equal(res.headers.get('etag'), `"${r.version}"`);
  t.equal(s.fake.config.live.at(-1)?.queues[0]?.strategy, 'ringAll', 'made live');
  t.equal(s.fake.config.store.get().sip?.extensions[0]?.password, 'phone-secret-101', 'the secret in use is kept');
  const audit = s.fake.audit.list({ entity: 'config', limit: 5 });
  t.match(audit[0], {
    actor: 'technician',
    action: 'config.apply',
    detail: { source: 'api', applied: ['/queues'], restartRequired: ['/hardware'] },
  });
});

t.test('bad documents: 400 VALIDATION_FAILED with the path of each field; nothing changes', async (t) => {
  const { s, token } = await server(t);
  const before = s.fake.config.get().version;
  const doc = structuredClone(s.fake.config.get().config) as Config;
  doc.queues[0]!.ringTimeoutS = 2;
  (doc.ivr.menus.main as Config['ivr']['menus'][string]).options['5'] = { action: 'menu', menu: 'nosuch' };
  (doc as unknown as Record<string, unknown>).colour = 'red';
  const res = await s.call('/api/v1/config', { method: 'PUT', token, json: doc });
  t.equal(res.status, 400);
  const e = await errorOf(res);
  t.equal(e.code, 'VALIDATION_FAILED');
  const errors = (e.details as { errors: { path: string; message: string }[] }).errors;
  t.ok(errors.some((x) => x.path === '/colour' && /not a known field/.test(x.message)));
  t.ok(errors.some((x) => x.path === '/queues/0/ringTimeoutS' && /5/.test(x.message)));
  const cross = await s.call('/api/v1/config', {
    method: 'PATCH',
    token,
    json: { ivr: { menus: { main: { options: { 5: { action: 'menu', menu: 'nosuch' } } } } } },
  });
  t.equal(cross.status, 400);
  t.same((await errorOf(cross)).details, {
    field: '/ivr/menus/main/options/5/menu',
    errors: [{ path: '/ivr/menus/main/options/5/menu', message: 'no such menu "nosuch"' }],
  });
  for (const json of [[1, 2], 'x']) {
    const r = await s.call('/api/v1/config', { method: 'PUT', token, json });
    t.equal(r.status, 400);
    t.equal((await errorOf(r)).code, 'VALIDATION_FAILED');
  }
  const notJson = await s.call('/api/v1/config', {
    method: 'PUT',
    token,
    headers: { 'content-type': 'application/json' },
    json: undefined,
  });
  t.equal(notJson.status, 400, 'no body');
  t.equal(s.fake.config.get().version, before);
  t.equal(s.fake.config.live.length, 0, 'nothing made live');
});

t.test('PATCH: JSON merge patch; a stale If-Match is 409 and writes nothing', async (t) => {
  const { s, token } = await server(t);
  const v0 = s.fake.config.get().version;
  const res = await s.call('/api/v1/config', {
    method: 'PATCH',
    token,
    headers: { 'content-type': 'application/merge-patch+json', 'if-match': `"${v0}"` },
    json: {
      shop: { name: '张记五金店' },
      recording: { retentionDays: 30 },
      hours: { weekly: { mon: [{ open: '09:00', close: '18:00' }] }, holidays: ['2026-02-17'], afterHours: { action: 'hangup' } },
    },
  });
  t.equal(res.status, 200);
  const r = (await res.json()) as ConfigApplyResult;
  t.same(r.applied, ['/hours', '/recording', '/shop/name']);
  t.equal(s.fake.config.store.get().recording?.retentionDays, 30);
  t.equal(s.fake.config.store.get().recording?.quotaMB, 4096, 'merge: the other fields stay');
  const stale = await s.call('/api/v1/config', {
    method: 'PATCH',
    token,
    headers: { 'if-match': `"${v0}"` },
    json: { shop: { name: 'x' } },
  });
  t.equal(stale.status, 409);
  const e = await errorOf(stale);
  t.equal(e.code, 'CONFLICT');
  t.same(e.details, { version: r.version });
  t.equal(s.fake.config.store.get().shop.name, '张记五金店');
  const removed = await s.call('/api/v1/config', { method: 'PATCH', token, headers: { 'if-match': '*' }, json: { hours: null } });
  t.same(((await removed.json()) as ConfigApplyResult).applied, ['/hours'], 'null removes a section');
  t.equal(s.fake.config.store.get().hours, undefined);
});

t.test('validate: a dry run with every error; nothing written', async (t) => {
  const { s, token, tokenOf } = await server(t);
  const doc = structuredClone(s.fake.config.get().config) as Config;
  const good = await s.call('/api/v1/config/validate', { method: 'POST', token, json: doc });
  t.same(await good.json(), { ok: true, errors: [] });
  (doc.ivr.menus.main as Config['ivr']['menus'][string]).timeoutS = 0;
  const bad = (await (await s.call('/api/v1/config/validate', { method: 'POST', token, json: doc })).json()) as ConfigCheck;
  t.same(bad, { ok: false, errors: [{ path: '/ivr/menus/main/timeoutS', message: 'must be an integer >= 1' }] });
  const patch = (await (
    await s.call('/api/v1/config/validate?mode=patch', { method: 'POST', token, json: { queues: [{ id: 'Bad Id' }] } })
  ).json()) as ConfigCheck;
  t.equal(patch.ok, false);
  t.ok(patch.errors.some((e) => e.path.startsWith('/queues/0')));
  t.equal((await s.call('/api/v1/config/validate?mode=odd', { method: 'POST', token, json: {} })).status, 400);
  t.equal((await s.call('/api/v1/config/validate', { method: 'POST', token: await tokenOf('agent'), json: doc })).status, 403);
  t.equal(s.fake.config.live.length, 0);
});

t.test('browser session: a change needs the CSRF token', async (t) => {
  const ss = await startSessionServer(t);
  const b = ss.browser();
  t.equal((await b.login('owner', OWNER_PW)).status, 200);
  t.equal((await b.call('/api/v1/config')).status, 200, 'reading needs no token');
  const without = await b.call('/api/v1/config', { method: 'PATCH', json: { shop: { name: 'x' } } });
  t.equal(without.status, 403);
  t.equal(ss.fake.config.store.get().shop.name, 'callbox');
  const withToken = await b.call('/api/v1/config', { method: 'PATCH', json: { shop: { name: '李记' } }, csrf: true });
  t.equal(withToken.status, 200);
  t.equal(ss.fake.config.store.get().shop.name, '李记');
});

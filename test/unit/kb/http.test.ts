// The knowledge base over HTTP: create (201), read (counts a view), search both ways, PATCH with
// version (409 stale), archive, delete, used, popular, categories; 400/404/403 and roles.
import t from 'tap';
import type { Article, SearchHit } from '../../../firmware/src/service/types.js';
import { errorOf, startTestServer } from '../web-ui/fixtures/helpers.js';

type Role = 'supervisor' | 'agent' | 'technician';

async function server(t: { teardown(fn: () => unknown): void }) {
  const s = await startTestServer(t);
  const owner = await s.login();
  const tokenOf = async (role: Role) => {
    s.fake.auth.users.set(role, { password: 'pass-word-1', role });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: role, password: 'pass-word-1' } });
    return ((await res.json()) as { token: string }).token;
  };
  const post = async (json: unknown, token = owner) => s.call('/api/v1/kb/articles', { method: 'POST', token, json });
  return { s, owner, tokenOf, post };
}

t.test('create, read, search, update, archive, delete', async (t) => {
  const { s, owner, post } = await server(t);
  const res = await post({ title: '退货流程', body: '## 步骤\n七天内可申请**退货**。', category: '售后', tags: ['退货'] });
  t.equal(res.status, 201);
  const a = (await res.json()) as Article;
  t.match(a, { title: '退货流程', category: '售后', tags: ['退货'], status: 'published', version: 1, views: 0, createdBy: 'owner' });
  t.match(a.id, /^[0-9A-Z]{26}$/);
  await post({ title: 'Return policy', body: 'Returns within 7 days.', category: 'FAQ' });

  const got = (await (await s.call(`/api/v1/kb/articles/${a.id}`, { token: owner })).json()) as Article;
  t.equal(got.views, 1, 'a read counts a view');

  const search = async (path: string) => (await (await s.call(path, { token: owner })).json()) as { items: SearchHit[]; total: number };
  const r1 = await search(`/api/v1/kb/search?q=${encodeURIComponent('退货 步骤')}`);
  t.equal(r1.total, 1);
  t.equal(r1.items[0]?.article.id, a.id);
  t.match(r1.items[0]?.snippet, /<mark>/);
  const r2 = await search(`/api/v1/kb/articles?q=${encodeURIComponent('RETURN policy')}`);
  t.same(
    r2.items.map((h) => h.article.title),
    ['Return policy'],
  );
  const list = await search('/api/v1/kb/articles?category=FAQ');
  t.equal(list.total, 1);

  const patch = (json: unknown) => s.call(`/api/v1/kb/articles/${a.id}`, { method: 'PATCH', token: owner, json });
  const p1 = await patch({ body: '十五天内可申请退货。', version: 1 });
  t.equal(p1.status, 200);
  t.equal(((await p1.json()) as Article).version, 2);
  const stale = await patch({ title: '旧', version: 1 });
  t.equal(stale.status, 409);
  t.equal((await errorOf(stale)).code, 'CONFLICT');
  t.equal((await search(`/api/v1/kb/search?q=${encodeURIComponent('十五天')}`)).total, 1, 're-indexed');

  const arch = await s.call(`/api/v1/kb/articles/${a.id}/archive`, { method: 'POST', token: owner });
  t.equal(((await arch.json()) as Article).status, 'archived');
  t.equal((await search(`/api/v1/kb/search?q=${encodeURIComponent('退货')}`)).total, 0);
  t.equal((await search(`/api/v1/kb/search?q=${encodeURIComponent('退货')}&status=archived`)).total, 1);

  const del = await s.call(`/api/v1/kb/articles/${a.id}`, { method: 'DELETE', token: owner });
  t.equal(del.status, 204);
  t.equal((await s.call(`/api/v1/kb/articles/${a.id}`, { token: owner })).status, 404);
  t.equal((await s.call(`/api/v1/kb/articles/${a.id}`, { method: 'DELETE', token: owner })).status, 404);
});

t.test('used, popular, categories', async (t) => {
  const { s, owner, post, tokenOf } = await server(t);
  const a = (await (await post({ title: '发票', body: '开具增值税发票', category: '财务' })).json()) as Article;
  const b = (await (await post({ title: '保修', body: '一年保修', category: '售后' })).json()) as Article;
  const agent = await tokenOf('agent');
  const used = await s.call(`/api/v1/kb/articles/${b.id}/used`, { method: 'POST', token: agent, json: { callId: 'call-1' } });
  t.equal(used.status, 200);
  t.equal(((await used.json()) as Article).uses, 1);
  t.equal((await s.call(`/api/v1/kb/articles/${b.id}/used`, { method: 'POST', token: agent })).status, 200, 'no body is fine');
  await s.call(`/api/v1/kb/articles/${a.id}`, { token: agent });
  const pop = (await (await s.call('/api/v1/kb/popular?limit=5', { token: agent })).json()) as { items: Article[] };
  t.same(
    pop.items.map((x) => x.id),
    [b.id, a.id],
  );
  const cats = (await (await s.call('/api/v1/kb/categories', { token: agent })).json()) as { items: unknown[] };
  t.same(cats.items, [
    { name: '售后', articles: 1 },
    { name: '财务', articles: 1 },
  ]);
  const bad = await s.call(`/api/v1/kb/articles/${b.id}/used`, { method: 'POST', token: agent, json: { callId: 5 } });
  t.equal(bad.status, 400);
  t.same((await errorOf(bad)).details, { field: 'callId' });
  t.equal((await s.call('/api/v1/kb/articles/nope/used', { method: 'POST', token: owner })).status, 404);
});

t.test('bad input is 400 naming the field', async (t) => {
  const { s, owner, post } = await server(t);
  const cases: [unknown, string][] = [
    [{ body: 'x' }, 'title'],
    [{ title: 'x' }, 'body'],
    [{ title: '', body: 'x' }, 'title'],
    [{ title: 'x', body: 'x', status: 'gone' }, 'status'],
    [{ title: 'x', body: 'x', tags: 'a' }, 'tags'],
    [{ title: 'x', body: 'x', extra: 1 }, 'extra'],
    [[1], 'body'],
  ];
  for (const [json, field] of cases) {
    const res = await post(json);
    t.equal(res.status, 400, JSON.stringify(json));
    t.same((await errorOf(res)).details, { field });
  }
  for (const q of ['', '?q=', `?q=${'x'.repeat(201)}`]) {
    const res = await s.call(`/api/v1/kb/search${q}`, { token: owner });
    t.equal(res.status, 400);
    t.same((await errorOf(res)).details, { field: 'q' });
  }
  t.equal((await s.call('/api/v1/kb/search?q=x&limit=0', { token: owner })).status, 400);
  t.equal((await s.call('/api/v1/kb/articles?status=old', { token: owner })).status, 400);
  const a = (await (await post({ title: 't', body: 'b' })).json()) as Article;
  const v = await s.call(`/api/v1/kb/articles/${a.id}`, { method: 'PATCH', token: owner, json: { version: 'one' } });
  t.same((await errorOf(v)).details, { field: 'version' });
  t.equal((await s.call('/api/v1/kb/articles/nope', { method: 'PATCH', token: owner, json: { title: 'x' } })).status, 404);
  t.equal((await s.call('/api/v1/kb/articles/nope', { token: owner })).status, 404);
});

t.test('roles: agents read, only owner/supervisor write, technicians nothing', async (t) => {
  const { s, post, tokenOf } = await server(t);
  const a = (await (await post({ title: '草稿', body: '内部', status: 'draft' })).json()) as Article;
  const sup = await tokenOf('supervisor');
  const agent = await tokenOf('agent');
  const tech = await tokenOf('technician');
  t.equal((await post({ title: '主管', body: 'x' }, sup)).status, 201);
  const denied = await post({ title: '坐席', body: 'x' }, agent);
  t.equal(denied.status, 403);
  t.same((await errorOf(denied)).details, { permission: 'kb.write' });
  t.equal((await s.call(`/api/v1/kb/articles/${a.id}`, { method: 'DELETE', token: agent })).status, 403);
  t.equal((await s.call(`/api/v1/kb/articles/${a.id}`, { token: agent })).status, 404, 'agents do not see drafts');
  t.equal((await s.call(`/api/v1/kb/articles/${a.id}`, { token: sup })).status, 200);
  t.equal((await s.call('/api/v1/kb/articles?status=draft', { token: agent })).status, 403);
  const agentList = (await (await s.call('/api/v1/kb/articles', { token: agent })).json()) as { total: number };
  t.equal(agentList.total, 1, 'agents list published only');
  t.equal((await s.call('/api/v1/kb/search?q=x', { token: tech })).status, 403);
  t.equal((await s.call('/api/v1/kb/popular', { token: tech })).status, 403);
  t.equal((await s.call('/api/v1/kb/search?q=x')).status, 401);
});

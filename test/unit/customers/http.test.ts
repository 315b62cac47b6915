// Customers over HTTP (the real server over the real back office): 201 with id, GET by id, ?q=
// search, PATCH with version (409), 400 naming the field, masking by role (agent 138****5678,
// supervisor/owner full, technician 403), screen pop routes, CSV import (GBK and UTF-8 BOM) and
// export, personal data and erasure (owner only), the audit trail (audit.read).
import t from 'tap';
import type { AuditEntry, Customer, CustomerImportReport, ErasureResult, Page, ScreenPop } from '../../../firmware/src/service/types.js';
import { errorOf, startTestServer } from '../web-ui/fixtures/helpers.js';
import { encodeGbk } from './fixtures/gbk.js';

type Role = 'supervisor' | 'agent' | 'technician';

async function server(t: { teardown(fn: () => unknown): void }) {
  const s = await startTestServer(t);
  const owner = await s.login();
  const tokenOf = async (role: Role) => {
    s.fake.auth.users.set(role, { password: 'pass-word-1', role });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: role, password: 'pass-word-1' } });
    return ((await res.json()) as { token: string }).token;
  };
  const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;
  return { s, owner, tokenOf, json };
}

t.test('CRUD and search with masking by role; 400 naming the field; 404; 409; 403', async (t) => {
  const { s, owner, tokenOf, json } = await server(t);
  const agent = await tokenOf('agent');
  const supervisor = await tokenOf('supervisor');
  const tech = await tokenOf('technician');
  const res = await s.call('/api/v1/customers', {
    method: 'POST',
    token: agent,
    json: { name: '张三', phones: ['13812345678'], tags: ['VIP'] },
  });
  t.equal(res.status, 201);
  const created = await json<Customer>(res);
  t.match(created, { name: '张三', version: 1, phones: [{ phone: '138****5678' }] });
  t.match(created.id, /^[0-9A-Z]{26}$/);
  t.same(
    s.fake.backOffice.customers.get({ username: 'system', role: 'owner' }, created.id)?.phones[0]?.phone,
    '13812345678',
    'durable, full number stored',
  );

  const asAgent = await json<Customer>(await s.call(`/api/v1/customers/${created.id}`, { token: agent }));
  t.equal(asAgent.phones[0]?.phone, '138****5678', 'agent: masked');
  const asSupervisor = await json<Customer>(await s.call(`/api/v1/customers/${created.id}`, { token: supervisor }));
  t.equal(asSupervisor.phones[0]?.phone, '13812345678', 'supervisor: full number');
  const asOwner = await json<Customer>(await s.call(`/api/v1/customers/${created.id}`, { token: owner }));
  t.equal(asOwner.phones[0]?.phone, '13812345678', 'owner: full number');
  t.equal((await s.call(`/api/v1/customers/${created.id}`, { token: tech })).status, 403, 'technician: no customer data');
  t.equal((await s.call('/api/v1/customers', { token: tech })).status, 403);
  t.equal((await s.call('/api/v1/customers')).status, 401);

  const found = await json<Page<Customer>>(await s.call('/api/v1/customers?q=5678', { token: agent }));
  t.equal(found.total, 1);
  t.equal(found.items[0]?.phones[0]?.phone, '138****5678');
  t.equal((await json<Page<Customer>>(await s.call(`/api/v1/customers?q=${encodeURIComponent('张')}&tag=VIP`, { token: agent }))).total, 1);
  t.equal((await json<Page<Customer>>(await s.call('/api/v1/customers?tag=nobody', { token: agent }))).total, 0);
  t.equal((await s.call('/api/v1/customers?limit=0', { token: agent })).status, 400);
  const longDigits = await s.call('/api/v1/customers?q=13812345678', { token: agent });
  t.equal(longDigits.status, 403, 'agent: a number search of more than the last 4 digits');
  t.match(await errorOf(longDigits), { code: 'FORBIDDEN', details: { field: 'q' } });
  t.equal((await json<Page<Customer>>(await s.call('/api/v1/customers?q=13812345678', { token: supervisor }))).total, 1);
  t.equal((await s.call('/api/v1/customers?q=x%00yz', { token: agent })).status, 200, 'a NUL in the text: no FTS5 syntax error');
  t.equal((await s.call('/api/v1/customers/nope', { token: agent })).status, 404);

  const patched = await s.call(`/api/v1/customers/${created.id}`, { method: 'PATCH', token: agent, json: { notes: '要发票', version: 1 } });
  t.equal(patched.status, 200);
  t.match(await json<Customer>(patched), { version: 2, notes: '要发票' });
  const stale = await s.call(`/api/v1/customers/${created.id}`, { method: 'PATCH', token: agent, json: { notes: 'x', version: 1 } });
  t.equal(stale.status, 409);
  t.same((await errorOf(stale)).details, { field: 'version', version: 2 });

  const bad = async (body: unknown, field: string, method = 'POST', path = '/api/v1/customers') => {
    const r = await s.call(path, { method, token: agent, json: body });
    t.equal(r.status, 400, JSON.stringify(body));
    t.same((await errorOf(r)).details, { field }, JSON.stringify(body));
  };
  await bad({}, 'name');
  await bad({ phones: ['abc'] }, 'phones');
  await bad({ phones: '13800000000' }, 'phones');
  await bad({ name: 'x', tags: [''] }, 'tags');
  await bad({ name: 'x', consent: { foo: true } }, 'consent');
  await bad({ name: 'x', color: 'red' }, 'color');
  await bad([], 'body');
  await bad({ version: 'one' }, 'version', 'PATCH', `/api/v1/customers/${created.id}`);
  const dup = await s.call('/api/v1/customers', { method: 'POST', token: agent, json: { name: '李四', phones: ['+8613812345678'] } });
  t.equal(dup.status, 409);
  t.match((await errorOf(dup)).details, { field: 'phones', customerId: created.id });
});

t.test('screen pop routes: by customer, by phone, by call; masked for agents; 400/404', async (t) => {
  const { s, owner, tokenOf, json } = await server(t);
  const agent = await tokenOf('agent');
  const c = await json<Customer>(
    await s.call('/api/v1/customers', { method: 'POST', token: owner, json: { name: '王五', phones: ['13900001111'], tags: ['VIP'] } }),
  );
  const pop = await json<ScreenPop>(await s.call(`/api/v1/customers/${c.id}/screen-pop`, { token: agent }));
  t.match(pop, { customer: { id: c.id, phones: [{ phone: '139****1111' }] }, vip: true, phone: '139****1111', lifetimeValueCents: 0 });
  const byPhone = await json<ScreenPop>(await s.call('/api/v1/screen-pop?phone=%2B8613900001111', { token: owner }));
  t.match(byPhone, { customer: { id: c.id }, phone: '+8613900001111' });
  const r = await s.call('/api/v1/screen-pop', { token: agent });
  t.equal(r.status, 400);
  t.same((await errorOf(r)).details, { field: 'phone' });
  t.equal((await s.call('/api/v1/screen-pop?phone=1&callId=2', { token: agent })).status, 400);
  t.equal((await s.call('/api/v1/screen-pop?phone=abc', { token: agent })).status, 400);
  t.equal((await s.call('/api/v1/screen-pop?callId=nope', { token: agent })).status, 404);
  t.equal((await s.call('/api/v1/customers/nope/screen-pop', { token: agent })).status, 404);
  t.equal((await s.call('/api/v1/screen-pop?phone=13900001111', { token: await tokenOf('technician') })).status, 403);
});

t.test('CSV: GBK and UTF-8 BOM import (report with lines), export with BOM; roles; 415; 413', async (t) => {
  const { s, owner, tokenOf, json } = await server(t);
  const agent = await tokenOf('agent');
  const supervisor = await tokenOf('supervisor');
  const post = (token: string, body: Uint8Array | string, type = 'text/csv') =>
    fetch(s.url('/api/v1/customers/import'), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
  const gbk = encodeGbk('姓名,电话,标签\r\n陈小春,13800000001,VIP\r\n郑伊健,13800000002,经销商\r\n,,\r\n谢天华,电话号码,\r\n');
  const r1 = await post(supervisor, gbk);
  t.equal(r1.status, 200);
  const rep = await json<CustomerImportReport>(r1);
  t.match(rep, { encoding: 'gbk', rows: 3, created: 2, skipped: [{ line: 5 }] });
  const r2 = await post(owner, `\ufeffName,Phone\n林晓峰,+86 138 0000 0003\n`, 'text/csv; charset=utf-8');
  t.match(await json<CustomerImportReport>(r2), { encoding: 'utf-8', created: 1 });
  t.equal((await post(agent, 'a,b\n')).status, 403, 'agents may not import');
  const wrongType = await s.call('/api/v1/customers/import', { method: 'POST', token: owner, json: { a: 1 } });
  t.equal(wrongType.status, 415);
  t.equal((await post(owner, '')).status, 400);
  t.equal((await post(owner, 'x'.repeat(5 * 1024 * 1024 + 1))).status, 413);

  const exp = await s.call('/api/v1/customers/export.csv', { token: supervisor });
  t.equal(exp.status, 200);
  t.match(exp.headers.get('content-type'), /^text\/csv/);
  t.match(exp.headers.get('content-disposition'), /attachment; filename="customers-\d{8}\.csv"/);
  const bytes = new Uint8Array(await exp.arrayBuffer());
  t.same([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const text = new TextDecoder().decode(bytes);
  t.match(text, /陈小春,13800000001,VIP/);
  t.match(text, /林晓峰,'\+8613800000003/);
  t.equal((await s.call('/api/v1/customers/export.csv', { token: agent })).status, 403);
  const back = await post(owner, bytes);
  t.match(
    await json<CustomerImportReport>(back),
    { created: 0, updated: 0, unchanged: 3, skipped: [] },
    'the export imports back unchanged',
  );
});

t.test('personal data and erasure: owner only; audit trail readable by the owner only', async (t) => {
  const { s, owner, tokenOf, json } = await server(t);
  const supervisor = await tokenOf('supervisor');
  const agent = await tokenOf('agent');
  const c = await json<Customer>(
    await s.call('/api/v1/customers', {
      method: 'POST',
      token: agent,
      json: { name: '黄大仙', phones: ['13711112222'], notes: '过敏体质' },
    }),
  );
  t.equal((await s.call(`/api/v1/customers/${c.id}/personal-data`, { token: supervisor })).status, 403);
  const data = await s.call(`/api/v1/customers/${c.id}/personal-data`, { token: owner });
  t.equal(data.status, 200);
  t.match(data.headers.get('content-disposition'), new RegExp(`customer-${c.id}\\.json`));
  t.match(await json(data), { customer: { name: '黄大仙', phones: [{ phone: '13711112222' }], notes: '过敏体质' }, calls: [], orders: [] });
  t.equal((await s.call(`/api/v1/customers/nope/personal-data`, { token: owner })).status, 404);
  // a name typed where the id goes (the REST fuzz found it): 404, not a 500 from the download's header
  const typed = await s.call(`/api/v1/customers/${encodeURIComponent('张三')}/personal-data`, { token: owner });
  t.equal(typed.status, 404, 'a Chinese id: 404');
  t.match(await errorOf(typed), { code: 'NOT_FOUND' });

  t.equal((await s.call(`/api/v1/customers/${c.id}/erase`, { method: 'POST', token: supervisor, json: { reason: 'x' } })).status, 403);
  const noReason = await s.call(`/api/v1/customers/${c.id}/erase`, { method: 'POST', token: owner, json: {} });
  t.equal(noReason.status, 400);
  t.same((await errorOf(noReason)).details, { field: 'reason' });
  const erased = await s.call(`/api/v1/customers/${c.id}/erase`, { method: 'POST', token: owner, json: { reason: '客户来电要求删除' } });
  t.equal(erased.status, 200);
  t.match(await json<ErasureResult>(erased), { customer: { id: c.id, name: null, phones: [], notes: '' }, scrubbed: { phones: 1 } });
  t.equal((await s.call(`/api/v1/customers/${c.id}/erase`, { method: 'POST', token: owner, json: { reason: 'again' } })).status, 409);
  t.match(await json<Customer>(await s.call(`/api/v1/customers/${c.id}`, { token: agent })), { id: c.id, name: null });

  t.equal((await s.call('/api/v1/audit', { token: supervisor })).status, 403);
  const audit = await json<{ items: AuditEntry[]; next: number | null }>(
    await s.call(`/api/v1/audit?entity=customer&entityId=${c.id}`, { token: owner }),
  );
  t.same(
    audit.items.map((a) => a.action),
    ['customer.erase', 'customer.personal_data_export', 'customer.create'],
  );
  t.match(audit.items[0], { actor: 'owner', detail: { reason: '客户来电要求删除' } });
  const page = await json<{ items: AuditEntry[]; next: number | null }>(await s.call('/api/v1/audit?limit=2', { token: owner }));
  t.equal(page.items.length, 2);
  const rest = await json<{ items: AuditEntry[] }>(
    await s.call(`/api/v1/audit?before=${page.next}&action=customer.create`, { token: owner }),
  );
  t.same(
    rest.items.map((a) => a.entityId),
    [c.id],
  );
  t.equal((await s.call('/api/v1/audit?limit=5000', { token: owner })).status, 400);
  t.equal((await s.call('/api/v1/audit?actor=', { token: owner })).status, 400);
});

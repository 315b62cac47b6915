// Tickets over HTTP (real server, FakeService with the real back office): 201 with id, GET with
// history/notes/links, search, PATCH with version (409), transitions (409 naming from/to), notes,
// links (400 unknown ref, 404 unknown ticket), return visits, categories and settings, 400s, roles.
import t from 'tap';
import type { Ticket, TicketCategory, TicketDetail, TicketSettings } from '../../../firmware/src/service/types.js';
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
  const req = (method: string, path: string, json?: unknown, token = owner) =>
    s.call(path, { method, token, ...(json !== undefined ? { json } : {}) });
  return { s, owner, tokenOf, req };
}

t.test('create, read, search, patch, transition, notes, links', async (t) => {
  const { s, req, tokenOf } = await server(t);
  const agent = await tokenOf('agent');
  const res = await req('POST', '/api/v1/tickets', { subject: '面霜用后过敏', category: 'adverse_reaction', phone: '13800138000' }, agent);
  t.equal(res.status, 201);
  const a = (await res.json()) as Ticket;
  t.match(a, { status: 'new', priority: 'normal', source: 'manual', number: /^T\d{8}-0001$/, phone: '138****8000', createdBy: 'agent' });
  t.match(a.id, /^[0-9A-Z]{26}$/);

  const got = (await (await req('GET', `/api/v1/tickets/${a.id}`, undefined, agent)).json()) as TicketDetail;
  t.match(got, { id: a.id, events: [{ type: 'created' }], notes: [], links: [] });
  t.equal((await req('GET', `/api/v1/tickets/${a.number}`)).status, 200, 'by number');
  t.equal((await req('GET', '/api/v1/tickets/NOPE')).status, 404);

  const found = (await (await req('GET', `/api/v1/tickets?q=${encodeURIComponent('过敏')}`)).json()) as { items: Ticket[]; total: number };
  t.equal(found.total, 1);
  t.equal(found.items[0]?.phone, '13800138000', 'the owner sees the full number');
  const none = (await (await req('GET', '/api/v1/tickets?status=closed&overdue=false')).json()) as { total: number };
  t.equal(none.total, 0);

  const p = await req('PATCH', `/api/v1/tickets/${a.id}`, { priority: 'urgent', assignee: 'agent', version: 1 }, agent);
  t.equal(p.status, 200);
  t.match(await p.json(), { priority: 'urgent', status: 'assigned', version: 2 });
  const mine = (await (await req('GET', '/api/v1/tickets?assignee=me', undefined, agent)).json()) as { total: number };
  t.equal(mine.total, 1, 'assignee=me');
  const stale = await req('PATCH', `/api/v1/tickets/${a.id}`, { priority: 'low', version: 1 }, agent);
  t.equal(stale.status, 409);
  t.equal((await errorOf(stale)).code, 'CONFLICT');

  const bad = await req('POST', `/api/v1/tickets/${a.id}/transition`, { to: 'closed' }, agent);
  t.equal(bad.status, 409);
  t.match(await errorOf(bad), { code: 'CONFLICT', message: /from assigned to closed/, details: { from: 'assigned', to: 'closed' } });
  const ok = await req('POST', `/api/v1/tickets/${a.id}/transition`, { to: 'in_progress', note: '开始处理' }, agent);
  t.equal(ok.status, 200);
  t.match(await ok.json(), { status: 'in_progress', version: 3 });

  const note = await req('POST', `/api/v1/tickets/${a.id}/notes`, { body: '已建议停用并观察', internal: true }, agent);
  t.equal(note.status, 201);
  t.match(await note.json(), { body: '已建议停用并观察', internal: true, author: 'agent' });

  s.fake.db
    .prepare(`INSERT INTO sms_received (id, modem_id, phone, body, received_at) VALUES ('SMS-1', 'm1', '13800138000', '过敏了怎么办', 1)`)
    .run();
  const link = await req('POST', `/api/v1/tickets/${a.id}/links`, { kind: 'sms', refId: 'SMS-1' }, agent);
  t.equal(link.status, 201);
  const unknownSms = await req('POST', `/api/v1/tickets/${a.id}/links`, { kind: 'sms', refId: 'm1' }, agent);
  t.equal(unknownSms.status, 400, "an SMS is linked by the box's id, not the modem's");
  t.match(await errorOf(unknownSms), { code: 'VALIDATION_FAILED', details: { field: 'refId' } });
  const unknownCall = await req('POST', `/api/v1/tickets/${a.id}/links`, { kind: 'call', refId: 'NO-SUCH-CALL' }, agent);
  t.equal(unknownCall.status, 400);
  t.match(await errorOf(unknownCall), { code: 'VALIDATION_FAILED', details: { field: 'refId' } });
  t.equal((await req('POST', '/api/v1/tickets/NOPE/links', { kind: 'sms', refId: 'x' })).status, 404);
  t.equal((await req('POST', '/api/v1/tickets/NOPE/notes', { body: 'x' })).status, 404);
  t.equal((await req('POST', '/api/v1/tickets/NOPE/transition', { to: 'resolved' })).status, 404);
  t.equal((await req('PATCH', '/api/v1/tickets/NOPE', { subject: 'x' })).status, 404);

  const full = (await (await req('GET', `/api/v1/tickets/${a.id}`)).json()) as TicketDetail;
  t.same(
    full.events.map((e) => e.type),
    ['created', 'updated', 'transition', 'transition', 'note', 'link'],
  );
  t.ok(full.firstResponseAt, 'the agent answered');

  const rv = await req('POST', `/api/v1/tickets/${a.id}/return-visit`, { inDays: 3, note: '回访确认' }, agent);
  t.equal(rv.status, 201);
  t.match(await rv.json(), { ticketId: a.id, state: 'pending', note: '回访确认' });
});

t.test('400s for bad input', async (t) => {
  const { req } = await server(t);
  const cases: [string, string, unknown, string][] = [
    ['POST', '/api/v1/tickets', {}, 'subject'],
    ['POST', '/api/v1/tickets', { subject: '' }, 'subject'],
    ['POST', '/api/v1/tickets', { subject: 'x', color: 'red' }, 'color'],
    ['POST', '/api/v1/tickets', { subject: 'x', priority: 'asap' }, 'priority'],
    ['POST', '/api/v1/tickets', { subject: 'x', category: 'nope' }, 'category'],
    ['POST', '/api/v1/tickets', { subject: 'x', source: 'fax' }, 'source'],
    ['POST', '/api/v1/tickets', { subject: 'x', phone: 'call me' }, 'phone'],
    ['POST', '/api/v1/tickets', { subject: 'x', customerId: 'NOPE' }, 'customerId'],
    ['POST', '/api/v1/tickets', [1, 2], 'body'],
    ['POST', '/api/v1/ticket-categories', { nameZh: 'x', slaHours: -1 }, 'slaHours'],
    ['POST', '/api/v1/ticket-categories', { slaHours: 3 }, 'nameZh'],
    ['PUT', '/api/v1/tickets-settings', { returnVisitAfterDays: 1000 }, 'returnVisitAfterDays'],
  ];
  for (const [method, path, json, field] of cases) {
    const res = await req(method, path, json);
    t.equal(res.status, 400, `${method} ${path} ${JSON.stringify(json)}`);
    t.match(await errorOf(res), { code: 'VALIDATION_FAILED', details: { field } });
  }
  const a = (await (await req('POST', '/api/v1/tickets', { subject: 'x' })).json()) as Ticket;
  for (const [path, json, field] of [
    [`/api/v1/tickets/${a.id}/transition`, {}, 'to'],
    [`/api/v1/tickets/${a.id}/transition`, { to: 'done' }, 'to'],
    [`/api/v1/tickets/${a.id}/transition`, { to: 'resolved', version: 'x' }, 'version'],
    [`/api/v1/tickets/${a.id}/notes`, { body: '' }, 'body'],
    [`/api/v1/tickets/${a.id}/links`, { kind: 'fax', refId: '1' }, 'kind'],
    [`/api/v1/tickets/${a.id}/links`, { kind: 'call' }, 'refId'],
    [`/api/v1/tickets/${a.id}/return-visit`, {}, 'phone'],
    [`/api/v1/tickets/${a.id}/return-visit`, { inDays: 'soon' }, 'inDays'],
  ] as [string, unknown, string][]) {
    const res = await req('POST', path, json);
    t.equal(res.status, 400, `${path} ${JSON.stringify(json)}`);
    t.match(await errorOf(res), { code: 'VALIDATION_FAILED', details: { field } });
  }
  for (const q of ['status=open', 'overdue=maybe', 'limit=0', 'color=red']) {
    const res = await req('GET', `/api/v1/tickets?${q}`);
    t.equal(res.status, 400, q);
  }
});

t.test('categories and settings', async (t) => {
  const { req, tokenOf } = await server(t);
  const supervisor = await tokenOf('supervisor');
  const agent = await tokenOf('agent');
  const list = (await (await req('GET', '/api/v1/ticket-categories', undefined, agent)).json()) as { items: TicketCategory[] };
  t.equal(list.items.length, 8);
  const c = await req('POST', '/api/v1/ticket-categories', { id: 'invoice', nameZh: '发票', nameEn: 'Invoice', slaHours: 72 }, supervisor);
  t.equal(c.status, 201);
  t.match(await c.json(), { id: 'invoice', slaHours: 72, builtin: false });
  t.equal((await req('POST', '/api/v1/ticket-categories', { id: 'invoice', nameZh: '发票' })).status, 409);
  const p = await req('PATCH', '/api/v1/ticket-categories/invoice', { slaHours: 48 });
  t.match(await p.json(), { slaHours: 48 });
  t.equal((await req('PATCH', '/api/v1/ticket-categories/nope', { slaHours: 48 })).status, 404);
  const tk = (await (await req('POST', '/api/v1/tickets', { subject: '开票', category: 'invoice' }, agent)).json()) as Ticket;
  t.equal(Date.parse(tk.dueAt ?? '') - Date.parse(tk.createdAt), 48 * 3_600_000);

  const s = (await (await req('GET', '/api/v1/tickets-settings')).json()) as TicketSettings;
  t.equal(s.missedCallTickets, true);
  const put = await req('PUT', '/api/v1/tickets-settings', { returnVisitOnResolve: true, returnVisitAfterDays: 2 });
  t.match(await put.json(), { returnVisitOnResolve: true, returnVisitAfterDays: 2 });
  t.equal((await req('GET', '/api/v1/tickets-settings', undefined, supervisor)).status, 200);
  t.equal((await req('PUT', '/api/v1/tickets-settings', { smsTickets: false }, supervisor)).status, 403, 'owner only');
});

t.test('roles: agents work tickets, technicians 403, tickets.admin for categories and settings', async (t) => {
  const { req, tokenOf, s } = await server(t);
  const agent = await tokenOf('agent');
  const tech = await tokenOf('technician');
  const a = (await (await req('POST', '/api/v1/tickets', { subject: 'x' }, agent)).json()) as Ticket;
  for (const [method, path, json] of [
    ['GET', '/api/v1/tickets', undefined],
    ['POST', '/api/v1/tickets', { subject: 'x' }],
    ['GET', `/api/v1/tickets/${a.id}`, undefined],
    ['PATCH', `/api/v1/tickets/${a.id}`, { subject: 'y' }],
    ['POST', `/api/v1/tickets/${a.id}/transition`, { to: 'resolved' }],
    ['POST', `/api/v1/tickets/${a.id}/notes`, { body: 'x' }],
    ['GET', '/api/v1/ticket-categories', undefined],
  ] as [string, string, unknown][]) {
    const res = await req(method, path, json, tech);
    t.equal(res.status, 403, `technician ${method} ${path}`);
    t.equal((await errorOf(res)).code, 'FORBIDDEN');
  }
  t.equal((await req('POST', '/api/v1/ticket-categories', { nameZh: 'x' }, agent)).status, 403);
  t.equal((await req('PATCH', '/api/v1/ticket-categories/inquiry', { slaHours: 1 }, agent)).status, 403);
  t.equal((await req('GET', '/api/v1/tickets-settings', undefined, agent)).status, 403);
  t.equal((await req('PUT', '/api/v1/tickets-settings', { smsTickets: false }, agent)).status, 403);
  t.equal((await s.call('/api/v1/tickets')).status, 401, 'no token');
});

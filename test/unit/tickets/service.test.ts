// The tickets service over a real back office: defaults, numbers per local day, SLA due times,
// versions, history + outbox per change, first response, notes, links, search, masking,
// categories, settings and return visits (回访) through the real follow-ups service.
import t from 'tap';
import { CallboxError } from '../../../firmware/src/errors.js';
import type { Actor } from '../../../firmware/src/service/types.js';
import { addCall, addRecording, addVoicemail, world } from './fixtures/world.js';

const OWNER: Actor = { username: 'owner', role: 'owner' };
const AGENT: Actor = { username: 'xiaoli', role: 'agent' };
const H = 3_600_000;

t.test('create: defaults, number, SLA due time, history and outbox', async (t) => {
  const w = world();
  const tk = w.bo.tickets;
  const a = tk.create(AGENT, { subject: '怎么辨别真伪' });
  t.match(a, {
    subject: '怎么辨别真伪',
    description: '',
    category: 'inquiry',
    priority: 'normal',
    source: 'manual',
    status: 'new',
    number: 'T20261126-0001',
    createdBy: 'xiaoli',
    version: 1,
    reopenCount: 0,
    overdue: false,
    firstResponseAt: null,
  });
  t.equal(a.dueAt, new Date(Date.UTC(2026, 10, 26, 2) + 24 * H).toISOString(), 'inquiry: 24 h SLA');
  const b = tk.create(AGENT, { subject: '用后过敏', category: 'adverse_reaction', priority: 'urgent', assignee: 'xiaowang' });
  t.match(b, { number: 'T20261126-0002', status: 'assigned', assignee: 'xiaowang', priority: 'urgent' });
  t.equal(b.dueAt, new Date(Date.UTC(2026, 10, 26, 2) + 4 * H).toISOString(), 'adverse reaction: 4 h SLA');
  const d = tk.detail(AGENT, b.id);
  t.match(d?.events, [{ type: 'created', toStatus: 'assigned', actor: 'xiaoli' }]);
  const out = w.bo.outbox.pending('tickets', 10);
  t.equal(out.length, 2);
  t.match(out[1], { id: b.id, version: 1, body: { number: 'T20261126-0002' } });
  t.equal(tk.get(AGENT, 'T20261126-0002')?.id, b.id, 'found by number too');
});

t.test('numbers restart each local day in the shop time zone', async (t) => {
  // 2026-11-26 15:59 UTC is 23:59 in Shanghai; a minute later it is the 27th there
  const w = world(Date.UTC(2026, 10, 26, 15, 59));
  const tk = w.bo.tickets;
  t.equal(tk.create(AGENT, { subject: 'a' }).number, 'T20261126-0001');
  t.equal(tk.create(AGENT, { subject: 'b' }).number, 'T20261126-0002');
  w.clock.advance(60_000);
  t.equal(tk.create(AGENT, { subject: 'c' }).number, 'T20261127-0001');
  w.config.shop.timezone = 'UTC';
  t.equal(tk.create(AGENT, { subject: 'd' }).number, 'T20261126-0003', 'in UTC it is still the 26th');
});

t.test('update: versions, SLA recomputed on category change, assignment, history', async (t) => {
  const w = world();
  const tk = w.bo.tickets;
  const a = tk.create(AGENT, { subject: '退货', category: 'inquiry' });
  w.clock.advance(H);
  const b = tk.update(AGENT, a.id, { category: 'return', version: 1 });
  t.equal(b.version, 2);
  t.equal(b.dueAt, new Date(Date.parse(a.createdAt) + 48 * H).toISOString(), 'due from creation + the new SLA');
  t.throws(() => tk.update(AGENT, a.id, { priority: 'high', version: 1 }), { code: 'CONFLICT' });
  const c = tk.update(AGENT, a.id, { assignee: 'xiaoli' });
  t.match(c, { status: 'assigned', assignee: 'xiaoli', version: 3 });
  const d = tk.update(AGENT, a.id, { assignee: null });
  t.match(d, { status: 'new', assignee: null });
  t.equal(tk.update(AGENT, a.id, { subject: '退货' }).version, 4, 'no change, no new version');
  t.throws(() => tk.update(AGENT, a.id, { category: 'nope' }), { code: 'VALIDATION_FAILED', details: { field: 'category' } });
  t.throws(() => tk.update(AGENT, a.id, { priority: 'asap' as never }), { code: 'VALIDATION_FAILED', details: { field: 'priority' } });
  t.throws(() => tk.update(AGENT, a.id, { subject: '' }), { code: 'VALIDATION_FAILED', details: { field: 'subject' } });
  t.throws(() => tk.update(AGENT, 'nope', { subject: 'x' }), { code: 'NOT_FOUND' });
  const events = tk.detail(AGENT, a.id)?.events.map((e) => e.type);
  t.same(events, ['created', 'updated', 'updated', 'transition', 'updated', 'transition']);
  t.equal(w.bo.outbox.pending('tickets', 100).filter((r) => r.id === a.id).length, 4, 'an outbox row per version');
  // a category without SLA clears the due time
  tk.createCategory(OWNER, { id: 'gift', nameZh: '礼品', nameEn: 'Gift' });
  t.equal(tk.update(AGENT, a.id, { category: 'gift' }).dueAt, null);
});

t.test('overdue, first response, resolved/closed times', async (t) => {
  const w = world();
  const tk = w.bo.tickets;
  const a = tk.create(AGENT, { subject: '过敏', category: 'adverse_reaction' });
  tk.addNote({ username: 'system', role: 'owner' }, a.id, { body: '自动备注' });
  t.equal(tk.get(AGENT, a.id)?.firstResponseAt, null, 'the system does not answer');
  w.clock.advance(5 * H);
  t.equal(tk.get(AGENT, a.id)?.overdue, true);
  t.same(
    tk.search(AGENT, { overdue: true }).items.map((x) => x.id),
    [a.id],
  );
  t.equal(tk.search(AGENT, { overdue: false }).total, 0);
  const n = tk.addNote(AGENT, a.id, { body: '已电话联系客户', internal: false });
  t.match(n, { author: 'xiaoli', internal: false, body: '已电话联系客户' });
  const after = tk.get(AGENT, a.id);
  t.equal(after?.firstResponseAt, new Date(w.clock.now()).toISOString());
  w.clock.advance(H);
  const r = tk.transition(AGENT, a.id, { to: 'resolved' });
  t.equal(r.firstResponseAt, after?.firstResponseAt, 'kept');
  t.equal(r.resolvedAt, new Date(w.clock.now()).toISOString());
  t.equal(r.overdue, false, 'resolved is never overdue');
  t.equal(tk.search(AGENT, { overdue: true }).total, 0);
  const c = tk.transition(AGENT, a.id, { to: 'closed' });
  t.ok(c.closedAt);
  t.match(tk.detail(AGENT, a.id)?.notes, [
    { author: 'system', internal: true },
    { author: 'xiaoli', internal: false },
  ]);
  t.throws(() => tk.addNote(AGENT, a.id, { body: '' }), { code: 'VALIDATION_FAILED', details: { field: 'body' } });
  t.throws(() => tk.addNote(AGENT, a.id, { body: 'x', internal: 'yes' as never }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'internal' },
  });
});

t.test('links: calls, recordings, voicemails, orders, SMS; unknown refs refused', async (t) => {
  const w = world();
  const tk = w.bo.tickets;
  addCall(w.db, 'CALL1', '13800000001');
  addRecording(w.db, 'REC1', 'CALL1');
  addVoicemail(w.db, 'VM1', 'CALL1', '13800000001');
  const a = tk.create(AGENT, { subject: '质量投诉', callId: 'CALL1', phone: '138-0000-0001' });
  t.equal(a.customerId, 'C1', 'customer found by phone');
  t.equal(a.phone, '138****0001', 'agents see masked numbers');
  t.equal(tk.get(OWNER, a.id)?.phone, '13800000001');
  t.match(tk.addLink(AGENT, a.id, { kind: 'recording', refId: 'REC1' }), { kind: 'recording', refId: 'REC1' });
  tk.addLink(AGENT, a.id, { kind: 'voicemail', refId: 'VM1' });
  w.db
    .prepare(`INSERT INTO sms_received (id, modem_id, phone, body, received_at) VALUES ('SMS-7', 'm7', '13800000001', '还在吗', 1)`)
    .run();
  tk.addLink(AGENT, a.id, { kind: 'sms', refId: 'SMS-7' });
  t.throws(
    () => tk.addLink(AGENT, a.id, { kind: 'sms', refId: 'm7' }),
    { code: 'VALIDATION_FAILED', details: { field: 'refId' } },
    'an SMS by the box id only',
  );
  t.same(
    tk.detail(AGENT, a.id)?.links.map((l) => `${l.kind}:${l.refId}`),
    ['call:CALL1', 'recording:REC1', 'sms:SMS-7', 'voicemail:VM1'],
  );
  t.throws(() => tk.addLink(AGENT, a.id, { kind: 'recording', refId: 'REC1' }), { code: 'CONFLICT' });
  t.throws(() => tk.addLink(AGENT, a.id, { kind: 'call', refId: 'NOPE' }), { code: 'VALIDATION_FAILED', details: { field: 'refId' } });
  t.throws(() => tk.addLink(AGENT, a.id, { kind: 'order', refId: 'NOPE' }), { code: 'VALIDATION_FAILED', details: { field: 'refId' } });
  t.throws(() => tk.addLink(AGENT, a.id, { kind: 'fax' as never, refId: 'x' }), { code: 'VALIDATION_FAILED', details: { field: 'kind' } });
  t.throws(() => tk.addLink(AGENT, 'nope', { kind: 'call', refId: 'CALL1' }), { code: 'NOT_FOUND' });
  t.throws(() => tk.create(AGENT, { subject: 'x', callId: 'NOPE' }), { code: 'VALIDATION_FAILED', details: { field: 'callId' } });
  t.throws(() => tk.create(AGENT, { subject: 'x', customerId: 'NOPE' }), { code: 'VALIDATION_FAILED', details: { field: 'customerId' } });
  t.throws(() => tk.create(AGENT, { subject: 'x', phone: 'abc' }), { code: 'VALIDATION_FAILED', details: { field: 'phone' } });
  t.equal(tk.get(AGENT, a.id)?.version, 4, 'each link is a change');
});

t.test('search: text, number, phone and filters', async (t) => {
  const w = world();
  const tk = w.bo.tickets;
  const a = tk.create(AGENT, { subject: '面霜过敏', description: '用后脸红', category: 'adverse_reaction', customerId: 'C1' });
  const b = tk.create(AGENT, { subject: '哪里能买', category: 'where_to_buy', assignee: 'xiaoli', phone: '+8613900000002' });
  tk.create(AGENT, { subject: '100%_真品?' });
  const ids = (q: object) => tk.search(AGENT, q).items.map((x) => x.id);
  t.same(ids({ q: '脸红' }), [a.id]);
  t.same(ids({ q: 'T20261126-0002' }), [b.id]);
  t.same(ids({ q: '13900000002' }), [b.id], 'by phone digits');
  t.equal(tk.search(AGENT, { q: '%' }).total, 1, 'LIKE wildcards taken literally');
  t.same(ids({ assignee: 'xiaoli' }), [b.id]);
  t.same(ids({ status: 'assigned' }), [b.id]);
  t.same(ids({ customerId: 'C1' }), [a.id]);
  t.same(ids({ category: 'adverse_reaction' }), [a.id]);
  t.equal(b.customerId, 'C2', 'found by another stored form of the phone');
  const page = tk.search(AGENT, { limit: 2, offset: 0 });
  t.equal(page.total, 3);
  t.equal(page.items.length, 2);
  t.throws(() => tk.search(AGENT, { status: 'open' as never }), { code: 'VALIDATION_FAILED', details: { field: 'status' } });
  t.throws(() => tk.search(AGENT, { limit: 0 }), { code: 'VALIDATION_FAILED', details: { field: 'limit' } });
});

t.test('categories added by the owner, SLA, disabling', async (t) => {
  const w = world();
  const tk = w.bo.tickets;
  t.equal(tk.categories(AGENT).length, 8);
  const c = tk.createCategory(OWNER, { id: 'invoice', nameZh: '发票', nameEn: 'Invoice', slaHours: 72 });
  t.match(c, { id: 'invoice', builtin: false, disabled: false, slaHours: 72 });
  const gen = tk.createCategory(OWNER, { nameZh: '物流' });
  t.match(gen.id, /^c_[0-9a-z]{26}$/);
  t.equal(gen.nameEn, '物流');
  t.throws(() => tk.createCategory(OWNER, { id: 'invoice', nameZh: 'x' }), { code: 'CONFLICT' });
  t.throws(() => tk.createCategory(OWNER, { id: 'Bad Id', nameZh: 'x' }), { code: 'VALIDATION_FAILED', details: { field: 'id' } });
  t.throws(() => tk.createCategory(OWNER, { nameZh: 'x', slaHours: 0 }), { code: 'VALIDATION_FAILED', details: { field: 'slaHours' } });
  t.throws(() => tk.createCategory(OWNER, { nameZh: '' }), { code: 'VALIDATION_FAILED', details: { field: 'nameZh' } });
  const a = tk.create(AGENT, { subject: '开发票', category: 'invoice' });
  t.equal(Date.parse(a.dueAt ?? '') - Date.parse(a.createdAt), 72 * H);
  t.match(tk.updateCategory(OWNER, 'quality_complaint', { slaHours: 2 }), { slaHours: 2, builtin: true });
  t.equal(Date.parse(tk.create(AGENT, { subject: 'q', category: 'quality_complaint' }).dueAt ?? '') - w.clock.now(), 2 * H);
  tk.updateCategory(OWNER, 'invoice', { disabled: true });
  t.throws(() => tk.create(AGENT, { subject: 'x', category: 'invoice' }), { code: 'VALIDATION_FAILED', details: { field: 'category' } });
  t.throws(() => tk.updateCategory(OWNER, 'inquiry', { disabled: true }), { code: 'VALIDATION_FAILED', details: { field: 'disabled' } });
  t.throws(() => tk.updateCategory(OWNER, 'nope', { slaHours: 1 }), { code: 'NOT_FOUND' });
});

t.test('settings: defaults, validation, stored', async (t) => {
  const w = world();
  const tk = w.bo.tickets;
  t.same(tk.settings(OWNER), {
    missedCallTickets: true,
    voicemailTickets: true,
    smsTickets: true,
    returnVisitOnResolve: false,
    returnVisitAfterDays: 3,
  });
  t.match(tk.updateSettings(OWNER, { returnVisitOnResolve: true, returnVisitAfterDays: 7 }), {
    returnVisitOnResolve: true,
    returnVisitAfterDays: 7,
  });
  t.equal(tk.settings(OWNER).returnVisitAfterDays, 7);
  t.throws(() => tk.updateSettings(OWNER, { returnVisitAfterDays: 0 }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'returnVisitAfterDays' },
  });
  t.throws(() => tk.updateSettings(OWNER, { loud: true } as never), { code: 'VALIDATION_FAILED', details: { field: 'loud' } });
  t.throws(() => tk.updateSettings(OWNER, { smsTickets: 'no' } as never), { code: 'VALIDATION_FAILED', details: { field: 'smsTickets' } });
  const row = w.db.prepare("SELECT value FROM settings WHERE key = 'tickets.settings'").get() as { value: string };
  t.match(JSON.parse(row.value), { returnVisitAfterDays: 7 });
});

t.test('SMS: a ticket, then notes on the same open ticket the same day', async (t) => {
  const w = world();
  const tk = w.bo.tickets;
  const a = tk.fromSms('+8613800000001', '请问面霜怎么用？\n谢谢', w.clock.now(), 'SMS1');
  t.match(a, { source: 'sms', customerId: 'C1', phone: '+8613800000001', status: 'new', category: 'inquiry' });
  t.match(a?.subject, /短信 \/ SMS \+86138\*\*\*\*0001: 请问面霜怎么用？/);
  const b = tk.fromSms('13800000001', '还有，能退货吗', w.clock.now());
  t.equal(b?.id, a?.id, 'same sender, same day, still open: added to it');
  const d = tk.detail(OWNER, a?.id ?? '');
  t.match(d?.notes, [{ body: '还有，能退货吗', internal: false, author: 'system' }]);
  t.match(d?.links, [{ kind: 'sms', refId: 'SMS1' }]);
  const c = tk.fromSms('Taobao', '您的快递已发出', w.clock.now());
  t.match(c, { source: 'sms', phone: null, customerId: null });
  t.match(c?.description, /Taobao/);
  tk.updateSettings(OWNER, { smsTickets: false });
  t.equal(tk.fromSms('13800000001', 'x', w.clock.now()), null);
});

t.test('SMS read again (the box stopped before the SIM copy was deleted): no second ticket or note', async (t) => {
  const w = world();
  const tk = w.bo.tickets;
  const a = tk.fromSms('+8613800000002', '面霜到了吗', w.clock.now(), 'SMS-A');
  const b = tk.fromSms('+8613800000002', '另外要发票', w.clock.now(), 'SMS-B');
  t.equal(b?.id, a?.id, 'a second SMS is a note on the same ticket');
  const again = [
    tk.fromSms('+8613800000002', '面霜到了吗', w.clock.now(), 'SMS-A'),
    tk.fromSms('+8613800000002', '另外要发票', w.clock.now(), 'SMS-B'),
  ];
  t.same(
    again.map((x) => x?.id),
    [a?.id, a?.id],
    'the same ids again: the ticket they are on',
  );
  const d = tk.detail(OWNER, a?.id ?? '');
  t.equal(d?.notes.length, 1, 'still one note');
  t.same(d?.links.map((l) => l.refId).sort(), ['SMS-A', 'SMS-B']);
  t.equal(tk.search(OWNER, { source: 'sms' } as never).items.filter((x) => x.phone === '+8613800000002').length, 1, 'still one ticket');
});

t.test('return visits through the real follow-ups service', async (t) => {
  const w = world();
  const tk = w.bo.tickets;
  const a = tk.create(AGENT, { subject: '使用指导', customerId: 'C1' });
  const item = tk.scheduleReturnVisit(AGENT, a.id, { inDays: 2, note: '确认效果' });
  t.match(item, { ticketId: a.id, customerId: 'C1', state: 'pending', note: '确认效果' });
  t.equal(Date.parse(item.dueAt), w.clock.now() + 2 * 24 * H);
  const items = w.bo.followups.items(OWNER, { ticketId: a.id });
  t.equal(items.total, 1, 'the item is in the follow-ups list');
  t.match(tk.detail(AGENT, a.id)?.events.at(-1), { type: 'return_visit' });
  const due = Date.UTC(2026, 11, 1, 2);
  t.equal(Date.parse(tk.scheduleReturnVisit(AGENT, a.id, { dueAt: new Date(due).toISOString() } as never).dueAt), due);
  t.throws(() => tk.scheduleReturnVisit(AGENT, a.id, { dueAt: 1, inDays: 1 }), { code: 'VALIDATION_FAILED', details: { field: 'dueAt' } });
  t.throws(() => tk.scheduleReturnVisit(AGENT, a.id, { dueAt: 1 }), { code: 'VALIDATION_FAILED', details: { field: 'dueAt' } });
  t.throws(() => tk.scheduleReturnVisit(AGENT, a.id, { inDays: -1 }), { code: 'VALIDATION_FAILED', details: { field: 'inDays' } });
  const noPhone = tk.create(AGENT, { subject: '无号码' });
  t.throws(() => tk.scheduleReturnVisit(AGENT, noPhone.id, {}), { code: 'VALIDATION_FAILED', details: { field: 'phone' } });
  t.throws(() => tk.scheduleReturnVisit(AGENT, 'nope', {}), { code: 'NOT_FOUND' });

  // automatic on resolve
  tk.updateSettings(OWNER, { returnVisitOnResolve: true, returnVisitAfterDays: 5 });
  const b = tk.create(AGENT, { subject: '退货', phone: '13900000009' });
  tk.transition(AGENT, b.id, { to: 'resolved' });
  const auto = w.bo.followups.items(OWNER, { ticketId: b.id });
  t.equal(auto.total, 1);
  t.equal(Date.parse(auto.items[0]?.dueAt ?? ''), w.clock.now() + 5 * 24 * H);
  const c = tk.transition(AGENT, noPhone.id, { to: 'resolved' });
  t.equal(c.status, 'resolved', 'no phone: resolved anyway');
  t.match(tk.detail(AGENT, noPhone.id)?.events.at(-1), { type: 'return_visit_failed' });
});

t.test('a return visit the follow-ups area refuses: the error reaches the caller, resolving still works', async (t) => {
  const w = world();
  const tk = w.bo.tickets;
  w.bo.followups.schedule = () => {
    throw new CallboxError('CONFLICT', 'the return-visit list is full');
  };
  const a = tk.create(AGENT, { subject: '回访测试', phone: '13800000001' });
  t.throws(() => tk.scheduleReturnVisit(AGENT, a.id, { inDays: 1 }), { code: 'CONFLICT', message: /list is full/ });
  t.equal(tk.get(AGENT, a.id)?.version, 1, 'nothing written');
  tk.updateSettings(OWNER, { returnVisitOnResolve: true });
  const r = tk.transition(AGENT, a.id, { to: 'resolved' });
  t.equal(r.status, 'resolved');
  t.match(tk.detail(AGENT, a.id)?.events.at(-1), { type: 'return_visit_failed', body: /list is full/ });
});

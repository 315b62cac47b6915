// POST /api/v1/sms over the real SMS outbox and back office (the fake service's in-memory
// database), with a modem stand-in: a message is stored queued, then sent; one about a ticket goes
// to the ticket's customer, is linked to the ticket and noted on it once sent; agents see masked
// numbers; failures are retried (30 s, 2 min, 10 min) then given up; nothing is tried while the
// modem is not ready; bad input is a 4xx naming the field; technicians may not send.
import t from 'tap';
import { SYSTEM_ACTOR } from '../../../firmware/src/backoffice/common/types.js';
import type { SmsMessage } from '../../../firmware/src/service/types.js';
import { errorOf, startTestServer } from './fixtures/helpers.js';

async function server(t: { teardown(fn: () => unknown): void }) {
  const s = await startTestServer(t);
  const token = await s.login();
  const tokenOf = async (role: 'supervisor' | 'agent' | 'technician') => {
    s.fake.auth.users.set(role, { password: 'pass-word-1', role });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: role, password: 'pass-word-1' } });
    return ((await res.json()) as { token: string }).token;
  };
  const post = async (json: unknown, as = token) => s.call('/api/v1/sms', { method: 'POST', token: as, json });
  const get = async (id: string, as = token) => (await (await s.call(`/api/v1/sms/${id}`, { token: as })).json()) as SmsMessage;
  return { s, token, tokenOf, post, get, clock: s.fake.boClock, modem: s.fake.smsSender };
}

t.test('queued, then sent through the modem', async (t) => {
  const { post, get, clock, modem } = await server(t);
  const res = await post({ to: '138 0013 8000', text: '您的订单已发货，请注意查收。' });
  t.equal(res.status, 202);
  const queued = (await res.json()) as SmsMessage;
  t.match(queued, { status: 'queued', to: '13800138000', attempts: 0, createdBy: 'owner', sentAt: null });
  await clock.run(10);
  t.same(modem.sent, [{ to: '13800138000', text: '您的订单已发货，请注意查收。' }]);
  t.match(await get(queued.id), { status: 'sent', attempts: 1, parts: 1, lastError: null, nextTryAt: null });
});

t.test('about a ticket: to its customer, linked, noted when sent; masked for agents', async (t) => {
  const { s, post, get, clock, tokenOf } = await server(t);
  const customer = s.fake.customers.create(SYSTEM_ACTOR, { name: '王女士', phones: ['13912345678'] });
  const ticket = s.fake.tickets.create(SYSTEM_ACTOR, { subject: '退货', customerId: customer.id, phone: '13912345678' });
  const agent = await tokenOf('agent');
  const res = await post({ ticketId: ticket.id, text: '退货已受理 / return accepted' }, agent);
  t.equal(res.status, 202);
  const msg = (await res.json()) as SmsMessage;
  t.match(msg, { to: '139****5678', customerId: customer.id, ticketId: ticket.id, createdBy: 'agent' });
  t.equal(s.fake.smsSender.sent.length, 0, 'not sent before the worker runs');
  await clock.run(10);
  t.equal(s.fake.smsSender.sent[0]?.to, '13912345678', 'sent to the full number');
  t.match(await get(msg.id), { status: 'sent' });
  const detail = s.fake.tickets.detail(SYSTEM_ACTOR, ticket.id);
  t.match(detail?.links, [{ kind: 'sms', refId: msg.id }]);
  t.match(detail?.notes.at(-1), { body: /短信已发送 \/ SMS sent \(agent\): 退货已受理/, internal: false });
  const byTicket = (await (await s.call(`/api/v1/sms?ticketId=${ticket.id}`, { token: agent })).json()) as { messages: SmsMessage[] };
  t.same(
    byTicket.messages.map((m) => m.id),
    [msg.id],
  );
  const byCustomer = await post({ customerId: customer.id, text: '谢谢' });
  t.match(await byCustomer.json(), { to: '13912345678', customerId: customer.id, ticketId: null });
  const byNumber = await post({ to: '+86 139 1234 5678', text: 'hi' });
  t.match(await byNumber.json(), { customerId: customer.id }, 'the number in +86 form is the same customer');
});

t.test('retries after failures, then gives up; waits while the modem is not ready', async (t) => {
  const { post, get, clock, modem } = await server(t);
  modem.failWith = '+CMS ERROR: 38';
  const a = (await (await post({ to: '13800000001', text: 'a' })).json()) as SmsMessage;
  await clock.run(10);
  t.match(await get(a.id), { status: 'queued', attempts: 1, lastError: '+CMS ERROR: 38' });
  await clock.run(30_000);
  t.match(await get(a.id), { status: 'queued', attempts: 2 });
  modem.failWith = null;
  await clock.run(120_000);
  t.match(await get(a.id), { status: 'sent', attempts: 3 });

  modem.failWith = 'SMS part 1/1 to 13800000002 failed: AT+CMGS timed out';
  const b = (await (await post({ to: '13800000002', text: 'b' })).json()) as SmsMessage;
  await clock.run(30_000 + 120_000 + 600_000 + 100);
  t.match(await get(b.id), { status: 'failed', attempts: 4, lastError: /timed out/ });
  await clock.run(3_600_000);
  t.equal((await get(b.id)).attempts, 4, 'no more tries');

  modem.failWith = null;
  modem.isReady = false;
  const c = (await (await post({ to: '13800000003', text: 'c' })).json()) as SmsMessage;
  await clock.run(600_000);
  t.match(await get(c.id), { status: 'queued', attempts: 0 }, 'nothing tried, no try counted');
  modem.isReady = true;
  await clock.run(5000);
  t.match(await get(c.id), { status: 'sent', attempts: 1 });
});

t.test('bad input and roles', async (t) => {
  const { s, post, tokenOf } = await server(t);
  const field = async (json: unknown) => {
    const res = await post(json);
    return `${res.status} ${((await errorOf(res)).details as { field?: string } | undefined)?.field}`;
  };
  t.equal(await field({ to: '13800138000', text: '' }), '400 text');
  t.equal(await field({ to: '13800138000', text: '  ' }), '400 text');
  t.equal(await field({ to: '13800138000', text: '长'.repeat(671) }), '400 text');
  t.equal(await field({ to: '13800138000' }), '400 text');
  t.equal(await field({ to: 'call me', text: 'x' }), '400 to');
  t.equal(await field({ text: 'x' }), '400 to');
  t.equal(await field({ to: '13800138000', text: 'x', priority: 1 }), '400 priority');
  t.equal(await field({ ticketId: 'NOPE', text: 'x' }), '404 ticketId');
  t.equal(await field({ customerId: 'NOPE', text: 'x' }), '404 customerId');
  t.equal(await field([1]), '400 body');
  t.equal((await s.call('/api/v1/sms', { method: 'POST', json: { to: '1', text: 'x' } })).status, 401);
  const tech = await tokenOf('technician');
  t.equal((await post({ to: '13800138000', text: 'x' }, tech)).status, 403);
  t.equal((await s.call('/api/v1/sms', { token: tech })).status, 403);
  const sup = await tokenOf('supervisor');
  t.equal((await post({ to: '13800138000', text: 'x' }, sup)).status, 202);
  t.equal((await s.call('/api/v1/sms?status=lost', { token: sup })).status, 400);
  t.equal((await s.call('/api/v1/sms/NOPE', { token: sup })).status, 404);
  t.equal(s.fake.smsSender.sent.length, 0, 'the worker has not run: nothing refused was queued');
  const list = (await (await s.call('/api/v1/sms?status=queued', { token: sup })).json()) as { messages: SmsMessage[] };
  t.equal(list.messages.length, 1, 'only the accepted message is stored');
});

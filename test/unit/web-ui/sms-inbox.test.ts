// The SMS inbox over REST (the real outbox and inbox over the fake service's in-memory database and
// back office): received messages listed with ?direction=in, paged with a total and the unread
// count, one by id, masked for agents, marked read; a reply by the received message's id goes to its
// number (which an agent does not see) and ticket; bad parameters are 4xx with a code and the field.
import t from 'tap';
import type { SmsList, SmsMessage, SmsReceived } from '../../../firmware/src/service/types.js';
import { errorOf, startTestServer } from './fixtures/helpers.js';

async function server(t: { teardown(fn: () => unknown): void }) {
  const s = await startTestServer(t);
  const token = await s.login();
  s.fake.auth.users.set('agent', { password: 'pass-word-1', role: 'agent' });
  const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: 'agent', password: 'pass-word-1' } });
  const agent = ((await res.json()) as { token: string }).token;
  const clock = s.fake.boClock;
  const arrive = (from: string, text: string, id: string) => {
    clock.advance(1000);
    return s.fake.sms.inbox.receive({ from, text, receivedAt: clock.now(), id }) as string;
  };
  const list = async (query: string, as = token) => (await (await s.call(`/api/v1/sms${query}`, { token: as })).json()) as SmsList;
  return { s, token, agent, clock, arrive, list };
}

t.test('GET /api/v1/sms?direction=in: the inbox, paged, with the unread count; masked for agents', async (t) => {
  const { s, arrive, list, agent, clock } = await server(t);
  const ids = [arrive('+8613800000001', '第一条', 'a'), arrive('13700001111', '第二条', 'b'), arrive('10086', '话费提醒', 'c')];
  clock.advance(1000);
  await s.call('/api/v1/sms', { method: 'POST', token: (await s.login()) as string, json: { to: '13900000009', text: '回复' } });
  const inbox = await list('?direction=in&limit=2');
  t.same(
    inbox.messages.map((m) => m.id),
    [ids[2], ids[1]],
    'newest first',
  );
  t.match(inbox, { total: 3, unread: 3 });
  t.match(inbox.messages[1], { direction: 'in', from: '13700001111', text: '第二条', readAt: null });
  t.same(
    (await list('?direction=in&limit=2&offset=2')).messages.map((m) => m.id),
    [ids[0]],
    'page 2',
  );
  const both = await list('');
  t.same(
    both.messages.map((m) => m.direction),
    ['out', 'in', 'in', 'in'],
    'both directions without a direction',
  );
  t.equal((await list('?direction=out')).total, 1);
  const forAgent = await list('?direction=in', agent);
  t.same(
    forAgent.messages.map((m) => (m as SmsReceived).from),
    ['1***6', '137****1111', '+86138****0001'],
  );
  const one = (await (await s.call(`/api/v1/sms/${ids[1]}`, { token: agent })).json()) as SmsReceived;
  t.match(one, { id: ids[1], direction: 'in', from: '137****1111', text: '第二条' });
});

t.test('mark as read; reply by the received id', async (t) => {
  const { s, token, agent, arrive, list } = await server(t);
  const id = arrive('13700001111', '在吗？', 'a');
  const read = await s.call(`/api/v1/sms/${id}/read`, { method: 'POST', token: agent });
  t.equal(read.status, 200);
  t.match(await read.json(), { id, readBy: 'agent', readAt: /Z$/ });
  t.match(await list('?direction=in&unread=true'), { total: 0, unread: 0 });
  t.equal((await list('?unread=false')).total, 1);
  const reply = await s.call('/api/v1/sms', { method: 'POST', token: agent, json: { replyTo: id, text: '在的，请讲' } });
  t.equal(reply.status, 202);
  const msg = (await reply.json()) as SmsMessage;
  const received = (await (await s.call(`/api/v1/sms/${id}`, { token })).json()) as SmsReceived;
  t.match(msg, { to: '137****1111', ticketId: received.ticketId }, "to the sender, about the message's ticket");
  await s.fake.boClock.run(10);
  t.same(s.fake.smsSender.sent, [{ to: '13700001111', text: '在的，请讲' }], 'the full number went to the modem');
  const sentRead = await s.call(`/api/v1/sms/${msg.id}/read`, { method: 'POST', token });
  t.equal(sentRead.status, 409);
  t.equal((await errorOf(sentRead)).code, 'CONFLICT');
  const unknown = await s.call('/api/v1/sms/NOPE/read', { method: 'POST', token });
  t.equal(unknown.status, 404);
  const noReply = await s.call('/api/v1/sms', { method: 'POST', token, json: { replyTo: 'NOPE', text: 'x' } });
  t.equal(noReply.status, 404);
  t.match(await errorOf(noReply), { code: 'NOT_FOUND', details: { field: 'replyTo' } });
});

// Regression: 回复 on a thread of the Sent tab filled the form with the number an agent sees
// (masked), which the server refused; it now answers by the sent message's id.
t.test('reply by a sent message id: to its number, customer and ticket, for an agent who sees it masked', async (t) => {
  const { s, token, agent } = await server(t);
  const first = await s.call('/api/v1/sms', { method: 'POST', token, json: { to: '13900000009', text: '您的订单已发货' } });
  const sent = (await first.json()) as SmsMessage;
  const masked = await s.call('/api/v1/sms', { method: 'POST', token: agent, json: { to: '139****0009', text: 'x' } });
  t.equal(masked.status, 400, 'the masked number the agent sees is no number');
  const reply = await s.call('/api/v1/sms', { method: 'POST', token: agent, json: { replyTo: sent.id, text: '请问收到了吗？' } });
  t.equal(reply.status, 202);
  t.match(await reply.json(), { to: '139****0009', customerId: sent.customerId, ticketId: sent.ticketId });
  await s.fake.boClock.run(10);
  t.same(
    s.fake.smsSender.sent.map((m) => m.to),
    ['13900000009', '13900000009'],
    'both went to the full number',
  );
});

t.test('bad parameters: 400 VALIDATION_FAILED naming the field; technicians 403', async (t) => {
  const { s, token } = await server(t);
  const field = async (query: string) => {
    const res = await s.call(`/api/v1/sms${query}`, { token });
    const e = await errorOf(res);
    return `${res.status} ${e.code} ${(e.details as { field?: string } | undefined)?.field}`;
  };
  t.equal(await field('?direction=sideways'), '400 VALIDATION_FAILED direction');
  t.equal(await field('?direction=in&direction=out'), '400 VALIDATION_FAILED direction');
  t.equal(await field('?direction=in&status=sent'), '400 VALIDATION_FAILED status');
  t.equal(await field('?unread=maybe'), '400 VALIDATION_FAILED unread');
  t.equal(await field('?direction=out&unread=true'), '400 VALIDATION_FAILED unread');
  t.equal(await field('?limit=0'), '400 VALIDATION_FAILED limit');
  t.equal(await field('?limit=501'), '400 VALIDATION_FAILED limit');
  t.equal(await field('?offset=-1'), '400 VALIDATION_FAILED offset');
  t.equal(await field('?offset=x'), '400 VALIDATION_FAILED offset');
  t.equal(await field('?page=2'), '400 VALIDATION_FAILED page');
  t.equal(await field('?customerId=a%20b'), '400 VALIDATION_FAILED customerId');
  s.fake.auth.users.set('tech', { password: 'pass-word-1', role: 'technician' });
  const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: 'tech', password: 'pass-word-1' } });
  const tech = ((await res.json()) as { token: string }).token;
  t.equal((await s.call('/api/v1/sms?direction=in', { token: tech })).status, 403);
  t.equal((await s.call('/api/v1/sms/X/read', { method: 'POST', token: tech })).status, 403);
});

// Delivery reports on sent SMS over the API (the real outbox and back office, a modem stand-in
// that hands over the network's reports as the atmodem driver does): a report matched by TP-MR and
// number makes the message delivered with the network's time, and notes the ticket; a long message
// is delivered when every part is, a pending part only shows; a failed part fails the message
// with the reason; a report that comes before its message is sent is kept and applied after;
// another number's report, a message older than 7 days and duplicates after settling change nothing;
// GET /api/v1/sms?status=delivered.
import t from 'tap';
import { SYSTEM_ACTOR } from '../../../firmware/src/backoffice/common/types.js';
import type { SmsMessage } from '../../../firmware/src/service/types.js';
import { samePhone } from '../../../firmware/src/sms/sms-delivery.js';
import { startTestServer } from './fixtures/helpers.js';

async function server(t: { teardown(fn: () => unknown): void }) {
  const s = await startTestServer(t);
  const token = await s.login();
  const post = async (json: unknown) => (await (await s.call('/api/v1/sms', { method: 'POST', token, json })).json()) as SmsMessage;
  const get = async (id: string) => (await (await s.call(`/api/v1/sms/${id}`, { token })).json()) as SmsMessage;
  return { s, post, get, clock: s.fake.boClock, modem: s.fake.smsSender, token };
}

const AT = Date.UTC(2026, 10, 27, 4, 34, 5);

t.test('one part delivered: status, the network time, the part, a note on the ticket', async (t) => {
  const { s, post, get, clock, modem } = await server(t);
  const customer = s.fake.customers.create(SYSTEM_ACTOR, { name: '王女士', phones: ['13912345678'] });
  const ticket = s.fake.tickets.create(SYSTEM_ACTOR, { subject: '退货', customerId: customer.id, phone: '13912345678' });
  const msg = await post({ ticketId: ticket.id, text: '退货已受理 / return accepted' });
  await clock.run(10);
  t.match(await get(msg.id), { status: 'sent', deliveredAt: null, delivery: [] });
  modem.report({ ref: 1, to: '+8613912345678', status: 'delivered', detail: 'received by the phone', at: AT });
  t.match(await get(msg.id), {
    status: 'delivered',
    deliveredAt: new Date(AT).toISOString(),
    delivery: [{ part: 1, status: 'delivered', detail: 'received by the phone', at: new Date(AT).toISOString() }],
  });
  const notes = s.fake.tickets.detail(SYSTEM_ACTOR, ticket.id)?.notes ?? [];
  t.match(notes.at(-1), { body: `短信已送达 / SMS delivered (${new Date(AT).toISOString()})`, internal: false });
});

t.test('three parts: pending shows on its part, delivered when every part is', async (t) => {
  const { post, get, clock, modem } = await server(t);
  modem.parts = 3;
  const msg = await post({ to: '13800138000', text: '您的订单已发货，请注意查收。'.repeat(12) });
  await clock.run(10);
  t.match(await get(msg.id), { status: 'sent', parts: 3 });
  modem.report({ ref: 2, to: '13800138000', status: 'delivered', detail: 'received by the phone', at: AT });
  modem.report({ ref: 1, to: '13800138000', status: 'pending', detail: 'phone busy', at: AT - 1000 });
  const mid = await get(msg.id);
  t.equal(mid.status, 'sent');
  t.same(
    mid.delivery.map((d) => [d.part, d.status, d.detail]),
    [
      [1, 'pending', 'phone busy'],
      [2, 'delivered', 'received by the phone'],
    ],
  );
  modem.report({ ref: 3, to: '13800138000', status: 'delivered', detail: 'received by the phone', at: AT + 2000 });
  t.equal((await get(msg.id)).status, 'sent', 'part 1 still pending');
  modem.report({ ref: 1, to: '13800138000', status: 'delivered', detail: 'received by the phone', at: AT + 60_000 });
  t.match(await get(msg.id), { status: 'delivered', deliveredAt: new Date(AT + 60_000).toISOString() });
  t.equal((await get(msg.id)).delivery.length, 3);
});

t.test('a failed part fails the message with the reason; a late duplicate changes nothing', async (t) => {
  const { s, post, get, clock, modem } = await server(t);
  modem.parts = 2;
  const ticket = s.fake.tickets.create(SYSTEM_ACTOR, { subject: '催单', phone: '13512345678' });
  const msg = await post({ ticketId: ticket.id, text: 'x'.repeat(200) });
  await clock.run(10);
  modem.report({ ref: 2, to: '13512345678', status: 'failed', detail: 'validity period expired', at: AT });
  t.match(await get(msg.id), { status: 'failed', lastError: 'not delivered (part 2/2): validity period expired', deliveredAt: null });
  t.match(s.fake.tickets.detail(SYSTEM_ACTOR, ticket.id)?.notes.at(-1), {
    body: '短信未送达 / SMS not delivered: validity period expired',
  });
  modem.report({ ref: 1, to: '13512345678', status: 'delivered', detail: 'received by the phone', at: AT });
  t.match(await get(msg.id), { status: 'failed' }, 'settled: ignored');
  t.equal(modem.sent.length, 1, 'a message the network gave up on is not sent again');
});

t.test('matching: an early report waits for its send; another number, an old message, the list filter', async (t) => {
  const { s, post, get, clock, modem, token } = await server(t);
  const early = await post({ to: '10086', text: 'CXLL' });
  modem.report({ ref: 1, to: '10086', status: 'delivered', detail: 'received by the phone', at: AT });
  t.equal((await get(early.id)).status, 'queued');
  await clock.run(10);
  t.equal((await get(early.id)).status, 'delivered', 'the early report applied once the message was sent');

  const other = await post({ to: '13800138000', text: 'hello' });
  await clock.run(10);
  modem.report({ ref: 2, to: '13900000000', status: 'delivered', detail: 'received by the phone', at: AT });
  t.equal((await get(other.id)).status, 'sent', 'same TP-MR, another number: not this message');

  await clock.run(8 * 86_400_000);
  modem.report({ ref: 2, to: '13800138000', status: 'delivered', detail: 'received by the phone', at: AT });
  t.equal((await get(other.id)).status, 'sent', 'sent more than 7 days ago: TP-MR may have wrapped, not matched');

  const res = await s.call('/api/v1/sms?status=delivered', { token });
  t.same(
    ((await res.json()) as { messages: SmsMessage[] }).messages.map((m) => m.id),
    [early.id],
  );
  const bad = await s.call('/api/v1/sms?status=arrived', { token });
  t.equal(bad.status, 400);
  t.match(await bad.json(), { error: { details: { field: 'status' }, message: /queued, sending, sent, delivered, failed/ } });
});

t.test('samePhone: +86 and national forms, short codes', async (t) => {
  t.ok(samePhone('+8613800138000', '13800138000'));
  t.ok(samePhone('008613800138000', '138-0013-8000'));
  t.notOk(samePhone('13800138000', '13800138001'));
  t.ok(samePhone('10086', '10086'));
  t.notOk(samePhone('110', '110'), 'under 5 digits never matches');
});

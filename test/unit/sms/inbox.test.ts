// The SMS inbox over a real back office (in-memory database, virtual clock): every received message
// is stored once by the driver's id, with the number's customer, whatever the ticket setting (the
// ticket linked when SMS tickets are on); a message that cannot be stored makes durable() refuse
// (the modem keeps it on the SIM); the list pages both directions with filters; agents see masked
// numbers; mark as read.
import { pino } from 'pino';
import t from 'tap';
import { VirtualClock } from '../../../hal/src/clock.js';
import { TypedEmitter } from '../../../hal/src/events.js';
import { createBackOffice } from '../../../firmware/src/backoffice/index.js';
import type { EngineEvents } from '../../../firmware/src/calls/engine-types.js';
import { defaultConfig } from '../../../firmware/src/config/schema.js';
import { SmsOutbox } from '../../../firmware/src/sms/sms-outbox.js';
import type { SmsReceived, SmsSender } from '../../../firmware/src/sms/types.js';
import { openDatabase } from '../../../firmware/src/store/db.js';

const OWNER = { username: 'owner', role: 'owner' as const };
const AGENT = { username: 'xiaoli', role: 'agent' as const };

function world(sender: SmsSender | null = null) {
  const db = openDatabase(':memory:');
  const clock = new VirtualClock(Date.UTC(2026, 10, 27, 2));
  const config = defaultConfig();
  const log = pino({ level: 'silent' });
  const bo = createBackOffice({ db, clock, log, config: () => config, engineEvents: new TypedEmitter<EngineEvents>() });
  const wang = bo.customers.create(OWNER, { name: '王女士', phones: ['13800000001'] });
  const sms = new SmsOutbox({ db, clock, log, sender, customers: bo.customers, tickets: bo.tickets });
  const arrive = (from: string, text: string, id: string) => sms.inbox.receive({ from, text, receivedAt: clock.now(), id });
  return { db, clock, bo, sms, wang, arrive };
}

t.test('stored once by the modem id, with the customer and the ticket it became', async (t) => {
  const w = world();
  const id = w.arrive('+8613800000001', '请问面霜怎么用？', '+8613800000001:261127100000:abc');
  t.ok(id, 'stored');
  t.equal(w.arrive('+8613800000001', '请问面霜怎么用？', '+8613800000001:261127100000:abc'), null, 'read again: already there');
  const list = w.sms.list(OWNER, { direction: 'in' });
  t.equal(list.total, 1, 'once');
  const msg = list.messages[0] as SmsReceived;
  t.match(msg, { id, direction: 'in', from: '+8613800000001', text: '请问面霜怎么用？', customerId: w.wang.id, customerName: '王女士' });
  t.equal(msg.receivedAt, new Date(w.clock.now()).toISOString());
  const tickets = w.bo.tickets.search(OWNER, { source: 'sms' } as never).items;
  t.equal(tickets.length, 1, 'one ticket');
  t.equal(msg.ticketId, tickets[0]?.id, 'linked to its ticket');
  t.equal(msg.ticketNumber, tickets[0]?.number);
  t.same(w.sms.get(OWNER, id as string), msg, 'GET by id');
  // the ticket links the message by the id GET /api/v1/sms/:id opens, not by the modem's id
  t.same(
    w.bo.tickets.detail(OWNER, tickets[0]?.id as string)?.links.map((l) => [l.kind, l.refId]),
    [['sms', id]],
    "the ticket's link opens it",
  );
  const next = w.arrive('+8613800000001', '还有，能退货吗', '+8613800000001:261127100500:def');
  t.same(
    w.bo.tickets
      .detail(OWNER, tickets[0]?.id as string)
      ?.links.map((l) => l.refId)
      .sort(),
    [id, next].sort(),
    'a second message noted on the same ticket is linked by its inbox id too',
  );
});

t.test('SMS tickets off: still in the inbox, no ticket; on again: the next one has its ticket', async (t) => {
  const w = world();
  w.bo.tickets.updateSettings(OWNER, { smsTickets: false });
  const id = w.arrive('10086', '您本月话费 38.00 元', '10086:261127:x1');
  t.match(w.sms.get(OWNER, id as string), { direction: 'in', from: '10086', ticketId: null, ticketNumber: null, customerId: null });
  t.equal(w.bo.tickets.search(OWNER, {}).total, 0, 'no ticket');
  w.bo.tickets.updateSettings(OWNER, { smsTickets: true });
  const next = w.arrive('13800000001', '在吗', '13800000001:261127:x2');
  t.ok(w.sms.get(OWNER, next as string) && (w.sms.get(OWNER, next as string) as SmsReceived).ticketId, 'a ticket now');
  t.equal(w.sms.list(OWNER, { direction: 'in' }).total, 2);
});

t.test('a ticket that fails is rolled back alone: the message stays', async (t) => {
  const w = world();
  // the tickets table refuses (as a full or broken ticket store would): the savepoint takes back the ticket only
  w.db.exec(`CREATE TEMP TRIGGER no_tickets BEFORE INSERT ON tickets BEGIN SELECT RAISE(ABORT, 'tickets broken'); END`);
  const id = w.arrive('13800000001', '订单到了吗', 'm1');
  t.match(w.sms.get(OWNER, id as string), { text: '订单到了吗', ticketId: null });
  t.equal(w.db.prepare('SELECT COUNT(*) AS n FROM tickets').pluck().get(), 0);
  await t.resolves(
    w.sms.inbox.durable(() => Promise.resolve()),
    'stored: the SIM copy may go',
  );
});

t.test('a message that cannot be stored: the next durable() refuses (the SIM keeps that batch)', async (t) => {
  const w = world();
  let synced = 0;
  const sync = async () => {
    synced++;
  };
  // the storage refuses messages a and c (as a failing disk would, now and then)
  w.db.exec(
    `CREATE TEMP TRIGGER no_inbox BEFORE INSERT ON sms_received WHEN NEW.modem_id IN ('a', 'c') BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`,
  );
  t.equal(w.arrive('13800000001', '第一条', 'a'), null, 'not stored, no throw');
  await t.rejects(w.sms.inbox.durable(sync), /could not be stored: disk I\/O error/, 'the modem keeps it on the SIM');
  t.equal(synced, 0);
  t.equal(w.bo.tickets.search(OWNER, {}).total, 0, 'no ticket either');
  await w.sms.inbox.durable(sync);
  t.equal(synced, 1, 'the next batch (nothing failed in it) is synced');
  // a batch (the start-up drain) with one message stored and one not: all of it stays on the SIM
  t.equal(w.arrive('13800000001', '第三条', 'c'), null);
  t.ok(w.arrive('13800000001', '第二条', 'b'));
  await t.rejects(w.sms.inbox.durable(sync), /could not be stored/, 'a stored message in the batch does not clear the failure');
  w.db.exec('DROP TRIGGER no_inbox');
  t.equal(w.arrive('13800000001', '第二条', 'b'), null, 'read again at the next start: already stored');
  t.ok(w.arrive('13800000001', '第一条', 'a'), 'stored now');
  t.ok(w.arrive('13800000001', '第三条', 'c'));
  await w.sms.inbox.durable(sync);
  t.equal(synced, 2);
});

t.test('numbers masked for agents, in and out; customer name shown', async (t) => {
  const w = world({ ready: () => false, send: async () => [1] });
  w.arrive('+8613800000001', '你好', 'm1');
  w.clock.advance(1); // the two lists' ids are ordered by time (within one ms, at random)
  w.sms.send(OWNER, { to: '13900000009', text: '您好' });
  const forAgent = w.sms.list(AGENT, {}).messages;
  t.same(
    forAgent.map((m) => (m.direction === 'in' ? m.from : m.to)),
    ['139****0009', '+86138****0001'],
    'newest first, both masked',
  );
  t.match(forAgent[1], { customerName: '王女士' });
  t.equal((w.sms.list(OWNER, { direction: 'in' }).messages[0] as SmsReceived).from, '+8613800000001', 'the owner sees it');
});

t.test('paging and filters over both directions', async (t) => {
  const w = world({ ready: () => false, send: async () => [1] });
  const ids: string[] = [];
  for (let i = 0; i < 7; i++) {
    w.clock.advance(1000);
    if (i % 2) ids.push(w.sms.send(OWNER, { to: '13900000009', text: `out ${i}` }).id);
    else ids.push(w.arrive('+8613800000001', `in ${i}`, `m${i}`) as string);
  }
  const newest = [...ids].reverse();
  const all = w.sms.list(OWNER, { limit: 3 });
  t.same(
    all.messages.map((m) => m.id),
    newest.slice(0, 3),
  );
  t.equal(all.total, 7);
  t.same(
    w.sms.list(OWNER, { limit: 3, offset: 6 }).messages.map((m) => m.id),
    newest.slice(6),
    'the last page',
  );
  const inbox = w.sms.list(OWNER, { direction: 'in', limit: 2, offset: 1 });
  t.same(
    inbox.messages.map((m) => (m.direction === 'in' ? m.text : '')),
    ['in 4', 'in 2'],
  );
  t.equal(inbox.total, 4);
  t.equal(w.sms.list(OWNER, { direction: 'out' }).total, 3);
  t.equal(w.sms.list(OWNER, { status: 'queued' }).total, 3, 'status: sent ones only');
  t.equal(w.sms.list(OWNER, { customerId: w.wang.id }).total, 4, 'by customer: the received ones from 王女士');
  for (const [q, field] of [
    [{ limit: 0 }, 'limit'],
    [{ offset: -1 }, 'offset'],
    [{ direction: 'sideways' }, 'direction'],
    [{ direction: 'in', status: 'sent' }, 'status'],
    [{ direction: 'out', unread: true }, 'unread'],
    [{ status: 'sent', unread: true }, 'unread'],
  ] as const) {
    t.throws(() => w.sms.list(OWNER, q as never), { code: 'VALIDATION_FAILED', details: { field } }, JSON.stringify(q));
  }
});

t.test('mark as read: the unread count, the first reader kept; not for a sent one', async (t) => {
  const w = world({ ready: () => false, send: async () => [1] });
  const a = w.arrive('13800000001', 'a', 'a') as string;
  w.arrive('13800000001', 'b', 'b');
  t.equal(w.sms.list(OWNER, {}).unread, 2);
  w.clock.advance(5000);
  t.match(w.sms.markRead(AGENT, a), { readBy: 'xiaoli', readAt: new Date(w.clock.now()).toISOString() });
  w.clock.advance(5000);
  t.match(w.sms.markRead(OWNER, a), { readBy: 'xiaoli' }, 'again: unchanged');
  const list = w.sms.list(OWNER, { unread: true });
  t.equal(list.unread, 1);
  t.same(
    list.messages.map((m) => m.id),
    [w.sms.list(OWNER, { direction: 'in' }).messages[0]?.id],
  );
  t.equal(w.sms.list(OWNER, { unread: false }).total, 1);
  const out = w.sms.send(OWNER, { to: '13900000009', text: 'x' });
  t.throws(() => w.sms.markRead(OWNER, out.id), { code: 'CONFLICT' });
  t.throws(() => w.sms.markRead(OWNER, 'nope'), { code: 'NOT_FOUND' });
});

t.test('known(prefix): the stored messages of one sender, reference and total, by the id index', async (t) => {
  const w = world();
  w.arrive('+8613800000001', '第一部分第二部分', '+8613800000001:8:7:2:1795820384000');
  w.arrive('+8613800000001', '另一条长短信', '+8613800000001:8:8:2:1795820390000');
  w.arrive('+8613800000011', '别人的长短信', '+8613800000011:8:7:2:1795820384000');
  w.arrive('+8613800000001', '单条短信', '+8613800000001:1795820384000:aa11bb22');
  t.same(w.sms.inbox.known('+8613800000001:8:7:2:'), [{ id: '+8613800000001:8:7:2:1795820384000', text: '第一部分第二部分' }]);
  t.same(w.sms.inbox.known('+8613800000001:8:9:2:'), [], 'another reference: none');
  t.equal(
    w.sms.inbox.known('+8613800000001:').length,
    3,
    "every id of that sender (a plain prefix: the driver's ids end each field with ':')",
  );
});

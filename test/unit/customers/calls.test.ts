// Customers from caller ID (the engine's 'call' events), and the screen pop: customer, last calls
// from every stored form of every number, open tickets, last orders, lifetime value.
import t from 'tap';
import { AGENT, callRecord, customersBox, errorFrom, insertCall, OWNER, SUPERVISOR } from './fixtures/box.js';
import { insertOrder, insertTicket } from './fixtures/records.js';

const HOUR = 3_600_000;

t.test('an inbound caller ID creates the customer once (any form of the number), with the caller name', async (t) => {
  const { bo, events, db } = customersBox();
  events.emit('call', { call: callRecord('c1', '013812345678', '王小明'), event: 'call.callerId' });
  const c = bo.customers.byPhone(OWNER, '13812345678');
  t.match(c, { name: '王小明', source: 'callerId', version: 1 });
  t.same(c?.phones, [{ phone: '013812345678', label: null }]);
  events.emit('call', { call: callRecord('c1', '013812345678', '王小明'), event: 'call.ended' });
  events.emit('call', { call: callRecord('c2', '+8613812345678', null), event: 'call.callerId' });
  events.emit('call', { call: callRecord('c3', '13812345678', null), event: 'call.callerId' });
  t.equal((db.prepare('SELECT COUNT(*) AS n FROM customers').get() as { n: number }).n, 1, 'one customer for all three forms');
  t.equal(bo.customers.byPhone(OWNER, '13812345678')?.version, 1, 'nothing rewritten');
  t.match(bo.audit.list({ entity: 'customer', action: 'customer.create', limit: 5 }), [
    { actor: 'system', detail: { source: 'callerId' } },
  ]);
});

t.test('caller ID: a name fills a nameless customer; anonymous, private, outbound and other events create nothing', async (t) => {
  const { bo, events, db } = customersBox();
  events.emit('call', { call: callRecord('c1', '13912345678', null), event: 'call.callerId' });
  t.equal(bo.customers.byPhone(OWNER, '13912345678')?.name, null);
  events.emit('call', { call: callRecord('c2', '13912345678', '李雷'), event: 'call.callerId' });
  t.match(bo.customers.byPhone(OWNER, '13912345678'), { name: '李雷', version: 2 });
  events.emit('call', { call: callRecord('c3', '13912345678', '韩梅梅'), event: 'call.callerId' });
  t.equal(bo.customers.byPhone(OWNER, '13912345678')?.name, '李雷', 'a name already there is kept');
  const count = () => (db.prepare('SELECT COUNT(*) AS n FROM customers').get() as { n: number }).n;
  for (const id of [null, 'P', 'O', 'anonymous', 'Private', '0000', ''])
    events.emit('call', { call: callRecord('x', id), event: 'call.callerId' });
  t.equal(count(), 1, 'anonymous/private/unavailable numbers create nothing');
  events.emit('call', { call: callRecord('o1', '13700000000', null, 'outbound'), event: 'call.callerId' });
  events.emit('call', { call: callRecord('o2', '13700000001'), event: 'call.answered' });
  t.equal(count(), 1, 'outbound calls and other events create nothing');
  events.emit('call', { call: callRecord('c4', '13700000002', 'P'), event: 'call.ended' });
  t.match(bo.customers.byPhone(OWNER, '13700000002'), { name: null, source: 'callerId' }, 'at the end too; "P" is not a name');
});

t.test('caller ID: a failing write is logged, never thrown into the engine', async (t) => {
  const { events, db, logs } = customersBox();
  db.exec("CREATE TRIGGER boom BEFORE INSERT ON customers BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
  let thrown: unknown = null;
  events.onListenerError = (err) => {
    thrown = err;
  };
  events.emit('call', { call: callRecord('c1', '13812345678'), event: 'call.callerId' });
  t.equal(thrown, null);
  t.match(
    logs.find((l) => l.msg === 'customers: customer from caller ID failed'),
    { call: 'c1', err: /disk full/ },
  );
});

t.test('screen pop: customer, last 5 calls of every number in every form, open tickets, last 5 orders, lifetime value', async (t) => {
  const { bo, db, clock } = customersBox();
  const t0 = clock.now();
  const c = bo.customers.create(OWNER, { name: '陈大文', phones: ['13812345678', '01088886666'], tags: ['VIP'] });
  const other = bo.customers.create(OWNER, { name: '别人', phones: ['13900000000'] });
  const calls = [
    insertCall(db, { callerId: '013812345678', startedAt: t0 - 7 * HOUR }),
    insertCall(db, { callerId: '+8613812345678', startedAt: t0 - 6 * HOUR }),
    insertCall(db, { callerId: '13812345678', startedAt: t0 - 5 * HOUR, outcome: 'abandoned' }),
    insertCall(db, { callerId: '1088886666', startedAt: t0 - 4 * HOUR }),
    insertCall(db, { callerId: '01088886666', startedAt: t0 - 3 * HOUR }),
    insertCall(db, { callerId: '13812345678', startedAt: t0 - 2 * HOUR }),
  ];
  insertCall(db, { callerId: '13900000000', startedAt: t0 - HOUR });
  const open1 = insertTicket(db, { customerId: c.id, createdAt: t0 - 5 * HOUR, subject: '质量投诉：包装破损' });
  insertTicket(db, { customerId: c.id, status: 'resolved', createdAt: t0 - 4 * HOUR });
  insertTicket(db, { customerId: c.id, status: 'closed', createdAt: t0 - 4 * HOUR });
  const open2 = insertTicket(db, { phone: '+8613812345678', status: 'waiting_customer', createdAt: t0 - 3 * HOUR });
  insertTicket(db, { customerId: other.id, createdAt: t0 - 3 * HOUR });
  const orders = [0, 1, 2, 3, 4, 5].map((i) =>
    insertOrder(db, {
      customerId: c.id,
      totalCents: 10_000 * (i + 1),
      createdAt: t0 - (10 - i) * HOUR,
      status: i === 2 ? 'cancelled' : 'paid',
    }),
  );
  db.prepare('UPDATE orders SET refund_cents = 5000, status = ? WHERE id = ?').run('returned', orders[5]);
  insertOrder(db, { customerId: other.id, totalCents: 999_999, createdAt: t0 });

  const pop = bo.customers.screenPop(SUPERVISOR, { phone: '+8613812345678' });
  t.equal(pop.customer?.id, c.id);
  t.equal(pop.vip, true);
  t.equal(pop.phone, '+8613812345678');
  t.same(
    pop.lastCalls.map((x) => x.id),
    [calls[5], calls[4], calls[3], calls[2], calls[1]],
    'newest first, all forms of both numbers, at most 5',
  );
  t.equal(pop.lastCalls[3]?.outcome, 'abandoned');
  t.same(
    pop.openTickets.map((x) => x.id),
    [open1, open2],
    'open ones, by customer or by number, oldest first',
  );
  t.equal(pop.openTickets[0]?.subject, '质量投诉：包装破损');
  t.same(
    pop.lastOrders.map((o) => o.id),
    [orders[5], orders[4], orders[3], orders[2], orders[1]],
  );
  // 10k + 20k + (30k cancelled) + 40k + 50k + (60k - 5k refunded)
  t.equal(pop.lifetimeValueCents, 10_000 + 20_000 + 40_000 + 50_000 + 55_000);
  t.equal(pop.orderCount, 5);

  t.same(bo.customers.screenPop(SUPERVISOR, { callId: calls[3] as string }).customer?.id, c.id, 'by call: its caller ID');
  t.same(bo.customers.screenPop(SUPERVISOR, { customerId: c.id }).lastCalls.length, 5, 'by customer');
  const agentPop = bo.customers.screenPop(AGENT, { phone: '13812345678' });
  t.equal(agentPop.phone, '138****5678', 'masked for agents');
  t.same(
    agentPop.customer?.phones.map((p) => p.phone),
    ['138****5678', '010****6666'],
  );
  t.equal(
    bo.audit.list({ action: 'customer.view', limit: 10 }).filter((a) => a.detail && (a.detail as { via: string }).via === 'screenPop')
      .length,
    3,
  );

  const stranger = bo.customers.screenPop(AGENT, { phone: '13600000000' });
  t.match(stranger, { customer: null, vip: false, lastCalls: [], openTickets: [], lastOrders: [], lifetimeValueCents: 0, orderCount: 0 });
  const anon = insertCall(db, { callerId: null, startedAt: t0 });
  t.match(bo.customers.screenPop(AGENT, { callId: anon }), { phone: null, callId: anon, customer: null, lastCalls: [] });
  t.match(
    errorFrom(() => bo.customers.screenPop(AGENT, { callId: 'nope' })),
    { code: 'NOT_FOUND' },
  );
  t.match(
    errorFrom(() => bo.customers.screenPop(AGENT, { customerId: 'nope' })),
    { code: 'NOT_FOUND' },
  );
  t.match(
    errorFrom(() => bo.customers.screenPop(AGENT, { phone: 'abc' })),
    { code: 'VALIDATION_FAILED', field: 'phone' },
  );
});

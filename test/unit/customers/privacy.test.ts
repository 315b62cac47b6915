// Personal data on request (PIPL/GDPR): the JSON export of everything about one customer, and
// erasure — personal fields cleared, the row id kept, numbers scrubbed from calls, tickets, orders,
// voicemails, callbacks, self-service checks and text messages (received, and sent ones no longer
// queued), an outbox row and an audit row with the reason.
import t from 'tap';
import { customersBox, errorFrom, insertCall, OWNER } from './fixtures/box.js';
import { insertOrder, insertTicket } from './fixtures/records.js';

function seed() {
  const box = customersBox();
  const { bo, db, clock } = box;
  const t0 = clock.now();
  const c = bo.customers.create(OWNER, {
    name: '刘备',
    phones: ['13812345678', '+8613912345678'],
    tags: ['VIP', '投诉'],
    notes: '住在成都，喜欢绿茶',
    consent: { marketing: true },
  });
  const other = bo.customers.create(OWNER, { name: '曹操', phones: ['13700000000'] });
  const call1 = insertCall(db, { callerId: '013812345678', callerName: '刘备', startedAt: t0 - 3_600_000 });
  const call2 = insertCall(db, { callerId: '13912345678', startedAt: t0 - 1_800_000 });
  const otherCall = insertCall(db, { callerId: '13700000000', callerName: '曹操', startedAt: t0 });
  const ticket = insertTicket(db, { customerId: c.id, phone: '13812345678', createdAt: t0 });
  const ticketByPhone = insertTicket(db, { phone: '+8613812345678', createdAt: t0 });
  const order = insertOrder(db, { customerId: c.id, totalCents: 12_800, createdAt: t0, shipPhone: '13812345678' });
  const otherOrder = insertOrder(db, { customerId: other.id, totalCents: 100, createdAt: t0, shipPhone: '13700000000' });
  db.prepare(
    "INSERT INTO voicemails (id, call_id, box, caller_id, created_at, duration_ms, path, state) VALUES ('vm1', ?, 'main', '13812345678', ?, 9000, 'vm1.wav', 'new')",
  ).run(call1, t0);
  db.prepare(
    "INSERT INTO recordings (id, call_id, path, format, channels, started_at, duration_ms, bytes, state) VALUES ('rec1', ?, 'r1.wav', 'pcm16', 1, ?, 60000, 960000, 'complete')",
  ).run(call1, t0);
  db.prepare(
    "INSERT INTO callbacks (id, call_id, queue, number, requested_at, state, updated_at) VALUES ('cb1', ?, 'main', '13812345678', ?, 'done', ?)",
  ).run(call2, t0, t0);
  db.prepare(
    "INSERT INTO selfservice_checks (id, ts, code, verdict, caller, call_id, source) VALUES ('chk1', ?, '1234-5678', 'genuine', '+8613812345678', ?, 'ivr')",
  ).run(t0, call1);
  const smsIn = db.prepare('INSERT INTO sms_received (id, modem_id, phone, body, received_at, customer_id) VALUES (?, ?, ?, ?, ?, ?)');
  smsIn.run('smsIn1', 'm1', '+8613812345678', '茶叶到了吗', t0, c.id);
  smsIn.run('smsIn2', 'm2', '13700000000', '曹操的短信', t0, other.id);
  const smsOut = db.prepare(
    `INSERT INTO sms_messages (id, direction, phone, body, status, attempts, next_try_at, customer_id, created_by, created_at)
     VALUES (?, 'out', ?, ?, ?, 1, 0, ?, 'boss', ?)`,
  );
  smsOut.run('smsOut1', '13912345678', '明天发货', 'delivered', null, t0 + 1);
  smsOut.run('smsOut2', '13812345678', '还在排队', 'queued', c.id, t0 + 2);
  return { ...box, c, other, call1, call2, otherCall, ticket, ticketByPhone, order, otherOrder };
}

t.test('personal data export: customer, calls by every form, tickets, orders with lines, voicemails, recordings, audit', async (t) => {
  const s = seed();
  const data = s.bo.customers.personalData(OWNER, s.c.id);
  t.equal(data.customer.name, '刘备');
  t.same(data.customer.phones[0]?.phone, '13812345678', 'full numbers');
  t.same(
    data.calls.map((c) => [c.id, c.callerId, c.callerName]),
    [
      [s.call1, '013812345678', '刘备'],
      [s.call2, '13912345678', null],
    ],
  );
  t.same(
    data.tickets.map((x) => x.id),
    [s.ticket, s.ticketByPhone],
  );
  t.same(
    data.orders.map((x) => x.id),
    [s.order],
  );
  t.same(data.orders[0]?.lines, []);
  t.same(
    data.voicemails.map((v) => v.id),
    ['vm1'],
  );
  t.same(
    data.recordings.map((r) => [r.id, r.callId]),
    [['rec1', s.call1]],
  );
  t.same(
    data.sms.map((m) => [m.id, m.direction, m.phone, m.text]),
    [
      ['smsIn1', 'in', '+8613812345678', '茶叶到了吗'],
      ['smsOut1', 'out', '13912345678', '明天发货'],
      ['smsOut2', 'out', '13812345678', '还在排队'],
    ],
    'text messages from and to the customer or its numbers',
  );
  t.ok(data.audit.some((a) => a.action === 'customer.create'));
  t.match(s.bo.audit.list({ action: 'customer.personal_data_export', limit: 1 }), [
    { actor: 'boss', entityId: s.c.id, detail: { calls: 2, tickets: 2, orders: 1, sms: 3 } },
  ]);
  t.match(
    errorFrom(() => s.bo.customers.personalData(OWNER, 'nope')),
    { code: 'NOT_FOUND' },
  );
});

t.test('erase: personal fields cleared, id kept, numbers scrubbed everywhere, outbox + audit; others untouched', async (t) => {
  const s = seed();
  const { bo, db } = s;
  s.clock.advance(60_000);
  const r = bo.customers.erase(OWNER, s.c.id, '客户电话要求删除个人信息 / asked by phone');
  t.match(r.customer, { id: s.c.id, name: null, phones: [], tags: [], notes: '', consent: {}, doNotCall: true, version: 2 });
  t.equal(r.customer.erasedAt, new Date(s.clock.now()).toISOString());
  t.same(r.scrubbed, { phones: 2, calls: 2, tickets: 2, orders: 1, voicemails: 1, callbacks: 1, selfServiceChecks: 1, sms: 2 });
  t.same(
    db.prepare("SELECT id, phone FROM sms_received WHERE id LIKE 'smsIn%' UNION ALL SELECT id, phone FROM sms_messages ORDER BY id").all(),
    [
      { id: 'smsIn1', phone: '+86138****5678' },
      { id: 'smsIn2', phone: '13700000000' },
      { id: 'smsOut1', phone: '139****5678' },
      { id: 'smsOut2', phone: '13812345678' },
    ],
    'SMS numbers masked; the other customer and the queued one (until sent) untouched',
  );
  t.same(r.recordingsKept, ['rec1']);
  t.same(r.voicemailsKept, ['vm1']);
  t.same(bo.customers.get(OWNER, s.c.id), r.customer, 'the row and its id stay');
  const call = db.prepare('SELECT caller_id, caller_name FROM calls WHERE id = ?');
  t.same(call.get(s.call1), { caller_id: null, caller_name: null });
  t.same(call.get(s.call2), { caller_id: null, caller_name: null });
  t.same(call.get(s.otherCall), { caller_id: '13700000000', caller_name: '曹操' }, 'other callers untouched');
  t.same(
    db.prepare('SELECT phone, customer_id FROM tickets WHERE id = ?').get(s.ticket),
    { phone: null, customer_id: s.c.id },
    'tickets still point at the id',
  );
  t.same(db.prepare('SELECT phone FROM tickets WHERE id = ?').get(s.ticketByPhone), { phone: null });
  t.same(db.prepare('SELECT ship_name, ship_phone, ship_address, customer_id, total_cents FROM orders WHERE id = ?').get(s.order), {
    ship_name: null,
    ship_phone: null,
    ship_address: null,
    customer_id: s.c.id,
    total_cents: 12_800,
  });
  t.match(db.prepare('SELECT ship_phone FROM orders WHERE id = ?').get(s.otherOrder), { ship_phone: '13700000000' });
  t.same(db.prepare("SELECT caller_id FROM voicemails WHERE id = 'vm1'").get(), { caller_id: null });
  t.same(db.prepare("SELECT number FROM callbacks WHERE id = 'cb1'").get(), { number: '138****5678' });
  t.same(db.prepare("SELECT caller FROM selfservice_checks WHERE id = 'chk1'").get(), { caller: null });
  t.equal(bo.customers.byPhone(OWNER, '13812345678'), null);
  t.equal(bo.customers.search(OWNER, {}).total, 1, 'erased customers are not listed');
  const out = db.prepare("SELECT version, body FROM outbox WHERE stream = 'customers' AND record_id = ? ORDER BY seq DESC").get(s.c.id) as {
    version: number;
    body: string;
  };
  t.equal(out.version, 2);
  t.match(JSON.parse(out.body), { name: null, phones: [], erasedAt: r.customer.erasedAt });
  const audit = bo.audit.list({ action: 'customer.erase', limit: 1 })[0];
  t.match(audit, { actor: 'boss', entityId: s.c.id, detail: { reason: '客户电话要求删除个人信息 / asked by phone' } });
  t.notMatch(JSON.stringify(audit), /13812345678|刘备/, 'the audit row holds no personal data');
  t.notMatch(
    JSON.stringify({ ...bo.customers.personalData(OWNER, s.c.id), sms: [] }),
    /13812345678|13912345678|刘备|成都/,
    'nothing left to export (but the queued SMS, below)',
  );

  t.match(
    errorFrom(() => bo.customers.erase(OWNER, s.c.id, 'again')),
    { code: 'CONFLICT' },
  );
  t.match(
    errorFrom(() => bo.customers.update(OWNER, s.c.id, { name: '刘备' })),
    { code: 'CONFLICT' },
  );
  t.match(
    errorFrom(() => bo.customers.erase(OWNER, s.other.id, '  ')),
    { code: 'VALIDATION_FAILED', field: 'reason' },
  );
  t.match(
    errorFrom(() => bo.customers.erase(OWNER, 'nope', 'x')),
    { code: 'NOT_FOUND' },
  );
  // the same person calling again later is a new customer (new data, new consent)
  const again = bo.customers.create(OWNER, { phones: ['13812345678'] });
  t.not(again.id, s.c.id);
});

t.test('erase keeps the event log (append-only) as it is', async (t) => {
  const s = seed();
  s.db
    .prepare("INSERT INTO events (ts, type, call_id, data) VALUES (?, 'call.callerId', ?, ?)")
    .run(0, s.call1, JSON.stringify({ number: '013812345678', name: null }));
  s.bo.customers.erase(OWNER, s.c.id, 'request');
  t.equal((s.db.prepare("SELECT COUNT(*) AS n FROM events WHERE data LIKE '%13812345678%'").get() as { n: number }).n, 1);
});

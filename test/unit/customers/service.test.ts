// The customers service over a real back office (in-memory SQLite): create/get/update/search,
// one customer per number in any stored form, masking by role, versions and outbox rows, the
// audit of full-number views, VIP queue priority.
import t from 'tap';
import { AGENT, customersBox, errorFrom, OWNER, SUPERVISOR } from './fixtures/box.js';

t.test('create: name or phones required, 201 semantics (durable, id, version 1), outbox and audit', async (t) => {
  const { bo, db } = customersBox();
  const c = bo.customers.create(OWNER, {
    name: '张三',
    phones: ['138 1234 5678', { phone: '010-8888 6666', label: '办公室' }],
    tags: ['VIP', 'vip', ' 经销商 '],
  });
  t.match(c, { name: '张三', version: 1, source: 'manual', erasedAt: null, doNotCall: false, notes: '', consent: {} });
  t.match(c.id, /^[0-9A-Z]{26}$/);
  t.same(c.phones, [
    { phone: '13812345678', label: null },
    { phone: '01088886666', label: '办公室' },
  ]);
  t.same(c.tags, ['VIP', '经销商'], 'tags trimmed, deduplicated case-insensitively');
  t.same(bo.customers.get(OWNER, c.id), c, 'read back');
  const out = db.prepare("SELECT record_id, version, body FROM outbox WHERE stream = 'customers'").all() as {
    record_id: string;
    version: number;
    body: string;
  }[];
  t.same(
    out.map((o) => [o.record_id, o.version]),
    [[c.id, 1]],
  );
  t.same(JSON.parse(out[0]?.body ?? '{}').phones[0].phone, '13812345678', 'the cloud gets the full record');
  t.match(bo.audit.list({ entity: 'customer', entityId: c.id, action: 'customer.create', limit: 5 }), [
    { actor: 'boss', detail: { source: 'manual' } },
  ]);

  t.equal(bo.customers.create(OWNER, { phones: ['13900000001'] }).name, null, 'phones alone is enough');
  t.equal(bo.customers.create(OWNER, { name: '李四' }).phones.length, 0, 'a name alone is enough');
  t.match(
    errorFrom(() => bo.customers.create(OWNER, {})),
    { code: 'VALIDATION_FAILED', field: 'name' },
  );
  t.match(
    errorFrom(() => bo.customers.create(OWNER, { name: '  ', phones: [] })),
    { code: 'VALIDATION_FAILED', field: 'name' },
  );
  t.match(
    errorFrom(() => bo.customers.create(OWNER, { phones: ['not a number'] })),
    { code: 'VALIDATION_FAILED', field: 'phones' },
  );
  t.match(
    errorFrom(() => bo.customers.create(OWNER, { name: 'x', tags: ['a,b'] })),
    { code: 'VALIDATION_FAILED', field: 'tags' },
  );
  t.match(
    errorFrom(() => bo.customers.create(OWNER, { name: 'x', consent: { marketing: 'yes' as unknown as boolean } })),
    {
      code: 'VALIDATION_FAILED',
      field: 'consent',
    },
  );
  t.match(
    errorFrom(() => bo.customers.create(OWNER, { name: 'x'.repeat(101) })),
    { code: 'VALIDATION_FAILED', field: 'name' },
  );
  t.match(
    errorFrom(() => bo.customers.create(OWNER, { name: 'x', doNotCall: 1 as unknown as boolean })),
    { code: 'VALIDATION_FAILED', field: 'doNotCall' },
  );
});

t.test('one customer per phone in any stored form (CN): 0138…, 138…, +86138…, 0086138…', async (t) => {
  const { bo } = customersBox();
  const c = bo.customers.create(OWNER, { name: '王五', phones: ['+8613812345678'] });
  for (const form of ['013812345678', '13812345678', '+8613812345678', '008613812345678']) {
    t.equal(bo.customers.byPhone(OWNER, form)?.id, c.id, form);
  }
  t.equal(bo.customers.byPhone(OWNER, '13800000000'), null);
  const clash = errorFrom(() => bo.customers.create(OWNER, { name: '另一个人', phones: ['013812345678'] }));
  t.match(clash, { code: 'CONFLICT', field: 'phones' });
  t.match(clash.details, { customerId: c.id });
  // the same customer giving another form of a number they have keeps the stored form
  const same = bo.customers.update(OWNER, c.id, { phones: ['13812345678', '13912345678'] });
  t.same(
    same.phones.map((p) => p.phone),
    ['+8613812345678', '13912345678'],
  );
  t.same(
    bo.customers.create(OWNER, { name: 'x', phones: ['13700000000', '+8613700000000'] }).phones.length,
    1,
    'duplicates in one input collapse',
  );
});

t.test('masking by role: agents see 138****5678, supervisors and owners the full number; full views audited', async (t) => {
  const { bo } = customersBox();
  const c = bo.customers.create(AGENT, { name: '赵六', phones: ['13812345678', '+8613912345678'] });
  t.same(
    c.phones.map((p) => p.phone),
    ['138****5678', '+86139****5678'],
    'the creating agent already sees masked numbers',
  );
  t.same(
    bo.customers.get(AGENT, c.id)?.phones.map((p) => p.phone),
    ['138****5678', '+86139****5678'],
  );
  t.equal(bo.customers.search(AGENT, { q: '5678' }).items[0]?.phones[0]?.phone, '138****5678');
  t.equal(bo.customers.byPhone(AGENT, '13812345678')?.phones[0]?.phone, '138****5678');
  t.equal(bo.audit.list({ action: 'customer.view', limit: 10 }).length, 0, 'masked views are not audited');
  t.equal(bo.customers.get(SUPERVISOR, c.id)?.phones[0]?.phone, '13812345678');
  t.equal(bo.customers.get(OWNER, c.id)?.phones[1]?.phone, '+8613912345678');
  t.same(
    bo.audit.list({ action: 'customer.view', limit: 10 }).map((a) => [a.actor, a.entityId, a.detail]),
    [
      ['boss', c.id, { via: 'get' }],
      ['lead', c.id, { via: 'get' }],
    ],
  );
});

t.test('update: fields given, version +1 with an outbox row, stale version 409, no-op keeps the version', async (t) => {
  const { bo, db, clock } = customersBox();
  const c = bo.customers.create(OWNER, { name: '孙七', phones: ['13812345678'], tags: ['投诉'] });
  clock.advance(60_000);
  const u = bo.customers.update(AGENT, c.id, { notes: '客户说上次快递太慢', consent: { marketing: false, sms: true }, version: 1 });
  t.match(u, { version: 2, name: '孙七', notes: '客户说上次快递太慢', consent: { marketing: false, sms: true }, tags: ['投诉'] });
  t.not(u.updatedAt, c.updatedAt);
  t.match(
    errorFrom(() => bo.customers.update(OWNER, c.id, { name: '孙七七', version: 1 })),
    { code: 'CONFLICT', field: 'version' },
  );
  t.equal(bo.customers.update(OWNER, c.id, { name: '孙七', tags: ['投诉'] }).version, 2, 'nothing changed: same version');
  const dnc = bo.customers.update(OWNER, c.id, { doNotCall: true, tags: [], phones: ['13912345678'] });
  t.match(dnc, { version: 3, doNotCall: true, tags: [] });
  t.equal(bo.customers.byPhone(OWNER, '13812345678'), null, 'the old number is free again');
  t.match(
    errorFrom(() => bo.customers.update(OWNER, c.id, { name: null, phones: [] })),
    { code: 'VALIDATION_FAILED', field: 'name' },
  );
  t.match(
    errorFrom(() => bo.customers.update(OWNER, 'nope', { name: 'x' })),
    { code: 'NOT_FOUND' },
  );
  t.match(
    errorFrom(() => bo.customers.update(OWNER, c.id, { version: 0 })),
    { code: 'VALIDATION_FAILED', field: 'version' },
  );
  t.same(
    (
      db.prepare("SELECT version FROM outbox WHERE stream = 'customers' AND record_id = ? ORDER BY seq").all(c.id) as { version: number }[]
    ).map((r) => r.version),
    [1, 2, 3],
  );
  t.same(
    bo.audit.list({ action: 'customer.update', limit: 5 })[0]?.detail,
    { fields: ['doNotCall', 'phones', 'tags'] },
    'field names only',
  );
});

t.test('search: name, partial phone digits, a whole number in another form, tags, notes, tag filter, paging', async (t) => {
  const { bo, clock } = customersBox();
  const a = bo.customers.create(OWNER, { name: '周杰', phones: ['13812345678'], tags: ['VIP'] });
  clock.advance(1000);
  const b = bo.customers.create(OWNER, { name: '吴磊', phones: ['+8613987655678'], notes: '想要经销商价格', tags: ['经销商'] });
  clock.advance(1000);
  const c = bo.customers.create(OWNER, { name: 'Alice 100%', phones: ['13700000001'], tags: ['complaint'] });
  const ids = (q: Parameters<typeof bo.customers.search>[1]) => bo.customers.search(OWNER, q).items.map((x) => x.id);
  t.same(ids({ q: '周' }), [a.id]);
  t.same(ids({ q: '5678' }), [b.id, a.id], 'partial digits, newest change first');
  t.same(ids({ q: '138-1234' }), [a.id], 'digits of a formatted query');
  t.same(ids({ q: '013987655678' }), [b.id], 'a whole number in another stored form');
  t.same(ids({ q: '经销商' }), [b.id], 'tags and notes');
  t.same(ids({ q: 'COMPLAINT' }), [c.id], 'tags case-insensitively');
  t.same(ids({ q: '100%' }), [c.id], 'LIKE wildcards are literal');
  t.same(ids({ q: '%' }), [c.id]);
  t.same(ids({ tag: 'vip' }), [a.id], 'tag filter, case-insensitive');
  t.same(ids({ tag: 'VIP', q: '吴' }), []);
  const page = bo.customers.search(OWNER, { limit: 2, offset: 1 });
  t.equal(page.total, 3);
  t.same(
    page.items.map((x) => x.id),
    [b.id, a.id],
  );
  t.match(
    errorFrom(() => bo.customers.search(OWNER, { limit: 0 })),
    { code: 'VALIDATION_FAILED', field: 'limit' },
  );
});

t.test('queuePriority: 5 for VIP (or 贵宾) customers by any form of their number, else null; never throws', async (t) => {
  const { bo } = customersBox();
  bo.customers.create(OWNER, { name: 'VIP', phones: ['13812345678'], tags: ['VIP'] });
  bo.customers.create(OWNER, { name: '贵宾', phones: ['13912345678'], tags: ['贵宾'] });
  bo.customers.create(OWNER, { name: '普通', phones: ['13712345678'], tags: ['经销商'] });
  t.equal(bo.customers.queuePriority('+8613812345678'), 5);
  t.equal(bo.customers.queuePriority('013912345678'), 5);
  t.equal(bo.customers.queuePriority('13712345678'), null);
  t.equal(bo.customers.queuePriority('13600000000'), null);
  t.equal(bo.customers.queuePriority('anonymous'), null);
  t.equal(bo.customers.queuePriority(''), null);
});

t.test('201 means durable: another connection reads the customer as soon as create returns (WAL file database)', async (t) => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { pino } = await import('pino');
  const BetterSqlite3 = (await import('better-sqlite3')).default;
  const { createBackOffice } = await import('../../../firmware/src/backoffice/index.js');
  const { defaultConfig } = await import('../../../firmware/src/config/schema.js');
  const { openDatabase } = await import('../../../firmware/src/store/db.js');
  const { VirtualClock } = await import('../../../hal/src/clock.js');
  const { TypedEmitter } = await import('../../../hal/src/events.js');
  const dir = mkdtempSync(join(tmpdir(), 'callbox-customers-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(join(dir, 'callbox.db'));
  t.teardown(() => db.close());
  const config = defaultConfig();
  const bo = createBackOffice({
    db,
    clock: new VirtualClock(0),
    log: pino({ level: 'silent' }),
    config: () => config,
    engineEvents: new TypedEmitter(),
  });
  const c = bo.customers.create(OWNER, { name: '持久', phones: ['13812345678'] });
  const other = new BetterSqlite3(join(dir, 'callbox.db'), { readonly: true });
  t.teardown(() => other.close());
  t.same(other.prepare('SELECT name, version FROM customers WHERE id = ?').get(c.id), { name: '持久', version: 1 });
  t.same(other.prepare('SELECT customer_id FROM customer_phones WHERE phone = ?').get('13812345678'), { customer_id: c.id });
  t.equal((other.prepare("SELECT COUNT(*) AS n FROM outbox WHERE stream = 'customers'").get() as { n: number }).n, 1);
});

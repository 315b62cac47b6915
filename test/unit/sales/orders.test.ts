// Orders through the real back office: numbers, the customer found or created by phone (same
// transaction), the workflow allowed and refused with order_events and shipments, refunds,
// margins per local day, statusByNumber, search and filters, masking, versions and the outbox.
import t from 'tap';
import type { Order } from '../../../firmware/src/service/types.js';
import { AGENT, errorFrom, OWNER, product, salesBox } from './fixtures/back-office.js';

const DAY = 86_400_000;

function setup() {
  const box = salesBox();
  const tea = product(box, '诗莉薇排毒养颜茶', 12_800, 4_000, { sku: 'SLW-TEA' });
  const order = (extra: Record<string, unknown> = {}) =>
    box.bo.orders.create(OWNER, {
      phone: '13800138000',
      shipName: '张三',
      shipAddress: '云南省昆明市五华区1号',
      lines: [{ productId: tea.id, qty: 2 }],
      ...extra,
    });
  const outboxOf = (stream: 'orders' | 'customers' | 'products') => box.bo.outbox.pending(stream, 1000);
  return { box, tea, order, outboxOf };
}

t.test('order numbers: local date YYMMDD + daily sequence, digits only, unique', async (t) => {
  const { box, order } = setup();
  // 2026-11-26 02:00 UTC is 10:00 in Asia/Shanghai.
  t.equal(order().number, '2611260001');
  t.equal(order().number, '2611260002');
  box.clock.advance(14 * 3_600_000); // 16:00 UTC = 00:00 next day in Shanghai
  t.equal(order().number, '2611270001', 'the shop day changes at local midnight');
  box.config.shop.timezone = 'UTC';
  t.equal(order().number, '2611260003', 'by the shop time zone (UTC: still the 26th, its sequence goes on)');
});

t.test('customer by phone: found by any stored form, else created (source order) with the order', async (t) => {
  const { box, order, outboxOf } = setup();
  const o1 = order({ phone: '+86 138-0013-8000' });
  t.ok(o1.customerId);
  const c = box.db.prepare('SELECT * FROM customers WHERE id = ?').get(o1.customerId) as { source: string; name: string };
  t.equal(c.source, 'order');
  t.equal(c.name, '张三', 'named after the ship name');
  t.same(box.db.prepare('SELECT phone FROM customer_phones WHERE customer_id = ?').all(o1.customerId), [{ phone: '+8613800138000' }]);
  t.equal(outboxOf('customers').length, 1);
  const o2 = order({ phone: '013800138000' });
  t.equal(o2.customerId, o1.customerId, 'the trunk-prefixed form finds the same customer');
  t.equal(outboxOf('customers').length, 1, 'no second customer');
  t.equal(order({ phone: '13900000000' }).customerId === o1.customerId, false);
  const o3 = box.bo.orders.create(OWNER, { customerId: o1.customerId, lines: [{ productId: o1.lines[0]?.productId ?? '', qty: 1 }] });
  t.equal(o3.customerId, o1.customerId);
  t.equal(o3.shipPhone, null);
  // A failing order leaves no customer behind (one transaction).
  const before = (box.db.prepare('SELECT COUNT(*) AS n FROM customers').get() as { n: number }).n;
  t.match(
    errorFrom(() => order({ phone: '13700000000', sellerId: 'nobody' })),
    { code: 'VALIDATION_FAILED', field: 'sellerId' },
  );
  t.equal((box.db.prepare('SELECT COUNT(*) AS n FROM customers').get() as { n: number }).n, before);
});

t.test('bad orders are refused naming the field', async (t) => {
  const { box, tea, order } = setup();
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ lines: [] }, 'lines'],
    [{ lines: 'x' }, 'lines'],
    [{ lines: [{ productId: tea.id, qty: 0 }] }, 'lines[0].qty'],
    [{ lines: [{ productId: tea.id, qty: 1.5 }] }, 'lines[0].qty'],
    [{ lines: [{ productId: tea.id, qty: 10_000 }] }, 'lines[0].qty'],
    [{ lines: [{ productId: tea.id, qty: '2' }] }, 'lines[0].qty'],
    [{ lines: [{ productId: 'nope', qty: 1 }] }, 'lines[0].productId'],
    [{ lines: [{ productId: tea.id, qty: 1, price: 1 }] }, 'lines[0].price'],
    [{ phone: 'abc' }, 'phone'],
    [{ phone: 13800138000 }, 'phone'],
    [{ phone: null }, 'customerId'],
    [{ phone: null, customerId: 'nope' }, 'customerId'],
    [{ shipPhone: 'x' }, 'shipPhone'],
    [{ shipAddress: 'x'.repeat(501) }, 'shipAddress'],
    [{ discount: 5 }, 'discount'],
  ];
  for (const [extra, field] of cases)
    t.match(
      errorFrom(() => order(extra)),
      { code: 'VALIDATION_FAILED', field },
      field,
    );
  box.bo.products.update(OWNER, tea.id, { active: false });
  t.match(
    errorFrom(() => order()),
    { field: 'lines[0].productId' },
    'not on sale',
  );
  t.equal(box.bo.orders.search(OWNER, {}).total, 0);
});

t.test('workflow: allowed moves, refused moves (CONFLICT), history, shipments, versions, outbox', async (t) => {
  const { box, order, outboxOf } = setup();
  const o = order();
  t.equal(o.status, 'new');
  t.equal(o.version, 1);
  t.match(
    errorFrom(() => box.bo.orders.setStatus(OWNER, o.id, { status: 'shipped', carrier: '顺丰', trackingNo: 'SF1' })),
    { code: 'CONFLICT' },
  );
  t.match(
    errorFrom(() => box.bo.orders.setStatus(OWNER, o.id, { status: 'delivered' })),
    { code: 'CONFLICT' },
  );
  t.match(
    errorFrom(() => box.bo.orders.setStatus(OWNER, o.id, { status: 'returned' })),
    { code: 'CONFLICT' },
  );
  const paid = box.bo.orders.setStatus(AGENT, o.id, { status: 'paid', version: 1 });
  t.equal(paid.version, 2);
  t.ok(paid.paidAt);
  t.match(
    errorFrom(() => box.bo.orders.setStatus(OWNER, o.id, { status: 'paid' })),
    { code: 'CONFLICT' },
    'paid twice',
  );
  t.match(
    errorFrom(() => box.bo.orders.setStatus(OWNER, o.id, { status: 'shipped', version: 1, carrier: 'x', trackingNo: 'y' })),
    { code: 'CONFLICT' },
    'stale',
  );
  t.match(
    errorFrom(() => box.bo.orders.setStatus(OWNER, o.id, { status: 'shipped', carrier: '顺丰' })),
    { field: 'trackingNo' },
  );
  t.match(
    errorFrom(() => box.bo.orders.setStatus(OWNER, o.id, { status: 'paid', refundCents: 5 })),
    { field: 'refundCents' },
  );
  box.clock.advance(3_600_000);
  const shipped = box.bo.orders.setStatus(OWNER, o.id, { status: 'shipped', carrier: '顺丰速运', trackingNo: 'SF1234567890' });
  t.equal(shipped.shipments.length, 1);
  t.match(shipped.shipments[0], { carrier: '顺丰速运', trackingNo: 'SF1234567890', deliveredAt: null, orderId: o.id });
  box.clock.advance(DAY);
  const delivered = box.bo.orders.setStatus(OWNER, o.id, { status: 'delivered' });
  t.ok(delivered.deliveredAt);
  t.ok(delivered.shipments[0]?.deliveredAt);
  t.match(
    errorFrom(() => box.bo.orders.setStatus(OWNER, o.id, { status: 'cancelled' })),
    { code: 'CONFLICT' },
  );
  t.equal(delivered.version, 4);
  t.same(
    box.bo.orders.events(OWNER, o.id).map((e) => [e.fromStatus, e.toStatus, e.actor]),
    [
      [null, 'new', 'owner'],
      ['new', 'paid', 'agent1'],
      ['paid', 'shipped', 'owner'],
      ['shipped', 'delivered', 'owner'],
    ],
  );
  t.same(box.bo.orders.events(OWNER, o.id)[2]?.data, { carrier: '顺丰速运', trackingNo: 'SF1234567890' });
  t.same(
    outboxOf('orders').map((r) => [r.id, r.version]),
    [1, 2, 3, 4].map((v) => [o.id, v]),
    'one outbox row per version',
  );
  t.match(
    errorFrom(() => box.bo.orders.setStatus(OWNER, 'nope', { status: 'paid' })),
    { code: 'NOT_FOUND' },
  );
  t.match(
    errorFrom(() => box.bo.orders.setStatus(OWNER, o.id, { status: 'lost' as never })),
    { field: 'status' },
  );
  t.match(
    errorFrom(() => box.bo.orders.events(OWNER, 'nope')),
    { code: 'NOT_FOUND' },
  );
});

t.test('cancel from new and paid only; returns with full and partial refunds', async (t) => {
  const { box, order } = setup();
  const a = order();
  t.equal(box.bo.orders.setStatus(OWNER, a.id, { status: 'cancelled', note: '客户不要了' }).refundCents, 0);
  const b = order();
  box.bo.orders.setStatus(OWNER, b.id, { status: 'paid' });
  const bc = box.bo.orders.setStatus(OWNER, b.id, { status: 'cancelled' });
  t.equal(bc.refundCents, b.totalCents, 'a paid order cancelled is refunded in full');
  t.ok(bc.cancelledAt);
  const ship = (id: string) => {
    box.bo.orders.setStatus(OWNER, id, { status: 'paid' });
    return box.bo.orders.setStatus(OWNER, id, { status: 'shipped', carrier: '中通', trackingNo: `ZT${id.slice(-6)}` });
  };
  const c = order();
  ship(c.id);
  const full = box.bo.orders.setStatus(OWNER, c.id, { status: 'returned' });
  t.equal(full.refundCents, 25_600, 'default: the whole total');
  t.equal(full.marginCents, 25_600 - 8_000 - 25_600);
  const d = order();
  ship(d.id);
  box.bo.orders.setStatus(OWNER, d.id, { status: 'delivered' });
  t.match(
    errorFrom(() => box.bo.orders.setStatus(OWNER, d.id, { status: 'returned', refundCents: 25_601 })),
    { field: 'refundCents' },
  );
  t.match(
    errorFrom(() => box.bo.orders.setStatus(OWNER, d.id, { status: 'returned', refundCents: -1 })),
    { field: 'refundCents' },
  );
  const part = box.bo.orders.setStatus(OWNER, d.id, { status: 'returned', refundCents: 12_800, note: '退一盒' });
  t.equal(part.refundCents, 12_800);
  t.equal(part.marginCents, 25_600 - 8_000 - 12_800);
  t.same(box.bo.orders.events(OWNER, d.id).at(-1)?.data, { note: '退一盒', refundCents: 12_800 });
  t.match(
    errorFrom(() => box.bo.orders.setStatus(OWNER, d.id, { status: 'returned' })),
    { code: 'CONFLICT' },
    'returned is final',
  );
});

t.test('margins per local day (Asia/Shanghai): total − cost − refunds; cancelled left out', async (t) => {
  const { box, order } = setup();
  // 2026-11-26 10:00 local: two orders, one returned in part.
  const a = order();
  const b = order();
  box.bo.orders.setStatus(OWNER, b.id, { status: 'paid' });
  box.bo.orders.setStatus(OWNER, b.id, { status: 'shipped', carrier: '顺丰', trackingNo: 'SF1' });
  box.bo.orders.setStatus(OWNER, b.id, { status: 'returned', refundCents: 5_000 });
  const gone = order();
  box.bo.orders.setStatus(OWNER, gone.id, { status: 'cancelled' });
  // 15:59:59 UTC is 23:59:59 local: still the 26th; 16:00 UTC is the 27th.
  box.clock.advance(14 * 3_600_000 - 1_000);
  const late = order({ lines: [{ productId: a.lines[0]?.productId ?? '', qty: 1 }] });
  box.clock.advance(1_000);
  order({ lines: [{ productId: a.lines[0]?.productId ?? '', qty: 1 }] });
  const m = box.bo.orders.margins(OWNER, { from: '2026-11-25', to: '2026-11-27' });
  t.equal(m.timezone, 'Asia/Shanghai');
  t.same(m.days[0], { date: '2026-11-25', orders: 0, totalCents: 0, costCents: 0, refundCents: 0, marginCents: 0 });
  t.same(m.days[1], {
    date: '2026-11-26',
    orders: 3,
    totalCents: 25_600 * 2 + 12_800,
    costCents: 8_000 * 2 + 4_000,
    refundCents: 5_000,
    marginCents: 25_600 * 2 + 12_800 - 20_000 - 5_000,
  });
  t.same(m.days[2], { date: '2026-11-27', orders: 1, totalCents: 12_800, costCents: 4_000, refundCents: 0, marginCents: 8_800 });
  t.equal(m.total.marginCents, 39_000 + 8_800);
  t.equal(late.createdAt, '2026-11-26T15:59:59.000Z');
  t.match(
    errorFrom(() => box.bo.orders.margins(OWNER, { from: '2026-11-27', to: '2026-11-26' })),
    { field: 'to' },
  );
  t.match(
    errorFrom(() => box.bo.orders.margins(OWNER, { from: '2026-02-30', to: '2026-03-01' })),
    { field: 'from' },
  );
  t.match(
    errorFrom(() => box.bo.orders.margins(OWNER, { from: '2025-01-01', to: '2026-11-27' })),
    { field: 'to' },
  );
});

t.test('statusByNumber for the IVR', async (t) => {
  const { box, order } = setup();
  const o = order();
  t.same(box.bo.orders.statusByNumber(o.number), {
    number: o.number,
    status: 'new',
    shippedAt: null,
    deliveredAt: null,
    carrier: null,
    trackingNo: null,
  });
  box.bo.orders.setStatus(OWNER, o.id, { status: 'paid' });
  box.bo.orders.setStatus(OWNER, o.id, { status: 'shipped', carrier: '顺丰速运', trackingNo: 'SF99' });
  t.match(box.bo.orders.statusByNumber(o.number), {
    status: 'shipped',
    carrier: '顺丰速运',
    trackingNo: 'SF99',
    shippedAt: new Date(box.clock.now()).toISOString(),
  });
  t.equal(box.bo.orders.statusByNumber('2611269999'), null);
  t.equal(box.bo.orders.statusByNumber("1' OR '1'='1"), null);
  t.equal(box.bo.orders.statusByNumber(''), null);
});

t.test('search: q over number, customer name/phone, ship phone, tracking no; filters; paging; masking', async (t) => {
  const { box, tea, order } = setup();
  const a = order({ shipName: '李四', phone: '13811112222' });
  const b = order({ shipName: '王五', phone: '13933334444' });
  box.bo.orders.setStatus(OWNER, b.id, { status: 'paid' });
  box.bo.orders.setStatus(OWNER, b.id, { status: 'shipped', carrier: '圆通', trackingNo: 'YT778899' });
  const ids = (q: Record<string, unknown>) => box.bo.orders.search(OWNER, q).items.map((o: Order) => o.id);
  t.same(ids({ q: a.number }), [a.id]);
  t.same(ids({ q: '李四' }), [a.id]);
  t.same(ids({ q: '3333' }), [b.id]);
  t.same(ids({ q: 'YT7788' }), [b.id]);
  t.same(ids({ q: '%' }), [], 'LIKE wildcards are literal');
  t.same(ids({ status: 'shipped' }), [b.id]);
  t.same(ids({ customerId: a.customerId }), [a.id]);
  t.same(ids({ from: '2026-11-26', to: '2026-11-26' }), [b.id, a.id], 'newest first');
  t.same(ids({ from: '2026-11-27' }), []);
  t.same(ids({ to: '2026-11-25' }), []);
  const page = box.bo.orders.search(OWNER, { limit: 1, offset: 1 });
  t.equal(page.total, 2);
  t.same(
    page.items.map((o) => o.id),
    [a.id],
  );
  t.match(
    errorFrom(() => box.bo.orders.search(OWNER, { status: 'lost' as never })),
    { field: 'status' },
  );
  t.match(
    errorFrom(() => box.bo.orders.search(OWNER, { from: '26-11-2026' })),
    { field: 'from' },
  );
  t.match(
    errorFrom(() => box.bo.orders.search(OWNER, { limit: 0 })),
    { field: 'limit' },
  );
  t.equal(box.bo.orders.get(AGENT, a.id)?.shipPhone, '138****2222', 'agents see masked numbers');
  t.equal(box.bo.orders.get(OWNER, a.id)?.shipPhone, '13811112222');
  t.equal(box.bo.orders.search(AGENT, { q: a.number }).items[0]?.shipPhone, '138****2222');
  const sent = box.bo.outbox.pending('orders', 100).find((r) => r.id === a.id)?.body as Order;
  t.equal(sent.shipPhone, '13811112222', 'the cloud gets the full record');
  t.equal(box.bo.orders.get(OWNER, 'nope'), null);
  void tea;
});

t.test('delivered: a return visit (回访) is scheduled with followups, N days later (sales settings)', async (t) => {
  const { box, order } = setup();
  t.same(box.bo.products.settings(), { returnVisitDays: 3 });
  t.same(box.bo.products.updateSettings(OWNER, { returnVisitDays: 5 }), { returnVisitDays: 5 });
  t.same(box.bo.products.settings(), { returnVisitDays: 5 }, 'kept in the settings table');
  t.match(
    errorFrom(() => box.bo.products.updateSettings(OWNER, { returnVisitDays: -1 })),
    { field: 'returnVisitDays' },
  );
  t.match(
    errorFrom(() => box.bo.products.updateSettings(OWNER, { other: 1 } as never)),
    { field: 'other' },
  );
  const o = order();
  box.bo.orders.setStatus(OWNER, o.id, { status: 'paid' });
  box.bo.orders.setStatus(OWNER, o.id, { status: 'shipped', carrier: '顺丰', trackingNo: 'SF1' });
  box.clock.advance(2 * DAY);
  const delivered = box.bo.orders.setStatus(OWNER, o.id, { status: 'delivered' });
  const items = box.db.prepare('SELECT * FROM followup_items WHERE order_id = ?').all(o.id) as Array<Record<string, unknown>>;
  t.equal(items.length, 1);
  t.match(items[0], { phone: '13800138000', customer_id: o.customerId, due_at: Date.parse(delivered.deliveredAt ?? '') + 5 * DAY });
  const lists = box.bo.followups.lists(OWNER);
  t.ok(lists.some((l) => l.purpose === 'return_visit'));
});

t.test('delivered: a followups failure is logged, never fatal to the delivery', async (t) => {
  const { box, order } = setup();
  const o = order();
  box.bo.orders.setStatus(OWNER, o.id, { status: 'paid' });
  box.bo.orders.setStatus(OWNER, o.id, { status: 'shipped', carrier: '顺丰', trackingNo: 'SF1' });
  // Make scheduling fail hard (its tables gone): the delivery must still commit.
  box.db.exec('DROP TABLE followup_attempts; DROP TABLE followup_items');
  const d = box.bo.orders.setStatus(OWNER, o.id, { status: 'delivered' });
  t.equal(d.status, 'delivered');
  t.equal(box.bo.orders.get(OWNER, o.id)?.status, 'delivered', 'durable');
  t.ok(box.logs.some((l) => l.msg === 'return visit not scheduled'));
});

// The catalog, stock requests (要货) and monthly targets through the real back office: validation
// naming the field, sku uniqueness, versions and the outbox, search and featured products, the
// stock request workflow with its shipment, targets with what was achieved.
import t from 'tap';
import { AGENT, errorFrom, OWNER, product, salesBox } from './fixtures/back-office.js';

t.test('products: create, validate, update with version, outbox, search', async (t) => {
  const box = salesBox();
  const tea = product(box, '诗莉薇排毒养颜茶', 12_800, 4_000, { sku: 'SLW-TEA', spec: '60袋/盒' });
  t.match(tea, {
    name: '诗莉薇排毒养颜茶',
    spec: '60袋/盒',
    sku: 'SLW-TEA',
    priceCents: 12_800,
    costCents: 4_000,
    active: true,
    featured: false,
    version: 1,
  });
  t.match(tea.id, /^[0-9A-Z]{26}$/);
  const create = (input: unknown) => errorFrom(() => box.bo.products.create(OWNER, input as never));
  t.match(create({ name: '', priceCents: 1, costCents: 1 }), { code: 'VALIDATION_FAILED', field: 'name' });
  t.match(create({ name: 'x', priceCents: -1, costCents: 1 }), { field: 'priceCents' });
  t.match(create({ name: 'x', priceCents: 1.5, costCents: 1 }), { field: 'priceCents' });
  t.match(create({ name: 'x', priceCents: '100', costCents: 1 }), { field: 'priceCents' });
  t.match(create({ name: 'x', priceCents: 1, costCents: 100_000_001 }), { field: 'costCents' });
  t.match(create({ name: 'x', priceCents: 1, costCents: 1, featured: 'yes' }), { field: 'featured' });
  t.match(create({ name: 'x', priceCents: 1, costCents: 1, sku: 'SLW-TEA' }), { code: 'CONFLICT', field: 'sku' });
  const cup = product(box, '保温杯', 3_900, 1_500, { spec: '500ml' });
  const up = box.bo.products.update(OWNER, cup.id, { featured: true, priceCents: 4_900, version: 1 });
  t.match(up, { featured: true, priceCents: 4_900, costCents: 1_500, name: '保温杯', version: 2 });
  t.match(
    errorFrom(() => box.bo.products.update(OWNER, cup.id, { priceCents: 1, version: 1 })),
    { code: 'CONFLICT' },
  );
  t.match(
    errorFrom(() => box.bo.products.update(OWNER, 'nope', { priceCents: 1 })),
    { code: 'NOT_FOUND' },
  );
  t.match(
    errorFrom(() => box.bo.products.update(OWNER, cup.id, { sku: 'SLW-TEA' })),
    { code: 'CONFLICT' },
  );
  t.same(
    box.bo.outbox.pending('products', 100).map((r) => [r.id, r.version]),
    [
      [tea.id, 1],
      [cup.id, 1],
      [cup.id, 2],
    ],
  );
  const names = (q: Record<string, unknown>) => box.bo.products.search(AGENT, q).items.map((p) => p.name);
  t.same(names({}), ['保温杯', '诗莉薇排毒养颜茶'], 'featured first');
  t.same(names({ q: '养颜' }), ['诗莉薇排毒养颜茶']);
  t.same(names({ q: '500ml' }), ['保温杯'], 'spec');
  t.same(names({ q: 'slw-tea' }), ['诗莉薇排毒养颜茶'], 'sku, any case');
  t.same(names({ featured: true }), ['保温杯']);
  box.bo.products.update(OWNER, tea.id, { active: false });
  t.same(names({ active: true }), ['保温杯']);
  t.equal(box.bo.products.get(AGENT, 'nope'), null);
  t.match(
    errorFrom(() => box.bo.products.search(AGENT, { q: 'x'.repeat(201) })),
    { field: 'q' },
  );
});

t.test('stock requests (要货): requested → approved → shipped → received; rejected; refused moves', async (t) => {
  const box = salesBox();
  const tea = product(box, '诗莉薇排毒养颜茶', 12_800, 4_000);
  const r = box.bo.products.requestStock(OWNER, { productId: tea.id, qty: 200, note: '双十二备货' });
  t.match(r, { status: 'requested', qty: 200, requestedBy: 'owner', note: '双十二备货', version: 1, shipments: [] });
  t.match(
    errorFrom(() => box.bo.products.requestStock(OWNER, { productId: 'nope', qty: 1 })),
    { field: 'productId' },
  );
  t.match(
    errorFrom(() => box.bo.products.requestStock(OWNER, { productId: tea.id, qty: 0 })),
    { field: 'qty' },
  );
  const set = (id: string, change: Record<string, unknown>) => box.bo.products.setStockRequestStatus(OWNER, id, change as never);
  t.match(
    errorFrom(() => set(r.id, { status: 'shipped', carrier: '德邦', trackingNo: 'DB1' })),
    { code: 'CONFLICT' },
  );
  t.match(
    errorFrom(() => set(r.id, { status: 'received' })),
    { code: 'CONFLICT' },
  );
  const a = set(r.id, { status: 'approved', version: 1 });
  t.match(a, { status: 'approved', decidedBy: 'owner', version: 2 });
  t.ok(a.decidedAt);
  t.match(
    errorFrom(() => set(r.id, { status: 'shipped', carrier: '德邦' })),
    { field: 'trackingNo' },
  );
  const s = set(r.id, { status: 'shipped', carrier: '德邦物流', trackingNo: 'DB20261127' });
  t.match(s.shipments, [{ carrier: '德邦物流', trackingNo: 'DB20261127', stockRequestId: r.id, orderId: null, deliveredAt: null }]);
  box.clock.advance(3 * 86_400_000);
  const got = set(r.id, { status: 'received' });
  t.equal(got.receivedAt, new Date(box.clock.now()).toISOString());
  t.ok(got.shipments[0]?.deliveredAt);
  t.match(
    errorFrom(() => set(r.id, { status: 'approved' })),
    { code: 'CONFLICT' },
  );
  const no = box.bo.products.requestStock(OWNER, { productId: tea.id, qty: 5 });
  t.equal(set(no.id, { status: 'rejected', note: '库存充足' }).status, 'rejected');
  t.match(
    errorFrom(() => set(no.id, { status: 'approved' })),
    { code: 'CONFLICT' },
  );
  t.match(
    errorFrom(() => set('nope', { status: 'approved' })),
    { code: 'NOT_FOUND' },
  );
  t.same(
    box.bo.products.stockRequests(OWNER, { status: 'received' }).items.map((x) => x.id),
    [r.id],
  );
  t.equal(box.bo.products.stockRequests(OWNER, {}).total, 2);
  const sent = box.bo.outbox.pending('products', 100).filter((x) => x.id === r.id);
  t.same(
    sent.map((x) => x.version),
    [1, 2, 3, 4],
  );
  t.match(sent[0]?.body, { type: 'stockRequest', status: 'requested' });
});

t.test('monthly targets: shop and per person, achieved from the month (local) less refunds', async (t) => {
  const box = salesBox();
  const tea = product(box, '诗莉薇排毒养颜茶', 10_000, 4_000);
  box.db
    .prepare(
      "INSERT INTO people (id, name, kind, status, applied_at, created_at, updated_at) VALUES ('P1', '小王', 'salesperson', 'approved', 0, 0, 0)",
    )
    .run();
  const shop = box.bo.products.setTarget(OWNER, { month: '2026-11', targetCents: 5_000_000 });
  t.match(shop, { month: '2026-11', personId: null, targetCents: 5_000_000, achievedCents: 0, version: 1, updatedBy: 'owner' });
  box.bo.products.setTarget(OWNER, { month: '2026-11', personId: 'P1', targetCents: 1_000_000 });
  t.match(
    errorFrom(() => box.bo.products.setTarget(OWNER, { month: '2026-11', personId: 'P9', targetCents: 1 })),
    { field: 'personId' },
  );
  t.match(
    errorFrom(() => box.bo.products.setTarget(OWNER, { month: '2026-13', targetCents: 1 })),
    { field: 'month' },
  );
  t.match(
    errorFrom(() => box.bo.products.setTarget(OWNER, { month: '2026-11', targetCents: -5 })),
    { field: 'targetCents' },
  );
  const o1 = box.bo.orders.create(OWNER, { phone: '13800138000', sellerId: 'P1', lines: [{ productId: tea.id, qty: 3 }] });
  box.bo.orders.create(OWNER, { phone: '13800138001', lines: [{ productId: tea.id, qty: 1 }] });
  const gone = box.bo.orders.create(OWNER, { phone: '13800138001', sellerId: 'P1', lines: [{ productId: tea.id, qty: 9 }] });
  box.bo.orders.setStatus(OWNER, gone.id, { status: 'cancelled' });
  box.bo.orders.setStatus(OWNER, o1.id, { status: 'paid' });
  box.bo.orders.setStatus(OWNER, o1.id, { status: 'shipped', carrier: '顺丰', trackingNo: 'SF1' });
  box.bo.orders.setStatus(OWNER, o1.id, { status: 'returned', refundCents: 10_000 });
  // 2026-11-30 16:30 UTC is already December in Shanghai.
  box.clock.advance(Date.UTC(2026, 10, 30, 16, 30) - box.clock.now());
  box.bo.orders.create(OWNER, { phone: '13800138000', sellerId: 'P1', lines: [{ productId: tea.id, qty: 1 }] });
  const list = box.bo.products.targets(AGENT, '2026-11');
  t.same(
    list.map((x) => [x.personId, x.targetCents, x.achievedCents]),
    [
      [null, 5_000_000, 30_000 - 10_000 + 10_000],
      ['P1', 1_000_000, 20_000],
    ],
  );
  const again = box.bo.products.setTarget(OWNER, { month: '2026-11', targetCents: 6_000_000 });
  t.equal(again.version, 2);
  t.same(box.bo.products.targets(OWNER, '2026-12').length, 0);
  t.match(
    errorFrom(() => box.bo.products.targets(OWNER, 'november')),
    { field: 'month' },
  );
});

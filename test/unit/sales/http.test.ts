// Phone sales over HTTP (the real server over the real back office): 201 with id, GET by id, ?q=
// search, 400 naming the field, 404, 409, 403 by role, masked ship phones for agents, margins,
// promotions, stock requests, targets and settings.
import t from 'tap';
import type { MarginsReport, Order, Product, Promotion, StockRequest } from '../../../firmware/src/service/types.js';
import { errorOf, startTestServer } from '../web-ui/fixtures/helpers.js';

type Role = 'supervisor' | 'agent' | 'technician';

async function server(t: { teardown(fn: () => unknown): void }) {
  const s = await startTestServer(t);
  const owner = await s.login();
  const tokenOf = async (role: Role) => {
    s.fake.auth.users.set(role, { password: 'pass-word-1', role });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: role, password: 'pass-word-1' } });
    return ((await res.json()) as { token: string }).token;
  };
  const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;
  return { s, owner, tokenOf, json };
}

t.test('products: 201, read, search, patch with version, 400/404/409, roles', async (t) => {
  const { s, owner, tokenOf, json } = await server(t);
  const res = await s.call('/api/v1/products', {
    method: 'POST',
    token: owner,
    json: { name: '诗莉薇排毒养颜茶', spec: '60袋/盒', sku: 'SLW-TEA', costCents: 4000, priceCents: 12800, featured: true },
  });
  t.equal(res.status, 201);
  const tea = await json<Product>(res);
  t.match(tea, { name: '诗莉薇排毒养颜茶', priceCents: 12800, version: 1, featured: true });
  const agent = await tokenOf('agent');
  t.same(await json(await s.call(`/api/v1/products/${tea.id}`, { token: agent })), tea);
  const found = await json<{ items: Product[]; total: number }>(
    await s.call(`/api/v1/products?q=${encodeURIComponent('养颜')}&featured=true`, { token: agent }),
  );
  t.equal(found.total, 1);
  t.equal(found.items[0]?.id, tea.id);
  t.equal((await s.call(`/api/v1/products/nope`, { token: agent })).status, 404);
  const bad = await s.call('/api/v1/products', { method: 'POST', token: owner, json: { name: 'x', costCents: 1, priceCents: 9.99 } });
  t.equal(bad.status, 400);
  t.same((await errorOf(bad)).details, { field: 'priceCents' });
  const unknown = await s.call('/api/v1/products', {
    method: 'POST',
    token: owner,
    json: { name: 'x', costCents: 1, priceCents: 1, color: 'red' },
  });
  t.same((await errorOf(unknown)).details, { field: 'color' });
  t.equal((await s.call('/api/v1/products?featured=maybe', { token: owner })).status, 400);
  t.equal((await s.call('/api/v1/products?limit=0', { token: owner })).status, 400);
  const dup = await s.call('/api/v1/products', {
    method: 'POST',
    token: owner,
    json: { name: 'y', costCents: 1, priceCents: 1, sku: 'SLW-TEA' },
  });
  t.equal(dup.status, 409);
  const patched = await s.call(`/api/v1/products/${tea.id}`, { method: 'PATCH', token: owner, json: { priceCents: 13800, version: 1 } });
  t.equal(patched.status, 200);
  t.equal((await json<Product>(patched)).version, 2);
  t.equal((await s.call(`/api/v1/products/${tea.id}`, { method: 'PATCH', token: owner, json: { priceCents: 1, version: 1 } })).status, 409);
  t.equal(
    (await s.call('/api/v1/products', { method: 'POST', token: agent, json: { name: 'x', costCents: 1, priceCents: 1 } })).status,
    403,
  );
  const supervisor = await tokenOf('supervisor');
  t.equal(
    (await s.call('/api/v1/products', { method: 'POST', token: supervisor, json: { name: '保温杯', costCents: 1500, priceCents: 3900 } }))
      .status,
    201,
  );
  const tech = await tokenOf('technician');
  t.equal((await s.call('/api/v1/products', { token: tech })).status, 403);
  t.equal((await s.call('/api/v1/products')).status, 401);
});

t.test('orders: 201 taken by an agent, masked phone, search, workflow 409, events, 403 for technicians', async (t) => {
  const { s, owner, tokenOf, json } = await server(t);
  const tea = await json<Product>(
    await s.call('/api/v1/products', {
      method: 'POST',
      token: owner,
      json: { name: '诗莉薇排毒养颜茶', costCents: 4000, priceCents: 12800 },
    }),
  );
  await s.call('/api/v1/promotions', {
    method: 'POST',
    token: owner,
    json: { name: '买二送一', kind: 'buy_n_get_m', rule: { n: 2, m: 1 }, productId: tea.id },
  });
  const agent = await tokenOf('agent');
  const res = await s.call('/api/v1/orders', {
    method: 'POST',
    token: agent,
    json: {
      phone: '13800138000',
      shipName: '张三',
      shipAddress: '云南省昆明市盘龙区北京路1号',
      lines: [{ productId: tea.id, qty: 3 }],
      callId: 'call-1',
    },
  });
  t.equal(res.status, 201);
  const o = await json<Order>(res);
  t.match(o, { status: 'new', totalCents: 25600, discountCents: 12800, shipPhone: '138****8000', createdBy: 'agent', callId: 'call-1' });
  t.match(o.number, /^[0-9]{10}$/);
  t.ok(o.customerId, 'customer created from the phone');
  t.equal(
    (await json<Order>(await s.call(`/api/v1/orders/${o.id}`, { token: owner }))).shipPhone,
    '13800138000',
    'the owner sees it whole',
  );
  t.equal((await json<Order>(await s.call(`/api/v1/orders/${o.id}`, { token: agent }))).shipPhone, '138****8000');
  const found = await json<{ items: Order[]; total: number }>(await s.call(`/api/v1/orders?q=${o.number}&status=new`, { token: agent }));
  t.same(
    found.items.map((x) => x.id),
    [o.id],
  );
  t.equal((await s.call('/api/v1/orders?status=lost', { token: agent })).status, 400);
  t.equal((await s.call('/api/v1/orders?from=2026-13-01', { token: agent })).status, 400);
  t.equal((await s.call('/api/v1/orders/nope', { token: agent })).status, 404);
  const badLines = await s.call('/api/v1/orders', {
    method: 'POST',
    token: agent,
    json: { phone: '13800138000', lines: [{ productId: tea.id, qty: -1 }] },
  });
  t.equal(badLines.status, 400);
  t.same((await errorOf(badLines)).details, { field: 'lines[0].qty' });
  const move = (status: string, extra: Record<string, unknown> = {}) =>
    s.call(`/api/v1/orders/${o.id}/status`, { method: 'POST', token: agent, json: { status, ...extra } });
  const early = await move('delivered');
  t.equal(early.status, 409);
  t.equal((await errorOf(early)).code, 'CONFLICT');
  t.equal((await move('paid', { version: 1 })).status, 200);
  t.equal((await move('shipped', { version: 1, carrier: '顺丰', trackingNo: 'SF1' })).status, 409, 'stale version');
  const shipped = await json<Order>(await move('shipped', { carrier: '顺丰速运', trackingNo: 'SF1234567890' }));
  t.equal(shipped.shipments[0]?.trackingNo, 'SF1234567890');
  t.equal((await move('returned', { refundCents: 'all' })).status, 400);
  t.equal((await s.call('/api/v1/orders/nope/status', { method: 'POST', token: agent, json: { status: 'paid' } })).status, 404);
  const byTracking = await json<{ items: Order[] }>(await s.call('/api/v1/orders?q=SF123456', { token: agent }));
  t.same(
    byTracking.items.map((x) => x.id),
    [o.id],
  );
  const events = await json<{ items: Array<{ toStatus: string }> }>(await s.call(`/api/v1/orders/${o.id}/events`, { token: agent }));
  t.same(
    events.items.map((e) => e.toStatus),
    ['new', 'paid', 'shipped'],
  );
  const tech = await tokenOf('technician');
  t.equal((await s.call('/api/v1/orders', { token: tech })).status, 403);
  t.equal((await s.call('/api/v1/orders', { method: 'POST', token: tech, json: { phone: '1', lines: [] } })).status, 403);
  t.equal(s.fake.orders.statusByNumber(o.number)?.trackingNo, 'SF1234567890');
});

t.test('margins: per local day for owner and supervisor, 403 for agents, 400 for bad days', async (t) => {
  const { s, owner, tokenOf, json } = await server(t);
  const tea = await json<Product>(
    await s.call('/api/v1/products', { method: 'POST', token: owner, json: { name: '茶', costCents: 4000, priceCents: 12800 } }),
  );
  await s.call('/api/v1/orders', { method: 'POST', token: owner, json: { phone: '13800138000', lines: [{ productId: tea.id, qty: 1 }] } });
  const day = new Date(s.fake.boClock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const res = await s.call(`/api/v1/orders/margins?from=${day}&to=${day}`, { token: await tokenOf('supervisor') });
  t.equal(res.status, 200);
  const m = await json<MarginsReport>(res);
  t.same(m.days, [{ date: day, orders: 1, totalCents: 12800, costCents: 4000, refundCents: 0, marginCents: 8800 }]);
  t.equal((await s.call(`/api/v1/orders/margins?from=${day}&to=${day}`, { token: await tokenOf('agent') })).status, 403);
  const bad = await s.call(`/api/v1/orders/margins?from=${day}`, { token: owner });
  t.equal(bad.status, 400);
  t.same((await errorOf(bad)).details, { field: 'to' });
});

t.test('promotions, stock requests, targets and settings over HTTP', async (t) => {
  const { s, owner, tokenOf, json } = await server(t);
  const tea = await json<Product>(
    await s.call('/api/v1/products', { method: 'POST', token: owner, json: { name: '茶', costCents: 4000, priceCents: 12800 } }),
  );
  const pr = await s.call('/api/v1/promotions', {
    method: 'POST',
    token: owner,
    json: { name: '九折', kind: 'percent_off', rule: { pct: 10 } },
  });
  t.equal(pr.status, 201);
  const promo = await json<Promotion>(pr);
  const agent = await tokenOf('agent');
  t.same(await json(await s.call(`/api/v1/promotions/${promo.id}`, { token: agent })), promo);
  t.equal((await json<{ total: number }>(await s.call('/api/v1/promotions?activeAt=now', { token: agent }))).total, 1);
  t.equal((await s.call('/api/v1/promotions?activeAt=soon', { token: agent })).status, 400);
  t.equal((await s.call('/api/v1/promotions/nope', { token: agent })).status, 404);
  const badRule = await s.call('/api/v1/promotions', {
    method: 'POST',
    token: owner,
    json: { name: 'x', kind: 'percent_off', rule: { pct: 200 } },
  });
  t.same((await errorOf(badRule)).details, { field: 'rule.pct' });
  t.equal(
    (await s.call('/api/v1/promotions', { method: 'POST', token: agent, json: { name: 'x', kind: 'percent_off', rule: { pct: 1 } } }))
      .status,
    403,
  );
  const off = await s.call(`/api/v1/promotions/${promo.id}`, { method: 'PATCH', token: owner, json: { active: false, version: 1 } });
  t.equal((await json<Promotion>(off)).active, false);

  const sr = await s.call('/api/v1/stock-requests', {
    method: 'POST',
    token: owner,
    json: { productId: tea.id, qty: 100, note: '月初要货' },
  });
  t.equal(sr.status, 201);
  const req = await json<StockRequest>(sr);
  t.equal((await s.call(`/api/v1/stock-requests/${req.id}`, { token: agent })).status, 200);
  t.equal((await s.call('/api/v1/stock-requests/nope', { token: agent })).status, 404);
  const wrong = await s.call(`/api/v1/stock-requests/${req.id}/status`, { method: 'POST', token: owner, json: { status: 'received' } });
  t.equal(wrong.status, 409);
  t.equal(
    (await s.call(`/api/v1/stock-requests/${req.id}/status`, { method: 'POST', token: agent, json: { status: 'approved' } })).status,
    403,
  );
  t.equal(
    (await s.call(`/api/v1/stock-requests/${req.id}/status`, { method: 'POST', token: owner, json: { status: 'approved' } })).status,
    200,
  );
  t.equal((await json<{ total: number }>(await s.call('/api/v1/stock-requests?status=approved', { token: agent }))).total, 1);

  const tg = await s.call('/api/v1/sales/targets', { method: 'PUT', token: owner, json: { month: '2026-11', targetCents: 5_000_000 } });
  t.equal(tg.status, 200);
  const targets = await json<{ items: Array<{ targetCents: number }> }>(
    await s.call('/api/v1/sales/targets?month=2026-11', { token: agent }),
  );
  t.equal(targets.items[0]?.targetCents, 5_000_000);
  t.equal((await s.call('/api/v1/sales/targets', { token: agent })).status, 400);
  t.equal((await s.call('/api/v1/sales/targets', { method: 'PUT', token: agent, json: { month: '2026-11', targetCents: 1 } })).status, 403);
  t.same(await json(await s.call('/api/v1/sales/settings', { token: agent })), { returnVisitDays: 3 });
  const set = await s.call('/api/v1/sales/settings', { method: 'PATCH', token: owner, json: { returnVisitDays: 7 } });
  t.same(await json(set), { returnVisitDays: 7 });
  t.equal((await s.call('/api/v1/sales/settings', { method: 'PATCH', token: owner, json: { returnVisitDays: 'x' } })).status, 400);
});

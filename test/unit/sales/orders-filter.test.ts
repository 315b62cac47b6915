// The orders list filtered by who took the order (`?createdBy=`, the orders page's agent filter),
// over HTTP on the real back office: only that user's orders, combined with status; a bad value
// is a 400 naming the field.
import t from 'tap';
import type { Order, Product } from '../../../firmware/src/service/types.js';
import { errorOf, startTestServer } from '../web-ui/fixtures/helpers.js';

t.test('orders: ?createdBy= keeps the orders one user took', async (t) => {
  const s = await startTestServer(t);
  const owner = await s.login();
  s.fake.auth.users.set('xiaowang', { password: 'pass-word-1', role: 'agent' });
  const grant = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: 'xiaowang', password: 'pass-word-1' } });
  const agent = ((await grant.json()) as { token: string }).token;
  const tea = (await (
    await s.call('/api/v1/products', { method: 'POST', token: owner, json: { name: '养颜茶', costCents: 4000, priceCents: 12800 } })
  ).json()) as Product;
  const take = async (token: string, phone: string) => {
    const res = await s.call('/api/v1/orders', { method: 'POST', token, json: { phone, lines: [{ productId: tea.id, qty: 1 }] } });
    t.equal(res.status, 201);
    return (await res.json()) as Order;
  };
  const mine = await take(agent, '13800000001');
  const other = await take(owner, '13800000002');
  await take(agent, '13800000003');
  const list = async (query: string) =>
    (await (await s.call(`/api/v1/orders?${query}`, { token: owner })).json()) as { items: Order[]; total: number };
  const byAgent = await list('createdBy=xiaowang');
  t.equal(byAgent.total, 2);
  t.ok(byAgent.items.every((o) => o.createdBy === 'xiaowang'));
  t.notOk(
    byAgent.items.some((o) => o.id === other.id),
    "the owner's order is left out",
  );
  t.equal((await list('createdBy=nobody')).total, 0);
  await s.call(`/api/v1/orders/${mine.id}/status`, { method: 'POST', token: owner, json: { status: 'paid' } });
  const paid = await list('createdBy=xiaowang&status=paid');
  t.same(
    paid.items.map((o) => o.id),
    [mine.id],
  );
  const bad = await s.call(`/api/v1/orders?createdBy=${'x'.repeat(65)}`, { token: owner });
  t.equal(bad.status, 400);
  t.same((await errorOf(bad)).details, { field: 'createdBy' });
});

// Phone sales through a real box in virtual time (sim driver): an agent takes an order during a
// caller's call (customer created from the caller ID, order linked to the call), ships it, and
// the same caller later keys the digits-only order number into the IVR and hears it is shipped;
// delivery schedules the 回访 with the real follow-ups area. After a restart on the same data the
// orders are there and the day's order numbers go on.
import t from 'tap';
import type { Actor } from '../../firmware/src/service/types.js';
import { virtualBox } from '../helpers/box.js';
import { lookupBox } from './fixtures/ivr-lookup-box.js';

const AGENT: Actor = { username: 'agent1', role: 'agent' };
const OWNER: Actor = { username: 'owner', role: 'owner' };

t.test('an order taken during a call, then its status keyed into the IVR by the caller', async (t) => {
  const b = await lookupBox(t);
  const svc = b.box.service;
  b.box.service.sim?.setAgentSettings({ answerAfterS: 1, talkS: 60 });
  const tea = svc.products.create(OWNER, { name: '诗莉薇排毒养颜茶', spec: '60袋/盒', costCents: 4_000, priceCents: 12_800 });
  const cup = svc.products.create(OWNER, { name: '保温杯', costCents: 1_500, priceCents: 3_900 });
  svc.products.createPromotion(OWNER, {
    name: '买2盒送保温杯',
    kind: 'gift',
    rule: { giftProductId: cup.id, minQty: 2 },
    productId: tea.id,
  });

  const first = await b.call('fxo1', '13800138000', '1');
  await b.clock.runUntil(() => svc.calls.get(first)?.state === 'talking', 60_000);
  const caller = svc.calls.get(first)?.callerId ?? '';
  const order = svc.orders.create(AGENT, {
    phone: caller,
    callId: first,
    shipName: '张三',
    shipAddress: '云南省昆明市盘龙区北京路1号',
    lines: [{ productId: tea.id, qty: 2 }],
  });
  t.match(order.number, /^[0-9]{10}$/, 'digits only');
  t.equal(order.callId, first);
  t.equal(order.shipPhone, '138****8000', 'masked for the agent');
  t.same(
    order.lines.map((l) => [l.name, l.qty, l.unitPriceCents, l.gift]),
    [
      ['诗莉薇排毒养颜茶', 2, 12_800, false],
      ['保温杯', 1, 0, true],
    ],
  );
  t.equal(order.marginCents, 25_600 - 8_000 - 1_500);
  let customer: { source: string; name: string } | undefined;
  b.sql((db) => {
    customer = db.prepare('SELECT source, name FROM customers WHERE id = ?').get(order.customerId) as typeof customer;
  });
  t.same(customer, { source: 'callerId', name: '张三' }, 'the caller became a customer when the call rang; the order gave the name');
  await b.ended(first);

  svc.orders.setStatus(OWNER, order.id, { status: 'paid' });
  svc.orders.setStatus(OWNER, order.id, { status: 'shipped', carrier: '顺丰速运', trackingNo: 'SF1234567890' });

  const second = await b.call('fxo1', '13800138000', '2');
  t.same(await b.waitFor(second, 'ivr.menu', 2), { menu: 'lookup:orderStatus' });
  await b.clock.run(500);
  b.box.hat?.callerPresses('fxo1', `${order.number}#`);
  t.same(await b.waitFor(second, 'ivr.lookup'), { menu: 'lookup:orderStatus', outcome: 'found:shipped' });
  await b.clock.run(1000);
  b.box.hat?.callerPresses('fxo1', '9');
  await b.ended(second);

  const delivered = svc.orders.setStatus(OWNER, order.id, { status: 'delivered' });
  t.ok(
    b.box.backOffice.followups.lists(OWNER).some((l) => l.purpose === 'return_visit'),
    'the return visit list exists',
  );
  let row: { due_at: number; phone: string } | undefined;
  b.sql((db) => {
    row = db.prepare('SELECT due_at, phone FROM followup_items WHERE order_id = ?').get(order.id) as typeof row;
  });
  t.same(row, { due_at: Date.parse(delivered.deliveredAt ?? '') + 3 * 86_400_000, phone: '13800138000' });
});

t.test('orders survive a restart; the day sequence of numbers goes on', async (t) => {
  const start = Date.UTC(2026, 10, 27, 2); // 10:00 in Shanghai
  const first = await virtualBox({ startMs: start });
  const svc = first.box.service;
  const tea = svc.products.create(OWNER, { name: '诗莉薇排毒养颜茶', costCents: 4_000, priceCents: 12_800 });
  const a = svc.orders.create(OWNER, { phone: '13800138000', lines: [{ productId: tea.id, qty: 1 }] });
  const b2 = svc.orders.create(OWNER, { phone: '13800138000', lines: [{ productId: tea.id, qty: 2 }] });
  t.same([a.number, b2.number], ['2611270001', '2611270002']);
  await first.box.stop();

  const second = await virtualBox({ dataDir: first.dataDir, startMs: first.clock.now() + 60_000 });
  t.teardown(async () => {
    await second.close();
    await first.close();
  });
  const s2 = second.box.service;
  t.same(s2.orders.get(OWNER, a.id), a, 'the order came back whole');
  t.equal(s2.orders.create(OWNER, { phone: '+8613800138000', lines: [{ productId: tea.id, qty: 1 }] }).number, '2611270003');
  t.equal(s2.orders.search(OWNER, { customerId: a.customerId ?? '' }).total, 3, 'one customer for every form of the number');
  t.equal(s2.orders.statusByNumber('2611270002')?.status, 'new');
});

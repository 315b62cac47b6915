// The shop's money through a real box (sim driver, virtual time) with orders taken through the
// real orders service: a salesperson invited by another sells, the order is delivered and partly
// returned, the owner closes January after a restart (frozen numbers that survive the next
// restart), and a refund after the close lands as an adjustment in February.
import t from 'tap';
import type { Actor } from '../../firmware/src/service/types.js';
import { virtualBox } from '../helpers/box.js';

const OWNER: Actor = { username: 'owner', role: 'owner' };
const AGENT: Actor = { username: 'agent1', role: 'agent' };
const cst = (mo: number, d: number, h = 12) => Date.UTC(2026, mo - 1, d, h - 8);

t.test('commission from real orders, settled across restarts', async (t) => {
  const jan = await virtualBox({ startMs: cst(1, 10) });
  const svc = jan.box.service;
  const tea = svc.products.create(OWNER, { name: '诗莉薇排毒养颜茶', costCents: 4_000, priceCents: 12_800 });
  const a = svc.finance.apply(OWNER, { name: '甲', kind: 'salesperson' });
  svc.finance.approve(OWNER, a.id);
  const b = svc.finance.apply(AGENT, { name: '乙', kind: 'salesperson', inviterId: a.id, username: 'agent1' });
  svc.finance.approve(OWNER, b.id);
  const o1 = svc.orders.create(AGENT, { phone: '13800138000', sellerId: b.id, lines: [{ productId: tea.id, qty: 2 }] });
  const o2 = svc.orders.create(AGENT, { phone: '13900139000', sellerId: b.id, lines: [{ productId: tea.id, qty: 1 }] });
  for (const o of [o1, o2])
    for (const status of ['paid', 'shipped', 'delivered'] as const) {
      svc.orders.setStatus(OWNER, o.id, { status, ...(status === 'shipped' ? { carrier: '顺丰速运', trackingNo: `SF${o.number}` } : {}) });
    }
  svc.orders.setStatus(OWNER, o2.id, { status: 'returned', refundCents: 2_800 });
  const mine = svc.finance.mine(AGENT, '2026-01');
  t.same(
    mine.entries.map((e) => [e.orderNumber, e.amountCents, e.status]),
    [
      [o1.number, 5_120, 'pending'], // 20 % × 256.00
      [o2.number, 2_000, 'pending'], // 20 % × (128.00 − 28.00)
    ],
  );
  await jan.box.stop();

  const feb = await virtualBox({ dataDir: jan.dataDir, startMs: cst(2, 2, 9) });
  const s2 = feb.box.service;
  const closed = s2.finance.closeMonth(OWNER, '2026-01');
  const line = (id: string) => closed.people.find((p) => p.personId === id);
  t.match(line(b.id), { salesCents: 35_600, referralCents: 7_120, rebateCents: 0 });
  t.match(line(a.id), { referralCents: 1_780 }, '5 % × 356.00');
  t.match(closed.profit, { grossMarginCents: 25_600 + 12_800 - 12_000 - 2_800, netProfitCents: 23_600 });
  s2.orders.setStatus(OWNER, o1.id, { status: 'returned', refundCents: 12_800 });
  t.same(
    s2.finance
      .commissions(OWNER, { month: '2026-02', limit: 10 })
      .items.map((e) => [e.personId, e.kind, e.amountCents])
      .sort(),
    [
      [a.id, 'adjustment', -640],
      [b.id, 'adjustment', -2_560],
    ].sort(),
    'the refund after the close comes back as adjustments in February',
  );
  await feb.box.stop();

  const again = await virtualBox({ dataDir: jan.dataDir, startMs: cst(3, 1, 9) });
  t.teardown(async () => {
    await again.close();
    await feb.close();
    await jan.close();
  });
  const s3 = again.box.service;
  t.same(s3.finance.settlement(OWNER, '2026-01'), closed, 'January is frozen across restarts');
  const febClosed = s3.finance.closeMonth(OWNER, '2026-02');
  t.equal(febClosed.people.find((p) => p.personId === b.id)?.referralCents, -2_560);
});

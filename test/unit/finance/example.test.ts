// The worked example month of docs/api/finance.md, number for number: if this fails, the docs lie.
import t from 'tap';
import { cst, OWNER, Shop } from './fixtures/shop.js';

t.test('January 2026 as in docs/api/finance.md', async (t) => {
  const shop = new Shop();
  const f = shop.finance;
  const wang = shop.person('王主管', 'staff', { bonusCapCents: 300_000 });
  const li = shop.person('李专员', 'staff');
  const jia = shop.person('甲', 'salesperson');
  const yi = shop.person('乙', 'salesperson', { inviterId: jia.id });
  const bing = shop.person('丙', 'salesperson', { inviterId: yi.id });
  const ding = shop.person('丁', 'distributor');
  f.setSalary(OWNER, { personId: wang.id, month: '2026-01', baseSalaryCents: 600_000 });
  f.setSalary(OWNER, { personId: li.id, month: '2026-01', baseSalaryCents: 400_000 });
  shop.order({ seller: wang.id, totalCents: 3_000_000, costCents: 1_200_000, createdAt: cst(2026, 1, 3), deliveredAt: cst(2026, 1, 5) });
  const o2 = shop.order({
    seller: li.id,
    totalCents: 2_000_000,
    costCents: 800_000,
    createdAt: cst(2026, 1, 6),
    deliveredAt: cst(2026, 1, 8),
  });
  shop.order({ seller: yi.id, totalCents: 200_000, costCents: 80_000, createdAt: cst(2026, 1, 8), deliveredAt: cst(2026, 1, 10) });
  const o4 = shop.order({
    seller: bing.id,
    totalCents: 50_000,
    costCents: 20_000,
    createdAt: cst(2026, 1, 10),
    deliveredAt: cst(2026, 1, 12),
  });
  shop.order({ seller: ding.id, totalCents: 600_000, costCents: 400_000, createdAt: cst(2026, 1, 13), deliveredAt: cst(2026, 1, 15) });
  const o6 = shop.order({
    seller: yi.id,
    totalCents: 100_000,
    costCents: 40_000,
    createdAt: cst(2026, 1, 26),
    deliveredAt: cst(2026, 1, 28),
  });
  shop.refund(o2, 100_000, cst(2026, 1, 12));
  shop.refund(o4, 10_000, cst(2026, 1, 14));
  f.addExpense(OWNER, { month: '2026-01', category: '房租 rent', amountCents: 500_000 });
  f.addExpense(OWNER, { month: '2026-01', category: '广告 ads', amountCents: 300_000 });
  f.addExpense(OWNER, { month: '2026-01', category: '话费 phone', amountCents: 50_000 });
  shop.at(cst(2026, 2, 1, 9));
  const s = f.closeMonth(OWNER, '2026-01');
  t.match(s.profit, {
    orders: 6,
    totalCents: 5_950_000,
    costCents: 2_540_000,
    refundCents: 110_000,
    grossMarginCents: 3_300_000,
    expensesCents: 850_000,
    baseSalariesCents: 1_000_000,
    netProfitCents: 1_450_000,
    pool: { tierPct: 35, mode: 'whole', poolCents: 507_500, paidCents: 496_786, capCutCents: 10_714, unallocatedCents: 0 },
  });
  const row = (id: string) => {
    const l = s.people.find((x) => x.personId === id);
    return l && [l.baseSalaryCents, l.salesCents, l.referralCents, l.rebateCents, l.bonusCents, l.bonusCapCutCents, l.totalCents];
  };
  t.same(row(wang.id), [600_000, 3_000_000, 0, 0, 300_000, 10_714, 900_000]);
  t.same(row(li.id), [400_000, 1_900_000, 0, 0, 196_786, 0, 596_786]);
  t.same(row(jia.id), [0, 0, 10_000, 0, 0, 0, 10_000]);
  t.same(row(yi.id), [0, 200_000, 42_000, 10_000, 0, 0, 52_000]);
  t.same(row(bing.id), [0, 40_000, 8_000, 0, 0, 0, 8_000]);
  t.same(row(ding.id), [0, 600_000, 0, 50_000, 0, 0, 50_000]);
  t.equal(s.totalCents, 1_616_786);
  const pending = f.commissions(OWNER, { status: 'pending', limit: 10 }).items;
  t.same(
    pending.map((e) => [e.orderId, e.role, e.amountCents, e.month]),
    [
      [o6, 'seller', 20_000, '2026-02'],
      [o6, 'inviter', 5_000, '2026-02'],
    ],
  );
});

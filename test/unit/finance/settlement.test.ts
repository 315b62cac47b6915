// A month's money: gross margin from orders, expenses and base salaries → net profit (纯利), the
// bonus pool split by sales with caps (what a cap cuts stays with the shop), rebates at exactly the
// thresholds, and closing: frozen numbers, 409 on changes, months closed in order, after they end.
import t from 'tap';
import { CallboxError } from '../../../firmware/src/errors.js';
import type { PersonSettlement } from '../../../firmware/src/service/types.js';
import { cst, OWNER, Shop } from './fixtures/shop.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof CallboxError) return e.code;
    throw e;
  }
  return undefined;
}

t.test('net profit = gross margin − expenses − base salaries; per day; cancelled orders left out', async (t) => {
  const shop = new Shop();
  const wang = shop.person('王主管', 'staff');
  const li = shop.person('李专员', 'staff');
  shop.finance.setSalary(OWNER, { personId: wang.id, month: '2026-01', baseSalaryCents: 500_000 });
  shop.finance.setSalary(OWNER, { personId: li.id, month: '2026-01', baseSalaryCents: 400_000 });
  shop.order({ seller: wang.id, totalCents: 3_000_000, costCents: 1_200_000, createdAt: cst(2026, 1, 5, 10) });
  shop.order({ seller: li.id, totalCents: 2_000_000, costCents: 800_000, refundCents: 100_000, createdAt: cst(2026, 1, 5, 23, 30) });
  shop.order({ totalCents: 999_999, costCents: 1, createdAt: cst(2026, 1, 6), status: 'cancelled', deliveredAt: null });
  shop.order({ totalCents: 50_000, costCents: 10_000, createdAt: cst(2026, 2, 1, 0, 0) }); // February, local midnight
  shop.finance.addExpense(OWNER, { month: '2026-01', category: '房租 rent', amountCents: 300_000 });
  shop.finance.addExpense(OWNER, { month: '2026-01', category: '话费 phone', amountCents: 100_000 });
  const p = shop.finance.profit(OWNER, '2026-01');
  t.same(p.days, [
    { date: '2026-01-05', orders: 2, totalCents: 5_000_000, costCents: 2_000_000, refundCents: 100_000, marginCents: 2_900_000 },
  ]);
  t.match(p, {
    month: '2026-01',
    timezone: 'Asia/Shanghai',
    closed: false,
    grossMarginCents: 2_900_000,
    expensesCents: 400_000,
    baseSalariesCents: 900_000,
    netProfitCents: 1_600_000,
    pool: { tierPct: 35, mode: 'whole', poolCents: 560_000 },
  });
  t.equal(shop.finance.salaries(OWNER, '2026-02').find((s) => s.personId === wang.id)?.baseSalaryCents, 500_000, 'salary carries on');
  shop.finance.setSalary(OWNER, { personId: wang.id, month: '2026-03', baseSalaryCents: 550_000 });
  t.equal(shop.finance.salaries(OWNER, '2026-02').find((s) => s.personId === wang.id)?.baseSalaryCents, 500_000);
  t.match(
    shop.finance.salaries(OWNER, '2026-03').find((s) => s.personId === wang.id),
    { baseSalaryCents: 550_000, fromMonth: '2026-03' },
  );
  t.equal(shop.finance.person(OWNER, wang.id).baseSalaryCents, 500_000, 'the person shows the salary in force now');
  shop.at(cst(2026, 3, 1, 0, 0));
  t.equal(shop.finance.person(OWNER, wang.id).baseSalaryCents, 550_000, '…and the raise once March has come');
});

t.test('45,000 net profit with caps: 45 % pool split by sales, capped; the cut stays with the shop', async (t) => {
  const shop = new Shop();
  const a = shop.person('主管 A', 'staff', { bonusCapCents: 800_000 });
  const b = shop.person('专员 B', 'staff');
  const c = shop.person('专员 C', 'staff');
  const d = shop.person('专员 D (no sales)', 'staff');
  const staffOrder = (xs: PersonSettlement[]) => [a, b, c, d].map((p) => xs.find((l) => l.personId === p.id));
  // Sales settle by the refund window (7 days): delivered Jan 2 → January.
  shop.order({ seller: a.id, totalCents: 6_000_000, costCents: 2_000_000, createdAt: cst(2026, 1, 1, 10), deliveredAt: cst(2026, 1, 2) });
  shop.order({ seller: b.id, totalCents: 3_000_000, costCents: 1_000_000, createdAt: cst(2026, 1, 1, 10), deliveredAt: cst(2026, 1, 2) });
  shop.order({ seller: c.id, totalCents: 1_000_000, costCents: 500_000, createdAt: cst(2026, 1, 1, 10), deliveredAt: cst(2026, 1, 2) });
  // margin 10,000,000 − 3,500,000 = 6,500,000; expenses 2,000,000 → net 4,500,000 (45,000.00)
  shop.finance.addExpense(OWNER, { month: '2026-01', category: '广告 ads', amountCents: 2_000_000 });
  const s = shop.finance.settlement(OWNER, '2026-01');
  t.match(s.profit, {
    netProfitCents: 4_500_000,
    pool: { tierPct: 45, poolCents: 2_025_000, paidCents: 1_610_000, capCutCents: 415_000, unallocatedCents: 0 },
  });
  const line = (id: string) => s.people.find((l) => l.personId === id);
  t.match(
    line(a.id),
    { salesCents: 6_000_000, bonusCents: 800_000, bonusCapCutCents: 415_000, totalCents: 800_000 },
    '12,150.00 capped at 8,000.00',
  );
  t.match(line(b.id), { salesCents: 3_000_000, bonusCents: 607_500, bonusCapCutCents: 0 });
  t.match(line(c.id), { salesCents: 1_000_000, bonusCents: 202_500 });
  t.equal(s.totalCents, 1_610_000);
  // a cap for everyone (rules), A's own cap still wins for A
  const rules = shop.finance.rules();
  rules.bonusPool.capPerPersonCents = 500_000;
  shop.finance.setRules(OWNER, rules);
  const s2 = shop.finance.settlement(OWNER, '2026-01');
  t.same(
    staffOrder(s2.people).map((l) => l?.bonusCents),
    [800_000, 500_000, 202_500, 0],
  );
  t.equal(s2.profit.pool.capCutCents, 415_000 + 107_500);
  // marginal mode: 17,250.00 → 10,350.00 / 5,175.00 / 1,725.00 before caps
  rules.bonusPool.mode = 'marginal';
  rules.bonusPool.capPerPersonCents = null;
  shop.finance.setRules(OWNER, rules);
  const s3 = shop.finance.settlement(OWNER, '2026-01');
  t.equal(s3.profit.pool.poolCents, 1_725_000);
  t.same(
    staffOrder(s3.people).map((l) => [l?.bonusCents, l?.bonusCapCutCents]),
    [
      [800_000, 235_000],
      [517_500, 0],
      [172_500, 0],
      [0, 0],
    ],
  );
});

t.test('no staff sales: the pool stays with the shop (unallocated)', async (t) => {
  const shop = new Shop();
  shop.person('客服', 'staff');
  shop.order({ totalCents: 1_000_000, createdAt: cst(2026, 1, 3) });
  const s = shop.finance.settlement(OWNER, '2026-01');
  t.match(s.profit.pool, { poolCents: 350_000, paidCents: 0, unallocatedCents: 350_000 });
});

t.test('rebates for salespeople and distributors at exactly 2,000 / 5,000 / 10,000', async (t) => {
  const shop = new Shop();
  const cases: Array<[string, 'salesperson' | 'distributor', number, number]> = [
    ['差一分', 'salesperson', 199_999, 0],
    ['满2000', 'salesperson', 200_000, 10_000],
    ['满5000', 'distributor', 500_000, 50_000],
    ['满10000', 'distributor', 1_000_000, 150_000],
    ['两单凑满', 'salesperson', 0, 10_000],
  ];
  const ids: string[] = [];
  for (const [name, kind, sales] of cases) {
    const p = shop.person(name, kind);
    ids.push(p.id);
    if (sales > 0) shop.order({ seller: p.id, totalCents: sales, createdAt: cst(2026, 1, 3) });
  }
  shop.order({ seller: ids[4], totalCents: 150_000, createdAt: cst(2026, 1, 3) });
  shop.order({ seller: ids[4], totalCents: 100_000, refundCents: 50_000, createdAt: cst(2026, 1, 4) });
  const s = shop.finance.settlement(OWNER, '2026-01');
  cases.forEach(([name, , , rebate], i) => {
    t.equal(s.people.find((l) => l.personId === ids[i])?.rebateCents, rebate, name);
  });
  t.equal(s.people.find((l) => l.personId === ids[4])?.salesCents, 200_000, 'net of the refund: 1,500 + 500');
  const applicant = shop.finance.apply(OWNER, { name: '未审核', kind: 'salesperson' });
  shop.order({ seller: applicant.id, totalCents: 300_000, createdAt: cst(2026, 1, 3) });
  t.notOk(
    shop.finance.settlement(OWNER, '2026-01').people.some((l) => l.personId === applicant.id),
    'an applicant not yet approved gets no line and no rebate',
  );
});

t.test('closing a month freezes it; changes to it are refused (409); months close in order', async (t) => {
  const shop = new Shop();
  const staff = shop.person('王', 'staff');
  shop.finance.setSalary(OWNER, { personId: staff.id, month: '2026-01', baseSalaryCents: 300_000 });
  shop.order({ seller: staff.id, totalCents: 2_000_000, costCents: 500_000, createdAt: cst(2026, 1, 3) });
  const exp = shop.finance.addExpense(OWNER, { month: '2026-01', category: '房租', amountCents: 200_000 });
  t.equal(
    codeOf(() => shop.finance.closeMonth(OWNER, '2026-01')),
    'CONFLICT',
    'not over yet',
  );
  shop.at(cst(2026, 2, 1, 0, 0));
  t.equal(
    codeOf(() => shop.finance.closeMonth(OWNER, '2026-02')),
    'CONFLICT',
    'February is not over',
  );
  const closed = shop.finance.closeMonth(OWNER, '2026-01');
  t.match(closed, { status: 'closed', closedBy: 'owner', profit: { netProfitCents: 1_000_000, closed: true } });
  t.match(closed.people, [
    { personId: staff.id, baseSalaryCents: 300_000, salesCents: 2_000_000, bonusCents: 350_000, totalCents: 650_000 },
  ]);
  t.same(shop.finance.closeMonth(OWNER, '2026-01'), closed, 'closing again: the same numbers');
  const sent = shop.bo.outbox.pending('commissions', 10);
  t.same(
    sent.map((r) => [r.id, (r.body as { totalCents: number }).totalCents]),
    [[`2026-01:${staff.id}`, 650_000]],
    'the settlement lines go to the cloud once',
  );
  t.match(shop.bo.audit.list({ entity: 'settlement', entityId: '2026-01', limit: 5 }), [{ action: 'finance.close', actor: 'owner' }]);

  t.equal(
    codeOf(() => shop.finance.addExpense(OWNER, { month: '2026-01', category: '补录', amountCents: 1 })),
    'CONFLICT',
  );
  t.equal(
    codeOf(() => shop.finance.updateExpense(OWNER, exp.id, { amountCents: 1 })),
    'CONFLICT',
  );
  t.equal(
    codeOf(() => shop.finance.deleteExpense(OWNER, exp.id)),
    'CONFLICT',
  );
  const feb = shop.finance.addExpense(OWNER, { month: '2026-02', category: '水电', amountCents: 5_000 });
  t.equal(
    codeOf(() => shop.finance.updateExpense(OWNER, feb.id, { month: '2026-01' })),
    'CONFLICT',
    'nor moved into it',
  );
  t.equal(
    codeOf(() => shop.finance.setSalary(OWNER, { personId: staff.id, month: '2026-01', baseSalaryCents: 1 })),
    'CONFLICT',
  );
  t.equal(shop.finance.expense(OWNER, exp.id).amountCents, 200_000);

  // late data for January (an order, a rules change) does not move the frozen month
  shop.order({ seller: staff.id, totalCents: 5_000_000, createdAt: cst(2026, 1, 20) });
  const rules = shop.finance.rules();
  rules.bonusPool.mode = 'marginal';
  shop.finance.setRules(OWNER, rules);
  t.same(shop.finance.settlement(OWNER, '2026-01'), closed);
  t.same(shop.finance.profit(OWNER, '2026-01').netProfitCents, 1_000_000);
  t.equal(shop.finance.profit(OWNER, '2026-01').days.length, 1, 'the frozen days');

  shop.at(cst(2026, 4, 2));
  t.equal(
    codeOf(() => shop.finance.closeMonth(OWNER, '2026-03')),
    'CONFLICT',
    'close February first',
  );
  t.equal(shop.finance.closeMonth(OWNER, '2026-02').status, 'closed');
  t.equal(shop.finance.closeMonth(OWNER, '2026-03').status, 'closed');
  t.equal(
    codeOf(() => shop.finance.closeMonth(OWNER, '2025-12')),
    'CONFLICT',
    'a later month is closed',
  );
  t.equal(
    codeOf(() => shop.finance.profit(OWNER, '2026-13')),
    'VALIDATION_FAILED',
  );
});

t.test('mine: a person sees their own settlement and entries', async (t) => {
  const shop = new Shop();
  const a = shop.person('甲', 'salesperson', { username: 'jia' });
  const b = shop.person('乙', 'salesperson', { inviterId: a.id, username: 'yi' });
  shop.order({ seller: b.id, totalCents: 200_000, createdAt: cst(2026, 1, 3) });
  const mineA = shop.finance.mine({ username: 'jia', role: 'agent' }, '2026-01');
  t.match(mineA.settlement, { personId: a.id, referralCents: 10_000, rebateCents: 0, salesCents: 0 });
  t.same(
    mineA.entries.map((e) => [e.role, e.amountCents]),
    [['inviter', 10_000]],
  );
  const mineB = shop.finance.mine({ username: 'yi', role: 'agent' }, '2026-01');
  t.match(mineB.settlement, { personId: b.id, referralCents: 40_000, rebateCents: 10_000, salesCents: 200_000, totalCents: 50_000 });
  t.equal(
    codeOf(() => shop.finance.mine({ username: 'nobody', role: 'agent' }, '2026-01')),
    'NOT_FOUND',
  );
});

// Referral commission from orders in the contract table: 20 % to the seller, 5 % to the direct
// inviter only (two levels), refunds (full → reversed, partial → proportional, after settlement →
// adjustment), the refund window's month boundary, and entries settled when the month closes.
import t from 'tap';
import type { CommissionEntry } from '../../../firmware/src/service/types.js';
import { cst, OWNER, Shop } from './fixtures/shop.js';

function entriesOf(shop: Shop, month?: string): CommissionEntry[] {
  return shop.finance.commissions(OWNER, { ...(month ? { month } : {}), limit: 500 }).items;
}

function team(shop: Shop) {
  const a = shop.person('甲 A', 'salesperson');
  const b = shop.person('乙 B', 'salesperson', { inviterId: a.id });
  const c = shop.person('丙 C', 'salesperson', { inviterId: b.id });
  return { a, b, c };
}

t.test("the seed's example: B sells 100 → B 20, A (inviter) 5; C sells → A gets nothing", async (t) => {
  const shop = new Shop();
  const { a, b, c } = team(shop);
  const o1 = shop.order({ seller: b.id, totalCents: 10_000, costCents: 4_000, createdAt: cst(2026, 1, 3), deliveredAt: cst(2026, 1, 5) });
  const o2 = shop.order({ seller: c.id, totalCents: 10_000, createdAt: cst(2026, 1, 3), deliveredAt: cst(2026, 1, 5) });
  const o3 = shop.order({ seller: a.id, totalCents: 19_999, createdAt: cst(2026, 1, 4), deliveredAt: cst(2026, 1, 6) });
  const e = entriesOf(shop, '2026-01');
  const of = (order: string) =>
    e
      .filter((x) => x.orderId === order)
      .map((x) => [x.personId, x.role, x.amountCents, x.status])
      .sort();
  t.same(
    of(o1),
    [
      [a.id, 'inviter', 500, 'pending'],
      [b.id, 'seller', 2_000, 'pending'],
    ].sort(),
  );
  t.same(
    of(o2),
    [
      [b.id, 'inviter', 500, 'pending'],
      [c.id, 'seller', 2_000, 'pending'],
    ].sort(),
    "two levels only: A, the inviter's inviter, gets nothing",
  );
  t.same(of(o3), [[a.id, 'seller', 4_000, 'pending']], 'a seller without an inviter: 39.998 → 40.00');
  t.equal(e.find((x) => x.orderId === o1)?.dueAt, new Date(cst(2026, 1, 12)).toISOString(), 'due 7 days after delivery');

  shop.at(cst(2026, 2, 1, 9));
  const s = shop.finance.closeMonth(OWNER, '2026-01');
  const line = (id: string) => s.people.find((p) => p.personId === id);
  t.equal(line(a.id)?.referralCents, 4_500);
  t.equal(line(b.id)?.referralCents, 2_500);
  t.equal(line(c.id)?.referralCents, 2_000);
  t.ok(entriesOf(shop, '2026-01').every((x) => x.status === 'settled'));
});

t.test('no commission: undelivered, cancelled, staff or distributor sellers, unapproved or departed earners', async (t) => {
  const shop = new Shop();
  const { a, b } = team(shop);
  const staff = shop.person('客服 王', 'staff');
  const dist = shop.person('分销商 李', 'distributor');
  const applicant = shop.finance.apply(OWNER, { name: '申请中', kind: 'salesperson' });
  shop.order({ seller: b.id, totalCents: 10_000, createdAt: cst(2026, 1, 3), deliveredAt: null });
  shop.order({ seller: b.id, totalCents: 10_000, createdAt: cst(2026, 1, 3), deliveredAt: cst(2026, 1, 4), status: 'cancelled' });
  shop.order({ seller: staff.id, totalCents: 10_000, createdAt: cst(2026, 1, 3) });
  shop.order({ seller: dist.id, totalCents: 10_000, createdAt: cst(2026, 1, 3) });
  shop.order({ seller: applicant.id, totalCents: 10_000, createdAt: cst(2026, 1, 3) });
  shop.order({ seller: null, totalCents: 10_000, createdAt: cst(2026, 1, 3) });
  t.same(entriesOf(shop), []);
  // A leaves on Jan 10: B's orders taken before still pay A's 5 %, later ones do not.
  shop.at(cst(2026, 1, 10));
  shop.finance.leave(OWNER, a.id);
  const before = shop.order({ seller: b.id, totalCents: 10_000, createdAt: cst(2026, 1, 9), deliveredAt: cst(2026, 1, 11) });
  const after = shop.order({ seller: b.id, totalCents: 10_000, createdAt: cst(2026, 1, 11), deliveredAt: cst(2026, 1, 12) });
  const e = entriesOf(shop);
  t.ok(e.some((x) => x.orderId === before && x.personId === a.id));
  t.notOk(e.some((x) => x.orderId === after && x.personId === a.id));
  t.ok(e.some((x) => x.orderId === after && x.personId === b.id));
});

t.test('refunds before settlement: full → reversed (0), partial → proportional', async (t) => {
  const shop = new Shop();
  const { a, b } = team(shop);
  const full = shop.order({ seller: b.id, totalCents: 20_000, createdAt: cst(2026, 1, 8), deliveredAt: cst(2026, 1, 10) });
  const part = shop.order({ seller: b.id, totalCents: 19_999, createdAt: cst(2026, 1, 8), deliveredAt: cst(2026, 1, 10) });
  t.equal(entriesOf(shop).filter((x) => x.status === 'pending').length, 4);
  shop.refund(full, 20_000, cst(2026, 1, 12));
  shop.refund(part, 5_000, cst(2026, 1, 12));
  const e = entriesOf(shop);
  const get = (o: string, p: string) => e.find((x) => x.orderId === o && x.personId === p);
  t.match(get(full, b.id), { amountCents: 0, baseCents: 0, status: 'reversed' });
  t.match(get(full, a.id), { amountCents: 0, status: 'reversed' });
  t.match(get(part, b.id), { amountCents: 3_000, baseCents: 14_999, status: 'pending' }, '149.99 × 20 % = 29.998 → 30.00');
  t.match(get(part, a.id), { amountCents: 750, status: 'pending' }, '149.99 × 5 % = 7.4995 → 7.50');
  shop.at(cst(2026, 2, 1, 9));
  const s = shop.finance.closeMonth(OWNER, '2026-01');
  t.equal(s.people.find((p) => p.personId === b.id)?.referralCents, 3_000);
  t.equal(s.people.find((p) => p.personId === a.id)?.referralCents, 750);
  t.equal(s.people.find((p) => p.personId === b.id)?.salesCents, 14_999, 'sales are net of refunds');
  t.equal(get(full, b.id)?.status, 'reversed', 'a reversed entry never settles');
  shop.at(cst(2026, 3, 1, 9));
  shop.finance.closeMonth(OWNER, '2026-02');
  const later = entriesOf(shop).find((x) => x.orderId === full && x.personId === b.id);
  t.match(later, { status: 'reversed', month: '2026-01', version: get(full, b.id)?.version }, 'and stays put once its month closed');
});

t.test('a refund after settlement: an adjustment entry in the next open month', async (t) => {
  const shop = new Shop();
  const { a, b } = team(shop);
  const o = shop.order({ seller: b.id, totalCents: 10_000, createdAt: cst(2026, 1, 2), deliveredAt: cst(2026, 1, 3) });
  shop.at(cst(2026, 2, 1, 9));
  shop.finance.closeMonth(OWNER, '2026-01');
  shop.at(cst(2026, 2, 5));
  shop.refund(o, 4_000, cst(2026, 2, 5));
  const feb = entriesOf(shop, '2026-02');
  t.same(
    feb.map((x) => [x.personId, x.kind, x.amountCents, x.status]).sort(),
    [
      [a.id, 'adjustment', -200, 'pending'],
      [b.id, 'adjustment', -800, 'pending'],
    ].sort(),
  );
  t.equal(shop.finance.settlement(OWNER, '2026-01').people.find((p) => p.personId === b.id)?.referralCents, 2_000, 'January stays frozen');
  shop.at(cst(2026, 3, 1, 9));
  const febS = shop.finance.closeMonth(OWNER, '2026-02');
  t.equal(febS.people.find((p) => p.personId === b.id)?.referralCents, -800);
  t.equal(entriesOf(shop, '2026-02').length, 2, 'a second sync adds nothing');
});

t.test('the refund window boundary decides the month; not yet closed → pending into a later month', async (t) => {
  const shop = new Shop();
  const { b } = team(shop);
  // window 7 days: delivered Jan 24 23:59 → due Jan 31 23:59 (January); Jan 25 00:00 → due Feb 1 00:00 (February)
  const dayBefore = shop.order({ seller: b.id, totalCents: 10_000, createdAt: cst(2026, 1, 20), deliveredAt: cst(2026, 1, 24, 23, 59) });
  const dayOf = shop.order({ seller: b.id, totalCents: 10_000, createdAt: cst(2026, 1, 20), deliveredAt: cst(2026, 1, 25, 0, 0) });
  const late = shop.order({ seller: b.id, totalCents: 10_000, createdAt: cst(2026, 1, 27), deliveredAt: cst(2026, 1, 29) });
  const monthOf = (o: string) => entriesOf(shop).find((x) => x.orderId === o && x.role === 'seller')?.month;
  t.equal(monthOf(dayBefore), '2026-01');
  t.equal(monthOf(dayOf), '2026-02');
  t.equal(monthOf(late), '2026-02');
  shop.at(cst(2026, 2, 1, 9));
  const jan = shop.finance.closeMonth(OWNER, '2026-01');
  t.equal(jan.people.find((p) => p.personId === b.id)?.referralCents, 2_000, 'only the order whose window closed in January');
  t.equal(jan.people.find((p) => p.personId === b.id)?.salesCents, 10_000);
  const still = entriesOf(shop).filter((x) => x.orderId !== dayBefore);
  t.ok(
    still.every((x) => x.status === 'pending' && x.month === '2026-02'),
    'the others stay pending',
  );
  shop.at(cst(2026, 3, 2, 9));
  const feb = shop.finance.closeMonth(OWNER, '2026-02');
  t.equal(feb.people.find((p) => p.personId === b.id)?.referralCents, 4_000);
  t.ok(entriesOf(shop).every((x) => x.status === 'settled'));
});

t.test('changing the rules changes pending entries, never settled ones', async (t) => {
  const shop = new Shop();
  const { b } = team(shop);
  shop.order({ seller: b.id, totalCents: 10_000, createdAt: cst(2026, 1, 2), deliveredAt: cst(2026, 1, 3) });
  const late = shop.order({ seller: b.id, totalCents: 10_000, createdAt: cst(2026, 1, 28), deliveredAt: cst(2026, 1, 29) });
  shop.at(cst(2026, 2, 1, 9));
  shop.finance.closeMonth(OWNER, '2026-01');
  const rules = shop.finance.rules();
  rules.referral.sellerPct = 25;
  shop.finance.setRules(OWNER, rules);
  const e = entriesOf(shop).filter((x) => x.personId === b.id);
  t.same(e.map((x) => [x.orderId === late, x.amountCents, x.status]).sort(), [
    [false, 2_000, 'settled'],
    [true, 2_500, 'pending'],
  ]);
});

t.test('entries follow people changes made after they were computed (approval, inviter change)', async (t) => {
  const shop = new Shop();
  const { a, b, c } = team(shop);
  const x = shop.finance.apply(OWNER, { name: '待审 X', kind: 'salesperson', inviterId: a.id });
  const ox = shop.order({ seller: x.id, totalCents: 10_000, createdAt: cst(2026, 1, 3) });
  const oc = shop.order({ seller: c.id, totalCents: 10_000, createdAt: cst(2026, 1, 3) });
  t.same(
    entriesOf(shop).filter((e) => e.orderId === ox),
    [],
    'an applicant earns nothing yet',
  );
  shop.finance.approve(OWNER, x.id);
  t.same(
    entriesOf(shop)
      .filter((e) => e.orderId === ox)
      .map((e) => [e.personId, e.amountCents])
      .sort(),
    [
      [a.id, 500],
      [x.id, 2_000],
    ].sort(),
    'approved: the order already delivered earns',
  );
  const before = entriesOf(shop).find((e) => e.orderId === oc && e.role === 'inviter');
  t.equal(before?.personId, b.id);
  shop.finance.updatePerson(OWNER, c.id, { inviterId: a.id });
  const after = entriesOf(shop).filter((e) => e.orderId === oc && e.role === 'inviter');
  t.same(
    after.map((e) => [e.personId, e.amountCents]),
    [[a.id, 500]],
    "the new inviter takes the pending 5 %, the old one's entry is gone",
  );
  const stable = entriesOf(shop).map((e) => [e.id, e.version]);
  t.same(
    entriesOf(shop).map((e) => [e.id, e.version]),
    stable,
    'a sync with nothing changed rewrites nothing',
  );
});

t.test('the first month closed also settles what was due before it (nothing is left behind)', async (t) => {
  const shop = new Shop(cst(2025, 12, 1, 9));
  const { b } = team(shop);
  shop.order({ seller: b.id, totalCents: 10_000, createdAt: cst(2025, 12, 2), deliveredAt: cst(2025, 12, 3) });
  shop.order({ seller: b.id, totalCents: 20_000, createdAt: cst(2026, 1, 2), deliveredAt: cst(2026, 1, 3) });
  t.equal(
    shop.finance.settlement(OWNER, '2026-01').people.find((p) => p.personId === b.id)?.referralCents,
    4_000,
    'the open month shows its own',
  );
  shop.at(cst(2026, 2, 1, 9));
  const jan = shop.finance.closeMonth(OWNER, '2026-01');
  t.equal(jan.people.find((p) => p.personId === b.id)?.referralCents, 6_000, 'December, never closed, is swept in');
  t.ok(
    entriesOf(shop)
      .filter((e) => e.role === 'seller')
      .every((e) => e.status === 'settled' && e.month === '2026-01'),
  );
  // a late (backdated) order due in closed January lands in February
  shop.order({ seller: b.id, totalCents: 5_000, createdAt: cst(2026, 1, 5), deliveredAt: cst(2026, 1, 6) });
  t.same(
    entriesOf(shop, '2026-02').map((e) => [e.role, e.amountCents, e.status]),
    [
      ['seller', 1_000, 'pending'],
      ['inviter', 250, 'pending'],
    ],
  );
});

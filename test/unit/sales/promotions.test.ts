// Promotions math to the cent through real orders: each kind, the validity window, minQty, the
// best promotion per line (ties to the oldest), gifts with their cost, rounding half up, rule
// validation, and the distributor price list (no promotions, list × pct / 100).
import t from 'tap';
import { checkRule, pctOfCents } from '../../../firmware/src/backoffice/sales/promotions.js';
import { errorFrom, OWNER, product, salesBox } from './fixtures/back-office.js';

const HOUR = 3_600_000;

function setup() {
  const box = salesBox();
  const tea = product(box, '诗莉薇排毒养颜茶 Detox tea', 12_800, 4_000, { sku: 'SLW-TEA', spec: '60袋/盒' });
  const cup = product(box, '保温杯 Vacuum cup', 3_900, 1_500);
  const order = (productId: string, qty: number) => box.bo.orders.create(OWNER, { phone: '13800138000', lines: [{ productId, qty }] });
  return { box, tea, cup, order };
}

t.test('percent_off: 9折 on the line, rounded half up to the cent', async (t) => {
  const { box, tea, order } = setup();
  const p = box.bo.products.createPromotion(OWNER, { name: '九折', kind: 'percent_off', rule: { pct: 10 }, productId: tea.id });
  const o = order(tea.id, 3);
  t.same(o.lines, [
    {
      productId: tea.id,
      name: tea.name,
      qty: 3,
      unitPriceCents: 12_800,
      unitCostCents: 4_000,
      discountCents: 3_840,
      gift: false,
      promotionId: p.id,
    },
  ]);
  t.equal(o.subtotalCents, 38_400);
  t.equal(o.discountCents, 3_840);
  t.equal(o.totalCents, 34_560);
  t.equal(o.costCents, 12_000);
  t.equal(o.marginCents, 22_560);
  // 12.5 % of 3 × 39.00 = 14.625 → 14.63 (half up)
  const { cup } = setup();
  t.equal(pctOfCents(3 * cup.priceCents, 12.5), 1_463);
  t.equal(pctOfCents(1, 50), 1, '0.5 cent rounds up');
  t.equal(pctOfCents(9_999 * 100_000_000, 33.33), 333_266_670_000, 'exact beyond 2^53 intermediates');
});

t.test('amount_off: per unit, never below zero', async (t) => {
  const { box, tea, cup, order } = setup();
  box.bo.products.createPromotion(OWNER, { name: '立减20元', kind: 'amount_off', rule: { amountCents: 2_000 }, productId: tea.id });
  box.bo.products.createPromotion(OWNER, { name: '立减50元', kind: 'amount_off', rule: { amountCents: 5_000 }, productId: cup.id });
  t.equal(order(tea.id, 2).discountCents, 4_000);
  const c = order(cup.id, 2);
  t.equal(c.discountCents, 7_800, 'capped at the unit price');
  t.equal(c.totalCents, 0);
});

t.test('buy_n_percent: 买2件8折 only from n units; minQty', async (t) => {
  const { box, tea, order } = setup();
  box.bo.products.createPromotion(OWNER, { name: '买2件8折', kind: 'buy_n_percent', rule: { n: 2, pct: 20 }, productId: tea.id });
  t.equal(order(tea.id, 1).discountCents, 0);
  t.equal(order(tea.id, 1).lines[0]?.promotionId, null);
  t.equal(order(tea.id, 2).discountCents, 5_120);
  t.equal(order(tea.id, 5).discountCents, 12_800);
});

t.test('buy_n_get_m: 买二送一 — of every 3 units 1 is free', async (t) => {
  const { box, tea, order } = setup();
  box.bo.products.createPromotion(OWNER, { name: '买二送一', kind: 'buy_n_get_m', rule: { n: 2, m: 1 }, productId: tea.id });
  t.equal(order(tea.id, 2).discountCents, 0);
  t.equal(order(tea.id, 3).discountCents, 12_800);
  t.equal(order(tea.id, 5).discountCents, 12_800);
  const o = order(tea.id, 7);
  t.equal(o.discountCents, 25_600);
  t.equal(o.costCents, 28_000, 'every unit costs, free ones too');
});

t.test('gift: a gift line at price 0 with its cost counted', async (t) => {
  const { box, tea, cup, order } = setup();
  const p = box.bo.products.createPromotion(OWNER, {
    name: '买3盒送保温杯',
    kind: 'gift',
    rule: { giftProductId: cup.id, giftQty: 1, minQty: 3 },
    productId: tea.id,
  });
  t.equal(order(tea.id, 2).lines.length, 1, 'below minQty: no gift');
  const o = order(tea.id, 3);
  t.equal(o.lines.length, 2);
  t.same(o.lines[1], {
    productId: cup.id,
    name: cup.name,
    qty: 1,
    unitPriceCents: 0,
    unitCostCents: 1_500,
    discountCents: 0,
    gift: true,
    promotionId: p.id,
  });
  t.equal(o.totalCents, 38_400);
  t.equal(o.costCents, 12_000 + 1_500);
  t.equal(o.marginCents, 38_400 - 13_500);
  box.bo.products.update(OWNER, cup.id, { active: false });
  t.equal(order(tea.id, 3).lines.length, 1, 'an inactive gift product is not given');
});

t.test('validity window: starts inclusive, ends exclusive, inactive ignored', async (t) => {
  const { box, tea, order } = setup();
  const now = box.clock.now();
  const p = box.bo.products.createPromotion(OWNER, {
    name: '双十二',
    kind: 'percent_off',
    rule: { pct: 50 },
    productId: tea.id,
    startsAt: new Date(now + HOUR).toISOString(),
    endsAt: now + 2 * HOUR,
  });
  t.equal(order(tea.id, 1).discountCents, 0, 'not yet');
  box.clock.advance(HOUR);
  t.equal(order(tea.id, 1).discountCents, 6_400, 'from startsAt');
  t.same(
    box.bo.products.promotions(OWNER, { activeAt: 'now' }).items.map((x) => x.id),
    [p.id],
  );
  box.clock.advance(HOUR - 1);
  t.equal(order(tea.id, 1).discountCents, 6_400, 'the last millisecond');
  box.clock.advance(1);
  t.equal(order(tea.id, 1).discountCents, 0, 'endsAt is exclusive');
  t.equal(box.bo.products.promotions(OWNER, { activeAt: 'now' }).total, 0);
  box.bo.products.updatePromotion(OWNER, p.id, { endsAt: null, active: false });
  t.equal(order(tea.id, 1).discountCents, 0, 'inactive');
  const again = box.bo.products.updatePromotion(OWNER, p.id, { active: true, version: 2 });
  t.equal(again.version, 3);
  t.equal(order(tea.id, 1).discountCents, 6_400);
});

t.test('the best promotion per line wins; ties go to the oldest; shop-wide promotions apply', async (t) => {
  const { box, tea, cup, order } = setup();
  const all = box.bo.products.createPromotion(OWNER, { name: '全场95折', kind: 'percent_off', rule: { pct: 5 } });
  const twenty = box.bo.products.createPromotion(OWNER, {
    name: '立减20元',
    kind: 'amount_off',
    rule: { amountCents: 2_000 },
    productId: tea.id,
  });
  const gift = box.bo.products.createPromotion(OWNER, { name: '送杯', kind: 'gift', rule: { giftProductId: cup.id }, productId: tea.id });
  const c = order(cup.id, 1);
  t.equal(c.lines[0]?.promotionId, all.id, 'shop-wide applies to the cup');
  t.equal(c.discountCents, 195);
  const o = order(tea.id, 1);
  t.equal(o.lines[0]?.promotionId, gift.id, 'a 39.00 gift beats 20.00 off and 6.40 off');
  t.equal(o.discountCents, 0);
  t.equal(o.lines[1]?.gift, true);
  box.bo.products.updatePromotion(OWNER, gift.id, { active: false });
  t.equal(order(tea.id, 1).lines[0]?.promotionId, twenty.id, 'then 20.00 off beats 6.40');
  const same = box.bo.products.createPromotion(OWNER, {
    name: '也立减20元',
    kind: 'amount_off',
    rule: { amountCents: 2_000 },
    productId: tea.id,
  });
  t.equal(order(tea.id, 1).lines[0]?.promotionId, twenty.id, 'a tie goes to the oldest promotion');
  t.not(same.id, twenty.id);
  t.equal(order(tea.id, 1).discountCents, 2_000, 'promotions never stack');
});

t.test('rules are checked: kind, fields, ranges, known products, window order', async (t) => {
  const { box, tea } = setup();
  const create = (input: unknown) => errorFrom(() => box.bo.products.createPromotion(OWNER, input as never));
  t.match(create({ name: 'x', kind: 'bogus', rule: {} }), { code: 'VALIDATION_FAILED', field: 'kind' });
  t.match(create({ name: 'x', kind: 'percent_off', rule: { pct: 0 } }), { field: 'rule.pct' });
  t.match(create({ name: 'x', kind: 'percent_off', rule: { pct: 101 } }), { field: 'rule.pct' });
  t.match(create({ name: 'x', kind: 'percent_off', rule: { pct: 10.005 } }), { field: 'rule.pct' });
  t.match(create({ name: 'x', kind: 'percent_off', rule: { pct: 10, n: 2 } }), { field: 'rule.n' });
  t.match(create({ name: 'x', kind: 'amount_off', rule: { amountCents: 1.5 } }), { field: 'rule.amountCents' });
  t.match(create({ name: 'x', kind: 'buy_n_get_m', rule: { n: 2 } }), { field: 'rule.m' });
  t.match(create({ name: 'x', kind: 'gift', rule: { giftProductId: 'nope' } }), { field: 'rule.giftProductId' });
  t.match(create({ name: 'x', kind: 'percent_off', rule: { pct: 10 }, productId: 'nope' }), { field: 'productId' });
  t.match(create({ name: 'x', kind: 'percent_off', rule: { pct: 10 }, startsAt: 2000, endsAt: 1000 }), { field: 'endsAt' });
  t.match(create({ name: 'x', kind: 'percent_off', rule: { pct: 10 }, startsAt: 'someday' }), { field: 'startsAt' });
  t.match(create({ name: '', kind: 'percent_off', rule: { pct: 10 } }), { field: 'name' });
  t.same(checkRule('gift', { giftProductId: tea.id }), { giftProductId: tea.id, giftQty: 1 });
  t.equal(box.bo.products.promotions(OWNER, {}).total, 0, 'nothing was written');
});

t.test('distributor price list: list × pct / 100 rounded to the cent, no promotions', async (t) => {
  const { box, tea, cup } = setup();
  box.bo.products.createPromotion(OWNER, { name: '九折', kind: 'percent_off', rule: { pct: 10 } });
  const odd = product(box, '试用装 Sample', 999, 300);
  const o = box.bo.orders.create(OWNER, {
    phone: '13900139000',
    priceList: 'distributor',
    lines: [
      { productId: tea.id, qty: 2 },
      { productId: odd.id, qty: 1 },
    ],
  });
  t.equal(o.priceList, 'distributor');
  // finance's default rules: 80 % of list.
  t.same(
    o.lines.map((l) => [l.unitPriceCents, l.discountCents, l.promotionId]),
    [
      [10_240, 0, null],
      [799, 0, null],
    ],
    '128.00 × 80 % = 102.40; 9.99 × 80 % = 7.992 → 7.99',
  );
  t.equal(o.totalCents, 21_279);
  t.equal(
    box.bo.orders.create(OWNER, { phone: '13900139000', lines: [{ productId: cup.id, qty: 1 }] }).discountCents,
    390,
    'retail still gets it',
  );
  // The owner changes the supply price in finance's rules: new orders follow at once.
  box.bo.finance.setRules(OWNER, { ...box.bo.finance.rules(), distributorPricePct: 62.5 });
  const d = box.bo.orders.create(OWNER, { phone: '13900139000', priceList: 'distributor', lines: [{ productId: odd.id, qty: 3 }] });
  t.equal(d.lines[0]?.unitPriceCents, 624, '9.99 × 62.5 % = 6.24375 → 6.24');
  t.equal(d.totalCents, 1_872);
  t.equal(box.bo.orders.get(OWNER, o.id)?.lines[0]?.unitPriceCents, 10_240, 'earlier orders keep their prices');
  t.match(
    errorFrom(() =>
      box.bo.orders.create(OWNER, { phone: '13900139000', priceList: 'vip' as never, lines: [{ productId: cup.id, qty: 1 }] }),
    ),
    {
      field: 'priceList',
    },
  );
});

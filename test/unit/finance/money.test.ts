// The money math to the cent: the seed's bonus-pool tiers (whole and marginal), round half up,
// largest-remainder splits, rebates at exactly the thresholds, and the rules' validation.
import t from 'tap';
import { bonusPool, pctOf, rebateFor, splitByLargestRemainder } from '../../../firmware/src/backoffice/finance/money.js';
import { DEFAULT_RULES, validateRules } from '../../../firmware/src/backoffice/finance/rules.js';
import { CallboxError } from '../../../firmware/src/errors.js';

const whole = DEFAULT_RULES.bonusPool;
const marginal = { ...whole, mode: 'marginal' as const };

t.test('center bonus pool by tier (seed: 30/35/40/45 %), to the cent', async (t) => {
  // profit (cents) → tier % and pool (cents), whole mode (the rate of the reached tier on the whole profit)
  const table: Array<[number, number, number]> = [
    [-500_000, 30, 0],
    [0, 30, 0],
    [1, 30, 0], // 0.3 分 rounds down
    [2, 30, 1], // 0.6 分 rounds up
    [999_999, 30, 300_000], // 9,999.99 × 30 % = 2,999.997 → 3,000.00
    [1_000_000, 35, 350_000], // 10,000 → 35 % of the whole
    [1_999_999, 35, 700_000], // 19,999.99 × 35 % = 6,999.9965 → 7,000.00
    [2_000_000, 40, 800_000],
    [2_500_000, 40, 1_000_000], // 25,000 whole: 10,000.00
    [2_999_999, 40, 1_200_000], // 29,999.99 × 40 % = 11,999.996
    [3_000_000, 45, 1_350_000], // 30,000 reaches "over 30,000"
    [4_500_000, 45, 2_025_000], // 45,000 → 20,250.00
  ];
  for (const [profit, pct, pool] of table) t.same(bonusPool(profit, whole), { pct, poolCents: pool }, `whole ${profit / 100}`);
  // marginal: each slice at its rate
  const m: Array<[number, number]> = [
    [999_999, 300_000],
    [1_000_000, 300_000],
    [1_000_001, 300_000], // + 0.35 分
    [1_000_002, 300_001], // + 0.70 分
    [2_500_000, 850_000], // 25,000: 3,000 + 3,500 + 2,000 = 8,500.00 (whole: 10,000.00)
    [3_000_000, 1_050_000],
    [4_500_000, 1_725_000], // 45,000: 10,500 + 15,000 × 45 % = 17,250.00
  ];
  for (const [profit, pool] of m) t.equal(bonusPool(profit, marginal).poolCents, pool, `marginal ${profit / 100}`);
});

t.test('percentages round half up to the cent', async (t) => {
  const table: Array<[number, number, number]> = [
    [10_000, 2000, 2_000], // 100.00 × 20 % = 20.00
    [10_000, 500, 500], // 100.00 × 5 % = 5.00 (the seed's example)
    [19_999, 2000, 4_000], // 199.99 × 20 % = 39.998
    [19_999, 500, 1_000], // 199.99 × 5 % = 9.9995 → 10.00
    [10, 500, 1], // 0.5 分 → 1
    [9, 500, 0], // 0.45 分 → 0
    [14_999, 2000, 3_000],
    [0, 2000, 0],
  ];
  for (const [cents, bp, out] of table) t.equal(pctOf(cents, bp), out, `${cents} × ${bp / 100} %`);
});

t.test('splits by the largest remainder sum to the pool', async (t) => {
  t.same(splitByLargestRemainder(100, [1, 1, 1]), [34, 33, 33]);
  t.same(splitByLargestRemainder(100, [2, 1]), [67, 33]);
  t.same(splitByLargestRemainder(2_025_000, [600_000, 300_000, 100_000]), [1_215_000, 607_500, 202_500]);
  t.same(splitByLargestRemainder(1_000, [0, 0]), [0, 0], 'nobody sold: nothing split');
  t.same(splitByLargestRemainder(0, [5, 5]), [0, 0]);
  const parts = splitByLargestRemainder(1_000_001, [3, 7, 11, 13]);
  t.equal(
    parts.reduce((a, b) => a + b, 0),
    1_000_001,
  );
  // floors 88,235 205,882 323,529 382,353 (sum 999,999); remainders 13, 19, 25, 11 of 34 → the 2 cents go to idx 2 and 1
  t.same(parts, [88_235, 205_883, 323_530, 382_353]);
});

t.test('rebates: the highest threshold reached, at exactly 2,000 / 5,000 / 10,000', async (t) => {
  const table: Array<[number, number]> = [
    [0, 0],
    [199_999, 0],
    [200_000, 10_000],
    [499_999, 10_000],
    [500_000, 50_000],
    [999_999, 50_000],
    [1_000_000, 150_000],
    [9_000_000, 150_000],
  ];
  for (const [sales, rebate] of table) t.equal(rebateFor(sales, DEFAULT_RULES.rebates), rebate, `sales ${sales / 100}`);
});

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof CallboxError && e.code === 'VALIDATION_FAILED') return (e.details as { field: string }).field;
    throw e;
  }
  return undefined;
}

t.test('rules validation names the field', async (t) => {
  t.same(validateRules(structuredClone(DEFAULT_RULES)), DEFAULT_RULES);
  t.equal(DEFAULT_RULES.distributorPricePct, 80);
  const bad = (f: (r: typeof DEFAULT_RULES) => void) => {
    const r = structuredClone(DEFAULT_RULES);
    f(r);
    return fieldOf(() => validateRules(r));
  };
  t.equal(
    bad((r) => {
      if (r.bonusPool.tiers[1]) r.bonusPool.tiers[1].upToCents = 500_000;
    }),
    'bonusPool.tiers[1].upToCents',
    'tiers ascending',
  );
  t.equal(
    bad((r) => {
      if (r.bonusPool.tiers[3]) r.bonusPool.tiers[3].upToCents = 9_000_000;
    }),
    'bonusPool.tiers[3].upToCents',
    'last tier open',
  );
  t.equal(
    bad((r) => {
      r.referral.sellerPct = 101;
    }),
    'referral.sellerPct',
  );
  t.equal(
    bad((r) => {
      r.referral.inviterPct = -1;
    }),
    'referral.inviterPct',
  );
  t.equal(
    bad((r) => {
      r.distributorPricePct = 80.123;
    }),
    'distributorPricePct',
  );
  t.equal(
    bad((r) => {
      r.rebates = [r.rebates[1] as never, r.rebates[0] as never];
    }),
    'rebates[1].minSalesCents',
  );
  t.equal(
    bad((r) => {
      r.refundWindowDays = 1.5;
    }),
    'refundWindowDays',
  );
  t.equal(
    bad((r) => {
      (r.bonusPool as { mode: string }).mode = 'flat';
    }),
    'bonusPool.mode',
  );
  t.equal(
    bad((r) => {
      (r as unknown as Record<string, unknown>).extra = 1;
    }),
    'rules.extra',
  );
  t.equal(
    fieldOf(() => validateRules(null)),
    'rules',
  );
});

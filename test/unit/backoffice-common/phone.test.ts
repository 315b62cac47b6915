// Phone numbers: normalizing input, the lookup keys of one phone per country, and masking.
// Regressions: numbers of 5-7 digits were shown whole by maskPhone; US numbers with the leading 1
// and numbers with the international prefix 00 / 011 did not find their other forms.
import t from 'tap';
import { maskPhone, normalizePhone, phoneKeys } from '../../../firmware/src/backoffice/common/phone.js';
import { CallboxError } from '../../../firmware/src/errors.js';

/** The CallboxError `fn` throws, or null. */
function thrown(fn: () => unknown): CallboxError | null {
  try {
    fn();
  } catch (e) {
    if (e instanceof CallboxError) return e;
    throw e;
  }
  return null;
}

t.test('normalizePhone: spaces, dashes, dots, brackets, full-width digits; a leading + kept', async (t) => {
  t.equal(normalizePhone(' 138-1234 5678 '), '13812345678');
  t.equal(normalizePhone('+86 (138) 1234.5678'), '+8613812345678');
  t.equal(normalizePhone('（010）8888-6666'), '01088886666');
  t.equal(normalizePhone('１３８１２３４５６７８'), '13812345678', 'full-width digits from a Chinese IME');
  t.equal(normalizePhone('＋８６１３８１２３４５６７８'), '+8613812345678');
  for (const bad of ['', 'abc', '12', '+', '1'.repeat(21), '138 1234 5678 转 8']) {
    t.match(
      thrown(() => normalizePhone(bad, 'phones')),
      { code: 'VALIDATION_FAILED', details: { field: 'phones' } },
      bad,
    );
  }
});

t.test('phoneKeys CN: national, trunk 0, +86 and 0086 forms find each other', async (t) => {
  const forms = ['13812345678', '013812345678', '+8613812345678', '008613812345678'];
  for (const f of forms) t.same(new Set(phoneKeys(f, 'CN')), new Set(forms), f);
  t.same(
    new Set(phoneKeys('01088886666', 'CN')),
    new Set(['01088886666', '1088886666', '+861088886666', '00861088886666']),
    'a Beijing landline',
  );
  t.same(new Set(phoneKeys('+14155552671', 'CN')), new Set(['+14155552671', '0014155552671']), 'a foreign number: + and 00 forms only');
});

t.test('regression: phoneKeys US with the leading 1 and 011; EU + and 00', async (t) => {
  const us = ['4155552671', '14155552671', '+14155552671', '01114155552671'];
  for (const f of us) t.same(new Set(phoneKeys(f, 'US')), new Set(us), f);
  t.same(new Set(phoneKeys('004930123456', 'EU')), new Set(['004930123456', '+4930123456']));
  t.same(phoneKeys('030123456', 'EU'), ['030123456'], 'EU: national numbers are not rewritten');
});

t.test('maskPhone: 11+ digits hide the 4 before the last 4; shorter numbers hide at least half', async (t) => {
  t.equal(maskPhone('13812345678'), '138****5678');
  t.equal(maskPhone('013812345678'), '0138****5678');
  t.equal(maskPhone('+8613812345678'), '+86138****5678');
  t.equal(maskPhone('01088886666'), '010****6666');
  t.equal(maskPhone('88886666'), '88****66');
  t.equal(maskPhone('4155552671'), '41*****671');
  t.equal(maskPhone('8001'), '**01', 'extensions keep their last 2');
  t.equal(maskPhone('12'), '12');
  // regression: 5-7 digit numbers (short local numbers) were not masked at all
  for (const n of ['12345', '123456', '1234567']) {
    const m = maskPhone(n);
    t.equal(m.length, n.length);
    t.ok((m.match(/\*/g) ?? []).length >= Math.ceil(n.length / 2), `${n} → ${m}`);
  }
});

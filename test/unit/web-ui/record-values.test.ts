// The back-office forms' values (web-ui/app/src/record-values.ts): yuan → cents and whole numbers
// refused with a FieldError naming the field (never rounded or clamped silently), an empty
// optional number, datetime-local ↔ ISO; and the stock requests page offers exactly the
// firmware's legal moves (sales-data.ts stockMoves against STOCK_NEXT).
import t from 'tap';
import { STOCK_NEXT, STOCK_STATUSES } from '../../../firmware/src/backoffice/sales/stock-requests.js';
import { stockMoves } from '../../../web-ui/app/src/pages/sales-data.js';
import { cents, FieldError, fromLocalInput, localInput, optionalWhole, whole } from '../../../web-ui/app/src/record-values.js';

const refused = (fn: () => unknown, field: string) => {
  try {
    fn();
  } catch (e) {
    return e instanceof FieldError && e.field === field && /^form\.bad/.test(e.textKey);
  }
  return false;
};

t.test('yuan → cents, or a FieldError naming the field', (t) => {
  t.equal(cents({ price: '128.5' }, 'price'), 12850);
  t.equal(cents({ price: ' ¥60,000.50 ' }, 'price'), 6000050);
  t.equal(cents({ price: '0' }, 'price'), 0);
  for (const bad of ['', '5万', '1.234', '-1', '五千'])
    t.ok(
      refused(() => cents({ price: bad }, 'price'), 'price'),
      JSON.stringify(bad),
    );
  t.ok(
    refused(() => cents({}, 'price'), 'price'),
    'a missing value',
  );
  t.end();
});

t.test('whole numbers in a range; an empty optional one', (t) => {
  t.equal(whole({ qty: '20' }, 'qty', 1, 1_000_000), 20);
  t.equal(whole({ qty: ' 1 ' }, 'qty', 1, 10), 1);
  for (const bad of ['0', '1000001', '2.5', '1e3', 'x', ''])
    t.ok(
      refused(() => whole({ qty: bad }, 'qty', 1, 1_000_000), 'qty'),
      JSON.stringify(bad),
    );
  t.equal(optionalWhole({ m: '' }, 'm', 0, 1440, null), null, 'empty: null (the campaign’s window)');
  t.equal(optionalWhole({ m: ' ' }, 'm', 0, 1440, 30), 30, 'blank: the default');
  t.equal(optionalWhole({ m: '45' }, 'm', 0, 1440, 30), 45);
  t.ok(
    refused(() => optionalWhole({ m: '1441' }, 'm', 0, 1440, 30), 'm'),
    'out of range is refused, not clamped',
  );
  t.end();
});

t.test('datetime-local ↔ ISO', (t) => {
  t.equal(localInput(null), '');
  t.equal(fromLocalInput(''), null);
  t.equal(fromLocalInput(true), null);
  t.equal(fromLocalInput('tomorrow'), null);
  const iso = fromLocalInput('2026-12-01T20:00');
  t.equal(localInput(iso), '2026-12-01T20:00', 'round trip in local time');
  t.end();
});

t.test("the stock requests page offers the firmware's moves", (t) => {
  for (const s of STOCK_STATUSES) t.same(stockMoves(s), [...STOCK_NEXT[s]], s);
  t.end();
});

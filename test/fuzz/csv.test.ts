// Fuzz: the back office's CSV (customers, products, authenticity codes import/export). Property:
// any table of strings written by toCsv reads back unchanged through decodeCsvBytes → parseCsv →
// unguardCell (the formula guard included). Random and mutated bytes: rows or a VALIDATION_FAILED,
// never another error.
import fc from 'fast-check';
import t from 'tap';
import { decodeCsvBytes, parseCsv, toCsv, unguardCell } from '../../firmware/src/backoffice/common/csv.js';
import { isCallboxError } from '../../firmware/src/errors.js';
import { bounded, holds, mutationLoop, runs } from './fixtures/fuzz.js';

const cell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(...'张三,"\r\n\'=+-@\t 李记订单'.split('')), maxLength: 8 }),
  fc.constantFrom("'=1+2", '=SUM(A1)', '-5', "'", "''=x", '\ufeffBOM', 'a""b'),
);
const table = fc
  .array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 8 })
  .map((rows) => rows.filter((r) => r.some((c) => c !== '')));

export function readBack(csv: string): string[][] {
  const { text } = decodeCsvBytes(new TextEncoder().encode(csv));
  return parseCsv(text).map((r) => r.cells.map(unguardCell));
}

t.test('CSV: write → read round trip', (t) => {
  holds(
    t,
    'toCsv → parseCsv',
    fc.property(table, (rows) => {
      const back = bounded('CSV round trip', rows, () => readBack(toCsv(rows)));
      if (JSON.stringify(back) !== JSON.stringify(rows)) throw new Error(`read back ${JSON.stringify(back)} for ${JSON.stringify(rows)}`);
    }),
    500,
  );
  t.end();
});

function readOrRefuse(b: Uint8Array): void {
  try {
    parseCsv(decodeCsvBytes(b).text);
  } catch (e) {
    if (!isCallboxError(e) || e.code !== 'VALIDATION_FAILED') throw e;
  }
}

t.test('CSV: random and mutated files give rows or VALIDATION_FAILED', (t) => {
  holds(
    t,
    'random bytes',
    fc.property(fc.uint8Array({ maxLength: 400 }), (b) => bounded('CSV read', b, () => readOrRefuse(b))),
    400,
  );
  const sample = new TextEncoder().encode(
    toCsv([
      ['姓名', '电话', '备注'],
      ['张三', '13800138000', '老客户, "VIP"'],
      ['李四', '=1+2', '多行\r\n备注'],
    ]),
  );
  const gbk = Uint8Array.from([0xd5, 0xc5, 0xc8, 0xfd, 0x2c, 0x31, 0x33, 0x38, 0x0d, 0x0a]);
  mutationLoop(t, 'CSV read', [sample, gbk], runs(800), readOrRefuse);
  t.end();
});

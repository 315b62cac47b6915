// The CSV helpers: decoding (BOM → UTF-8, valid UTF-8, else GBK), RFC 4180 parsing with line
// numbers, cell quoting and the formula-injection guard, and its undoing on import.
import t from 'tap';
import { csvCell, decodeCsvBytes, parseCsv, toCsv, unguardCell } from '../../../firmware/src/backoffice/common/csv.js';
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

t.test('decode: BOM, plain UTF-8, GBK, neither', async (t) => {
  t.same(decodeCsvBytes(Uint8Array.from([0xef, 0xbb, 0xbf, 0xe5, 0xbc, 0xa0])), { text: '张', encoding: 'utf-8' });
  t.same(decodeCsvBytes(new TextEncoder().encode('姓名')), { text: '姓名', encoding: 'utf-8' });
  t.same(decodeCsvBytes(Uint8Array.from([0xd5, 0xc5, 0xc8, 0xfd])), { text: '张三', encoding: 'gbk' }, 'GBK 张三');
  t.match(
    thrown(() => decodeCsvBytes(Uint8Array.from([0x41, 0x81, 0x20]))),
    { code: 'VALIDATION_FAILED', details: { field: 'body' } },
  );
});

t.test('parse: quotes, doubled quotes, commas and newlines in fields, CRLF/LF/CR, blank lines, line numbers', async (t) => {
  const rows = parseCsv('a,b\r\n"x, y","say ""hi"""\n\n"multi\nline",2\rlast,\n');
  t.same(rows, [
    { line: 1, cells: ['a', 'b'] },
    { line: 2, cells: ['x, y', 'say "hi"'] },
    { line: 4, cells: ['multi\nline', '2'] },
    { line: 6, cells: ['last', ''] },
  ]);
  t.same(parseCsv('no newline at end'), [{ line: 1, cells: ['no newline at end'] }]);
  t.same(parseCsv(''), []);
  t.same(parseCsv(',,,\r\n"",\r\nx'), [{ line: 3, cells: ['x'] }], 'rows of empty cells are blank lines');
  t.match(
    thrown(() => parseCsv('a\n"open,b\n')),
    { code: 'VALIDATION_FAILED', message: /line 2/ },
  );
});

t.test('cells: quoting and the formula guard; unguard restores; a whole file has a BOM and CRLF', async (t) => {
  t.equal(csvCell('plain'), 'plain');
  t.equal(csvCell('a,b'), '"a,b"');
  t.equal(csvCell('say "hi"'), '"say ""hi"""');
  t.equal(csvCell('two\nlines'), '"two\nlines"');
  for (const evil of ['=1+2', '+86138', '-2', '@SUM(A1)', '\tx']) t.equal(csvCell(evil), `'${evil}`, JSON.stringify(evil));
  t.equal(csvCell('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
  t.equal(csvCell(-5), '-5', 'numbers are numbers');
  t.equal(csvCell(null), '');
  t.equal(csvCell(true), 'true');
  t.equal(unguardCell("'=1+2"), '=1+2');
  t.equal(unguardCell("'+86138"), '+86138');
  t.equal(unguardCell("'tis"), "'tis", 'other apostrophes stay');
  t.equal(
    toCsv([
      ['姓名', '电话'],
      ['张三', '+86138'],
    ]),
    "\ufeff姓名,电话\r\n张三,'+86138\r\n",
  );
  const round = parseCsv(toCsv([['=x', 'a,"b"\nc']]).slice(1));
  t.same(round[0]?.cells.map(unguardCell), ['=x', 'a,"b"\nc']);
});

// Found by test/fuzz/csv.test.ts (write → read round trip): a text that already looked guarded
// ("'=1+2", typed by a user) lost its apostrophe on export → import; a text starting with U+FEFF
// lost that character behind the file's BOM.
t.test('regression (fuzz): "\'=1+2" and a leading U+FEFF survive export → import', (t) => {
  const rows = [["'=1+2", "''@x", "'tis", '\ufeffBOM']];
  const text = decodeCsvBytes(new TextEncoder().encode(toCsv(rows))).text;
  t.same(
    parseCsv(text).map((r) => r.cells.map(unguardCell)),
    rows,
  );
  t.equal(csvCell("'=1+2"), "''=1+2", 'one more apostrophe');
  t.equal(unguardCell("''=1+2"), "'=1+2", 'one taken off');
  t.end();
});

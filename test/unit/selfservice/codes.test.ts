// The authenticity code table: CSV decoding and parsing (quotes, CRLF, header, GBK), import counts,
// checks (genuine → repeat with the first check time → counters), the log and stats.
import t from 'tap';
import { decodeCsvBytes as decodeCsv } from '../../../firmware/src/backoffice/common/csv.js';
import { codeRows } from '../../../firmware/src/backoffice/selfservice/code-csv.js';
import { errorFrom, OWNER, salesBox } from '../sales/fixtures/back-office.js';

t.test('code rows: header skipped, codes upper-cased, bad lines named', async (t) => {
  const { rows, errors } = codeRows('code,product,batch\nab-1234,Tea,\n12,Tea,\n86001,,\n86002,Tea,B,extra\n');
  t.same(rows, [{ line: 2, code: 'AB-1234', product: 'Tea', batch: null }]);
  t.match(errors, [
    { line: 3, message: /code "12"/ },
    { line: 4, message: /product/ },
    { line: 5, message: /3 columns/ },
  ]);
  t.same(codeRows('防伪码,产品\n86001234,茶\n').rows.length, 1);
  t.same(codeRows('CODE1234,茶\n').rows.length, 1, 'a first row that is a code is not a header');
  t.same(
    codeRows('86001234,"Tea, green",B1\r\n\r\n86005678,"two\nlines",\n').rows,
    [
      { line: 1, code: '86001234', product: 'Tea, green', batch: 'B1' },
      { line: 3, code: '86005678', product: 'two\nlines', batch: null },
    ],
    'quoted cells, CRLF, a blank line skipped',
  );
  t.same(codeRows('"",,\n86001234,茶\n').errors, [], 'a row of empty cells is skipped, not an error');
  t.throws(
    () => codeRows('86001234,"茶\n86005678,茶\n'),
    { code: 'VALIDATION_FAILED', message: /line 1/ },
    'an unclosed quote names its line',
  );
});

t.test('decoding: UTF-8 with and without BOM, GBK, neither', async (t) => {
  t.same(decodeCsv(Buffer.from('\uFEFF茶', 'utf8')), { text: '茶', encoding: 'utf-8' });
  t.same(decodeCsv(Buffer.from('茶', 'utf8')), { text: '茶', encoding: 'utf-8' });
  t.same(decodeCsv(Buffer.from([0xb2, 0xe8])), { text: '茶', encoding: 'gbk' });
  t.throws(() => decodeCsv(Buffer.from([0x81, 0x7f])), { code: 'VALIDATION_FAILED' });
});

t.test('checks: genuine, then repeat with the first check time, unknown; all logged', async (t) => {
  const { bo, clock } = salesBox();
  const ss = bo.selfService;
  t.match(ss.importCodes(OWNER, Buffer.from('86001234567,蜂蜜,B1\n')), { created: 1 });
  const first = ss.checkCode('86001234567', { source: 'ivr', caller: '13800138000', callId: 'call1' });
  t.match(first, { verdict: 'genuine', product: '蜂蜜', batch: 'B1' });
  const firstAt = clock.now();
  clock.advance(3_600_000);
  t.match(ss.checkCode('86001234567', { source: 'ivr', caller: '13900139000', callId: 'call2' }), {
    verdict: 'repeat',
    previousChecks: 1,
    firstCheckedAt: new Date(firstAt).toISOString(),
  });
  t.match(ss.checkCode('86001234567', { source: 'api' }), { verdict: 'repeat', previousChecks: 2 });
  t.match(ss.checkCode('00000000', { source: 'ivr' }), { verdict: 'unknown' });
  t.match(ss.getCode(OWNER, '86001234567'), { checkCount: 3, firstCheckedAt: new Date(firstAt).toISOString() });
  t.equal(ss.checks(OWNER, {}).total, 4);
  t.equal(ss.checks(OWNER, { from: firstAt + 1 }).total, 3);
  t.match(ss.checks(OWNER, { code: '86001234567', limit: 1, offset: 2 }), {
    total: 3,
    items: [{ caller: '13800138000', callId: 'call1' }],
  });
  t.match(ss.stats(OWNER, {}), { codes: 1, checkedCodes: 1, checks: 4, genuine: 1, repeat: 2, unknown: 1 });
  t.equal(ss.codeCount(OWNER), 1);
  t.equal(errorFrom(() => ss.checkCode('x', { source: 'api' })).field, 'code');
  t.equal(errorFrom(() => ss.importCodes(OWNER, new Uint8Array())).field, 'body');
});

// CSV import/export of customers: UTF-8 with BOM and GBK files with Chinese names (what Excel on a
// Chinese Windows saves), headers in Chinese or English, quoting of commas/quotes/newlines, the
// formula-injection guard on export, round trips, a report of created/updated/skipped rows with
// their line numbers, one audit row per import or export.
import t from 'tap';
import { AGENT, customersBox, errorFrom, OWNER, SUPERVISOR } from './fixtures/box.js';
import { encodeGbk } from './fixtures/gbk.js';

const BOM = '\ufeff';
const utf8 = (s: string) => new TextEncoder().encode(s);

t.test('GBK import with Chinese headers and names; the report names skipped lines and why', async (t) => {
  const { bo } = customersBox();
  const existing = bo.customers.create(OWNER, { name: '老客户', phones: ['+8613800000003'], tags: ['经销商'] });
  const csv = [
    '姓名,手机号,标签,备注,免打扰',
    '张三,13800000001,VIP;投诉,"地址：北京市朝阳区, 3号楼",否',
    '李四,"13800000002/010-6666 8888",经销商,,是',
    ',,,只有备注,', // no name, no phone
    '王五,12ab,,,', // bad phone
    '赵六,13800000001,,,', // the same number as 张三: updates him
    ',013800000003,VIP,,', // the existing customer, another form of the number
    '钱七,13800000004,,,也许', // bad yes/no
  ].join('\r\n');
  const bytes = encodeGbk(csv);
  t.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'really not UTF-8');
  const r = bo.customers.importCsv(SUPERVISOR, bytes);
  t.match(r, { encoding: 'gbk', rows: 7, created: 2, updated: 2, unchanged: 0 });
  t.same(
    r.skipped.map((s) => s.line),
    [4, 5, 8],
  );
  t.match(r.skipped[0]?.reason, /name or phones is required/);
  t.match(r.skipped[1]?.reason, /phones must be a phone number/);
  t.match(r.skipped[2]?.reason, /doNotCall/);
  const zhang = bo.customers.byPhone(OWNER, '13800000001');
  t.match(zhang, { name: '赵六', source: 'import', notes: '地址：北京市朝阳区, 3号楼', doNotCall: false, tags: ['VIP', '投诉'] });
  const li = bo.customers.byPhone(OWNER, '01066668888');
  t.match(li, { name: '李四', doNotCall: true, tags: ['经销商'] });
  t.same(
    li?.phones.map((p) => p.phone),
    ['13800000002', '01066668888'],
  );
  const old = bo.customers.get(OWNER, existing.id);
  t.same(old?.tags, ['VIP', '经销商'], 'import adds tags, never removes');
  t.same(
    old?.phones.map((p) => p.phone),
    ['+8613800000003'],
    'the stored form is kept',
  );
  t.match(bo.audit.list({ action: 'customers.import', limit: 1 }), [
    { actor: 'lead', detail: { encoding: 'gbk', rows: 7, created: 2, updated: 2, skipped: 3 } },
  ]);
});

t.test('UTF-8 with BOM, English headers, quoted newlines and quotes, no header → name, phones, tags, notes', async (t) => {
  const { bo } = customersBox();
  const r = bo.customers.importCsv(
    OWNER,
    utf8(`${BOM}Name,Phone,Tags,Notes,Marketing\n"孙 ""小"" 美",+86 139 0000 0001,complaint,"line 1\nline 2",yes\n`),
  );
  t.match(r, { encoding: 'utf-8', rows: 1, created: 1, skipped: [] });
  t.match(bo.customers.byPhone(OWNER, '13900000001'), {
    name: '孙 "小" 美',
    notes: 'line 1\nline 2',
    consent: { marketing: true },
    tags: ['complaint'],
  });
  const plain = bo.customers.importCsv(OWNER, utf8('周八,13900000002,VIP,老顾客\n吴九,13900000003\n'));
  t.match(plain, { encoding: 'utf-8', rows: 2, created: 2 });
  t.match(bo.customers.byPhone(OWNER, '13900000002'), { name: '周八', tags: ['VIP'], notes: '老顾客' });
  t.match(
    errorFrom(() => bo.customers.importCsv(OWNER, utf8('姓名,电话\n"张三,138\n'))),
    { code: 'VALIDATION_FAILED', field: 'body' },
  );
  t.match(
    errorFrom(() => bo.customers.importCsv(OWNER, Uint8Array.from([0x41, 0x81, 0x20]))),
    { code: 'VALIDATION_FAILED', field: 'body' },
  );
  // 编号 as a spreadsheet's row number (or ids of another box): ignored, the row matches by number
  const serial = bo.customers.importCsv(OWNER, utf8('编号,姓名,电话\n1,某人,13900000009\n2,周八八,13900000002\n'));
  t.match(serial, { created: 1, updated: 1, skipped: [] });
  t.equal(bo.customers.byPhone(OWNER, '13900000002')?.name, '周八八');
});

t.test('export: UTF-8 BOM, CRLF, quoting, formula guard; re-import changes nothing; GBK re-import of the same file too', async (t) => {
  const { bo } = customersBox();
  const a = bo.customers.create(OWNER, {
    name: '=HYPERLINK("http://evil")',
    phones: ['+8613800000001', '13800000002'],
    tags: ['VIP', '经销商'],
    notes: '说 "你好", 然后\n挂断',
    consent: { marketing: false, sms: true },
  });
  const b = bo.customers.create(OWNER, { name: '@张三', phones: ['-13900000000'.slice(1)], doNotCall: true });
  bo.customers.create(OWNER, { name: '+李四' });
  const csv = bo.customers.exportCsv(SUPERVISOR);
  t.ok(csv.startsWith(BOM), 'BOM for Excel');
  const lines = csv.slice(1).split('\r\n');
  t.equal(lines[0], '编号,姓名,电话,标签,备注,免打扰,同意录音,同意营销,同意短信,来源,创建时间');
  t.equal(lines[1]?.split(',')[0], a.id);
  t.match(lines[1], /^[0-9A-Z]{26},"'=HYPERLINK\(""http:\/\/evil""\)",'\+8613800000001; 13800000002,VIP; 经销商,"说 ""你好"", 然后\n/);
  t.match(csv, /挂断",否,,否,是,manual,/);
  t.match(csv, new RegExp(`${b.id},'@张三,13900000000,,,是`));
  t.match(csv, /,'\+李四,,/);
  t.match(bo.audit.list({ action: 'customers.export', limit: 1 }), [{ actor: 'lead', detail: { count: 3 } }]);

  const again = bo.customers.importCsv(OWNER, utf8(csv));
  t.match(again, { rows: 3, created: 0, updated: 0, unchanged: 3, skipped: [] }, 'an export imports back unchanged');
  t.equal(bo.customers.get(OWNER, a.id)?.name, '=HYPERLINK("http://evil")', 'the guard is taken off on import');
  const gbk = bo.customers.importCsv(OWNER, encodeGbk(csv.slice(1)));
  t.match(gbk, { encoding: 'gbk', unchanged: 3, skipped: [] }, 'the same file saved as GBK by Excel');

  t.match(bo.customers.exportCsv(AGENT), /138\*\*\*\*0002/, 'masked for a role without customers.phones');
  const vip = bo.customers.exportCsv(OWNER, { tag: 'vip' }).split('\r\n');
  t.equal(vip.length, 3, 'header, one customer, final CRLF');
});

// Report files: CSV (UTF-8 with BOM, Excel-safe cells), XLSX (read back with exceljs, cells
// checked), printable HTML (self-contained, print CSS, no scripts, escaped text).
import ExcelJS from 'exceljs';
import t from 'tap';
import { SYSTEM_ACTOR } from '../../../firmware/src/backoffice/common/types.js';
import { toCsv } from '../../../firmware/src/backoffice/reports/exports.js';
import { DAY, scenario } from './fixtures/scenario.js';

t.test('CSV: BOM, Chinese headings, the numbers of the report', async (t) => {
  const s = scenario();
  const f = await s.bo.reports.exportReport(SYSTEM_ACTOR, { period: 'day', date: DAY, format: 'csv' });
  t.equal(f.contentType, 'text/csv; charset=utf-8');
  t.equal(f.filename, `report-day-${DAY}.csv`);
  t.same([...f.body.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const text = f.body.toString('utf8').slice(1);
  const lines = text.split('\r\n');
  t.equal(lines[0], `报表 Report ${DAY} (Asia/Shanghai)`);
  t.equal(lines[1], '指标 Figure,数值 Value');
  t.ok(lines.includes('呼入量 Offered,4'));
  t.ok(lines.includes('接通率% Answer rate,75'));
  t.ok(lines.includes('服务水平% (20秒) Service level,66.7'));
  t.ok(lines.includes('销售净额(元) Net sales,300'));
  t.ok(lines.includes('09:00,2,1,1,50,100,10,150'), 'by hour: 09:00 row');
  t.ok(
    lines.some((l) => l.startsWith('不可用 Unavailable:')),
    'commission says why it is missing',
  );
  t.ok(lines.includes('湖南卫视,养生节目,2,1,1,900,900,900'));
  t.ok(lines.includes('a2,2026-11-26,09:00-18:00,2026-11-26 09:20,20,60,460,迟到早退 Late + early leave'));
  t.end();
});

t.test('CSV cells: quotes, commas, newlines and formula-looking text', (t) => {
  const csv = toCsv([
    {
      sheet: 's',
      title: 'T',
      headers: ['a', 'b'],
      rows: [
        ['x,"y"', '=1+2'],
        ['line\nbreak', null],
        [-5, '-5'],
      ],
    },
  ]).toString('utf8');
  t.equal(csv, '\uFEFFT\r\na,b\r\n"x,""y""",\'=1+2\r\n"line\nbreak",\r\n-5,\'-5\r\n');
  t.end();
});

t.test('XLSX: one sheet per table, numbers as numbers', async (t) => {
  const s = scenario();
  const f = await s.bo.reports.exportReport(SYSTEM_ACTOR, { period: 'day', date: DAY, format: 'xlsx' });
  t.equal(f.contentType, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  t.equal(f.filename, `report-day-${DAY}.xlsx`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(f.body as unknown as ArrayBuffer);
  t.same(
    wb.worksheets.map((w) => w.name),
    [
      '概况 Summary',
      '分时话务 By hour',
      '座席 Agents',
      '工单 Tickets',
      '销售 Sales',
      '提成 Commission',
      '广告 Ads',
      '排班 Staffing',
      '考勤 Attendance',
      '质检 QA',
    ],
  );
  const sum = wb.getWorksheet('概况 Summary');
  t.equal(sum?.getCell('A1').value, `报表 Report ${DAY} (Asia/Shanghai)`);
  t.equal(sum?.getCell('A3').value, '呼入量 Offered');
  t.equal(sum?.getCell('B3').value, 4);
  t.equal(sum?.getCell('B6').value, 75, 'answer rate %');
  const hours = wb.getWorksheet('分时话务 By hour');
  t.same(hours?.getRow(2 + 10).values, [undefined, '09:00', 2, 1, 1, 50, 100, 10, 150], 'row of 09:00 (title, header, 00:00 … 09:00)');
  const sales = wb.getWorksheet('销售 Sales');
  t.same(sales?.getRow(3).values, [undefined, 's2', 1, 200, 120]);
  const month = await s.bo.reports.exportReport(SYSTEM_ACTOR, { period: 'month', date: DAY, format: 'xlsx' });
  const wb2 = new ExcelJS.Workbook();
  await wb2.xlsx.load(month.body as unknown as ArrayBuffer);
  const days = wb2.getWorksheet('每日话务 By day');
  t.equal(days?.rowCount, 2 + 30, 'a row per day of November');
  t.end();
});

t.test('HTML: printable, self-contained, no scripts, escaped', async (t) => {
  const s = scenario();
  s.bo.reports.createCampaign(SYSTEM_ACTOR, { name: '<script>alert(1)</script>', media: '湖南卫视' });
  const a = s.bo.reports.listCampaigns(SYSTEM_ACTOR).find((c) => c.name.startsWith('<'));
  s.bo.reports.createAiring(SYSTEM_ACTOR, { campaignId: a?.id ?? '', startsAt: `${DAY} 23:50`, endsAt: `${DAY} 23:55`, costCents: 1 });
  const f = await s.bo.reports.exportReport(SYSTEM_ACTOR, { period: 'day', date: DAY, format: 'html' });
  const html = f.body.toString('utf8');
  t.equal(f.contentType, 'text/html; charset=utf-8');
  t.notMatch(html, /<script/i, 'no script element, the ad name is escaped');
  t.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  t.notMatch(html, /\son[a-z]+=/i, 'no event handler attributes');
  t.notMatch(html, /(src|href)=/i, 'nothing fetched');
  t.match(html, /@media print/);
  t.match(html, /<h1>callbox 日报 Daily report 2026-11-26<\/h1>/);
  t.match(html, /<h2>分时话务量 Call volume by hour<\/h2>/);
  t.match(html, /<td>09:00<\/td><td class="n">2<\/td>/);
  t.match(f.contentSecurityPolicy, /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
  t.end();
});

t.test('an unknown format is refused', async (t) => {
  const s = scenario();
  await t.rejects(s.bo.reports.exportReport(SYSTEM_ACTOR, { period: 'day', date: DAY, format: 'pdf' as 'csv' }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'format' },
  });
  t.end();
});

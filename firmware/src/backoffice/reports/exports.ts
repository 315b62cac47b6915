/**
 * A report's tables as files: CSV (UTF-8 with BOM so Excel in China opens it as UTF-8; sections
 * one after another, each under its title), XLSX (one worksheet per table; exceljs is imported
 * lazily, so it costs nothing until the first export) and a printable HTML page (self-contained,
 * print CSS, no scripts).
 */
import { createHash } from 'node:crypto';
import { CallboxError } from '../../errors.js';
import type { Cell, Table } from './report-tables.js';
import type { Report, ReportFile } from './types.js';

const BOM = '\uFEFF';

function csvCell(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  // A leading =, +, - or @ would be read by Excel as a formula: quote it with a leading apostrophe.
  const safe = typeof v === 'string' && /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(tables: Table[]): Buffer {
  const lines: string[] = [];
  for (const t of tables) {
    if (lines.length > 0) lines.push('');
    lines.push(csvCell(t.title));
    lines.push(t.headers.map(csvCell).join(','));
    for (const row of t.rows) lines.push(row.map(csvCell).join(','));
  }
  return Buffer.from(`${BOM}${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function toXlsx(tables: Table[], report: Report): Promise<Buffer> {
  let ExcelJS: typeof import('exceljs');
  try {
    ExcelJS = (await import('exceljs')).default;
  } catch {
    throw new CallboxError('UNAVAILABLE', 'XLSX export needs the exceljs package beside the executable (CSV and HTML work without it)');
  }
  const wb = new ExcelJS.Workbook();
  wb.creator = 'callbox';
  wb.created = new Date(report.generatedAt);
  const used = new Set<string>();
  for (const t of tables) {
    let name = t.sheet.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
    while (used.has(name)) name = `${name.slice(0, 28)} ${used.size}`;
    used.add(name);
    const ws = wb.addWorksheet(name);
    ws.addRow([t.title]).font = { bold: true, size: 13 };
    const head = ws.addRow(t.headers);
    head.font = { bold: true };
    for (const row of t.rows) ws.addRow(row);
    ws.columns.forEach((col, i) => {
      const widest = Math.max(...[t.headers[i] ?? '', ...t.rows.map((r) => String(r[i] ?? ''))].map((s) => s.length));
      col.width = Math.min(48, Math.max(10, widest + 2));
    });
  }
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const CSS = `body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:24px;color:#222}
h1{font-size:20px;margin:0 0 4px}p.meta{color:#666;margin:0 0 16px;font-size:12px}
h2{font-size:15px;margin:20px 0 6px;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;font-size:12px;margin-bottom:8px}
th,td{border:1px solid #bbb;padding:3px 6px;text-align:left}td.n{text-align:right}th{background:#eee}
@media print{body{margin:10mm}section{break-inside:avoid}h2{break-after:avoid}a{color:inherit}}
@page{size:A4;margin:12mm}`;

/** The page's policy: its one style block by hash, nothing else (no scripts, no fetches). */
export const HTML_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'; img-src 'none'`;

export function toHtml(tables: Table[], report: Report, shop: string): Buffer {
  const parts: string[] = [];
  for (const t of tables) {
    const head = t.headers.map((h) => `<th>${esc(h)}</th>`).join('');
    const body = t.rows
      .map((r) => `<tr>${r.map((v) => (typeof v === 'number' ? `<td class="n">${v}</td>` : `<td>${esc(v ?? '')}</td>`)).join('')}</tr>`)
      .join('\n');
    parts.push(`<section><h2>${esc(t.title)}</h2><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></section>`);
  }
  const title = `${shop} ${periodName(report)} ${report.label}`;
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>${CSS}</style></head>
<body><h1>${esc(title)}</h1>
<p class="meta">${esc(`${report.from} – ${report.to} (${report.timeZone}) · 生成时间 Generated ${report.generatedAt}`)}</p>
${parts.join('\n')}
</body></html>
`;
  return Buffer.from(html, 'utf8');
}

function periodName(r: Report): string {
  return r.period === 'day' ? '日报 Daily report' : r.period === 'week' ? '周报 Weekly report' : '月报 Monthly report';
}

export async function exportFile(tables: Table[], report: Report, format: 'csv' | 'xlsx' | 'html', shop: string): Promise<ReportFile> {
  const base = `report-${report.period}-${report.label}`;
  if (format === 'csv') return { contentType: 'text/csv; charset=utf-8', filename: `${base}.csv`, body: toCsv(tables) };
  if (format === 'xlsx') {
    return {
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      filename: `${base}.xlsx`,
      body: await toXlsx(tables, report),
    };
  }
  return {
    contentType: 'text/html; charset=utf-8',
    filename: `${base}.html`,
    body: toHtml(tables, report, shop),
    contentSecurityPolicy: HTML_CSP,
  };
}

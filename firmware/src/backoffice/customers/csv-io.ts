/**
 * Customers in and out as CSV for the shop's Excel (common/csv.ts: UTF-8 with BOM or GBK in, UTF-8
 * with BOM out, formula guard). Columns, recognized by their header in Chinese or English:
 * 编号 id · 姓名 name · 电话 phones (several joined by ; ，/ 、) · 标签 tags (joined by ;) · 备注 notes ·
 * 免打扰 doNotCall · 同意录音 / 同意营销 / 同意短信 consent (是/否, yes/no, 1/0) · 来源 · 创建时间
 * (export only). A file without a recognizable header is read as name, phones, tags, notes.
 *
 * Import never deletes: a row matches a customer by id (an id unknown here, e.g. a spreadsheet's
 * own 编号 row number, is ignored), else by any of its numbers (any stored form); it adds numbers and tags, and sets name, notes and flags given in non-empty cells. Rows
 * matching nobody create customers (source 'import'). A bad row is skipped with its line and
 * reason; the good rows commit together, with one audit row for the import.
 */
import { CallboxError } from '../../errors.js';
import { decodeCsvBytes, parseCsv, toCsv, unguardCell } from '../common/csv.js';
import type { Actor } from '../common/types.js';
import { type CustomersCore, viewOf } from './service.js';
import type { Consent, Customer, CustomerImportReport, CustomerInput } from './types.js';
import { cleanInput } from './validate.js';

type Column = 'id' | 'name' | 'phones' | 'tags' | 'notes' | 'doNotCall' | 'recording' | 'marketing' | 'sms' | 'ignored';

const ALIASES: Record<Exclude<Column, 'ignored'>, string[]> = {
  id: ['编号', '客户编号', 'id', 'customerid'],
  name: ['姓名', '名字', '客户', '客户名称', '客户姓名', '名称', 'name'],
  phones: ['电话', '手机', '手机号', '手机号码', '电话号码', '联系电话', '号码', 'phone', 'phones', 'mobile', 'tel', 'telephone'],
  tags: ['标签', 'tag', 'tags'],
  notes: ['备注', '说明', 'note', 'notes', 'remark', 'remarks'],
  doNotCall: ['免打扰', '勿扰', '拒绝来电', 'donotcall', 'dnc'],
  recording: ['同意录音', '录音同意', 'recording', 'consentrecording', 'consent.recording'],
  marketing: ['同意营销', '营销同意', 'marketing', 'consentmarketing', 'consent.marketing'],
  sms: ['同意短信', '短信同意', 'sms', 'consentsms', 'consent.sms'],
};
const IGNORED = ['来源', 'source', '创建时间', 'createdat', 'created'];
const EXPORT_HEADER = ['编号', '姓名', '电话', '标签', '备注', '免打扰', '同意录音', '同意营销', '同意短信', '来源', '创建时间'];
const DEFAULT_COLUMNS: Column[] = ['name', 'phones', 'tags', 'notes'];
const YES = ['是', '对', 'y', 'yes', 'true', '1', '√', '✓'];
const NO = ['否', '不', 'n', 'no', 'false', '0', '×'];
export const MAX_IMPORT_ROWS = 100_000;

function columnOf(header: string): Column | null {
  for (const part of [header, ...header.split(/[/／()（）]/)]) {
    const h = part
      .trim()
      .toLowerCase()
      .replace(/[\s_-]/g, '');
    if (!h) continue;
    for (const [col, names] of Object.entries(ALIASES)) if (names.includes(h)) return col as Column;
    if (IGNORED.includes(h)) return 'ignored';
  }
  return null;
}

function yesNo(cell: string, field: string): boolean | undefined {
  const v = cell.trim().toLowerCase();
  if (v === '') return undefined;
  if (YES.includes(v)) return true;
  if (NO.includes(v)) return false;
  throw new CallboxError('VALIDATION_FAILED', `${field} must be 是/否 (yes/no), not "${cell.slice(0, 20)}"`, { field });
}

const split = (cell: string, re: RegExp): string[] =>
  cell
    .split(re)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** One data row as input (only the non-empty cells) and the id it names, if any. */
function rowInput(columns: readonly (Column | null)[], cells: readonly string[]): { id: string | null; input: CustomerInput } {
  const input: CustomerInput = {};
  const consent: Consent = {};
  let id: string | null = null;
  columns.forEach((col, i) => {
    const cell = unguardCell((cells[i] ?? '').trim());
    if (!col || col === 'ignored' || cell === '') return;
    if (col === 'id') id = cell;
    else if (col === 'name') input.name = cell;
    else if (col === 'phones') input.phones = split(cell, /[;；,，/、|\n]+/);
    else if (col === 'tags') input.tags = split(cell, /[;；,，、|\n]+/);
    else if (col === 'notes') input.notes = cell;
    else if (col === 'doNotCall') input.doNotCall = yesNo(cell, 'doNotCall') as boolean;
    else consent[col] = yesNo(cell, `consent.${col}`) as boolean;
  });
  if (Object.keys(consent).length) input.consent = consent;
  return { id, input };
}

export function importCustomersCsv(core: CustomersCore, actor: Actor, bytes: Uint8Array): CustomerImportReport {
  const { text, encoding } = decodeCsvBytes(bytes);
  const rows = parseCsv(text);
  const first = rows[0];
  const headerCols = first ? first.cells.map(columnOf) : [];
  const hasHeader = headerCols.some((c) => c === 'name' || c === 'phones');
  const columns = hasHeader ? headerCols : DEFAULT_COLUMNS;
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length > MAX_IMPORT_ROWS) {
    throw new CallboxError('VALIDATION_FAILED', `body has ${data.length} rows, more than ${MAX_IMPORT_ROWS}`, { field: 'body' });
  }
  const report: CustomerImportReport = { encoding, rows: data.length, created: 0, updated: 0, unchanged: 0, skipped: [] };
  const db = core.deps.db;
  db.transaction(() => {
    for (const { line, cells } of data) {
      try {
        // a savepoint per row: a bad row rolls back alone
        db.transaction(() => importRow(core, actor, columns, cells, report))();
      } catch (err) {
        if (!(err instanceof CallboxError)) throw err;
        report.skipped.push({ line, reason: err.message });
      }
    }
    core.deps.audit.record(actor.username, 'customers.import', 'customer', null, {
      encoding,
      rows: report.rows,
      created: report.created,
      updated: report.updated,
      unchanged: report.unchanged,
      skipped: report.skipped.length,
    });
  })();
  return report;
}

function importRow(
  core: CustomersCore,
  actor: Actor,
  columns: readonly (Column | null)[],
  cells: readonly string[],
  report: CustomerImportReport,
): void {
  const { id, input } = rowInput(columns, cells);
  const clean = cleanInput(input);
  let target: string | null = null;
  // 编号 is often a spreadsheet's own row number, and ids of another box are unknown here: an id
  // this box does not know is ignored and the row matches by number like any other
  if (id !== null && core.store.row(id)) target = id;
  else {
    const owners = new Set((clean.phones ?? []).map((p) => core.idByPhone(p.phone)).filter((x): x is string => x !== null));
    if (owners.size > 1) throw new CallboxError('CONFLICT', 'phones belong to different customers', { field: 'phones' });
    target = [...owners][0] ?? null;
  }
  if (target === null) {
    core.insert(actor, clean, 'import');
    report.created++;
    return;
  }
  const current = core.store.get(target) as Customer;
  if (clean.phones) clean.phones = [...current.phones, ...clean.phones];
  if (clean.tags)
    clean.tags = [...current.tags, ...clean.tags.filter((t) => !current.tags.some((c) => c.toLowerCase() === t.toLowerCase()))];
  if (clean.consent) clean.consent = { ...current.consent, ...clean.consent };
  const { changed } = core.patch(actor, target, clean, 'customer.import');
  if (changed) report.updated++;
  else report.unchanged++;
}

const yn = (v: boolean | undefined): string => (v === undefined ? '' : v ? '是' : '否');

export function exportCustomersCsv(core: CustomersCore, actor: Actor, q: { tag?: string } = {}): string {
  const db = core.deps.db;
  const ids = (
    q.tag
      ? db
          .prepare(
            `SELECT c.id FROM customers c JOIN customer_tags t ON t.customer_id = c.id AND t.tag = ? COLLATE NOCASE
             WHERE c.erased_at IS NULL ORDER BY c.created_at, c.id`,
          )
          .all(q.tag)
      : db.prepare('SELECT id FROM customers WHERE erased_at IS NULL ORDER BY created_at, id').all()
  ) as { id: string }[];
  const lines: Array<Array<string | null>> = [EXPORT_HEADER];
  for (const { id } of ids) {
    const c = viewOf(actor, core.store.get(id) as Customer);
    lines.push([
      c.id,
      c.name,
      c.phones.map((p) => p.phone).join('; '),
      c.tags.join('; '),
      c.notes,
      yn(c.doNotCall),
      yn(c.consent.recording),
      yn(c.consent.marketing),
      yn(c.consent.sms),
      c.source,
      c.createdAt,
    ]);
  }
  core.deps.audit.record(actor.username, 'customers.export', 'customer', null, { count: ids.length, ...(q.tag ? { tag: q.tag } : {}) });
  return toCsv(lines);
}

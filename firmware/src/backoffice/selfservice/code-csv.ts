/**
 * The authenticity code CSV the shop imports: `code,product,batch` (batch optional), a header row
 * optional (recognized by 防伪码/code in its first cell), UTF-8 with or without BOM, or GBK (what
 * Excel saves on a Chinese Windows). RFC 4180 quoting ("a,b", "say ""hi"""), CRLF or LF.
 */
import { CallboxError } from '../../errors.js';
import type { CodeImportLineError } from './types.js';

/** Codes: 4..32 letters, digits and dashes; stored upper-case. The IVR can only match digit codes. */
export const CODE_PATTERN = /^[0-9A-Z-]{4,32}$/;
export const MAX_CSV_BYTES = 8 * 1024 * 1024;
const MAX_PRODUCT = 120;
const MAX_BATCH = 60;

export function normalizeCode(raw: string): string {
  return raw.trim().toUpperCase();
}

/** UTF-8 (BOM stripped) when the bytes are valid UTF-8, else GBK. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gbk' } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    try {
      return { text: new TextDecoder('gbk', { fatal: true }).decode(bytes), encoding: 'gbk' };
    } catch {
      throw new CallboxError('VALIDATION_FAILED', 'body is neither UTF-8 nor GBK text', { field: 'body' });
    }
  }
}

/** Rows of cells with the 1-based line each row starts on. */
export function parseCsvRows(text: string): Array<{ line: number; cells: string[] }> {
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let any = false;
  const endRow = (): void => {
    cells.push(cell);
    if (any || cells.length > 1 || cell.trim() !== '') rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
    any = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"') {
      quoted = true;
      any = true;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
      any = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0 || any) endRow();
  return rows;
}

export interface CodeRow {
  line: number;
  code: string;
  product: string;
  batch: string | null;
}

/** Valid rows and the lines that are not (with why). */
export function codeRows(text: string): { rows: CodeRow[]; errors: CodeImportLineError[] } {
  const all = parseCsvRows(text);
  const first = all[0];
  if (first && /^\s*(防伪码|编码|code|codes|authenticity code)\s*$/i.test(first.cells[0] ?? '')) all.shift();
  const rows: CodeRow[] = [];
  const errors: CodeImportLineError[] = [];
  for (const { line, cells } of all) {
    const code = normalizeCode(cells[0] ?? '');
    const product = (cells[1] ?? '').trim();
    const batch = (cells[2] ?? '').trim();
    if (cells.length > 3 && cells.slice(3).some((c) => c.trim() !== ''))
      errors.push({ line, message: 'more than 3 columns (code, product, batch)' });
    else if (!CODE_PATTERN.test(code))
      errors.push({ line, message: `code "${code.slice(0, 40)}" must be 4..32 letters, digits or dashes` });
    else if (product === '' || product.length > MAX_PRODUCT) errors.push({ line, message: `product must be 1..${MAX_PRODUCT} characters` });
    else if (batch.length > MAX_BATCH) errors.push({ line, message: `batch must be at most ${MAX_BATCH} characters` });
    else rows.push({ line, code, product, batch: batch === '' ? null : batch });
  }
  return { rows, errors };
}

/**
 * The authenticity code CSV the shop imports: `code,product,batch` (batch optional), a header row
 * optional (recognized by 防伪码/code in its first cell), UTF-8 with or without BOM, or GBK (what
 * Excel saves on a Chinese Windows). RFC 4180 quoting ("a,b", "say ""hi"""), CRLF or LF. Decoding and
 * parsing are the back office's common CSV (../common/csv.ts).
 */
import { parseCsv } from '../common/csv.js';
import type { CodeImportLineError } from './types.js';

/** Codes: 4..32 letters, digits and dashes; stored upper-case. The IVR can only match digit codes. */
export const CODE_PATTERN = /^[0-9A-Z-]{4,32}$/;
export const MAX_CSV_BYTES = 8 * 1024 * 1024;
const MAX_PRODUCT = 120;
const MAX_BATCH = 60;

export function normalizeCode(raw: string): string {
  return raw.trim().toUpperCase();
}

export interface CodeRow {
  line: number;
  code: string;
  product: string;
  batch: string | null;
}

/** Valid rows and the lines that are not (with why). A quote never closed is VALIDATION_FAILED naming its line. */
export function codeRows(text: string): { rows: CodeRow[]; errors: CodeImportLineError[] } {
  const all = parseCsv(text);
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

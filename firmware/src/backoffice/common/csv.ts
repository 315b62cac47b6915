/**
 * CSV as the shop's Excel reads and writes it (RFC 4180: fields with commas, quotes or line breaks
 * are quoted, quotes doubled; CRLF or LF).
 * - Input: UTF-8 with or without BOM, or GBK (what Excel saves on a Chinese Windows): a BOM means
 *   UTF-8; bytes that are valid UTF-8 are UTF-8; anything else is decoded as GBK (Node 20's full
 *   ICU TextDecoder).
 * - Output: UTF-8 with a BOM (so Excel opens Chinese text right), CRLF, and a formula-injection
 *   guard: a cell starting with = + - @ (or a tab/CR) gets a leading apostrophe, which Excel shows
 *   as text. `unguardCell` takes it off again on import, so an export imports back unchanged.
 */
import { CallboxError } from '../../errors.js';

export type TextEncoding = 'utf-8' | 'gbk';

export function decodeCsvBytes(bytes: Uint8Array, field = 'body'): { text: string; encoding: TextEncoding } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    // ignoreBOM: only the file's own BOM goes (already skipped); a text starting with U+FEFF keeps it
    return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    try {
      return { text: new TextDecoder('gbk', { fatal: true }).decode(bytes), encoding: 'gbk' };
    } catch {
      throw new CallboxError('VALIDATION_FAILED', `${field} is neither UTF-8 nor GBK text`, { field });
    }
  }
}

export interface CsvRow {
  /** 1-based line of the file the row starts on. */
  line: number;
  cells: string[];
}

/** Rows of cells; blank lines and rows of empty cells only (",,," from Excel) are dropped. An unterminated quote is VALIDATION_FAILED naming the line. */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  const endRow = (): void => {
    cells.push(cell);
    if (cells.some((c) => c !== '')) rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
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
    } else if (ch === '"') {
      quoted = true;
      quoteLine = line;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (quoted)
    throw new CallboxError('VALIDATION_FAILED', `body line ${quoteLine}: a quoted field is never closed`, {
      field: 'body',
      line: quoteLine,
    });
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}

/** A formula start (= + - @ tab CR) after any apostrophes: csvCell adds one apostrophe, unguardCell takes one off. */
const GUARDED_OR_FORMULA = /^'*[=+\-@\t\r]/;

/** One cell, guarded against formula injection and quoted when needed. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  // a text that already looks guarded ("'=1") gets one more apostrophe, so unguardCell gives it back as it was
  if (typeof value === 'string' && GUARDED_OR_FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Undo csvCell's guard: "'=1+2" → "=1+2", "''=1" → "'=1" (an apostrophe before anything else stays). */
export function unguardCell(cell: string): string {
  return cell.startsWith("'") && GUARDED_OR_FORMULA.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** A whole file: UTF-8 BOM, CRLF line ends. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>): string {
  return `\ufeff${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

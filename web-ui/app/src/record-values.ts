/**
 * What a record form's fields hold ↔ what the API takes (pure: unit-tested): yuan typed by a
 * person → cents, whole numbers in a range, datetime-local values ↔ ISO times; a value that
 * cannot be sent is a `FieldError` naming its field and a text key (record-form.tsx shows it,
 * translated, beside the field). No DOM and no i18n state here.
 */
import type { Key } from './text-zh.js';
import { isoFromLocalInput, localInputValue } from './pages/followup-data.js';
import { parseYuan } from './pages/sales-data.js';

export type FormValues = Record<string, string | boolean>;

/** A value the form cannot send: its field and the text key (with vars) that says why. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly textKey: Key,
    readonly vars: Record<string, string | number> = {},
    /** Already in words (a lazy text area's string, `areaText`): shown instead of `textKey`. */
    readonly text?: string,
  ) {
    super(textKey);
  }
}

/** "128.50" → 12850 cents (sales-data.ts parseYuan: at most 2 decimals, not negative), else a FieldError. */
export function cents(values: FormValues, key: string): number {
  const c = parseYuan(String(values[key] ?? ''));
  if (c === null) throw new FieldError(key, 'form.badYuan');
  return c;
}

/** A whole number in [min, max], else a FieldError. */
export function whole(values: FormValues, key: string, min: number, max: number): number {
  const s = String(values[key] ?? '').trim();
  const n = Number(s);
  if (!/^-?\d+$/.test(s) || n < min || n > max) throw new FieldError(key, 'form.badNumber', { min, max });
  return n;
}

/** Like `whole`, but an empty field gives `empty`. */
export function optionalWhole(values: FormValues, key: string, min: number, max: number, empty: number | null): number | null {
  return String(values[key] ?? '').trim() === '' ? empty : whole(values, key, min, max);
}

/** ISO time → the value of a datetime-local input (local wall time); '' for none. */
export function localInput(iso: string | null): string {
  return iso ? localInputValue(new Date(iso)) : '';
}

/** A datetime-local value → ISO (null when empty or not a time). */
export function fromLocalInput(v: string | boolean | undefined): string | null {
  return typeof v === 'string' ? isoFromLocalInput(v) : null;
}

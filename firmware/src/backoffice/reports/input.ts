/** Checks of reports' inputs: each failure is VALIDATION_FAILED naming the field. */
import { CallboxError } from '../../errors.js';
import type { LocalCalendar } from './period.js';

export function invalid(field: string, problem: string): CallboxError {
  return new CallboxError('VALIDATION_FAILED', `${field} ${problem}`, { field });
}

export function text(value: unknown, field: string, max: number, min = 1): string {
  if (typeof value !== 'string' || value.trim().length < min || value.length > max) {
    throw invalid(field, `must be a string of ${min}..${max} characters`);
  }
  return value.trim();
}

export function textOrNull(value: unknown, field: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  return text(value, field, max);
}

export function int(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function version(value: unknown): number | undefined {
  return value === undefined ? undefined : int(value, 'version', 1, Number.MAX_SAFE_INTEGER);
}

const LOCAL_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant: ISO 8601 with a zone ("2026-11-26T20:00:00+08:00", "…Z") or a local wall time in the
 * shop's zone ("2026-11-26T20:00", "2026-11-26 20:00").
 */
export function instant(value: unknown, field: string, cal: LocalCalendar): number {
  if (typeof value === 'string') {
    const local = LOCAL_RE.exec(value);
    if (local) {
      const [, date, hh, mm, ss] = local;
      const day = Date.parse(`${date}T00:00:00Z`) / 86_400_000;
      const h = Number(hh);
      const m = Number(mm);
      if (Number.isInteger(day) && h < 24 && m < 60 && Number(ss ?? 0) < 60) {
        return cal.instant(day, h * 60 + m) + Number(ss ?? 0) * 1000;
      }
    } else if (ISO_RE.test(value)) {
      const t = Date.parse(value);
      if (Number.isFinite(t)) return t;
    }
  }
  throw invalid(field, 'must be a time like 2026-11-26T20:00:00+08:00 (or local 2026-11-26 20:00)');
}

/** A stale `version` is a CONFLICT. */
export function checkVersion(what: string, current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) {
    throw new CallboxError('CONFLICT', `${what} is at version ${current}, not ${expected}`, { version: current });
  }
}

export function notFound(what: string, id: string): CallboxError {
  return new CallboxError('NOT_FOUND', `no ${what} ${JSON.stringify(id)}`);
}

export const iso = (ms: number): string => new Date(ms).toISOString();

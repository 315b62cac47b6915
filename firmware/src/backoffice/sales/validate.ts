/** Input checks of the sales area: every failure is VALIDATION_FAILED naming the field. */
import { CallboxError } from '../../errors.js';

export const LIMITS = {
  name: 200,
  spec: 500,
  sku: 64,
  note: 2000,
  address: 500,
  carrier: 64,
  trackingNo: 64,
  query: 200,
  /** 1,000,000 yuan: no price or refund beyond this. */
  moneyCents: 100_000_000,
  qty: 9999,
  lines: 100,
} as const;

export function invalid(field: string, problem: string): CallboxError {
  return new CallboxError('VALIDATION_FAILED', `${field} ${problem}`, { field });
}

export function text(value: unknown, field: string, max: number, min = 1): string {
  if (typeof value !== 'string' || value.trim().length < min || value.length > max) {
    throw invalid(field, `must be a string of ${min}..${max} characters`);
  }
  return value.trim();
}

export function optionalText(value: unknown, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  return text(value, field, max);
}

export function int(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function money(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > LIMITS.moneyCents) {
    throw invalid(field, `must be a whole number of cents from 0 to ${LIMITS.moneyCents}`);
  }
  return value;
}

export function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalid(field, 'must be true or false');
  return value;
}

export function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw invalid(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** ISO time or epoch ms → epoch ms; null/undefined → null. */
export function timeOf(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 0) throw invalid(field, 'must be an ISO time or epoch milliseconds');
  return Math.trunc(ms);
}

export function versionOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return int(value, 'version', 1, Number.MAX_SAFE_INTEGER);
}

/** LIKE pattern for `q` (with \ as the escape character). */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** limit 1..500 (default 50), offset ≥ 0. */
export function paging(q: { limit?: number; offset?: number }): { limit: number; offset: number } {
  const limit = q.limit === undefined ? 50 : int(q.limit, 'limit', 1, 500);
  const offset = q.offset === undefined ? 0 : int(q.offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
  return { limit, offset };
}

/**
 * Small validators for request bodies and query strings. Every failure is a 400 VALIDATION_FAILED
 * whose message starts with the field's name and whose details are `{ field }`.
 */
import { CallboxError } from '../../firmware/src/errors.js';

export type JsonObject = Record<string, unknown>;

export function invalid(field: string, problem: string): CallboxError {
  return new CallboxError('VALIDATION_FAILED', `${field} ${problem}`, { field });
}

/** The body must be a JSON object with no fields beyond `allowed`. */
export function objectBody(body: unknown, allowed: readonly string[]): JsonObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('body', 'must be a JSON object');
  }
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw invalid(key, `is not a known field (expected: ${allowed.join(', ')})`);
  }
  return body as JsonObject;
}

export interface StringRule {
  max: number;
  /** Defaults to 1: empty strings are refused. */
  min?: number;
  pattern?: RegExp;
  /** How to describe the pattern in the error, e.g. "like fxo1". */
  hint?: string;
}

function checkString(value: unknown, field: string, rule: StringRule, orNull: boolean): string {
  const min = rule.min ?? 1;
  const what = `must be a string of ${min}..${rule.max} characters${rule.hint ? ` ${rule.hint}` : ''}`;
  const problem = orNull ? `${what}, or null` : what;
  if (typeof value !== 'string' || value.length < min || value.length > rule.max) throw invalid(field, problem);
  if (rule.pattern && !rule.pattern.test(value)) throw invalid(field, problem);
  return value;
}

export function requiredString(o: JsonObject, field: string, rule: StringRule): string {
  return checkString(o[field], field, rule, false);
}

/** undefined when absent, null when null (if `nullable`), else a string that passes the rule. */
export function optionalString(o: JsonObject, field: string, rule: StringRule & { nullable?: boolean }): string | null | undefined {
  const value = o[field];
  if (value === undefined) return undefined;
  if (value === null && rule.nullable) return null;
  return checkString(value, field, rule, rule.nullable === true);
}

export function optionalNumber(o: JsonObject, field: string, min: number, max: number): number | undefined {
  const value = o[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(field, `must be a number from ${min} to ${max}`);
  }
  return value;
}

/** A query parameter that must be an integer in [min, max]; `fallback` when absent. */
export function queryInt(value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const problem = `must be an integer from ${min} to ${max}`;
  if (typeof value !== 'string' || !/^[0-9]{1,9}$/.test(value)) throw invalid(field, problem);
  const n = Number(value);
  if (n < min || n > max) throw invalid(field, problem);
  return n;
}

/** `?limit=1..500` (default 50) and `?offset=0..` of a list or search. */
export function pageQuery(query: Record<string, unknown>): { limit: number; offset: number } {
  return {
    limit: queryInt(query.limit, 'limit', 1, 500, 50),
    offset: queryInt(query.offset, 'offset', 0, 100_000_000, 0),
  };
}

/**
 * Paging for a list that comes back whole when unpaged (a small list a picker needs in full): with
 * `?limit=` or `?offset=` a page (`pageQuery`: limit 1..500, default 50); with neither, undefined.
 */
export function optionalPageQuery(query: Record<string, unknown>): { limit: number; offset: number } | undefined {
  return query.limit === undefined && query.offset === undefined ? undefined : pageQuery(query);
}

/** `{ items, total }` of a whole list: one page of it when `page` is given, `total` every match. */
export function pageOf<T>(items: readonly T[], page: { limit: number; offset: number } | undefined): { items: T[]; total: number } {
  return { items: page ? items.slice(page.offset, page.offset + page.limit) : [...items], total: items.length };
}

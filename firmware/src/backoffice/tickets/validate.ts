/** Input checks of the tickets area: every failure is VALIDATION_FAILED naming the field. */
import { CallboxError } from '../../errors.js';
import type { TicketLinkKind, TicketPriority, TicketSource, TicketStatus } from './types.js';

export const LIMITS = {
  subject: 200,
  description: 10_000,
  note: 5000,
  name: 64,
  id: 64,
  query: 200,
  slaHours: 24 * 365,
} as const;

export const STATUSES: readonly TicketStatus[] = ['new', 'assigned', 'in_progress', 'waiting_customer', 'resolved', 'closed'];
export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'assigned', 'in_progress', 'waiting_customer'];
export const PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
export const SOURCES: readonly TicketSource[] = ['call', 'voicemail', 'missed_call', 'sms', 'manual', 'survey'];
export const LINK_KINDS: readonly TicketLinkKind[] = ['call', 'recording', 'voicemail', 'order', 'sms'];

export function invalid(field: string, problem: string): CallboxError {
  return new CallboxError('VALIDATION_FAILED', `${field} ${problem}`, { field });
}

export function notFound(what: string, id: string): CallboxError {
  return new CallboxError('NOT_FOUND', `no ${what} ${JSON.stringify(id)}`);
}

/** A trimmed string of min..max characters. */
export function text(value: unknown, field: string, max: number, min = 1): string {
  if (typeof value !== 'string' || value.trim().length < min || value.length > max) {
    throw invalid(field, `must be a string of ${min}..${max} characters`);
  }
  return value.trim();
}

/** null for undefined/null/blank, else text. */
export function optionalText(value: unknown, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && value.trim() === '') return null;
  return text(value, field, max);
}

export function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw invalid(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

export function int(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalid(field, 'must be true or false');
  return value;
}

export function version(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return int(value, 'version', 1, Number.MAX_SAFE_INTEGER);
}

export function object(value: unknown, field = 'body'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(field, 'must be an object');
  return value as Record<string, unknown>;
}

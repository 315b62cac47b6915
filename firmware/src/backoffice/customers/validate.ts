/**
 * Checks of customer input (the service API is reached by HTTP, MQTT and other areas alike): every
 * failure is VALIDATION_FAILED naming the field. Limits: name ≤ 100, notes ≤ 4000, ≤ 10 phones
 * with labels ≤ 32, ≤ 20 tags of 1..32 characters without , ; (they are joined by ; in CSV).
 */
import { CallboxError } from '../../errors.js';
import { normalizePhone } from '../common/phone.js';
import type { Consent, CustomerInput } from './types.js';

export const MAX_NAME = 100;
export const MAX_NOTES = 4000;
export const MAX_PHONES = 10;
export const MAX_LABEL = 32;
export const MAX_TAGS = 20;
export const MAX_TAG = 32;
const CONSENT_KEYS = ['recording', 'marketing', 'sms'] as const;

export function invalid(field: string, problem: string): CallboxError {
  return new CallboxError('VALIDATION_FAILED', `${field} ${problem}`, { field });
}

/** The input, checked and normalized: the fields present only. */
export interface CleanInput {
  name?: string | null;
  phones?: Array<{ phone: string; label: string | null }>;
  tags?: string[];
  notes?: string;
  consent?: Consent;
  doNotCall?: boolean;
  version?: number;
}

export function cleanName(v: unknown): string | null {
  if (v === null) return null;
  if (typeof v !== 'string') throw invalid('name', `must be a string of at most ${MAX_NAME} characters, or null`);
  const s = v.trim();
  if (s.length > MAX_NAME) throw invalid('name', `must be a string of at most ${MAX_NAME} characters, or null`);
  return s === '' ? null : s;
}

export function cleanPhones(v: unknown): Array<{ phone: string; label: string | null }> {
  if (!Array.isArray(v) || v.length > MAX_PHONES) throw invalid('phones', `must be a list of at most ${MAX_PHONES} phone numbers`);
  return v.map((p, i) => {
    if (typeof p === 'string') return { phone: normalizePhone(p, 'phones'), label: null };
    if (typeof p !== 'object' || p === null || Array.isArray(p)) throw invalid('phones', `[${i}] must be a number or { phone, label }`);
    const o = p as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (k !== 'phone' && k !== 'label') throw invalid('phones', `[${i}].${k} is not a known field (phone, label)`);
    if (typeof o.phone !== 'string') throw invalid('phones', `[${i}].phone must be a string`);
    const label = o.label ?? null;
    if (label !== null && (typeof label !== 'string' || label.trim().length > MAX_LABEL)) {
      throw invalid('phones', `[${i}].label must be a string of at most ${MAX_LABEL} characters, or null`);
    }
    return { phone: normalizePhone(o.phone, 'phones'), label: label === null || label.trim() === '' ? null : label.trim() };
  });
}

export function cleanTags(v: unknown): string[] {
  if (!Array.isArray(v) || v.length > MAX_TAGS) throw invalid('tags', `must be a list of at most ${MAX_TAGS} tags`);
  const out: string[] = [];
  for (const t of v) {
    if (typeof t !== 'string' || t.trim() === '' || t.trim().length > MAX_TAG || /[,;，；]/.test(t)) {
      throw invalid('tags', `must hold tags of 1..${MAX_TAG} characters without commas or semicolons`);
    }
    const tag = t.trim();
    if (!out.some((x) => x.toLowerCase() === tag.toLowerCase())) out.push(tag);
  }
  return out;
}

export function cleanConsent(v: unknown): Consent {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw invalid('consent', 'must be an object { recording?, marketing?, sms? }');
  const out: Consent = {};
  for (const [k, val] of Object.entries(v)) {
    if (!(CONSENT_KEYS as readonly string[]).includes(k))
      throw invalid('consent', `.${k} is not a known consent (${CONSENT_KEYS.join(', ')})`);
    if (typeof val !== 'boolean') throw invalid('consent', `.${k} must be true or false`);
    out[k as (typeof CONSENT_KEYS)[number]] = val;
  }
  return out;
}

export function cleanInput(input: CustomerInput & { version?: number }): CleanInput {
  if (typeof input !== 'object' || input === null) throw invalid('body', 'must be an object');
  const out: CleanInput = {};
  if (input.name !== undefined) out.name = cleanName(input.name);
  if (input.phones !== undefined) out.phones = cleanPhones(input.phones);
  if (input.tags !== undefined) out.tags = cleanTags(input.tags);
  if (input.notes !== undefined) {
    if (typeof input.notes !== 'string' || input.notes.length > MAX_NOTES)
      throw invalid('notes', `must be a string of at most ${MAX_NOTES} characters`);
    out.notes = input.notes;
  }
  if (input.consent !== undefined) out.consent = cleanConsent(input.consent);
  if (input.doNotCall !== undefined) {
    if (typeof input.doNotCall !== 'boolean') throw invalid('doNotCall', 'must be true or false');
    out.doNotCall = input.doNotCall;
  }
  if (input.version !== undefined) {
    if (!Number.isInteger(input.version) || input.version < 1) throw invalid('version', 'must be an integer ≥ 1');
    out.version = input.version;
  }
  return out;
}

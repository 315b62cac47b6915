/**
 * The JSON bodies carried in frames, and the protocol version negotiation. Every request is
 * `{op, args}`; every response a JSON object; every error `{code, message, details?}`.
 */

/** Protocol versions this code speaks, best first. `hello` picks the highest both sides know. */
export const PROTOCOL_VERSIONS = [1] as const;

export interface RequestBody {
  op: string;
  args?: Record<string, unknown>;
}

export interface ErrorBody {
  code: ProvisionErrorCode;
  message: string;
  details?: unknown;
}

/** Error codes on the wire (docs/provisioning.md, "Errors"). */
export type ProvisionErrorCode =
  | 'BAD_REQUEST'
  | 'UNKNOWN_OP'
  | 'VERSION'
  | 'AUTH_REQUIRED'
  | 'AUTH_FAILED'
  | 'RATE_LIMITED'
  | 'VALIDATION_FAILED'
  | 'CONFIG_INVALID'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INTEGRITY'
  | 'BUSY'
  | 'INTERNAL';

export class ProvisionError extends Error {
  constructor(
    readonly code: ProvisionErrorCode | 'TIMEOUT' | 'DISCONNECTED' | 'PORT',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ProvisionError';
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

export function jsonBytes(value: unknown): Uint8Array {
  return enc.encode(JSON.stringify(value));
}

/** Parse a JSON object payload; null for anything else (bad UTF-8, bad JSON, not an object). */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(dec.decode(bytes));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A request body, or null when `v` is not `{op: string, args?: object}`. */
export function asRequest(v: Record<string, unknown> | null): RequestBody | null {
  if (!v || typeof v.op !== 'string' || v.op.length === 0 || v.op.length > 64) return null;
  const args = v.args;
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) return null;
  return args === undefined ? { op: v.op } : { op: v.op, args: args as Record<string, unknown> };
}

/** The highest version both lists contain, or null. */
export function negotiateVersion(offered: unknown, ours: readonly number[] = PROTOCOL_VERSIONS): number | null {
  if (!Array.isArray(offered)) return null;
  const theirs = new Set(offered.filter((v): v is number => Number.isInteger(v)));
  for (const v of [...ours].sort((a, b) => b - a)) if (theirs.has(v)) return v;
  return null;
}

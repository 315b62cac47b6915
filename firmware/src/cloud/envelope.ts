/**
 * Command replies: `{requestId, ok:true, result}` or `{requestId, ok:false, error:{code, message}}`
 * with the stable CallboxError codes (firmware/src/errors.ts). Also the JSON decoding of every
 * message the box receives: size-limited, UTF-8, an object at the top.
 */
import { CallboxError, type ErrorCode, isCallboxError } from '../errors.js';

/** Incoming messages above this are refused (PAYLOAD_TOO_LARGE) without being parsed. */
export const MAX_INBOUND_BYTES = 256 * 1024;

export type Envelope =
  | { requestId: string | null; ok: true; result: unknown }
  | { requestId: string | null; ok: false; error: { code: ErrorCode; message: string } };

export function okEnvelope(requestId: string | null, result: unknown): Envelope {
  return { requestId, ok: true, result };
}

export function errorEnvelope(requestId: string | null, err: unknown): Envelope {
  if (isCallboxError(err)) return { requestId, ok: false, error: { code: err.code, message: err.message } };
  const message = err instanceof Error ? err.message : String(err);
  return { requestId, ok: false, error: { code: 'INTERNAL', message } };
}

/** Decode a payload as a JSON object, or throw a CallboxError naming what is wrong. */
export function decodeObject(payload: Buffer, what: string): Record<string, unknown> {
  if (payload.length > MAX_INBOUND_BYTES) {
    throw new CallboxError('PAYLOAD_TOO_LARGE', `${what}: ${payload.length} bytes, at most ${MAX_INBOUND_BYTES}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch (e) {
    throw new CallboxError('BAD_REQUEST', `${what}: not UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CallboxError('BAD_REQUEST', `${what}: the payload must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

export function encode(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

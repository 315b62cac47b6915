/**
 * Reads a JSON request body into `ctx.state.body` (undefined when the request has none).
 * - Content-Type must be application/json (or *+json), charset utf-8 if given → else 415;
 * - more than `limit` bytes (declared or received) → 413 PAYLOAD_TOO_LARGE;
 * - JSON that does not parse → 400 BAD_REQUEST naming the problem.
 * Mount it on the routes that take a body, after auth (unauthenticated bodies are never read).
 */
import type { IncomingMessage } from 'node:http';
import { CallboxError } from '../../../firmware/src/errors.js';
import type { AppContext, AppMiddleware } from '../state.js';

export const DEFAULT_JSON_LIMIT = 64 * 1024;

export interface JsonBodyOptions {
  /** Largest body accepted, in bytes. Default 64 KiB. */
  limit?: number;
}

function tooLarge(limit: number): CallboxError {
  return new CallboxError('PAYLOAD_TOO_LARGE', `request body is larger than ${limit} bytes`, { limit });
}

function checkHeaders(ctx: AppContext, limit: number): void {
  const encoding = ctx.get('Content-Encoding').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    throw new CallboxError('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding "${encoding}" is not supported`);
  }
  if (!ctx.request.is('application/json', '+json')) {
    const got = ctx.get('Content-Type') || 'none';
    throw new CallboxError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json (got ${got})`);
  }
  const charset = ctx.request.charset.toLowerCase();
  if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') {
    throw new CallboxError('UNSUPPORTED_MEDIA_TYPE', `charset must be utf-8 (got ${charset})`);
  }
  const declared = ctx.get('Content-Length');
  if (declared !== '' && Number(declared) > limit) throw tooLarge(limit);
}

/** Collects the raw body; stops collecting (and lets Node discard the rest) past the limit. */
function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup(); // the stream keeps flowing with no listener: the rest is discarded
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new CallboxError('BAD_REQUEST', `request body could not be read: ${err.message}`));
    };
    const onAborted = (): void => onError(new Error('client aborted the request'));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('aborted', onAborted);
  });
}

export async function readJsonBody(ctx: AppContext, limit = DEFAULT_JSON_LIMIT): Promise<unknown> {
  const hasBody = ctx.get('Transfer-Encoding') !== '' || (ctx.get('Content-Length') || '0') !== '0';
  if (!hasBody) return undefined;
  checkHeaders(ctx, limit);
  const raw = await readRaw(ctx.req, limit);
  if (raw.length === 0) return undefined;
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new CallboxError('BAD_REQUEST', `request body is not valid JSON: ${why}`);
  }
}

export function jsonBody(opts: JsonBodyOptions = {}): AppMiddleware {
  const limit = opts.limit ?? DEFAULT_JSON_LIMIT;
  return async (ctx, next) => {
    ctx.state.body = await readJsonBody(ctx, limit);
    await next();
  };
}

/**
 * Turns every failure into JSON `{ error: { code, message, details? } }`:
 * - CallboxError → their status and code, message as written (they are meant for clients);
 * - a 4xx error marked `expose` (Koa's ctx.throw, http-errors) → its status, a code from the status;
 * - anything else → 500 INTERNAL with a generic message; the real error is only logged.
 * Also gives JSON bodies to the empty answers of routing: unknown /api routes (404 NOT_FOUND),
 * wrong method (405 METHOD_NOT_ALLOWED, router's Allow header kept), unknown method (501).
 */
import type { Logger } from 'pino';
import { isCallboxError } from '../../../firmware/src/errors.js';
import type { AppContext, AppMiddleware } from '../state.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

interface Described {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  /** An unexpected error: log it in full, tell the client nothing. */
  internal: boolean;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

export const WWW_AUTHENTICATE = 'Bearer realm="callbox"';

export function describeError(err: unknown): Described {
  if (isCallboxError(err)) {
    const d: Described = { status: err.status, code: err.code, message: err.message, internal: false };
    if (err.details !== undefined) d.details = err.details;
    return d;
  }
  if (typeof err === 'object' && err !== null) {
    const e = err as { status?: unknown; expose?: unknown; message?: unknown };
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true) {
      const message = typeof e.message === 'string' ? e.message : 'bad request';
      return { status: e.status, code: CODE_BY_STATUS[e.status] ?? 'BAD_REQUEST', message, internal: false };
    }
  }
  return { status: 500, code: 'INTERNAL', message: 'internal server error', internal: true };
}

function send(ctx: AppContext, d: Described): void {
  const error: ErrorBody['error'] = { code: d.code, message: d.message };
  if (d.details !== undefined) error.details = d.details;
  const body: ErrorBody = { error };
  ctx.body = body;
  ctx.status = d.status; // after the body: setting a body resets an implicit status to 200
  if (d.status === 401 && !ctx.response.get('WWW-Authenticate')) ctx.set('WWW-Authenticate', WWW_AUTHENTICATE);
}

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/** Empty answers left by routing, given a JSON body. */
function fillEmptyAnswer(ctx: AppContext): void {
  if (ctx.body !== undefined && ctx.body !== null) return;
  const what = `${ctx.method} ${ctx.path}`;
  if (ctx.status === 404 && isApiPath(ctx.path)) {
    send(ctx, { status: 404, code: 'NOT_FOUND', message: `no such endpoint: ${what}`, internal: false });
  } else if (ctx.status === 405) {
    const allow = ctx.response.get('Allow');
    const message = `method ${ctx.method} is not allowed on ${ctx.path}`;
    send(ctx, { status: 405, code: 'METHOD_NOT_ALLOWED', message, details: { allow }, internal: false });
  } else if (ctx.status === 501) {
    const message = `method ${ctx.method} is not implemented`;
    send(ctx, { status: 501, code: 'NOT_IMPLEMENTED', message, internal: false });
  }
}

export function errorHandler(log: Logger): AppMiddleware {
  return async (ctx, next) => {
    try {
      await next();
      fillEmptyAnswer(ctx);
    } catch (err) {
      const d = describeError(err);
      const where = { method: ctx.method, path: ctx.path, status: d.status };
      if (d.internal || d.status >= 500) log.error({ ...where, err }, 'http request failed');
      else log.debug({ ...where, code: d.code }, 'http request rejected');
      if (ctx.headerSent || !ctx.writable) return; // too late to answer; the connection will end
      send(ctx, d);
    }
  };
}

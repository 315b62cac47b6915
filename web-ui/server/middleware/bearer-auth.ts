/**
 * Auth of every API route: `Authorization: Bearer <token>` → `service.auth.verify(token)` →
 * ctx.state.principal (and ctx.state.token). Without the header, a browser's session cookie
 * (auth/session.ts) is accepted instead; then every state-changing request must carry the CSRF
 * token (`X-CSRF-Token`, else 403 FORBIDDEN `details.reason: "csrf"`). Bearer clients carry no
 * ambient credential and need none. Missing, malformed or invalid → 401 UNAUTHORIZED with a
 * `WWW-Authenticate: Bearer ...` challenge (RFC 6750).
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import type { BoxService, Principal } from '../../../firmware/src/service/types.js';
import { CSRF_HEADER, csrfMatches, SAFE_METHODS, sessionCookie } from '../auth/session.js';
import type { AppContext, AppMiddleware } from '../state.js';
import { WWW_AUTHENTICATE } from './error-handler.js';

/** Longer "tokens" are rejected before they reach the service. */
const MAX_TOKEN_LENGTH = 4096;
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function unauthorized(ctx: AppContext, message: string, error?: 'invalid_request' | 'invalid_token'): CallboxError {
  ctx.set('WWW-Authenticate', error ? `${WWW_AUTHENTICATE}, error="${error}"` : WWW_AUTHENTICATE);
  return new CallboxError('UNAUTHORIZED', message);
}

/** Checks the request's bearer token; sets ctx.state.principal/token or throws 401. */
export function authenticate(ctx: AppContext, service: BoxService): Principal {
  const header = ctx.get('Authorization');
  if (header === '') return sessionAuth(ctx, service);
  const match = BEARER.exec(header);
  const token = match?.[1];
  if (token === undefined || token.length > MAX_TOKEN_LENGTH) {
    throw unauthorized(ctx, 'the Authorization header must be "Bearer <token>"', 'invalid_request');
  }
  const principal = service.auth.verify(token);
  if (principal === null) throw unauthorized(ctx, 'the bearer token is invalid or expired', 'invalid_token');
  ctx.state.principal = principal;
  ctx.state.token = token;
  ctx.state.via = 'bearer';
  return principal;
}

function sessionAuth(ctx: AppContext, service: BoxService): Principal {
  const token = sessionCookie(ctx);
  if (token === undefined) throw unauthorized(ctx, 'a bearer token is required (Authorization: Bearer <token>), or a signed-in session');
  const principal = service.auth.verify(token, 'session');
  if (principal === null) throw unauthorized(ctx, 'the session has ended; sign in again', 'invalid_token');
  if (!SAFE_METHODS.has(ctx.method) && !csrfMatches(token, ctx.get(CSRF_HEADER))) {
    throw new CallboxError('FORBIDDEN', `a ${ctx.method} with the session cookie needs the ${CSRF_HEADER} header`, { reason: 'csrf' });
  }
  ctx.state.principal = principal;
  ctx.state.token = token;
  ctx.state.via = 'session';
  return principal;
}

export function bearerAuth(service: BoxService): AppMiddleware {
  return async (ctx, next) => {
    authenticate(ctx, service);
    await next();
  };
}

/** The principal set by bearerAuth; a route without bearerAuth in front of it is a bug. */
export function principalOf(ctx: AppContext): Principal {
  const p = ctx.state.principal;
  if (p === undefined) throw new Error('route needs bearerAuth before it');
  return p;
}

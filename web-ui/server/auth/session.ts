/**
 * Browser sessions: the session token travels in an HttpOnly, SameSite=Strict cookie (Secure on
 * TLS); state-changing requests made with it must carry the CSRF token in `X-CSRF-Token`. The CSRF
 * token is an HMAC of the session token (a synchronizer token needing no storage): a page of
 * another site cannot read the cookie, so cannot compute it; the app gets it from the login answer
 * and from GET /api/v1/auth/session.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../state.js';

export const SESSION_COOKIE = 'callbox_session';
export const CSRF_HEADER = 'X-CSRF-Token';
/** Methods that change nothing: no CSRF token needed. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('callbox csrf v1').digest('base64url');
}

export function csrfMatches(sessionToken: string, given: string): boolean {
  const want = Buffer.from(csrfTokenFor(sessionToken));
  const got = Buffer.from(given);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** The session token from the request's cookie, or undefined. */
export function sessionCookie(ctx: AppContext): string | undefined {
  const header = ctx.get('Cookie');
  if (header === '') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,256}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

function cookie(ctx: AppContext, value: string, maxAgeS: number): string {
  const attrs = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeS}`];
  if (ctx.secure) attrs.push('Secure');
  return attrs.join('; ');
}

export function setSessionCookie(ctx: AppContext, token: string, expiresAt: string): void {
  const maxAgeS = Math.max(0, Math.floor((Date.parse(expiresAt) - Date.now()) / 1000));
  ctx.append('Set-Cookie', cookie(ctx, token, maxAgeS));
}

export function clearSessionCookie(ctx: AppContext): void {
  ctx.append('Set-Cookie', cookie(ctx, '', 0));
}

/**
 * Security headers on every response (set before the request runs, so errors carry them too).
 * The CSP allows only same-origin resources: no inline scripts, no eval, no framing.
 */
import { HSTS } from '../https.js';
import type { AppMiddleware } from '../state.js';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "base-uri 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

export function securityHeaders(): AppMiddleware {
  return async (ctx, next) => {
    ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    // HSTS only over TLS: on plain HTTP it would be meaningless (and is ignored, RFC 6797 §7.2)
    if (ctx.secure) ctx.set('Strict-Transport-Security', HSTS);
    // API answers carry tokens and live data: never cache them.
    if (ctx.path === '/api' || ctx.path.startsWith('/api/')) ctx.set('Cache-Control', 'no-store');
    await next();
  };
}

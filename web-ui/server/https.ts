/**
 * HTTPS beside plain HTTP: what the rest of the server knows about it (port, certificate
 * fingerprint, whether the owner turned the redirect on), and the HTTP → HTTPS redirect. The
 * redirect never applies to loopback clients (local API clients, scripts, the box's own tools keep
 * plain HTTP) and is off unless turned on.
 */
import { isIP } from 'node:net';
import type { AppMiddleware } from './state.js';

export interface HttpsInfo {
  /** The HTTPS port (the real one once listening). */
  port: number;
  /** SHA-256 fingerprint of the box's certificate, "AB:CD:…". */
  fingerprint256: string;
  /** Plain-HTTP requests from other machines are redirected to HTTPS. */
  redirect: boolean;
}

/** A one-year HSTS, sent on HTTPS answers only (never on plain HTTP: RFC 6797 §7.2). */
export const HSTS = 'max-age=31536000';

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || (isIP(a) === 4 && a.startsWith('127.'));
}

const HOST = /^(?:[A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}$|^\[[0-9A-Fa-f:.]+\]$/;

/** 308 (method and body kept) to the same path on the HTTPS port, for non-loopback plain-HTTP requests. */
export function httpsRedirect(info: () => HttpsInfo | null): AppMiddleware {
  return async (ctx, next) => {
    const https = info();
    if (!https?.redirect || ctx.secure || isLoopback(ctx.req.socket.remoteAddress)) return next();
    const asked = ctx.hostname;
    const local = ctx.req.socket.localAddress ?? '127.0.0.1';
    const host = HOST.test(asked) ? asked : isIP(local) === 6 ? `[${local}]` : local;
    ctx.status = 308;
    ctx.redirect(`https://${host}:${https.port}${ctx.originalUrl}`);
    ctx.status = 308;
  };
}

/**
 * Static files of the browser app from one folder: GET/HEAD only, no directory listing, no path
 * escapes, `/` serves index.html. Caching: names with a content hash (`app-3F2A9C1B.js`, built by
 * scripts/build-app.mjs) are `immutable` for a year; everything else (index.html) is `no-cache`
 * with an ETag. Compression: brotli or gzip by Accept-Encoding (compressed once, kept in memory),
 * with `Vary: Accept-Encoding`. Unknown paths that look like app pages (no extension) get
 * index.html, so a reload of a page of the app works.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type Koa from 'koa';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.map']);
/** `name-HASH.ext` with an 8+ character upper-case hash (esbuild's [hash]). */
const HASHED = /-[A-Z0-9]{8,}\.[a-z0-9]+$/;
const MIN_COMPRESS = 512;
/** Paths the app routes itself (a reload there serves the app). */
export const APP_PAGES: ReadonlySet<string> = new Set([
  'login',
  'wallboard',
  'console',
  'users',
  'account',
  'reports',
  'products',
  'orders',
  'sales',
  'ads',
  'shifts',
  'followups',
  'calls',
  'customers',
  'tickets',
  'kb',
  'setup',
  'sms',
  'qa',
]);

interface CachedFile {
  body: Buffer;
  br: Buffer | null;
  gzip: Buffer | null;
  etag: string;
}

/** br, else gzip, when the client takes it (q > 0). */
export function encodingFor(accept: string): 'br' | 'gzip' | null {
  const ok = new Set<string>();
  for (const part of accept.toLowerCase().split(',')) {
    const [name = '', ...params] = part.split(';').map((x) => x.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) ok.add(name);
  }
  if (ok.has('br')) return 'br';
  if (ok.has('gzip')) return 'gzip';
  return null;
}

export function staticFiles(dir: string): Koa.Middleware {
  const root = normalize(dir + sep);
  const cache = new Map<string, CachedFile>();

  async function load(full: string): Promise<CachedFile | null> {
    const hit = cache.get(full);
    if (hit) return hit;
    let body: Buffer;
    try {
      body = await readFile(full);
    } catch {
      return null;
    }
    const small = body.length < MIN_COMPRESS || !COMPRESSIBLE.has(extname(full));
    const file: CachedFile = {
      body,
      br: small ? null : brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }),
      gzip: small ? null : gzipSync(body, { level: 9 }),
      etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`,
    };
    cache.set(full, file);
    return file;
  }

  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path === '/api' || ctx.path.startsWith('/api/')) return next();
    let rel = ctx.path === '/' ? 'index.html' : ctx.path.slice(1);
    // App pages (/wallboard, /console …) and their records (/orders/<id>, no extension) are the app itself.
    const [first = '', ...more] = rel.split('/');
    if (APP_PAGES.has(first) && (more.length === 0 || !extname(rel))) rel = 'index.html';
    const type = TYPES[extname(rel)];
    const full = normalize(join(root, rel));
    if (!type || !full.startsWith(root) || rel.includes('\0')) return next();
    const file = await load(full);
    if (!file) return next();
    ctx.set('ETag', file.etag);
    ctx.set('Cache-Control', HASHED.test(rel) ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.set('Vary', 'Accept-Encoding');
    ctx.type = type;
    if (ctx.get('If-None-Match') === file.etag) {
      ctx.status = 304;
      return;
    }
    const enc = encodingFor(ctx.get('Accept-Encoding'));
    const packed = enc === 'br' ? file.br : enc === 'gzip' ? file.gzip : null;
    if (enc && packed) ctx.set('Content-Encoding', enc);
    ctx.body = packed && enc ? packed : file.body;
  };
}

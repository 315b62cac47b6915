/**
 * Static files of the browser app from one folder: GET/HEAD only, no directory listing, no path
 * escapes, `/` serves index.html, ETag + Cache-Control (assets revalidate; a later bundler adds
 * hashed names and long max-age).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type Koa from 'koa';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

export function staticFiles(dir: string): Koa.Middleware {
  const root = normalize(dir + sep);
  const cache = new Map<string, { body: Buffer; etag: string }>();
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path.startsWith('/api/')) return next();
    const rel = ctx.path === '/' ? 'index.html' : ctx.path.slice(1);
    const type = TYPES[extname(rel)];
    const full = normalize(join(root, rel));
    if (!type || !full.startsWith(root) || rel.includes('\0')) return next();
    let file = cache.get(full);
    if (!file) {
      let body: Buffer;
      try {
        body = await readFile(full);
      } catch {
        return next();
      }
      file = { body, etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"` };
      cache.set(full, file);
    }
    ctx.set('ETag', file.etag);
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = type;
    if (ctx.get('If-None-Match') === file.etag) {
      ctx.status = 304;
      return;
    }
    ctx.body = file.body;
  };
}

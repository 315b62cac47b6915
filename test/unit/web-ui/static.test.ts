// Static assets: hashed names immutable, index.html no-cache with ETag/304, brotli/gzip by
// Accept-Encoding with Vary, app pages served by index.html, no path escapes, strict CSP.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import t from 'tap';
import { encodingFor } from '../../../web-ui/server/static.js';
import { startSessionServer } from './fixtures/session-server.js';

t.test('caching, compression and app pages', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-static-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'assets'));
  const js = `console.log(${JSON.stringify('呼叫中心 '.repeat(200))});\n`;
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>callbox</title><script src="/assets/app-ABCD1234.js"></script>');
  writeFileSync(join(dir, 'assets', 'app-ABCD1234.js'), js);
  const s = await startSessionServer(t, { staticDir: dir });

  const index = await fetch(s.url('/'));
  t.equal(index.status, 200);
  t.equal(index.headers.get('cache-control'), 'no-cache');
  t.match(index.headers.get('content-security-policy'), /default-src 'self'/);
  t.notMatch(index.headers.get('content-security-policy'), /unsafe-inline|unsafe-eval/);
  const etag = index.headers.get('etag') ?? '';
  t.equal((await fetch(s.url('/'), { headers: { 'if-none-match': etag } })).status, 304);
  for (const page of ['/wallboard', '/console', '/login', '/reports', '/orders', '/orders/01JDZ0000000000000000000AB', '/followups']) {
    const res = await fetch(s.url(page));
    t.equal(res.status, 200, page);
    t.match(await res.text(), /<title>callbox/);
  }
  t.equal((await fetch(s.url('/nope'))).status, 404, 'other paths are not the app');
  t.equal((await fetch(s.url('/orders/x.js'))).status, 404, 'a file name under a page is not the app');
  t.equal((await fetch(s.url('/%2e%2e/%2e%2e/etc/passwd'))).status, 404);

  const raw = await fetch(s.url('/assets/app-ABCD1234.js'), { headers: { 'accept-encoding': 'identity' } });
  t.equal(raw.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  t.equal(raw.headers.get('vary'), 'Accept-Encoding');
  t.equal(raw.headers.get('content-encoding'), null);
  t.equal(await raw.text(), js);

  // node's fetch decodes br/gzip itself; read the raw bytes through node:http instead
  const { request } = await import('node:http');
  const get = (enc: string): Promise<{ enc: string | undefined; body: Buffer }> =>
    new Promise((resolve, reject) => {
      request(s.url('/assets/app-ABCD1234.js'), { headers: { 'accept-encoding': enc } }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ enc: res.headers['content-encoding'], body: Buffer.concat(parts) }));
      })
        .on('error', reject)
        .end();
    });
  const br = await get('gzip, deflate, br');
  t.equal(br.enc, 'br');
  t.ok(br.body.length < Buffer.byteLength(js) / 3, 'compressed');
  t.equal(brotliDecompressSync(br.body).toString(), js);
  const gz = await get('gzip');
  t.equal(gz.enc, 'gzip');
  t.equal(gunzipSync(gz.body).toString(), js);
});

t.test('Accept-Encoding parsing honours q=0', (t) => {
  t.equal(encodingFor('br;q=0, gzip'), 'gzip');
  t.equal(encodingFor('gzip;q=0.5'), 'gzip');
  t.equal(encodingFor('identity'), null);
  t.equal(encodingFor(''), null);
  t.end();
});

import type Koa from 'koa';
import { pino } from 'pino';
import t from 'tap';
import { CallboxError } from '../../../firmware/src/errors.js';
import { createApp, startHttpServer } from '../../../web-ui/server/app.js';
import { FakeService } from './fixtures/fake-service.js';
import { errorOf, startTestServer } from './fixtures/helpers.js';

t.test('createApp returns a Koa app; startHttpServer on port 0 reports the real port', async (t) => {
  const log = pino({ level: 'silent' });
  const app: Koa = createApp({ service: new FakeService(), log });
  t.type(app.callback(), 'function');
  const h = await startHttpServer({ service: new FakeService(), log, port: 0 });
  t.ok(h.port > 0, 'real port');
  t.equal(h.server.address() && typeof h.server.address() === 'object' ? 'object' : 'none', 'object');
  const res = await fetch(`http://127.0.0.1:${h.port}/healthz`); // keep-alive connection stays open
  t.equal(res.status, 200);
  await res.arrayBuffer();
  const started = Date.now();
  await h.close();
  t.ok(Date.now() - started < 900, 'close() does not wait for the keep-alive timeout');
  t.equal(h.server.listening, false);
  await h.close(); // idempotent
});

t.test('healthz: 200 with the health shape, also when degraded, no auth', async (t) => {
  const s = await startTestServer(t);
  let res = await s.call('/healthz');
  t.equal(res.status, 200);
  t.match(res.headers.get('content-type'), /^application\/json/);
  const body = (await res.json()) as Record<string, unknown>;
  t.match(body, { status: 'ok', version: '0.1.0-test', uptimeS: Number, channels: Array, modules: Array });
  t.match(body.channels, [{ id: 'fxo1', kind: 'fxo', state: 'idle' }]);
  s.fake.status = 'degraded';
  res = await s.call('/healthz');
  t.equal(res.status, 200);
  t.match(await res.json(), { status: 'degraded', modules: [{ name: 'acd', state: 'failed' }] });
});

t.test('security headers on success, errors and non-API 404s', async (t) => {
  const s = await startTestServer(t);
  for (const path of ['/healthz', '/api/v1/calls', '/nope', '/api/nope']) {
    const res = await s.call(path);
    await res.arrayBuffer();
    const csp = res.headers.get('content-security-policy') ?? '';
    t.match(csp, /(^|; )default-src 'self'(;|$)/, `${path} CSP`);
    t.notMatch(csp, /unsafe-inline|unsafe-eval/, `${path} no inline scripts`);
    t.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    t.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
    t.equal(res.headers.get('x-frame-options'), 'DENY', path);
  }
  const api = await s.call('/api/v1/calls');
  t.equal(api.headers.get('cache-control'), 'no-store');
});

t.test('unknown /api route → 404 NOT_FOUND JSON; wrong method → 405 METHOD_NOT_ALLOWED', async (t) => {
  const s = await startTestServer(t);
  let res = await s.call('/api/v1/nothing-here');
  t.equal(res.status, 404);
  t.match(res.headers.get('content-type'), /^application\/json/);
  t.match(await errorOf(res), { code: 'NOT_FOUND', message: /\/api\/v1\/nothing-here/ });

  res = await s.call('/api/v1/calls', { method: 'DELETE' });
  t.equal(res.status, 405);
  t.match(res.headers.get('allow'), /GET/);
  t.match(await errorOf(res), { code: 'METHOD_NOT_ALLOWED' });

  res = await s.call('/healthz', { method: 'POST' });
  t.equal(res.status, 405);
  t.match(await errorOf(res), { code: 'METHOD_NOT_ALLOWED' });

  res = await s.call('/api/v1/auth/token'); // GET on a POST route
  t.equal(res.status, 405);
  t.match(await errorOf(res), { code: 'METHOD_NOT_ALLOWED' });

  res = await s.call('/not-api');
  t.equal(res.status, 404);
});

t.test('CallboxError maps to its status and body; a plain Error gives a bare 500 and is logged', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();

  s.fake.calls.getThrows = new CallboxError('UNAVAILABLE', 'store is busy', { retryAfterS: 2 });
  let res = await s.call('/api/v1/calls/call-1', { token });
  t.equal(res.status, 503);
  t.same(await res.json(), { error: { code: 'UNAVAILABLE', message: 'store is busy', details: { retryAfterS: 2 } } });

  s.fake.calls.getThrows = new CallboxError('CONFLICT', 'busy elsewhere');
  res = await s.call('/api/v1/calls/call-1', { token });
  t.equal(res.status, 409);
  t.same(await res.json(), { error: { code: 'CONFLICT', message: 'busy elsewhere' } });

  s.fake.healthThrows = new Error('secret path /var/lib/callbox/db exploded');
  res = await s.call('/healthz');
  t.equal(res.status, 500);
  const text = await res.text();
  t.notMatch(text, /secret|exploded|var\/lib/, 'message not leaked');
  t.same(JSON.parse(text), { error: { code: 'INTERNAL', message: 'internal server error' } });
  const logged = s.logs.find((l) => l.level === 50 && l.path === '/healthz');
  t.ok(logged, 'error logged');
  t.match(logged, { path: '/healthz', err: { message: /exploded/ } });

  s.fake.healthThrows = 'a thrown string';
  res = await s.call('/healthz');
  t.equal(res.status, 500);
  t.match(await errorOf(res), { code: 'INTERNAL' });
});

t.test('requests are logged at debug level without headers', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  await (await s.call('/api/v1/me', { token })).arrayBuffer();
  const line = s.logs.find((l) => l.msg === 'http request' && l.path === '/api/v1/me');
  t.match(line, { level: 20, method: 'GET', status: 200, ms: Number });
  t.notMatch(JSON.stringify(s.logs), new RegExp(token), 'token never logged');
});

t.test('listening on a busy port rejects', async (t) => {
  const s = await startTestServer(t);
  const log = pino({ level: 'silent' });
  await t.rejects(startHttpServer({ service: s.fake, log, port: s.handle.port }), { code: 'EADDRINUSE' });
});

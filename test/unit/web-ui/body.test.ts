import t from 'tap';
import { OWNER } from './fixtures/fake-service.js';
import { errorOf, startTestServer } from './fixtures/helpers.js';

const TOKEN_PATH = '/api/v1/auth/token';

t.test('a body over 64 KiB → 413 PAYLOAD_TOO_LARGE (declared length)', async (t) => {
  const s = await startTestServer(t);
  const json = { username: 'owner', password: 'x'.repeat(70 * 1024) };
  const res = await s.call(TOKEN_PATH, { method: 'POST', json });
  t.equal(res.status, 413);
  t.match(await errorOf(res), { code: 'PAYLOAD_TOO_LARGE', details: { limit: 65536 } });
  const ok = await s.call(TOKEN_PATH, { method: 'POST', json: OWNER });
  t.equal(ok.status, 200, 'the server keeps serving');
  await ok.arrayBuffer();
});

t.test('a chunked body over the limit → 413 while streaming; a large one too', async (t) => {
  const s = await startTestServer(t, { jsonLimit: 1024 });
  for (const total of [4 * 1024, 4 * 1024 * 1024]) {
    const chunk = new TextEncoder().encode(`${'x'.repeat(1023)}\n`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(s.url(TOKEN_PATH), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    t.equal(res.status, 413, `${total} bytes`);
    t.match(await errorOf(res), { code: 'PAYLOAD_TOO_LARGE', details: { limit: 1024 } });
  }
  const res = await s.call(TOKEN_PATH, { method: 'POST', json: OWNER });
  t.equal(res.status, 200, 'small bodies still fine under a custom limit');
  await res.arrayBuffer();
});

t.test('broken JSON → 400 BAD_REQUEST naming the problem', async (t) => {
  const s = await startTestServer(t);
  for (const raw of ['{"username": "owner",', '{username: 1}', 'nope', ' ']) {
    const res = await fetch(s.url(TOKEN_PATH), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw,
    });
    t.equal(res.status, 400, JSON.stringify(raw));
    const err = await errorOf(res);
    t.equal(err.code, 'BAD_REQUEST');
    t.match(err.message, /^request body is not valid JSON: \S/);
  }
});

t.test('wrong content type or encoding → 415 UNSUPPORTED_MEDIA_TYPE', async (t) => {
  const s = await startTestServer(t);
  const body = JSON.stringify(OWNER);
  const cases: Record<string, string>[] = [
    { 'content-type': 'text/plain' },
    { 'content-type': 'application/x-www-form-urlencoded' },
    { 'content-type': 'application/json; charset=latin1' },
    { 'content-type': 'application/json', 'content-encoding': 'gzip' },
  ];
  for (const headers of cases) {
    const res = await fetch(s.url(TOKEN_PATH), { method: 'POST', headers, body });
    t.equal(res.status, 415, JSON.stringify(headers));
    t.match(await errorOf(res), { code: 'UNSUPPORTED_MEDIA_TYPE' });
  }
  for (const type of ['application/json; charset=utf-8', 'application/merge-patch+json']) {
    const res = await fetch(s.url(TOKEN_PATH), { method: 'POST', headers: { 'content-type': type }, body });
    t.equal(res.status, 200, type);
    await res.arrayBuffer();
  }
  const bom = await fetch(s.url(TOKEN_PATH), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `\uFEFF${body}`,
  });
  t.equal(bom.status, 200, 'a UTF-8 BOM is tolerated');
  await bom.arrayBuffer();
});

t.test('bodies of protected routes are not read before auth', async (t) => {
  const s = await startTestServer(t);
  const res = await fetch(s.url('/api/v1/sim/calls'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{broken',
  });
  t.equal(res.status, 401);
  t.match(await errorOf(res), { code: 'UNAUTHORIZED' });
});

// Security: path traversal and SQL injection attempts through the REST API (real app, FakeService
// with its real back office on an in-memory database). Recording and voicemail audio are looked up
// by id, never by a path built from the request: traversal ids get 404; prompt names in the config
// are refused by the schema. Search queries with SQL fragments find only what matches them as text
// and leave the tables as they were.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { defaultConfig } from '../../../firmware/src/config/schema.js';
import { validateConfig } from '../../../firmware/src/config/validate.js';
import { encodeWav16 } from '../../../hal/src/dsp/wav.js';
import { errorOf, startTestServer } from './fixtures/helpers.js';

const TRAVERSAL = [
  '../r1',
  '..%2Fr1',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  'r1%00',
  '....//r1',
  '..\\r1',
  '%252e%252e%252fr1',
  '/etc/passwd',
];
const SQL = [
  "' OR 1=1 --",
  "'; DROP TABLE customers; --",
  '" OR ""="',
  '%',
  '_',
  "张三' UNION SELECT * FROM users --",
  '*',
  '\\',
  'NEAR(a b)',
  '"unterminated',
];

t.test('path traversal: recordings and voicemail audio by id only; prompt names refused', async (t) => {
  const s = await startTestServer(t);
  const dir = mkdtempSync(join(tmpdir(), 'callbox-trav-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'r1.wav');
  writeFileSync(path, encodeWav16(new Int16Array(800), 8000));
  s.fake.recordings.items.set('r1', {
    info: {
      id: 'r1',
      callId: 'c1',
      queue: 'main',
      path: 'r1.wav',
      format: 'pcm16',
      channels: 1,
      startedAt: '2026-11-26T08:00:00.000Z',
      endedAt: '2026-11-26T08:00:00.100Z',
      durationMs: 100,
      bytes: 1644,
      state: 'complete',
      legalHold: false,
    },
    path,
  });
  const token = await s.login();
  t.equal((await s.call('/api/v1/recordings/r1/audio', { token })).status, 200, 'the real id plays (the test can fail)');
  for (const id of TRAVERSAL) {
    for (const route of [`/api/v1/recordings/${id}/audio`, `/api/v1/voicemail/${id}/audio`, `/api/v1/recordings/${id}`]) {
      const res = await s.call(route, { token });
      t.equal(res.status, 404, route);
      const text = await res.text();
      t.notMatch(text, /root:|RIFF/, `${route}: no file content`);
    }
  }
  for (const prompt of ['../../etc/passwd', '/etc/passwd', 'welcome/../../x', 'WELCOME', '.hidden', 'a'.repeat(65)]) {
    const c = defaultConfig();
    const menu = Object.values(c.ivr.menus)[0];
    if (menu) menu.prompt = prompt;
    const r = validateConfig(c);
    t.equal(r.ok, false, `prompt ${JSON.stringify(prompt.slice(0, 20))} refused`);
    if (!r.ok)
      t.ok(
        r.errors.some((e) => /\/ivr\/menus\/[^/]+\/prompt/.test(e.path)),
        'the error names the prompt field',
      );
  }
});

t.test('SQL injection attempts in searches: text matches only, tables intact', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  for (const [name, phone] of [
    ['王小明', '13812345678'],
    ['李四', '13900001111'],
    ["O'Brien", '13700002222'],
  ]) {
    const res = await s.call('/api/v1/customers', { method: 'POST', token, json: { name, phones: [phone] } });
    t.equal(res.status, 201, `customer ${name}`);
  }
  const t1 = await s.call('/api/v1/tickets', { method: 'POST', token, json: { subject: '退货申请' } });
  t.equal(t1.status, 201);
  const count = async (path: string) => {
    const res = await s.call(path, { token });
    const body = (await res.json()) as { items?: unknown[]; customers?: unknown[]; articles?: unknown[]; results?: unknown[] };
    return { status: res.status, n: (body.items ?? body.customers ?? body.articles ?? body.results ?? []).length };
  };
  const all = await count('/api/v1/customers?limit=100');
  t.equal(all.n, 3, 'three customers');
  t.equal((await count(`/api/v1/customers?q=${encodeURIComponent("O'Brien")}`)).n, 1, 'a quote in a name is found as text');
  for (const q of SQL) {
    for (const base of ['/api/v1/customers?q=', '/api/v1/tickets?q=', '/api/v1/kb/search?q=']) {
      const res = await s.call(`${base}${encodeURIComponent(q)}`, { token });
      t.ok(res.status === 200 || res.status === 400, `${base}${q}: ${res.status}`);
      if (res.status === 400) t.equal((await errorOf(res)).code, 'VALIDATION_FAILED');
      else {
        const body = (await res.json()) as { items?: unknown[]; customers?: unknown[] };
        const n = (body.items ?? body.customers ?? []).length;
        if (base.includes('customers')) t.ok(n <= 1, `${q}: no customer list dumped (${n})`);
      }
    }
  }
  t.equal((await count('/api/v1/customers?limit=100')).n, 3, 'the customers table is intact');
  t.equal((await count('/api/v1/tickets')).status, 200, 'the tickets table still answers');
});

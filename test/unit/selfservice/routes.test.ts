// REST of the self-service area over the real back office (in-memory database): CSV import (UTF-8
// with BOM and GBK), code look-up and checks, the check log and stats, the where-to-buy message;
// 400 / 403 / 404 / 415.
import t from 'tap';
import { encodeWav16 } from '../../../hal/src/dsp/wav.js';
import { errorOf, startTestServer } from '../web-ui/fixtures/helpers.js';

async function server(t: Parameters<typeof startTestServer>[0]) {
  const s = await startTestServer(t);
  const token = await s.login();
  const tokenOf = async (role: 'supervisor' | 'agent' | 'technician') => {
    s.fake.auth.users.set(role, { password: 'pass-word-1', role });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: role, password: 'pass-word-1' } });
    return ((await res.json()) as { token: string }).token;
  };
  const send = (path: string, tok: string, body: Uint8Array | string, type: string, method = 'POST') =>
    fetch(s.url(path), { method, headers: { authorization: `Bearer ${tok}`, 'content-type': type }, body });
  return { s, token, tokenOf, send };
}

const CSV_UTF8 =
  '\uFEFF防伪码,产品,批次\r\n86001234567,蜂蜜礼盒,B2026-11\r\n86001234568,"枸杞, 宁夏",\r\n12,太短,\r\n86001234567,重复,\r\n';

t.test('import a UTF-8 CSV with BOM: created, duplicates and bad lines reported', async (t) => {
  const { token, send } = await server(t);
  const res = await send('/api/v1/selfservice/codes/import', token, CSV_UTF8, 'text/csv; charset=utf-8');
  t.equal(res.status, 201);
  const report = (await res.json()) as Record<string, unknown>;
  t.match(report, { encoding: 'utf-8', created: 2, duplicates: 1, bad: 1, errors: [{ line: 4 }] });
  t.type(report.id, 'string');
  const again = await send('/api/v1/selfservice/codes/import', token, CSV_UTF8, 'text/csv');
  t.match(await again.json(), { created: 0, duplicates: 3, bad: 1 }, 'a second import changes nothing');
});

t.test('import a GBK CSV (Excel on Chinese Windows)', async (t) => {
  const { s, token, send } = await server(t);
  // "86009990001,红枣,批次A" encoded in GBK
  const gbk = Buffer.concat([
    Buffer.from('86009990001,'),
    Buffer.from([0xba, 0xec, 0xd4, 0xe6]),
    Buffer.from(','),
    Buffer.from([0xc5, 0xfa, 0xb4, 0xce]),
    Buffer.from('A\n'),
  ]);
  const res = await send('/api/v1/selfservice/codes/import', token, gbk, 'text/csv');
  t.equal(res.status, 201);
  t.match(await res.json(), { encoding: 'gbk', created: 1, bad: 0 });
  const code = await s.call('/api/v1/selfservice/codes/86009990001', { token });
  t.match(await code.json(), { code: '86009990001', product: '红枣', batch: '批次A', checkCount: 0 });
});

t.test('GET a code does not count; POST …/checks counts and logs; stats', async (t) => {
  const { s, token, tokenOf, send } = await server(t);
  await send('/api/v1/selfservice/codes/import', token, CSV_UTF8, 'text/csv');
  const agent = await tokenOf('agent');
  t.match(await (await s.call('/api/v1/selfservice/codes/86001234567', { token: agent })).json(), { checkCount: 0, firstCheckedAt: null });
  const first = await s.call('/api/v1/selfservice/codes/86001234567/checks', {
    method: 'POST',
    token: agent,
    json: { caller: '13800138000' },
  });
  t.equal(first.status, 201);
  t.match(await first.json(), { verdict: 'genuine', product: '蜂蜜礼盒' });
  s.fake.boClock.advance(60_000);
  const second = await s.call('/api/v1/selfservice/codes/86001234567/checks', { method: 'POST', token: agent });
  t.match(await second.json(), { verdict: 'repeat', previousChecks: 1, firstCheckedAt: '2026-11-26T02:00:00.000Z' });
  const unknown = await s.call('/api/v1/selfservice/codes/99990000/checks', { method: 'POST', token: agent });
  t.match(await unknown.json(), { verdict: 'unknown', code: '99990000' });
  t.match(await (await s.call('/api/v1/selfservice/codes/86001234567', { token: agent })).json(), { checkCount: 2 });

  const log = (await (await s.call('/api/v1/selfservice/checks?code=86001234567', { token })).json()) as {
    total: number;
    items: unknown[];
  };
  t.equal(log.total, 2);
  t.match(log.items, [
    { verdict: 'repeat', caller: null },
    { verdict: 'genuine', caller: '13800138000', source: 'api' },
  ]);
  t.match(await (await s.call('/api/v1/selfservice/stats', { token })).json(), {
    codes: 2,
    checkedCodes: 1,
    checks: 3,
    genuine: 1,
    repeat: 1,
    unknown: 1,
    suspicious: [{ code: '86001234567', checkCount: 2 }],
  });
});

t.test('roles: import, check log, stats and the message need selfservice.admin', async (t) => {
  const { s, tokenOf, send } = await server(t);
  const agent = await tokenOf('agent');
  const tech = await tokenOf('technician');
  const imp = await send('/api/v1/selfservice/codes/import', agent, CSV_UTF8, 'text/csv');
  t.equal(imp.status, 403);
  t.equal((await errorOf(imp)).code, 'FORBIDDEN');
  t.equal((await s.call('/api/v1/selfservice/checks', { token: agent })).status, 403);
  t.equal((await s.call('/api/v1/selfservice/stats', { token: agent })).status, 403);
  t.equal((await send('/api/v1/selfservice/where-to-buy', agent, '{"text":"x"}', 'application/json', 'PUT')).status, 403);
  t.equal((await s.call('/api/v1/selfservice/codes/86001234567', { token: tech })).status, 403, 'technicians see no shop data');
  t.equal((await s.call('/api/v1/selfservice/codes/86001234567')).status, 401);
  const supervisor = await tokenOf('supervisor');
  t.equal((await send('/api/v1/selfservice/codes/import', supervisor, CSV_UTF8, 'text/csv')).status, 201);
});

t.test('bad input: 400 naming the field, 404 unknown, 415 wrong type', async (t) => {
  const { s, token, send } = await server(t);
  const notFound = await s.call('/api/v1/selfservice/codes/86001234567', { token });
  t.equal(notFound.status, 404);
  t.equal((await errorOf(notFound)).code, 'NOT_FOUND');
  const bad = await s.call('/api/v1/selfservice/codes/a%2Fb', { token });
  t.equal(bad.status, 400);
  t.match(await errorOf(bad), { code: 'VALIDATION_FAILED', details: { field: 'code' } });
  t.match(await errorOf(await send('/api/v1/selfservice/codes/import', token, '', 'text/csv')), {
    code: 'VALIDATION_FAILED',
    details: { field: 'body' },
  });
  t.equal((await send('/api/v1/selfservice/codes/import', token, '{}', 'application/json')).status, 415);
  t.match(await errorOf(await s.call('/api/v1/selfservice/checks?from=yesterday', { token })), { details: { field: 'from' } });
  t.match(await errorOf(await s.call('/api/v1/selfservice/checks?limit=0', { token })), { details: { field: 'limit' } });
  t.match(await errorOf(await s.call('/api/v1/selfservice/where-to-buy?language=fr', { token })), { details: { field: 'language' } });
  t.equal((await s.call('/api/v1/selfservice/where-to-buy', { token })).status, 404);
  t.equal((await s.call('/api/v1/selfservice/where-to-buy', { method: 'DELETE', token })).status, 404);
  const post = await s.call('/api/v1/selfservice/codes/86001234567/checks', { method: 'POST', token, json: { caller: 'abc' } });
  t.match(await errorOf(post), { code: 'VALIDATION_FAILED', details: { field: 'caller' } });
});

t.test('where to buy: WAV upload validated, played back, replaced, deleted', async (t) => {
  const { s, token, send } = await server(t);
  const tone = (n: number, rate: number) => {
    const a = new Int16Array(n);
    for (let i = 0; i < n; i++) a[i] = Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / rate));
    return a;
  };
  const stereo = encodeWav16(tone(16000, 16000), 16000);
  stereo.writeUInt16LE(2, 22); // channels 2 (block align off: still refused for the channels)
  const cases: Array<[Buffer, RegExp]> = [
    [Buffer.from('not a wav at all'), /not a readable WAV/],
    [encodeWav16(tone(44100, 44100), 44100), /8000 or 16000 Hz/],
    [encodeWav16(tone(800, 8000), 8000), /must last/],
    [stereo, /mono|readable/],
  ];
  for (const [wav, why] of cases) {
    const res = await send('/api/v1/selfservice/where-to-buy?language=zh-CN', token, wav, 'audio/wav', 'PUT');
    t.equal(res.status, 400);
    const err = await errorOf(res);
    t.match(err, { code: 'VALIDATION_FAILED', details: { field: 'body' } });
    t.match(err.message, why);
  }
  const good = encodeWav16(tone(16000, 8000), 8000);
  const put = await send('/api/v1/selfservice/where-to-buy?language=zh-CN', token, good, 'audio/wav', 'PUT');
  t.equal(put.status, 200);
  t.match(await put.json(), { language: 'zh-CN', source: 'upload', durationMs: 2000, version: 1, updatedBy: 'owner' });
  const audio = await s.call('/api/v1/selfservice/where-to-buy/audio?language=zh-CN', { token });
  t.equal(audio.headers.get('content-type'), 'audio/wav');
  t.same(Buffer.from(await audio.arrayBuffer()), good);
  const again = await send('/api/v1/selfservice/where-to-buy?language=zh-CN', token, good, 'audio/wav', 'PUT');
  t.match(await again.json(), { version: 2 });
  t.equal((await send('/api/v1/selfservice/where-to-buy', token, 'x', 'text/plain', 'PUT')).status, 415);
  t.equal((await s.call('/api/v1/selfservice/where-to-buy?language=zh-CN', { method: 'DELETE', token })).status, 204);
  t.equal((await s.call('/api/v1/selfservice/where-to-buy/audio?language=zh-CN', { token })).status, 404);
});

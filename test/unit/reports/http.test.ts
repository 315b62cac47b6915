// Reports over HTTP (the real web server over FakeService, whose back office is real over an
// in-memory database): roles, formats and their headers, CRUD of the ad schedule, spend and
// shifts, and 400s that name the field.
import ExcelJS from 'exceljs';
import t from 'tap';
import { errorOf, startTestServer, type TestServer } from '../web-ui/fixtures/helpers.js';

type Role = 'supervisor' | 'agent' | 'technician';

async function server(t: { teardown(fn: () => unknown): void }) {
  const s = await startTestServer(t);
  const owner = await s.login();
  const tokenOf = async (role: Role) => {
    s.fake.auth.users.set(role, { password: 'pass-word-1', role });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: role, password: 'pass-word-1' } });
    return ((await res.json()) as { token: string }).token;
  };
  return { s, owner, tokenOf };
}

const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;

async function post(s: TestServer, path: string, token: string, body: unknown): Promise<Response> {
  return s.call(path, { method: 'POST', token, json: body });
}

t.test('roles: owner and supervisor read and administer; agents and technicians 403; no token 401', async (t) => {
  const { s, owner, tokenOf } = await server(t);
  const sup = await tokenOf('supervisor');
  const agent = await tokenOf('agent');
  const tech = await tokenOf('technician');
  for (const path of [
    '/api/v1/reports/day?date=2026-11-26',
    '/api/v1/reports/week?date=2026-11-26',
    '/api/v1/reports/month?date=2026-11-26',
    '/api/v1/reports/ads?from=2026-11-01&to=2026-11-30',
    '/api/v1/reports/attendance?from=2026-11-01&to=2026-11-30',
    '/api/v1/reports/ad-campaigns',
    '/api/v1/reports/shifts',
  ]) {
    t.equal((await s.call(path, { token: owner })).status, 200, `owner ${path}`);
    t.equal((await s.call(path, { token: sup })).status, 200, `supervisor ${path}`);
    const a = await s.call(path, { token: agent });
    t.equal(a.status, 403, `agent ${path}`);
    t.equal((await errorOf(a)).code, 'FORBIDDEN');
    t.equal((await s.call(path, { token: tech })).status, 403, `technician ${path}`);
    t.equal((await s.call(path)).status, 401);
  }
  const created = await post(s, '/api/v1/reports/ad-campaigns', sup, { name: '养生节目', media: '湖南卫视' });
  t.equal(created.status, 201, 'a supervisor has reports.admin');
  t.equal((await post(s, '/api/v1/reports/ad-campaigns', agent, { name: 'x', media: 'y' })).status, 403);
  const day = await json<{ commission: { available: boolean; reason: string } }>(
    await s.call('/api/v1/reports/day?date=2026-11-26', { token: sup }),
  );
  t.match(day.commission, { available: false, reason: /finance\.read/ });
  t.end();
});

t.test('report formats: JSON, CSV with BOM, XLSX, HTML with its own CSP', async (t) => {
  const { s, owner } = await server(t);
  const r = await json<{ period: string; label: string; byHour: unknown[]; timeZone: string }>(
    await s.call('/api/v1/reports/week?date=2026-11-26', { token: owner }),
  );
  t.match(r, { period: 'week', label: '2026-W48', timeZone: 'Asia/Shanghai' });
  t.equal(r.byHour.length, 24);

  const csv = await s.call('/api/v1/reports/day?date=2026-11-26&format=csv', { token: owner });
  t.equal(csv.status, 200);
  t.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
  t.equal(csv.headers.get('content-disposition'), 'attachment; filename="report-day-2026-11-26.csv"');
  const bytes = new Uint8Array(await csv.arrayBuffer());
  t.same([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);

  const xlsx = await s.call('/api/v1/reports/month?date=2026-11-26&format=xlsx', { token: owner });
  t.equal(xlsx.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await xlsx.arrayBuffer());
  t.equal(wb.getWorksheet('概况 Summary')?.getCell('A1').value, '报表 Report 2026-11 (Asia/Shanghai)');

  const html = await s.call('/api/v1/reports/day?date=2026-11-26&format=html', { token: owner });
  t.equal(html.headers.get('content-type'), 'text/html; charset=utf-8');
  t.match(html.headers.get('content-security-policy'), /^default-src 'none'; style-src 'sha256-/);
  const page = await html.text();
  t.notMatch(page, /<script/i);
  t.match(page, /日报 Daily report/);
  t.end();
});

t.test('bad queries are 400 naming the field', async (t) => {
  const { s, owner } = await server(t);
  const bad = async (path: string, field: string) => {
    const res = await s.call(path, { token: owner });
    t.equal(res.status, 400, path);
    t.same((await errorOf(res)).details, { field }, path);
  };
  await bad('/api/v1/reports/day', 'date');
  await bad('/api/v1/reports/day?date=2026-13-01', 'date');
  await bad('/api/v1/reports/day?date=2026-11-26&date=2026-11-27', 'date');
  await bad('/api/v1/reports/day?date=2026-11-26&format=pdf', 'format');
  await bad('/api/v1/reports/ads?from=2026-11-01', 'to');
  await bad('/api/v1/reports/ads?from=2026-11-30&to=2026-11-01', 'to');
  await bad('/api/v1/reports/attendance?from=2025-01-01&to=2026-11-01', 'to');
  await bad('/api/v1/reports/shifts?from=yesterday', 'from');
  t.equal((await s.call('/api/v1/reports/year?date=2026-11-26', { token: owner })).status, 404);
  t.end();
});

t.test('ad schedule, spend and shifts CRUD over HTTP', async (t) => {
  const { s, owner } = await server(t);
  const res = await post(s, '/api/v1/reports/ad-campaigns', owner, { name: '养生节目', media: '湖南卫视', line: 'fxo1', responseMin: 30 });
  t.equal(res.status, 201);
  const c = await json<{ id: string; version: number }>(res);
  t.match(c, { version: 1 });
  t.match(await json(await s.call(`/api/v1/reports/ad-campaigns/${c.id}`, { token: owner })), { name: '养生节目', line: 'fxo1' });
  t.equal((await s.call('/api/v1/reports/ad-campaigns/nope', { token: owner })).status, 404);
  const unknownField = await post(s, '/api/v1/reports/ad-campaigns', owner, { name: 'x', media: 'y', colour: 'red' });
  t.equal(unknownField.status, 400);
  t.same((await errorOf(unknownField)).details, { field: 'colour' });
  const noName = await post(s, '/api/v1/reports/ad-campaigns', owner, { media: 'y' });
  t.same((await errorOf(noName)).details, { field: 'name' });

  const patched = await s.call(`/api/v1/reports/ad-campaigns/${c.id}`, {
    method: 'PATCH',
    token: owner,
    json: { note: '晚间档', version: 1 },
  });
  t.match(await json(patched), { note: '晚间档', version: 2 });
  const stale = await s.call(`/api/v1/reports/ad-campaigns/${c.id}`, { method: 'PATCH', token: owner, json: { note: 'x', version: 1 } });
  t.equal(stale.status, 409);
  const badVersion = await s.call(`/api/v1/reports/ad-campaigns/${c.id}`, { method: 'PATCH', token: owner, json: { version: 'one' } });
  t.same((await errorOf(badVersion)).details, { field: 'version' });

  const airing = await post(s, '/api/v1/reports/ad-airings', owner, {
    campaignId: c.id,
    startsAt: '2026-11-26T20:00:00+08:00',
    endsAt: '2026-11-26T20:05:00+08:00',
    costCents: 80000,
  });
  t.equal(airing.status, 201);
  const a = await json<{ id: string }>(airing);
  const airings = await json<{ items: Array<{ id: string }>; total: number }>(
    await s.call(`/api/v1/reports/ad-airings?from=2026-11-26&to=2026-11-26&campaignId=${c.id}`, { token: owner }),
  );
  t.same(
    airings.items.map((x) => x.id),
    [a.id],
  );
  t.equal(airings.total, 1);
  const badAiring = await post(s, '/api/v1/reports/ad-airings', owner, { campaignId: c.id, startsAt: '8pm', endsAt: '9pm' });
  t.same((await errorOf(badAiring)).details, { field: 'startsAt' });

  const spend = await post(s, '/api/v1/reports/ad-spend', owner, { campaignId: c.id, date: '2026-11-26', amountCents: 20000 });
  t.equal(spend.status, 201);
  const ads = await json<{ byCampaign: Array<{ costCents: number; airings: number }> }>(
    await s.call('/api/v1/reports/ads?from=2026-11-26&to=2026-11-26', { token: owner }),
  );
  t.match(ads.byCampaign[0], { costCents: 100000, airings: 1 });

  const shift = await post(s, '/api/v1/reports/shifts', owner, { agent: 'a1', date: '2026-11-26', start: '09:00', end: '18:00' });
  t.equal(shift.status, 201);
  const sh = await json<{ id: string }>(shift);
  const clash = await post(s, '/api/v1/reports/shifts', owner, { agent: 'a1', date: '2026-11-26', start: '12:00', end: '20:00' });
  t.equal(clash.status, 409);
  const att = await json<{ items: Array<{ shiftId: string; status: string }>; total: number }>(
    await s.call('/api/v1/reports/attendance?from=2026-11-26&to=2026-11-26', { token: owner }),
  );
  t.same(
    att.items.map((x) => x.shiftId),
    [sh.id],
  );
  t.equal((await s.call(`/api/v1/reports/shifts/${sh.id}`, { method: 'DELETE', token: owner })).status, 204);
  t.equal((await s.call(`/api/v1/reports/shifts/${sh.id}`, { token: owner })).status, 404);
  t.equal((await s.call(`/api/v1/reports/ad-campaigns/${c.id}`, { method: 'DELETE', token: owner })).status, 204);
  t.equal((await s.call(`/api/v1/reports/ad-airings/${a.id}`, { token: owner })).status, 404);
  t.end();
});

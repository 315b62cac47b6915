import t from 'tap';
import { computeKpis } from '../../../firmware/src/kpi/compute.js';
import { at, morning } from '../kpi/fixtures/builder.js';
import { errorOf, startTestServer } from './fixtures/helpers.js';

const FROM = '2025-01-06T01:00:00Z';
const TO = '2025-01-06T02:00:00Z';

t.test('GET /api/v1/kpis: bearer required, the report of the range', async (t) => {
  const s = await startTestServer(t);
  s.fake.kpis.events = morning().events;
  let res = await s.call(`/api/v1/kpis?from=${FROM}&to=${TO}`);
  t.equal(res.status, 401);
  t.match(res.headers.get('www-authenticate'), /^Bearer/);
  await res.arrayBuffer();
  t.same(s.fake.kpis.queries, [], 'the service is not asked without a token');

  const token = await s.login();
  res = await s.call(`/api/v1/kpis?from=${FROM}&to=${TO}`, { token });
  t.equal(res.status, 200);
  t.match(res.headers.get('content-type'), /application\/json/);
  const body = await res.json();
  t.same(s.fake.kpis.queries, [{ from: at(3600), to: at(7200) }]);
  t.same(body, JSON.parse(JSON.stringify(computeKpis(morning().events, { from: at(3600), to: at(7200) }, { lines: 2 }))));
  t.match(body, { offered: 8, answered: 6, abandoned: 2, serviceLevel: 0.5, asaS: Number, ahtS: Number, csat: null });
});

t.test('GET /api/v1/kpis: zones, queue, thresholds are passed on', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  const from = encodeURIComponent('2025-01-06T09:00:00+08:00');
  const to = encodeURIComponent('2025-01-06T10:00:00.5+08:00');
  const res = await s.call(`/api/v1/kpis?from=${from}&to=${to}&queue=support&slThresholdS=30&shortAbandonS=0`, { token });
  t.equal(res.status, 200);
  t.match(await res.json(), { queue: 'support', slThresholdS: 30, shortAbandonS: 0, from: '2025-01-06T01:00:00.000Z' });
  t.same(s.fake.kpis.queries, [
    { from: Date.UTC(2025, 0, 6, 1), to: Date.UTC(2025, 0, 6, 2, 0, 0, 500), queue: 'support', slThresholdS: 30, shortAbandonS: 0 },
  ]);
});

t.test('GET /api/v1/kpis: bad input is 400 VALIDATION_FAILED naming the field', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  const cases: [string, string, RegExp][] = [
    [`to=${TO}`, 'from', /^from is required/],
    [`from=${FROM}`, 'to', /^to is required/],
    [`from=yesterday&to=${TO}`, 'from', /^from must be an ISO 8601 date-time/],
    [`from=2025-01-06&to=${TO}`, 'from', /ISO 8601/],
    [`from=2025-01-06T01:00:00&to=${TO}`, 'from', /with a zone/],
    [`from=${FROM}&to=2025-02-30T00:00:00Z`, 'to', /ISO 8601/],
    [`from=${FROM}&to=2025-01-06T24:00:00Z`, 'to', /ISO 8601/],
    [`from=${FROM}&to=2025-01-06T02:00:00%2B15:00`, 'to', /ISO 8601/],
    [`from=${FROM}&from=${FROM}&to=${TO}`, 'from', /ISO 8601/],
    [`from=${TO}&to=${FROM}`, 'to', /^to must be after from$/],
    [`from=${FROM}&to=${FROM}`, 'to', /^to must be after from$/],
    [`from=2024-01-01T00:00:00Z&to=2025-02-04T00:00:01Z`, 'to', /^to must be at most 400 days after from$/],
    [`from=${FROM}&to=${TO}&queue=Main!`, 'queue', /^queue must be a queue id/],
    [`from=${FROM}&to=${TO}&slThresholdS=0`, 'slThresholdS', /^slThresholdS must be an integer from 1 to 3600$/],
    [`from=${FROM}&to=${TO}&slThresholdS=2.5`, 'slThresholdS', /integer/],
    [`from=${FROM}&to=${TO}&shortAbandonS=601`, 'shortAbandonS', /^shortAbandonS must be an integer from 0 to 600$/],
  ];
  for (const [q, field, message] of cases) {
    const res = await s.call(`/api/v1/kpis?${q}`, { token });
    t.equal(res.status, 400, q);
    const err = await errorOf(res);
    t.equal(err.code, 'VALIDATION_FAILED', q);
    t.match(err.message, message, q);
    t.same(err.details, { field }, q);
  }
  t.same(s.fake.kpis.queries, [], 'the service was never asked');
  const ok = await s.call('/api/v1/kpis?from=2024-01-01T00:00:00Z&to=2025-02-04T00:00:00Z', { token });
  t.equal(ok.status, 200, 'exactly 400 days is fine');
  await ok.arrayBuffer();
});

t.test('GET /api/v1/kpis/staffing: 168 hours of the week, targetSl passed on', async (t) => {
  const s = await startTestServer(t);
  let res = await s.call(`/api/v1/kpis/staffing?from=${FROM}&to=${TO}`);
  t.equal(res.status, 401);
  await res.arrayBuffer();
  const token = await s.login();
  s.fake.kpis.events = morning().events;
  res = await s.call(`/api/v1/kpis/staffing?from=${FROM}&to=${TO}&targetSl=0.9&slThresholdS=15`, { token });
  t.equal(res.status, 200);
  const body = (await res.json()) as { slots: { weekday: number; hour: number; offered: number; hoursObserved: number }[] };
  t.match(body, { targetSl: 0.9, slThresholdS: 15, timeZone: 'Asia/Shanghai', lines: 2 });
  t.equal(body.slots.length, 168);
  t.match(
    body.slots.find((x) => x.weekday === 1 && x.hour === 9),
    { hoursObserved: 1, offered: 9 },
    'Monday 09:00 Shanghai: every queue entry is demand, the overflow too',
  );
  t.same(s.fake.kpis.queries, [{ from: at(3600), to: at(7200), slThresholdS: 15, targetSl: 0.9 }]);
  for (const bad of ['80', '1', '0', '1.0', '-0.5', 'abc', '.']) {
    res = await s.call(`/api/v1/kpis/staffing?from=${FROM}&to=${TO}&targetSl=${bad}`, { token });
    t.equal(res.status, 400, bad);
    const err = await errorOf(res);
    t.same(err.details, { field: 'targetSl' }, bad);
    t.match(err.message, /^targetSl must be a decimal between 0 and 1/);
  }
  res = await s.call(`/api/v1/kpis/staffing?to=${TO}`, { token });
  t.same((await errorOf(res)).details, { field: 'from' });
});

t.test('a service error maps like every other route', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  s.fake.kpis.throws = new Error('disk on fire');
  const res = await s.call(`/api/v1/kpis?from=${FROM}&to=${TO}`, { token });
  t.equal(res.status, 500);
  t.match(await errorOf(res), { code: 'INTERNAL' });
});

t.test('KPIs and IVR stats need reports.read (owner, supervisor)', async (t) => {
  const s = await startTestServer(t);
  for (const role of ['agent', 'technician'] as const) {
    s.fake.auth.users.set(role, { password: 'role-password-1', role });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: role, password: 'role-password-1' } });
    const { token } = (await res.json()) as { token: string };
    const q = 'from=2026-11-26T00:00:00Z&to=2026-11-27T00:00:00Z';
    for (const path of [`/api/v1/kpis?${q}`, `/api/v1/ivr/stats?${q}`, `/api/v1/kpis/staffing?${q}`]) {
      t.equal((await s.call(path, { token })).status, 403, `${role} ${path}`);
    }
  }
  s.fake.auth.users.set('banzhang', { password: 'role-password-1', role: 'supervisor' });
  const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: 'banzhang', password: 'role-password-1' } });
  const { token } = (await res.json()) as { token: string };
  t.equal((await s.call('/api/v1/kpis?from=2026-11-26T00:00:00Z&to=2026-11-27T00:00:00Z', { token })).status, 200);
});

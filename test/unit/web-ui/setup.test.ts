// The first-run setup wizard's routes over the real server and the real config control
// (FakeService's MemoryConfig): the state while no owner exists, the owner made from the one-time
// setup code and signed in with a session (wrong codes refused, counted and locked out), then the
// shop name, lines and agents written through the validated config; auth, roles, CSRF, field errors.
import t from 'tap';
import type { ChannelStatus } from '../../../firmware/src/service/types.js';
import { SETUP_CODE } from './fixtures/fake-service.js';
import { errorOf, startTestServer, type TestServer } from './fixtures/helpers.js';

const CHANNELS: ChannelStatus[] = [
  { id: 'fxo1', kind: 'fxo', state: 'idle' },
  { id: 'fxo2', kind: 'fxo', state: 'idle' },
  { id: 'gsm1', kind: 'gsm', state: 'idle' },
  ...[1, 2, 3, 4].map((n): ChannelStatus => ({ id: `fxs${n}`, kind: 'fxs', state: 'idle' })),
];

async function freshBox(t: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const s = await startTestServer(t, { withOwner: false });
  const health = s.fake.health.bind(s.fake);
  s.fake.health = () => ({ ...health(), channels: CHANNELS });
  return s;
}

/** Make the owner with the setup code; the session cookie and CSRF token for the next calls. */
async function makeOwner(s: TestServer): Promise<{ cookie: string; csrf: string }> {
  const res = await s.call('/api/v1/setup/owner', { method: 'POST', json: { code: SETUP_CODE, password: 'owner-pass-1' } });
  if (res.status !== 200) throw new Error(`setup failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { csrfToken: string };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrf: body.csrfToken };
}

t.test('setup state and the owner from the one-time code', async (t) => {
  const s = await freshBox(t);
  t.same(await (await s.call('/api/v1/setup/state')).json(), { needed: true });

  const wrong = await s.call('/api/v1/setup/owner', { method: 'POST', json: { code: '00000000', password: 'owner-pass-1' } });
  t.equal(wrong.status, 401, 'a wrong code is refused');
  t.equal((await errorOf(wrong)).code, 'BAD_CREDENTIALS');
  t.equal(s.fake.auth.hasOwner(), false, 'and makes no owner');

  const missing = await s.call('/api/v1/setup/owner', { method: 'POST', json: { code: SETUP_CODE } });
  t.equal(missing.status, 400);
  t.same((await errorOf(missing)).details, { field: 'password' });
  const extra = await s.call('/api/v1/setup/owner', {
    method: 'POST',
    json: { code: SETUP_CODE, password: 'owner-pass-1', role: 'owner' },
  });
  t.same((await errorOf(extra)).details, { field: 'role' });

  const ok = await s.call('/api/v1/setup/owner', { method: 'POST', json: { code: SETUP_CODE, password: 'owner-pass-1' } });
  t.equal(ok.status, 200);
  const body = (await ok.json()) as { username: string; role: string; permissions: string[]; csrfToken?: string };
  t.equal(body.username, 'owner');
  t.equal(body.role, 'owner');
  t.ok(body.permissions.includes('setup.admin'));
  t.ok(body.csrfToken, 'a CSRF token for the session');
  const cookie = ok.headers.get('set-cookie') ?? '';
  t.match(cookie, /^callbox_session=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Strict/, 'signed in with a session cookie');
  const session = await s.call('/api/v1/auth/session', { headers: { cookie: cookie.split(';')[0] ?? '' } });
  t.equal(session.status, 200, 'the cookie is a working session');
  t.equal([...s.fake.auth.tokens.values()].filter((x) => (x.kind ?? 'bearer') === 'bearer').length, 0, 'no bearer token left behind');

  t.same(await (await s.call('/api/v1/setup/state')).json(), { needed: false }, 'the wizard is over');
  const again = await s.call('/api/v1/setup/owner', { method: 'POST', json: { code: SETUP_CODE, password: 'other-pass-1' } });
  t.equal(again.status, 409, 'a second owner is refused');
  t.equal((await errorOf(again)).code, 'CONFLICT');
});

t.test('guessing the setup code is locked out', async (t) => {
  const s = await freshBox(t);
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await s.call('/api/v1/setup/owner', { method: 'POST', json: { code: String(10_000_000 + i), password: 'owner-pass-1' } });
    statuses.push(r.status);
    if (r.status === 429) t.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After given');
  }
  t.same(statuses, [401, 401, 401, 401, 401, 429], 'five wrong codes, then locked');
  const right = await s.call('/api/v1/setup/owner', { method: 'POST', json: { code: SETUP_CODE, password: 'owner-pass-1' } });
  t.equal(right.status, 429, 'even the right code waits out the lock');
  t.equal(s.fake.auth.hasOwner(), false);
});

t.test('the API setup route counts tries with the wizard (regression: it had no limit)', async (t) => {
  const s = await freshBox(t);
  for (let i = 0; i < 3; i++) {
    const r = await s.call('/api/v1/auth/setup', { method: 'POST', json: { code: String(20_000_000 + i), password: 'owner-pass-1' } });
    t.equal(r.status, 401);
  }
  for (let i = 0; i < 2; i++) {
    const r = await s.call('/api/v1/setup/owner', { method: 'POST', json: { code: String(30_000_000 + i), password: 'owner-pass-1' } });
    t.equal(r.status, 401);
  }
  const locked = await s.call('/api/v1/auth/setup', { method: 'POST', json: { code: SETUP_CODE, password: 'owner-pass-1' } });
  t.equal(locked.status, 429, 'five wrong codes over both routes lock both');
  t.equal((await errorOf(locked)).code, 'RATE_LIMITED');
  t.equal(s.fake.auth.hasOwner(), false);
});

t.test('hardware and apply: shop name, lines, agents through the config', async (t) => {
  const s = await freshBox(t);
  t.equal((await s.call('/api/v1/setup/hardware')).status, 401, 'needs auth');
  const { cookie, csrf } = await makeOwner(s);
  const as = (path: string, json?: unknown, withCsrf = true) =>
    s.call(path, { method: json === undefined ? 'GET' : 'POST', json, headers: { cookie, ...(withCsrf ? { 'x-csrf-token': csrf } : {}) } });

  const hw = (await (await as('/api/v1/setup/hardware')).json()) as {
    shopName: string;
    lines: { channel: string; kind: string; inUse: boolean }[];
    extensions: { channel: string }[];
    agents: { id: string; extension: string }[];
  };
  t.equal(hw.shopName, 'callbox');
  t.same(
    hw.lines.map((l) => [l.channel, l.kind, l.inUse]),
    [
      ['fxo1', 'fxo', true],
      ['fxo2', 'fxo', true],
      ['gsm1', 'gsm', true],
    ],
  );
  t.same(
    hw.extensions.map((x) => x.channel),
    ['fxs1', 'fxs2', 'fxs3', 'fxs4'],
  );
  t.equal(hw.agents.length, 4);

  const input = {
    shopName: '小李茶叶店',
    lines: ['fxo1', 'gsm1'],
    agents: [
      { name: '小王', extension: 'fxs2' },
      { name: '小李', extension: 'fxs4' },
      { name: '小张', extension: 'fxs3' },
    ],
  };
  const noCsrf = await as('/api/v1/setup/apply', input, false);
  t.equal(noCsrf.status, 403, 'the session needs the CSRF token');
  const res = await as('/api/v1/setup/apply', input);
  t.equal(res.status, 200, await res.clone().text());
  const result = (await res.json()) as { applied: string[]; restartRequired: string[] };
  t.ok(result.applied.length > 0, 'applied live');
  const config = s.fake.config.get().config;
  t.equal(config.shop.name, '小李茶叶店');
  t.same(
    config.lines.map((l) => l.channel),
    ['fxo1', 'gsm1'],
  );
  t.same(
    config.agents.map((a) => [a.id, a.name, a.extension]),
    [
      ['a2', '小王', 'fxs2'],
      ['a4', '小李', 'fxs4'],
      ['a3', '小张', 'fxs3'],
    ],
    'agents keep the id of their extension',
  );
  t.same(config.queues[0]?.members, ['a2', 'a3', 'a4'], 'the removed agent left the queue');
  t.equal(s.fake.config.live.at(-1)?.shop.name, '小李茶叶店', 'made live');
  const board = (await (await as('/api/v1/wallboard')).json()) as { shopName: string; lines: { id: string }[] };
  t.equal(board.shopName, '小李茶叶店', 'the wallboard shows the shop name');
  t.same(
    board.lines.map((l) => l.id),
    ['fxo1', 'gsm1'],
    'and only the lines in use (fxo2 was left out)',
  );

  const again = await as('/api/v1/setup/apply', { ...input, agents: [...input.agents, { name: '新人', extension: 'fxs1' }] });
  t.equal(again.status, 200);
  const after = s.fake.config.get().config;
  t.same(after.agents.at(-1), { id: 'a1', name: '新人', extension: 'fxs1' }, 'a new agent gets a free id');
  t.same(after.queues[0]?.members, ['a2', 'a3', 'a4', 'a1'], 'and joins the first queue');
});

t.test('apply: every bad field named', async (t) => {
  const s = await freshBox(t);
  const { cookie, csrf } = await makeOwner(s);
  const apply = (json: unknown) => s.call('/api/v1/setup/apply', { method: 'POST', json, headers: { cookie, 'x-csrf-token': csrf } });
  const good = { shopName: '店', lines: ['fxo1'], agents: [{ name: '小王', extension: 'fxs1' }] };
  const cases: [unknown, string][] = [
    [{ ...good, shopName: '   ' }, 'shopName'],
    [{ ...good, shopName: 'x'.repeat(81) }, 'shopName'],
    [{ ...good, lines: 'fxo1' }, 'lines'],
    [{ ...good, lines: ['fxs1'] }, 'lines[0]'],
    [{ ...good, lines: ['fxo1', 'fxo1'] }, 'lines[1]'],
    [{ ...good, lines: ['FXO 1'] }, 'lines[0]'],
    [{ ...good, agents: [{ name: '小王', extension: 'fxo1' }] }, 'agents[0].extension'],
    [{ ...good, agents: [{ name: '', extension: 'fxs1' }] }, 'agents[0].name'],
    [{ ...good, agents: [good.agents[0], { name: '小李', extension: 'fxs1' }] }, 'agents[1].extension'],
    [{ ...good, agents: [{ name: '小王', extension: 'fxs1', role: 'x' }] }, 'agents[0].role'],
    [{ ...good, agents: ['小王'] }, 'agents[0]'],
    [{ ...good, more: 1 }, 'more'],
  ];
  for (const [json, field] of cases) {
    const r = await apply(json);
    t.equal(r.status, 400, `${JSON.stringify(json)} → 400`);
    const e = await errorOf(r);
    t.equal(e.code, 'VALIDATION_FAILED');
    t.same(e.details, { field }, `names ${field}`);
  }
  t.equal(s.fake.config.get().config.shop.name, 'callbox', 'nothing written');

  // an agent role may not run the setup
  await s.fake.auth.addUser({ username: 'xiaowang', role: 'agent', password: 'agent-pass-1' });
  const login = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: 'xiaowang', password: 'agent-pass-1' } });
  const { token } = (await login.json()) as { token: string };
  t.equal((await s.call('/api/v1/setup/hardware', { token })).status, 403);
  t.equal((await s.call('/api/v1/setup/apply', { method: 'POST', token, json: good })).status, 403);
});

// The finance REST API over the real web server: roles (owner: finance.read/write; agents and
// supervisors: finance.own — apply and /me; technicians 403), people approval, expenses CRUD with
// 409 on a closed month, salaries, rules GET/PUT validated, profit, settlements, close, /me.
import t from 'tap';
import type { CommissionRules, Expense, MonthProfit, MonthSettlement, MySettlement, Person } from '../../../firmware/src/service/types.js';
import { errorOf, startTestServer } from '../web-ui/fixtures/helpers.js';
import { cst, Shop } from './fixtures/shop.js';

type Role = 'supervisor' | 'agent' | 'technician';

async function server(t: { teardown(fn: () => unknown): void }) {
  const s = await startTestServer(t);
  // The routes reach service.finance at request time: point it at a shop whose orders table we fill.
  const shop = new Shop();
  Object.assign(s.fake, { finance: shop.finance });
  const owner = await s.login();
  const tokenOf = async (role: Role) => {
    s.fake.auth.users.set(role, { password: 'pass-word-1', role });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: role, password: 'pass-word-1' } });
    return ((await res.json()) as { token: string }).token;
  };
  const json = async <T>(res: Response, status = 200): Promise<T> => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  return { s, shop, owner, tokenOf, json };
}

t.test('roles: owner everything, agent/supervisor only apply and /me, technician nothing', async (t) => {
  const { s, owner, tokenOf } = await server(t);
  const agent = await tokenOf('agent');
  const sup = await tokenOf('supervisor');
  const tech = await tokenOf('technician');
  const ownerOnly: Array<[string, string, unknown?]> = [
    ['GET', '/api/v1/finance/people'],
    ['GET', '/api/v1/finance/rules'],
    ['PUT', '/api/v1/finance/rules', {}],
    ['GET', '/api/v1/finance/profit?month=2026-01'],
    ['GET', '/api/v1/finance/settlements?month=2026-01'],
    ['POST', '/api/v1/finance/settlements/2026-01/close'],
    ['GET', '/api/v1/finance/expenses?month=2026-01'],
    ['POST', '/api/v1/finance/expenses', { month: '2026-01', category: 'x', amountCents: 1 }],
    ['GET', '/api/v1/finance/salaries?month=2026-01'],
    ['GET', '/api/v1/finance/commissions'],
    ['POST', '/api/v1/finance/people/x/approve'],
  ];
  for (const [method, path, json] of ownerOnly) {
    for (const [who, token] of [
      ['agent', agent],
      ['supervisor', sup],
      ['technician', tech],
    ] as const) {
      const res = await s.call(path, { method, token, ...(json === undefined ? {} : { json }) });
      t.equal(res.status, 403, `${who} ${method} ${path}`);
      t.same((await errorOf(res)).details, { permission: method === 'GET' ? 'finance.read' : 'finance.write' });
    }
  }
  for (const [method, path] of [
    ['POST', '/api/v1/finance/people'],
    ['GET', '/api/v1/finance/me?month=2026-01'],
  ] as const) {
    const res = await s.call(path, { method, token: tech, ...(method === 'POST' ? { json: { name: 'x', kind: 'staff' } } : {}) });
    t.equal(res.status, 403, `technician ${path}`);
  }
  t.equal((await s.call('/api/v1/finance/rules')).status, 401, 'no token');
  t.equal((await s.call('/api/v1/finance/rules', { token: owner })).status, 200);
});

t.test('apply (agent) → approve (owner) → the agent sees their own money only', async (t) => {
  const { s, shop, owner, tokenOf, json } = await server(t);
  const agent = await tokenOf('agent');
  const a = await json<Person>(
    await s.call('/api/v1/finance/people', {
      method: 'POST',
      token: owner,
      json: { name: '坐席 小王', kind: 'salesperson', username: 'agent' },
    }),
    201,
  );
  const bad = await s.call('/api/v1/finance/people', {
    method: 'POST',
    token: agent,
    json: { name: '张三', kind: 'salesperson', inviterId: a.id },
  });
  t.equal(bad.status, 400, 'the inviter is not approved yet');
  t.same((await errorOf(bad)).details, { field: 'inviterId' });
  t.equal(
    (await s.call('/api/v1/finance/people', { method: 'POST', token: agent, json: { name: '张三', kind: 'salesperson', boss: 1 } })).status,
    400,
  );
  const approved = await json<Person>(
    await s.call(`/api/v1/finance/people/${a.id}/approve`, { method: 'POST', token: owner, json: { version: 1 } }),
  );
  t.equal(approved.status, 'approved');
  t.equal((await s.call(`/api/v1/finance/people/${a.id}/approve`, { method: 'POST', token: owner })).status, 409);
  const b = await json<Person>(
    await s.call('/api/v1/finance/people', {
      method: 'POST',
      token: agent,
      json: { name: '张三', kind: 'salesperson', phone: '13800138000', inviterId: a.id },
    }),
    201,
  );
  t.match(b, { status: 'applied', createdBy: 'agent', inviterId: a.id });
  await json<Person>(await s.call(`/api/v1/finance/people/${b.id}/approve`, { method: 'POST', token: owner }));
  t.equal((await s.call('/api/v1/finance/people/nope', { token: owner })).status, 404);
  const list = await json<{ items: Person[]; total: number }>(
    await s.call('/api/v1/finance/people?kind=salesperson&status=approved', { token: owner }),
  );
  t.equal(list.total, 2);

  shop.order({ seller: b.id, totalCents: 10_000, createdAt: cst(2026, 1, 3) });
  const me = await json<MySettlement>(await s.call('/api/v1/finance/me?month=2026-01', { token: agent }));
  t.equal(me.person.id, a.id);
  t.match(me.settlement, { referralCents: 500, totalCents: 500 });
  t.same(
    me.entries.map((e) => [e.role, e.amountCents, e.status]),
    [['inviter', 500, 'pending']],
    "only the agent's own entries (not 张三's 20.00)",
  );
  const sup = await tokenOf('supervisor');
  t.equal((await s.call('/api/v1/finance/me?month=2026-01', { token: sup })).status, 404, 'no person linked to the supervisor');
  t.equal((await s.call('/api/v1/finance/me?month=202601', { token: agent })).status, 400);
});

t.test('expenses CRUD, salaries, profit, close → 409 on the closed month, rules PUT validated', async (t) => {
  const { s, shop, owner, json } = await server(t);
  const staff = await json<Person>(
    await s.call('/api/v1/finance/people', { method: 'POST', token: owner, json: { name: '王主管', kind: 'staff' } }),
    201,
  );
  await json(await s.call(`/api/v1/finance/people/${staff.id}/approve`, { method: 'POST', token: owner }));
  const sal = await s.call(`/api/v1/finance/salaries/${staff.id}`, {
    method: 'PUT',
    token: owner,
    json: { month: '2026-01', baseSalaryCents: 500_000 },
  });
  t.match(await json(sal), { personId: staff.id, baseSalaryCents: 500_000, fromMonth: '2026-01', counted: true });
  t.equal(
    (await s.call('/api/v1/finance/salaries/nope', { method: 'PUT', token: owner, json: { month: '2026-01', baseSalaryCents: 1 } })).status,
    404,
  );
  shop.order({ seller: staff.id, totalCents: 2_500_000, costCents: 500_000, createdAt: cst(2026, 1, 10) });
  const e = await json<Expense>(
    await s.call('/api/v1/finance/expenses', {
      method: 'POST',
      token: owner,
      json: { month: '2026-01', category: '房租', amountCents: 300_000, note: '一月房租' },
    }),
    201,
  );
  const badAmount = await s.call('/api/v1/finance/expenses', {
    method: 'POST',
    token: owner,
    json: { month: '2026-01', category: '房租', amountCents: 1.5 },
  });
  t.same((await errorOf(badAmount)).details, { field: 'amountCents' });
  const badMonth = await s.call('/api/v1/finance/expenses', {
    method: 'POST',
    token: owner,
    json: { month: '2026-1', category: '房租', amountCents: 1 },
  });
  t.same((await errorOf(badMonth)).details, { field: 'month' });
  const patched = await json<Expense>(
    await s.call(`/api/v1/finance/expenses/${e.id}`, { method: 'PATCH', token: owner, json: { amountCents: 200_000, version: 1 } }),
  );
  t.equal(patched.version, 2);
  t.equal(
    (await s.call(`/api/v1/finance/expenses/${e.id}`, { method: 'PATCH', token: owner, json: { amountCents: 1, version: 1 } })).status,
    409,
  );
  const extra = await json<Expense>(
    await s.call('/api/v1/finance/expenses', {
      method: 'POST',
      token: owner,
      json: { month: '2026-01', category: '错录', amountCents: 9 },
    }),
    201,
  );
  t.equal((await s.call(`/api/v1/finance/expenses/${extra.id}`, { method: 'DELETE', token: owner })).status, 204);
  t.equal((await s.call(`/api/v1/finance/expenses/${extra.id}`, { token: owner })).status, 404);
  const page = await json<{ items: Expense[]; total: number }>(await s.call('/api/v1/finance/expenses?month=2026-01', { token: owner }));
  t.equal(page.total, 1);

  // 25,000 − 5,000 cost = 20,000 margin; − 2,000 expenses − 5,000 salary = 13,000 net → 35 % = 4,550.00
  const p = await json<MonthProfit>(await s.call('/api/v1/finance/profit?month=2026-01', { token: owner }));
  t.match(p, {
    grossMarginCents: 2_000_000,
    expensesCents: 200_000,
    baseSalariesCents: 500_000,
    netProfitCents: 1_300_000,
    pool: { tierPct: 35, poolCents: 455_000 },
  });

  t.equal((await s.call('/api/v1/finance/settlements/2026-01/close', { method: 'POST', token: owner })).status, 409, 'not over yet');
  shop.at(cst(2026, 2, 1, 9));
  const closed = await json<MonthSettlement>(await s.call('/api/v1/finance/settlements/2026-01/close', { method: 'POST', token: owner }));
  t.match(closed, { status: 'closed', closedBy: 'owner', totalCents: 500_000 + 455_000 });
  const again = await json<MonthSettlement>(await s.call('/api/v1/finance/settlements/2026-01/close', { method: 'POST', token: owner }));
  t.same(again, closed, 'idempotent');
  t.same(await json(await s.call('/api/v1/finance/settlements?month=2026-01', { token: owner })), closed);
  const late = await s.call(`/api/v1/finance/expenses/${e.id}`, { method: 'PATCH', token: owner, json: { amountCents: 1 } });
  t.equal(late.status, 409);
  t.equal((await errorOf(late)).code, 'CONFLICT');
  t.equal(
    (
      await s.call('/api/v1/finance/expenses', {
        method: 'POST',
        token: owner,
        json: { month: '2026-01', category: '补录', amountCents: 1 },
      })
    ).status,
    409,
  );
  t.equal((await s.call(`/api/v1/finance/expenses/${e.id}`, { method: 'DELETE', token: owner })).status, 409);

  const rules = await json<CommissionRules>(await s.call('/api/v1/finance/rules', { token: owner }));
  t.equal(rules.distributorPricePct, 80);
  rules.bonusPool.mode = 'marginal';
  rules.referral.sellerPct = 25.5;
  const put = await json<CommissionRules>(await s.call('/api/v1/finance/rules', { method: 'PUT', token: owner, json: rules }));
  t.match(put, { bonusPool: { mode: 'marginal' }, referral: { sellerPct: 25.5 } });
  const desc = structuredClone(rules);
  desc.bonusPool.tiers = [
    { upToCents: 2_000_000, pct: 30 },
    { upToCents: 1_000_000, pct: 35 },
    { upToCents: null, pct: 40 },
  ];
  const r1 = await s.call('/api/v1/finance/rules', { method: 'PUT', token: owner, json: desc });
  t.equal(r1.status, 400);
  t.same((await errorOf(r1)).details, { field: 'bonusPool.tiers[1].upToCents' });
  const r2 = await s.call('/api/v1/finance/rules', { method: 'PUT', token: owner, json: { ...rules, distributorPricePct: 120 } });
  t.same((await errorOf(r2)).details, { field: 'distributorPricePct' });
  t.equal(shop.finance.rules().referral.sellerPct, 25.5, 'a refused PUT changed nothing');
});

// QA over HTTP: scorecards (owner defines, others read), scoring (supervisor, 201 then 200),
// validation (400 naming the field), roles (403), an agent reading only their own reviews,
// calibration, the review queue and dismissals, per-agent figures.
import t from 'tap';
import type { Calibration, FlaggedCall, Review, Scorecard } from '../../../firmware/src/service/types.js';
import { errorOf, startTestServer } from '../web-ui/fixtures/helpers.js';

const T0 = Date.UTC(2026, 10, 25, 2);

async function server(t: { teardown(fn: () => unknown): void }) {
  const s = await startTestServer(t);
  const owner = await s.login();
  const users: Record<string, { role: 'supervisor' | 'agent' | 'technician'; agentId: string | null }> = {
    sup1: { role: 'supervisor', agentId: null },
    sup2: { role: 'supervisor', agentId: null },
    agent1: { role: 'agent', agentId: 'a1' },
    agent2: { role: 'agent', agentId: 'a2' },
    loner: { role: 'agent', agentId: null },
    tech: { role: 'technician', agentId: null },
  };
  const tokens: Record<string, string> = {};
  for (const [name, u] of Object.entries(users)) {
    s.fake.auth.users.set(name, { password: 'pass-word-1', ...u });
    const res = await s.call('/api/v1/auth/token', { method: 'POST', json: { username: name, password: 'pass-word-1' } });
    tokens[name] = ((await res.json()) as { token: string }).token;
  }
  let n = 0;
  const call = (agent: string, talkS = 120) => {
    const id = `call-${++n}`;
    const start = T0 + n * 60_000;
    s.fake.db
      .prepare(
        `INSERT INTO calls (id, direction, state, caller_id, started_at, answered_at, ended_at, outcome, queue, agent)
         VALUES (?, 'inbound', 'ended', '13800000000', ?, ?, ?, 'answered', 'main', ?)`,
      )
      .run(id, start, start + 5000, start + 5000 + talkS * 1000, agent);
    return id;
  };
  const as = (who: string) => (who === 'owner' ? owner : (tokens[who] as string));
  const get = (path: string, who = 'owner') => s.call(path, { token: as(who) });
  const send = (method: string, path: string, json: unknown, who = 'owner') => s.call(path, { method, token: as(who), json });
  return { s, get, send, call };
}

const scoresOf = (card: Scorecard, score: number, over: Record<string, number> = {}) =>
  card.criteria.map((c) => ({ key: c.key, score: over[c.key] ?? score, comment: c.key === 'attitude' ? '语气生硬' : '' }));

t.test('scorecards: everyone who works calls reads, the owner defines', async (t) => {
  const { get, send } = await server(t);
  const list = await get('/api/v1/qa/scorecards', 'agent1');
  t.equal(list.status, 200);
  const cards = ((await list.json()) as { items: Scorecard[] }).items;
  t.equal(cards.length, 1);
  t.equal(cards[0]?.name, '服务质量考核 Service quality');
  t.equal((await get('/api/v1/qa/scorecards', 'tech')).status, 403, 'technician');
  t.equal((await get('/api/v1/qa/scorecards?all=1', 'sup1')).status, 403, 'inactive ones: owner only');

  const body = {
    name: '售后质检 After-sales',
    passMark: 70,
    criteria: [
      { key: 'greeting', labelZh: '开场问候', labelEn: 'Greeting', weight: 1 },
      { key: 'solution', labelZh: '解决问题', labelEn: 'Solved', weight: 3, critical: true },
    ],
  };
  t.equal((await send('POST', '/api/v1/qa/scorecards', body, 'sup1')).status, 403, 'a supervisor does not define');
  const created = await send('POST', '/api/v1/qa/scorecards', body);
  t.equal(created.status, 201);
  const card = (await created.json()) as Scorecard;
  t.match(card, { name: '售后质检 After-sales', passMark: 70, version: 1, active: true });
  t.equal(card.criteria[1]?.critical, true);

  const bad = async (json: unknown, field: string) => {
    const res = await send('POST', '/api/v1/qa/scorecards', json);
    t.equal(res.status, 400, field);
    const e = await errorOf(res);
    t.equal(e.code, 'VALIDATION_FAILED');
    t.match(e.details, { field }, field);
  };
  await bad({ ...body, passMark: 120 }, 'passMark');
  await bad({ ...body, passMark: '80' }, 'passMark');
  await bad({ ...body, criteria: [] }, 'criteria');
  await bad({ ...body, criteria: [{ ...body.criteria[0], weight: 0 }] }, 'criteria[0].weight');
  await bad({ ...body, name: '' }, 'name');
  await bad({ ...body, colour: 'red' }, 'colour');
  await bad([1], 'body');

  const patched = await send('PATCH', `/api/v1/qa/scorecards/${card.id}`, { passMark: 75, version: 1 });
  t.equal(patched.status, 200);
  t.equal(((await patched.json()) as Scorecard).version, 2);
  const stale = await send('PATCH', `/api/v1/qa/scorecards/${card.id}`, { passMark: 76, version: 1 });
  t.equal(stale.status, 409);
  t.equal((await send('PATCH', '/api/v1/qa/scorecards/nope', { passMark: 76 })).status, 404);
  t.equal((await get(`/api/v1/qa/scorecards/${card.id}`, 'agent2')).status, 200);
  t.equal((await get('/api/v1/qa/scorecards/nope')).status, 404);
});

t.test('scoring, the agent sees only their own, calibration', async (t) => {
  const { get, send, call } = await server(t);
  const card = ((await (await get('/api/v1/qa/scorecards')).json()) as { items: Scorecard[] }).items[0] as Scorecard;
  const c1 = call('a1');
  const c2 = call('a2');
  const review = (callId: string, scores: unknown, who = 'sup1', comment?: string) =>
    send('POST', '/api/v1/qa/reviews', { callId, scorecardId: card.id, scores, ...(comment ? { comment } : {}) }, who);

  const r1 = await review(c1, scoresOf(card, 100, { attitude: 60 }), 'sup1', '整体不错，注意语气');
  t.equal(r1.status, 201);
  const rv = (await r1.json()) as Review;
  // (10·100 + 15·100 + 30·100 + 25·60 + 10·100 + 10·100) / 100 = 90
  t.match(rv, { callId: c1, agent: 'a1', scorer: 'sup1', total: 90, passed: true, autoFailed: false, comment: '整体不错，注意语气' });
  t.equal((await review(c1, scoresOf(card, 100, { attitude: 60 }))).status, 200, 'the same scorer again: an update');
  const r2 = await review(c1, scoresOf(card, 100, { identity: 0 }), 'sup2');
  t.match((await r2.json()) as Review, { total: 85, passed: false, autoFailed: true });
  t.equal((await review(c2, scoresOf(card, 70), 'owner')).status, 201, 'the owner scores too');

  // validation and roles
  const e400 = async (res: Response, field: string) => {
    t.equal(res.status, 400, field);
    t.match((await errorOf(res)).details, { field }, field);
  };
  await e400(await review(c1, scoresOf(card, 100).slice(1)), 'scores');
  await e400(await review(c1, [{ key: 'greeting', score: 101 }]), 'scores[0].score');
  await e400(await review(c1, 'all good'), 'scores');
  await e400(await send('POST', '/api/v1/qa/reviews', { callId: c1, scorecardId: card.id, scores: [], extra: 1 }, 'sup1'), 'extra');
  await e400(await send('POST', '/api/v1/qa/reviews', { callId: '', scorecardId: card.id, scores: [] }, 'sup1'), 'callId');
  await e400(await review(c1, scoresOf(card, 100), 'sup1', 'x'.repeat(2001)), 'comment');
  t.equal((await review('no-such-call', scoresOf(card, 100))).status, 404);
  t.equal((await review(c1, scoresOf(card, 100), 'agent1')).status, 403, 'an agent does not score');
  t.equal((await review(c1, scoresOf(card, 100), 'tech')).status, 403);

  // reading: supervisors all, agents their own
  const list = async (path: string, who: string) => {
    const res = await get(path, who);
    return { status: res.status, body: res.status === 200 ? ((await res.json()) as { items: Review[]; total: number }) : null };
  };
  t.equal((await list('/api/v1/qa/reviews', 'sup1')).body?.total, 3);
  t.equal((await list(`/api/v1/qa/reviews?call=${c1}`, 'sup1')).body?.total, 2);
  t.equal((await list('/api/v1/qa/reviews?agent=a2', 'sup2')).body?.total, 1);
  const mine = await list('/api/v1/qa/reviews', 'agent1');
  t.equal(mine.body?.total, 2, 'agent1 sees the two reviews of their call');
  t.ok(mine.body?.items.every((r) => r.agent === 'a1'));
  t.equal(mine.body?.items[0]?.scores.find((s) => s.key === 'attitude')?.comment, '语气生硬', 'with the comments');
  t.equal((await list(`/api/v1/qa/reviews?call=${c2}`, 'agent1')).body?.total, 0, 'not the other agent’s call');
  t.equal((await list('/api/v1/qa/reviews?agent=a2', 'agent1')).status, 403);
  t.equal((await list('/api/v1/qa/reviews', 'loner')).status, 403, 'no linked agent');
  t.equal((await list('/api/v1/qa/reviews?limit=0', 'sup1')).status, 400);
  t.equal((await list('/api/v1/qa/reviews?agent=bad%20id', 'sup1')).status, 400);
  const other = (await list(`/api/v1/qa/reviews?call=${c2}`, 'sup1')).body?.items[0] as Review;
  t.equal((await get(`/api/v1/qa/reviews/${other.id}`, 'agent1')).status, 404, 'someone else’s review is not found');
  t.equal((await get(`/api/v1/qa/reviews/${other.id}`, 'agent2')).status, 200);

  // calibration
  const cal = await get(`/api/v1/qa/calibration?call=${c1}`, 'sup2');
  t.equal(cal.status, 200);
  const c = (await cal.json()) as Calibration;
  t.same(c.scorers, ['sup1', 'sup2']);
  t.same(Object.fromEntries(c.criteria.map((x) => [x.key, x.spread])), {
    greeting: 0,
    identity: 100,
    accuracy: 0,
    attitude: 40,
    summary: 0,
    closing: 0,
  });
  t.equal(c.totalSpread, 5);
  t.equal(c.verdictsAgree, false);
  t.equal((await get(`/api/v1/qa/calibration?call=${c2}`, 'sup1')).status, 409, 'one scorer');
  t.equal((await get('/api/v1/qa/calibration', 'sup1')).status, 400);
  t.equal((await get(`/api/v1/qa/calibration?call=${c1}`, 'agent1')).status, 403);

  // per agent
  const rows = await get('/api/v1/qa/agents?from=2026-11-25&to=2026-11-26', 'sup1');
  t.equal(rows.status, 200);
  t.match(((await rows.json()) as { items: unknown[] }).items, [
    { agent: 'a1', reviews: 2, passRate: 0.5, autoFailed: 1 },
    { agent: 'a2', reviews: 1, passRate: 0 },
  ]);
  t.equal((await get('/api/v1/qa/agents?from=2026-11-26&to=2026-11-25', 'sup1')).status, 400);
  t.equal((await get('/api/v1/qa/agents?from=yesterday&to=2026-11-25', 'sup1')).status, 400);
  t.equal((await get('/api/v1/qa/agents', 'sup1')).status, 400);
});

t.test('the review queue and dismissals', async (t) => {
  const { get, send, call } = await server(t); // the fake's clock: T0 + 1 day
  const short = call('a1', 3);
  call('a1', 200);
  const shortToo = call('a2', 5);
  const res = await get('/api/v1/qa/flags', 'sup1');
  t.equal(res.status, 200);
  const q = (await res.json()) as { items: FlaggedCall[] };
  t.same(
    q.items.map((f) => [f.callId, f.flags[0]?.kind]),
    [
      [shortToo, 'shortCall'],
      [short, 'shortCall'],
    ],
  );
  t.equal(((await get('/api/v1/qa/flags?agent=a1', 'sup1').then((r) => r.json())) as { items: unknown[] }).items.length, 1);
  t.equal((await get('/api/v1/qa/flags', 'agent1')).status, 403);
  t.equal((await get('/api/v1/qa/flags?all=maybe', 'sup1')).status, 400);
  t.equal(
    ((await get('/api/v1/qa/flags?from=2026-11-26T00:00:00Z', 'sup1').then((r) => r.json())) as { items: unknown[] }).items.length,
    0,
  );
  const d = await send('POST', `/api/v1/qa/flags/${short}/dismiss`, { note: '客户挂错电话' }, 'sup1');
  t.equal(d.status, 204);
  t.equal((await send('POST', '/api/v1/qa/flags/nope/dismiss', {}, 'sup1')).status, 404);
  t.equal((await send('POST', `/api/v1/qa/flags/${short}/dismiss`, { note: 1 }, 'sup1')).status, 400);
  const left = (await (await get('/api/v1/qa/flags', 'sup1')).json()) as { items: FlaggedCall[] };
  t.same(
    left.items.map((f) => f.callId),
    [shortToo],
  );
  t.equal(((await (await get('/api/v1/qa/flags?all=1', 'sup1')).json()) as { items: unknown[] }).items.length, 2);
});

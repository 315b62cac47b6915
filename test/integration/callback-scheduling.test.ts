// Callback scheduling (回拨预约) over HTTP on the real box in virtual time (sim driver): on a fresh
// box (no follow-up list) an agent whose user name is not their agent id schedules a callback for
// a customer for themself and one for the team; bad times, an unknown customer and a do-not-call
// customer are refused with a code; the built-in 回拨 list appears; "my callbacks" lists today's
// items on the shop's clock; the preview dialer does not offer them, the wallboard counts them once
// due; the agent calls one (their phone rings first, then the box dials the customer over an FXO
// line) and records the outcome (callback later inside the calling hours; no answer → the box
// retries later; reached → done).
import t from 'tap';
import { apiAs, serveApi } from '../helpers/http-api.js';
import { virtualBox } from '../helpers/box.js';

/** Thursday 2026-11-26 10:00 in Shanghai (UTC+8). */
const START = Date.UTC(2026, 10, 26, 2);
const H = 3_600_000;

type Body = Record<string, unknown> & {
  error?: { code: string; details?: Record<string, unknown> };
  items?: Record<string, unknown>[];
};

t.test('schedule, list, call and close callbacks', async (t) => {
  const vb = await virtualBox({ startMs: START });
  t.teardown(vb.close);
  const { box, clock } = vb;
  const hat = box.hat;
  if (!hat) throw new Error('sim driver expected');
  for (const id of ['a3', 'a4']) box.service.acd.setAgentState(id, { state: 'loggedOut' });
  box.service.sim?.setAgentSettings({ answerAfterS: 2, talkS: 60 });
  const http = await serveApi(t, box.service);
  await box.service.auth.addUser({ username: 'xiaowang', role: 'agent', password: 'agent-pass-1', agentId: 'a1' });
  await box.service.auth.addUser({ username: 'xiaoli', role: 'agent', password: 'agent-pass-2', agentId: 'a2' });
  await box.service.auth.addUser({ username: 'tech', role: 'technician', password: 'tech-pass-1' });
  const owner = { username: 'owner', role: 'owner' as const };
  const wang = box.service.customers.create(owner, { name: '王女士', phones: ['13900009999'] });
  const dnc = box.service.customers.create(owner, { name: '勿扰先生', phones: ['13900008888'], doNotCall: true });
  const api = await apiAs(http.port, {
    owner: ['owner', 'test-password-1'],
    agent: ['xiaowang', 'agent-pass-1'],
    other: ['xiaoli', 'agent-pass-2'],
    tech: ['tech', 'tech-pass-1'],
  });
  const call = async (who: 'owner' | 'agent' | 'other' | 'tech', method: string, path: string, json?: unknown) =>
    (await api.call(who, method, path, json)) as { status: number; body: Body };
  const schedule = (who: 'agent' | 'other' | 'tech', json: unknown) => call(who, 'POST', '/api/v1/followups/callbacks', json);

  t.equal((await call('owner', 'GET', '/api/v1/followups/lists')).body.total, 0, 'a fresh box: no follow-up list');

  // bad input: 4xx with a code and the field
  const refused = async (json: unknown, status: number, details: Record<string, unknown>, what: string) =>
    t.match(await schedule('agent', json), { status, body: { error: { details } } }, what);
  await refused({ customerId: wang.id, at: '2026-11-26T09:00' }, 400, { field: 'at', reason: 'past' }, 'a time in the past');
  await refused(
    { customerId: wang.id, at: '2026-11-26T22:30' },
    400,
    { field: 'at', reason: 'outsideCallingHours', nextLocal: '2026-11-27 09:00' },
    'outside the calling hours: the next calling time is named',
  );
  await refused({ customerId: wang.id, at: '2027-12-01T10:00' }, 400, { field: 'at', reason: 'tooFar' }, 'more than a year ahead');
  await refused({ customerId: wang.id, at: '2026-02-30T10:00' }, 400, { field: 'at' }, 'not a real date');
  await refused({ customerId: wang.id, at: 'tomorrow' }, 400, { field: 'at' }, 'not a time');
  await refused({ customerId: wang.id }, 400, { field: 'at' }, 'no time');
  await refused(
    { customerId: 'nope', at: '2026-11-26T16:00' },
    400,
    { field: 'customerId', reason: 'unknownCustomer' },
    'unknown customer',
  );
  await refused({ at: '2026-11-26T16:00' }, 400, { field: 'phone' }, 'nobody to call');
  await refused({ customerId: wang.id, at: '2026-11-26T16:00', for: 'boss' }, 400, { field: 'for' }, 'for me or the team only');
  await refused({ customerId: dnc.id, at: '2026-11-26T16:00' }, 409, { reason: 'do_not_call' }, 'a do-not-call customer');
  t.match(
    await schedule('agent', { customerId: wang.id, at: '2026-11-26T16:00', agent: 'a2' }),
    { status: 403 },
    'agents schedule for themselves',
  );
  t.match(await schedule('tech', { customerId: wang.id, at: '2026-11-26T16:00' }), { status: 403 }, 'a technician may not');
  t.match(
    await call('owner', 'POST', '/api/v1/followups/callbacks', { customerId: wang.id, at: '2026-11-26T16:00' }),
    { status: 409, body: { error: { details: { reason: 'noAgent' } } } },
    'for me: a user without an agent',
  );
  t.equal((await call('owner', 'GET', '/api/v1/followups/items')).body.total, 0, 'nothing was added by a refused request');

  // the agent's own callback (shop clock) and one for the team (ISO with its zone, by number)
  const mine = await schedule('agent', { customerId: wang.id, at: '2026-11-26T16:00', note: '客户在开会，四点再打' });
  t.match(mine, { status: 201, body: { assignee: 'a1', dueAt: '2026-11-26T08:00:00.000Z', phone: '139****9999', state: 'pending' } });
  const team = await schedule('agent', { phone: '13700001111', at: '2026-11-26T11:00:00+08:00', for: 'team' });
  t.match(team, { status: 201, body: { assignee: null, dueAt: '2026-11-26T03:00:00.000Z' } });
  const lists = (await call('owner', 'GET', '/api/v1/followups/lists')).body.items ?? [];
  t.match(lists, [{ name: '回拨 / Callbacks', defaultFor: 'callback', active: true }], 'the built-in 回拨 list, made on first use');
  t.equal(lists.length, 1);

  const day = (await call('agent', 'GET', '/api/v1/followups/callbacks')).body;
  t.match(day, {
    agent: 'a1',
    timezone: 'Asia/Shanghai',
    nowLocal: '2026-11-26T10:00',
    later: 0,
    presets: [
      { key: 'in1h', local: '11-26 11:00' },
      { key: 'today16', local: '11-26 16:00' },
      { key: 'tomorrow', local: '11-27 09:00' },
    ],
  });
  t.same(
    day.items?.map((i) => [i.id, i.local, i.due, i.customerName]),
    [
      [team.body.id, '11:00', false, null],
      [mine.body.id, '16:00', false, '王女士'],
    ],
    "my callbacks today: the team's and mine, soonest first, on the shop's clock",
  );
  const theirs = (await call('other', 'GET', '/api/v1/followups/callbacks')).body.items ?? [];
  t.same(
    theirs.map((i) => i.id),
    [team.body.id],
    "a colleague sees the team's callback, not mine",
  );
  t.match(await call('agent', 'GET', '/api/v1/followups/callbacks?agent=a2'), { status: 403 });
  t.match(await call('owner', 'GET', '/api/v1/followups/callbacks?agent=a2'), { status: 200, body: { agent: 'a2' } });

  // 11:00: the team's callback is due — on the wallboard, not offered by the preview dialer
  const wallboard = async () => (await call('owner', 'GET', '/api/v1/wallboard')).body;
  t.match(await wallboard(), { callbacksPending: 0, callbacksScheduledDue: 0 });
  await clock.run(H + 10_000);
  t.match(await wallboard(), { callbacksPending: 1, callbacksScheduledDue: 1 }, 'a due callback is pending on the wallboard');
  t.equal(box.service.followups.getItem(owner, String(team.body.id))?.state, 'pending', 'the dialer does not offer callbacks');
  const due = (await call('agent', 'GET', '/api/v1/followups/callbacks')).body.items ?? [];
  t.match(due[0], { id: team.body.id, due: true }, 'due now');

  // call it: the agent's phone rings first, then the box dials the customer
  const phone = box.channels().find((c) => c.id === 'fxs1');
  const seen: string[] = [];
  phone?.events.on('state', (s) => seen.push(`${s.state}@${hat.dialled.length}`));
  const attempt = await call('agent', 'POST', `/api/v1/followups/items/${team.body.id}/call`);
  t.match(attempt, { status: 201, body: { agent: 'a1', n: 1 } });
  t.match(await call('other', 'POST', `/api/v1/followups/items/${team.body.id}/call`), {
    status: 409,
    body: { error: { details: { reason: 'notPending' } } },
  });
  await clock.runUntil(() => hat.dialled.some((d) => d.number === '13700001111'), 30_000);
  t.equal(seen[0], 'ringing@0', "the agent's phone rang before the customer was dialled");
  const attempts = () => box.service.followups.attempts(owner, String(team.body.id));
  await clock.runUntil(() => box.service.calls.get(attempts()[0]?.callId ?? '')?.state === 'talking', 30_000);
  t.match(box.service.calls.get(attempts()[0]?.callId ?? ''), { direction: 'outbound', agent: 'a1', callerId: '13700001111' });
  t.match(await wallboard(), { callbacksPending: 0 }, 'being called: no longer pending');
  // from a call (the console's screen pop: the number is masked for the agent, the box knows it)
  t.match(await schedule('agent', { callId: attempts()[0]?.callId, at: '2026-11-26T18:00', for: 'team' }), {
    status: 201,
    body: { phone: '137****1111', assignee: null },
  });
  await refused({ callId: 'nope', at: '2026-11-26T18:00' }, 400, { field: 'callId', reason: 'unknownCall' }, 'an unknown call');

  // the customer asks for later: inside the calling hours only; a colleague cannot record it
  const outcome = (who: 'agent' | 'other', id: unknown, json: unknown) => call(who, 'POST', `/api/v1/followups/items/${id}/outcome`, json);
  t.match(await outcome('other', team.body.id, { outcome: 'reached' }), { status: 403 });
  t.match(await outcome('agent', team.body.id, { outcome: 'callback_later', callbackAt: '2026-11-26T23:00:00+08:00' }), {
    status: 400,
    body: { error: { details: { field: 'callbackAt', reason: 'outsideCallingHours' } } },
  });
  t.match(await outcome('agent', team.body.id, { outcome: 'callback_later', callbackAt: 'at five' }), {
    status: 400,
    body: { error: { details: { field: 'callbackAt' } } },
  });
  t.match(await outcome('agent', team.body.id, { outcome: 'callback_later', callbackAt: '2026-11-26T09:00' }), {
    status: 400,
    body: { error: { details: { field: 'callbackAt', reason: 'past' } } },
  });
  // the shop's wall time, like a new callback
  t.match(await outcome('agent', team.body.id, { outcome: 'callback_later', callbackAt: '2026-11-26T17:00', note: '五点再打' }), {
    status: 200,
    body: { state: 'pending', nextAt: '2026-11-26T09:00:00.000Z', outcome: 'callback_later', attempts: 1 },
  });

  // 16:00: mine is due; the customer does not answer → the box records no_answer and retries later
  hat.setCustomer('13900009999', { answerAfterS: null });
  await clock.run(5 * H);
  t.match(await wallboard(), { callbacksScheduledDue: 1 }, 'mine due at 16:00 (the team one moved to 17:00)');
  t.match(await call('agent', 'POST', `/api/v1/followups/items/${mine.body.id}/call`), { status: 201 });
  const item = () => box.service.followups.getItem(owner, String(mine.body.id));
  await clock.runUntil(() => item()?.state === 'pending', 120_000);
  t.match(item(), { outcome: 'no_answer', attempts: 1 }, 'no answer: back on the list');
  t.ok(Date.parse(item()?.nextAt ?? '') >= clock.now() + 59 * 60_000, 'retried after the list delay');
  const later = (await call('agent', 'GET', '/api/v1/followups/callbacks')).body.items ?? [];
  t.match(
    later.find((i) => i.id === mine.body.id),
    { due: false, outcome: 'no_answer' },
    'still in my callbacks, not due',
  );

  // called again by hand before the retry time: reached → done
  hat.setCustomer('13900009999', { answerAfterS: 3 });
  await clock.run(120_000);
  t.match(await call('agent', 'POST', `/api/v1/followups/items/${mine.body.id}/call`), { status: 201, body: { n: 2 } });
  await clock.runUntil(() => hat.dialled.filter((d) => d.number === '13900009999').length === 2, 30_000);
  t.match(await outcome('agent', mine.body.id, { outcome: 'reached', note: '已回电' }), { status: 200, body: { state: 'done' } });
  t.notOk(
    ((await call('agent', 'GET', '/api/v1/followups/callbacks')).body.items ?? []).some((i) => i.id === mine.body.id),
    'a done callback leaves my callbacks',
  );
});

// Regression: late in the evening a callback an hour ahead (after midnight) was scheduled but not
// listed in 我的回拨, which showed only the shop's today (the console test failed 23:00–24:00).
t.test('late in the evening, a callback after midnight is in my callbacks', async (t) => {
  const vb = await virtualBox({ startMs: Date.UTC(2026, 10, 26, 15, 10) }); // 23:10 in Shanghai
  t.teardown(vb.close);
  const http = await serveApi(t, vb.box.service);
  await vb.box.service.auth.addUser({ username: 'xiaowang', role: 'agent', password: 'agent-pass-1', agentId: 'a1' });
  const wang = vb.box.service.customers.create({ username: 'owner', role: 'owner' }, { name: '王女士', phones: ['13900009999'] });
  const api = await apiAs(http.port, { owner: ['owner', 'test-password-1'], agent: ['xiaowang', 'agent-pass-1'] });
  const { body: day } = (await api.call('agent', 'GET', '/api/v1/followups/callbacks')) as { body: Body };
  await api.call('owner', 'PATCH', `/api/v1/followups/lists/${day.listId}`, {
    callingHours: Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, ['00:00-24:00']])),
  });
  const made = (await api.call('agent', 'POST', '/api/v1/followups/callbacks', { customerId: wang.id, at: '2026-11-27T00:10' })) as {
    status: number;
  };
  t.equal(made.status, 201, 'scheduled for 00:10');
  const after = (await api.call('agent', 'GET', '/api/v1/followups/callbacks')) as { body: Body };
  t.match(after.body.items, [{ customerName: '王女士', due: false, local: '11-27 00:10' }], 'listed, with its date');
  t.equal(after.body.later, 0, 'not counted as later');
});

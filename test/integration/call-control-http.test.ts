// Call control over HTTP on the real box in virtual time (issue 12): roles (an agent acts on their
// own call only; a supervisor on any), validation (400 naming the field), 404 / 409 with a reason,
// hold / unhold, attended transfer with complete (GET /api/v1/calls/{id} then shows the new party
// in the legs), park / list / pickup, blind transfer to a queue, click-to-dial (agent phone first).
import t from 'tap';
import { apiAs, serveApi } from '../helpers/http-api.js';
import { talkingCall } from './fixtures/talking-call.js';

t.test('call control over HTTP', async (t) => {
  const { box, clock, sim, callId, first: agentId } = await talkingCall(t, { hangupAfterS: 3600, talkS: 3600 });
  const http = await serveApi(t, box.service);
  const [otherId, supId] = ['a1', 'a2', 'a3', 'a4'].filter((a) => a !== agentId) as [string, string];
  await box.service.auth.addUser({ username: 'banzhang', role: 'supervisor', password: 'supervisor-pass-1', agentId: supId });
  await box.service.auth.addUser({ username: 'xiaowang', role: 'agent', password: 'agent-pass-1', agentId });
  await box.service.auth.addUser({ username: 'xiaoli', role: 'agent', password: 'agent-pass-2', agentId: otherId });
  const { url, tokenOf, call } = await apiAs(http.port, {
    owner: ['owner', 'test-password-1'],
    sup: ['banzhang', 'supervisor-pass-1'],
    agent: ['xiaowang', 'agent-pass-1'],
    other: ['xiaoli', 'agent-pass-2'],
  });
  const base = `/api/v1/calls/${callId}`;

  // roles, validation, unknown calls
  t.match(await call('other', 'POST', `${base}/hold`), { status: 403, body: { error: { code: 'FORBIDDEN' } } }, "another agent's call");
  t.match(await call('agent', 'POST', '/api/v1/calls/nope/hold'), { status: 404 });
  t.match(await call('agent', 'POST', `${base}/transfer`, { to: otherId, mode: 'sideways' }), {
    status: 400,
    body: { error: { details: { field: 'mode' } } },
  });
  t.match(await call('agent', 'POST', `${base}/transfer`, { to: 'queue:nope', mode: 'blind' }), {
    status: 400,
    body: { error: { details: { field: 'to' } } },
  });
  t.match(await call('agent', 'POST', `${base}/transfer`, { to: otherId, mode: 'blind', x: 1 }), {
    status: 400,
    body: { error: { details: { field: 'x' } } },
  });
  t.match(await call('agent', 'POST', `${base}/unhold`), { status: 409, body: { error: { details: { reason: 'notOnHold' } } } });
  t.match(await call('agent', 'POST', `${base}/transfer/complete`), {
    status: 409,
    body: { error: { details: { reason: 'noTransfer' } } },
  });

  // hold / unhold by the agent
  const held = await call('agent', 'POST', `${base}/hold`);
  t.match(held, { status: 200, body: { id: callId, callerId: '138****8000' } }, 'the agent sees the caller masked');
  t.match(await call('agent', 'POST', `${base}/hold`), { status: 409, body: { error: { details: { reason: 'onHold' } } } });
  await clock.run(3000);
  t.match(await call('sup', 'POST', `${base}/unhold`), { status: 200, body: { holdSeconds: 3 } }, 'a supervisor may unhold any call');

  // attended transfer to a busy target is refused; to a free one: consult, complete
  box.engine.acd.pause(otherId, null);
  t.match(await call('agent', 'POST', `${base}/transfer`, { to: otherId, mode: 'attended' }), {
    status: 409,
    body: { error: { details: { reason: 'targetBusy' } } },
  });
  box.engine.acd.login(otherId);
  t.match(await call('agent', 'POST', `${base}/transfer`, { to: otherId, mode: 'attended' }), {
    status: 200,
    body: { state: 'consulting' },
  });
  await clock.runUntil(() => box.engine.live(callId)?.control?.consult?.answered === true, 10_000);
  t.match(await call('agent', 'POST', `${base}/transfer/complete`), { status: 200, body: { state: 'completed' } });
  const after = await call('owner', 'GET', base);
  const legs = (after.body?.legs ?? []) as { channel: string; role: string }[];
  t.equal(after.body?.agent, otherId, 'the call is the colleague now');
  t.same(legs.at(-1), { ...legs.at(-1), channel: `fxs${otherId.slice(1)}`, role: 'agent' }, 'the new party is in the legs');
  t.match(await call('agent', 'POST', `${base}/hold`), { status: 403 }, 'the first agent no longer controls the call');

  // park by the new agent, listed, picked up by the supervisor for the first agent
  const parked = await call('other', 'POST', `${base}/park`);
  t.match(parked, { status: 200, body: { slot: 71 } });
  t.match(await call('agent', 'GET', '/api/v1/parked'), { status: 200, body: { parked: [{ slot: 71, callId, callerId: '138****8000' }] } });
  t.match(await call('agent', 'POST', '/api/v1/parked/72/pickup'), { status: 404 });
  t.match(await call('agent', 'POST', '/api/v1/parked/7/pickup'), { status: 400, body: { error: { details: { field: 'slot' } } } });
  t.match(
    await call('other', 'POST', '/api/v1/parked/71/pickup', { agent: agentId }),
    { status: 403 },
    'an agent picks up for themselves only',
  );
  await clock.run(3000);
  t.match(await call('sup', 'POST', '/api/v1/parked/71/pickup', { agent: agentId }), { status: 202, body: { callId, agent: agentId } });
  await clock.runUntil(() => box.service.calls.get(callId)?.agent === agentId, 10_000);

  // blind to the queue, then the call goes on with the queue's next agent
  t.match(await call('agent', 'POST', `${base}/transfer`, { to: 'queue:main', mode: 'blind' }), {
    status: 200,
    body: { state: 'transferred' },
  });
  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'talking', 30_000);

  // an ended call: 409 notLive
  const { callId: gone } = await sim.placeCall({ channel: 'fxo2', callerId: '13700000000', digits: '', hangupAfterS: 1 });
  await clock.runUntil(() => box.service.calls.get(gone)?.state === 'ended', 30_000);
  t.match(await call('sup', 'POST', `/api/v1/calls/${gone}/hold`), {
    status: 409,
    body: { error: { details: { reason: 'notLive' } } },
  });

  // click-to-dial: validation, then the free agent's phone rings first
  t.match(await call('sup', 'POST', '/api/v1/calls/dial', { number: 'abc' }), {
    status: 400,
    body: { error: { details: { field: 'number' } } },
  });
  t.match(await call('owner', 'POST', '/api/v1/calls/dial', { number: '13900001111' }), {
    status: 409,
    body: { error: { details: { reason: 'noAgent' } } },
  });
  const free = box.engine.acd.agentsView().find((a) => a.state === 'available')?.id as string;
  t.match(await call('owner', 'POST', '/api/v1/calls/dial', { number: '13900001111', agent: free }), {
    status: 202,
    body: { agent: free },
  });
  t.equal(box.channels().find((c) => c.id === `fxs${free.slice(1)}`)?.state, 'ringing', "the agent's phone rings first");

  // click-to-dial a customer by id: an agent gets the number masked, the box dials the real one
  const customer = box.service.customers.create({ username: 'owner', role: 'owner' }, { name: '王女士', phones: ['13900002222'] });
  const dialler = ['a1', 'a2', 'a3', 'a4'].find(
    (a) => a !== free && box.engine.acd.agentsView().find((v) => v.id === a)?.state === 'available',
  );
  if (dialler) {
    await box.service.auth.addUser({ username: 'xiaozhao', role: 'agent', password: 'agent-pass-3', agentId: dialler });
    const tok = await tokenOf('xiaozhao', 'agent-pass-3');
    const res = await fetch(url('/api/v1/calls/dial'), {
      method: 'POST',
      headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: customer.id }),
    });
    t.match(await res.json(), { agent: dialler, number: '139****2222' }, 'the agent sees the number masked');
    t.equal(res.status, 202);
    await clock.runUntil(() => box.hat?.dialled.some((d) => d.number === '13900002222') ?? false, 30_000);
    t.pass('the box dialled the customer after the agent lifted the phone');
  } else t.fail('no free agent left to dial a customer');
  t.match(await call('sup', 'POST', '/api/v1/calls/dial', { customerId: 'nope' }), {
    status: 400,
    body: { error: { details: { field: 'customerId' } } },
  });
});

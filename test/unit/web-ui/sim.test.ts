import t from 'tap';
import { errorOf, startTestServer } from './fixtures/helpers.js';

t.test('sim call: 201 with callId and Location; fields reach the sim', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  const json = { channel: 'fxo1', callerId: '+8613800138000', callerName: 'Li Lei', digits: '1*#', hangupAfterS: 30 };
  let res = await s.call('/api/v1/sim/calls', { method: 'POST', token, json });
  t.equal(res.status, 201);
  t.same(await res.json(), { callId: 'sim-1' });
  t.equal(res.headers.get('location'), '/api/v1/calls/sim-1');
  t.same(s.fake.sim?.placed[0], json);

  res = await s.call('/api/v1/sim/calls', { method: 'POST', token, json: { channel: 'gsm1', callerId: null } });
  t.equal(res.status, 201);
  await res.arrayBuffer();
  t.same(s.fake.sim?.placed[1], { channel: 'gsm1', callerId: null });

  res = await s.call('/api/v1/sim/calls', { method: 'POST', token, json: { channel: 'fxo9' } });
  t.equal(res.status, 404, "the sim's own errors pass through");
  t.match(await errorOf(res), { code: 'NOT_FOUND', message: /fxo9/ });

  res = await s.call('/api/v1/sim/calls', { method: 'POST', json: { channel: 'fxo1' } });
  t.equal(res.status, 401, 'bearer required');
  await res.arrayBuffer();
});

t.test('sim call validation errors name the field', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  const cases: [unknown, string][] = [
    [{}, 'channel'],
    [{ channel: 'FXO1' }, 'channel'],
    [{ channel: 'fxo' }, 'channel'],
    [{ channel: '1fxo' }, 'channel'],
    [{ channel: 7 }, 'channel'],
    [{ channel: 'fxo1', callerId: 'abc' }, 'callerId'],
    [{ channel: 'fxo1', callerId: '1'.repeat(33) }, 'callerId'],
    [{ channel: 'fxo1', callerId: '' }, 'callerId'],
    [{ channel: 'fxo1', callerId: 12345 }, 'callerId'],
    [{ channel: 'fxo1', callerName: 'a\u0007b' }, 'callerName'],
    [{ channel: 'fxo1', callerName: 'x'.repeat(65) }, 'callerName'],
    [{ channel: 'fxo1', digits: '12a' }, 'digits'],
    [{ channel: 'fxo1', digits: '1'.repeat(33) }, 'digits'],
    [{ channel: 'fxo1', digits: null }, 'digits'],
    [{ channel: 'fxo1', hangupAfterS: 0 }, 'hangupAfterS'],
    [{ channel: 'fxo1', hangupAfterS: 86_401 }, 'hangupAfterS'],
    [{ channel: 'fxo1', hangupAfterS: '30' }, 'hangupAfterS'],
    [{ channel: 'fxo1', ringCount: 3 }, 'ringCount'],
    [null, 'body'],
  ];
  for (const [json, field] of cases) {
    const res = await s.call('/api/v1/sim/calls', { method: 'POST', token, json });
    t.equal(res.status, 400, JSON.stringify(json).slice(0, 60));
    const err = await errorOf(res);
    t.equal(err.code, 'VALIDATION_FAILED');
    t.match(err.message, new RegExp(`^${field} `));
    t.same(err.details, { field });
  }
  t.equal(s.fake.sim?.placed.length, 0, 'nothing was placed');
  const edge = { channel: 'fxo12', callerId: '1'.repeat(32), digits: '', hangupAfterS: 86_400 };
  const res = await s.call('/api/v1/sim/calls', { method: 'POST', token, json: edge });
  t.equal(res.status, 201, 'limits are inclusive');
  await res.arrayBuffer();
});

t.test('sim agents: get and patch timing, validated', async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  let res = await s.call('/api/v1/sim/agents', { token });
  t.equal(res.status, 200);
  t.same(await res.json(), { answerAfterS: 2, talkS: 30 });

  res = await s.call('/api/v1/sim/agents', { method: 'PATCH', token, json: { talkS: 5 } });
  t.equal(res.status, 200);
  t.same(await res.json(), { answerAfterS: 2, talkS: 5 });

  for (const [json, field] of [
    [{ answerAfterS: -1 }, 'answerAfterS'],
    [{ talkS: 'long' }, 'talkS'],
    [{ talkS: 0 }, 'talkS'],
    [{ speed: 2 }, 'speed'],
  ] as const) {
    res = await s.call('/api/v1/sim/agents', { method: 'PATCH', token, json });
    t.equal(res.status, 400);
    t.match(await errorOf(res), { code: 'VALIDATION_FAILED', details: { field } });
  }
  t.same(s.fake.sim?.agentSettings(), { answerAfterS: 2, talkS: 5 }, 'unchanged by bad patches');

  res = await s.call('/api/v1/sim/agents');
  t.equal(res.status, 401);
  await res.arrayBuffer();
});

t.test('no sim driver → 404 NOT_FOUND with a clear message on every sim route', async (t) => {
  const s = await startTestServer(t, { withSim: false });
  const token = await s.login();
  const requests = [
    s.call('/api/v1/sim/calls', { method: 'POST', token, json: { channel: 'fxo1' } }),
    s.call('/api/v1/sim/agents', { token }),
    s.call('/api/v1/sim/agents', { method: 'PATCH', token, json: { talkS: 3 } }),
  ];
  for (const res of await Promise.all(requests)) {
    t.equal(res.status, 404);
    t.match(await errorOf(res), { code: 'NOT_FOUND', message: /sim driver/ });
  }
});

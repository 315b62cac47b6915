// The production bundle on the sim driver, driven over HTTP like the dashboard and the cloud will:
// log in, place a simulated call through the sim API, and find its CDR through GET /api/v1/calls.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startBox } from '../helpers/process.js';

t.test('a simulated call placed over HTTP ends up as a CDR', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-http-'));
  const box = await startBox(dataDir);
  t.teardown(async () => {
    await box.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const health = (await (await fetch(`${box.url}/healthz`)).json()) as any;
  t.equal(health.status, 'ok');
  t.same(
    health.channels.map((c: { id: string }) => c.id),
    ['fxo1', 'fxo2', 'fxs1', 'fxs2', 'fxs3', 'fxs4', 'gsm1'],
  );

  const unauth = await fetch(`${box.url}/api/v1/calls`);
  t.equal(unauth.status, 401);

  const login = await fetch(`${box.url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'owner', password: 'test-password-1' }),
  });
  t.equal(login.status, 200);
  const { token } = (await login.json()) as any;
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

  const agents = await fetch(`${box.url}/api/v1/sim/agents`, {
    method: 'PATCH',
    headers: auth,
    body: JSON.stringify({ answerAfterS: 1, talkS: 2 }),
  });
  t.equal(agents.status, 200);
  // the shop's own short greeting (the box's text to speech): the caller reaches the agent in seconds
  const greeting = await fetch(`${box.url}/api/v1/prompts/zh-CN/welcome/tts`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ text: '您好，请按1。' }),
  });
  t.equal(greeting.status, 200);

  const placed = await fetch(`${box.url}/api/v1/sim/calls`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ channel: 'fxo1', callerId: '13800138000', digits: '1', hangupAfterS: 60 }),
  });
  t.equal(placed.status, 201);
  const { callId } = (await placed.json()) as any;
  t.type(callId, 'string');

  const busy = await fetch(`${box.url}/api/v1/sim/calls`, { method: 'POST', headers: auth, body: JSON.stringify({ channel: 'fxo1' }) });
  t.equal(busy.status, 409, 'the same line cannot take a second call');

  let cdr: { state: string; outcome: string; callerId: string; agent: string; legs: unknown[] } | undefined;
  const deadline = Date.now() + 40_000;
  while (Date.now() < deadline) {
    const list = (await (await fetch(`${box.url}/api/v1/calls?limit=5`, { headers: auth })).json()) as any;
    cdr = list.calls.find((c: { id: string }) => c.id === callId);
    if (cdr?.state === 'ended') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  t.equal(cdr?.state, 'ended');
  t.equal(cdr?.outcome, 'answered');
  t.equal(cdr?.callerId, '13800138000');
  t.equal(cdr?.agent, 'a1');
  t.equal(cdr?.legs.length, 2);

  const queues = (await (await fetch(`${box.url}/api/v1/queues`, { headers: auth })).json()) as any;
  t.same(
    queues.queues.map((q: any) => [q.id, q.waiting, q.agents.loggedOut]),
    [['main', 0, 0]],
    'the main queue, nobody waiting, all 4 agents logged in',
  );
  const agentList = (await (await fetch(`${box.url}/api/v1/agents`, { headers: auth })).json()) as any;
  t.equal(agentList.agents.find((a: any) => a.id === 'a1')?.callsToday, 1, 'a1 took one call today');

  const one = await fetch(`${box.url}/api/v1/calls/${callId}`, { headers: auth });
  t.equal(one.status, 200);
  t.equal(((await one.json()) as any).id, callId);
  const missing = await fetch(`${box.url}/api/v1/calls/nope`, { headers: auth });
  t.equal(missing.status, 404);

  const metrics = await (await fetch(`${box.url}/metrics`)).text();
  t.match(metrics, /^callbox_calls_total 1$/m);

  t.equal(await box.stop(), 0, 'SIGTERM gives a clean exit 0');
});

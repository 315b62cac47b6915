// The IVR's callback action (预约回电): a caller presses 2 in the main menu instead of waiting, hears
// the confirmation and hangs up (the line is free at once); the request keeps a place in the queue
// like the queue's breakout-key callback. When the agent is free the box dials the customer, who
// presses 1 (real DTMF audio) and talks to the agent. Counted in the IVR analytics and the KPIs.
// Also: the overflow rule `callback` (a caller who waited maxWaitS is called back ahead of the
// queue), and a breakout-key caller hanging up during the confirmation (still a callback).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import { validateConfig } from '../../firmware/src/config/validate.js';
import { virtualBox } from '../helpers/box.js';

function callbackConfig(): Config {
  const c = structuredClone(defaultConfig()) as Config;
  const q = c.queues[0] as Config['queues'][number];
  q.members = ['a1'];
  q.announceEveryS = 0;
  q.wrapUpS = 0;
  const main = c.ivr.menus.main as Config['ivr']['menus'][string];
  main.options['2'] = { action: 'callback', queue: 'main' };
  return c;
}

async function box(t: { teardown(fn: () => unknown): void }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-ivrcb-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(callbackConfig()));
  const vb = await virtualBox({ dataDir });
  t.teardown(vb.close);
  return vb;
}

t.test('IVR callback: key pressed, caller hangs up, agent frees, box dials back, customer presses 1, connected', async (t) => {
  const vb = await box(t);
  const { box: b, clock } = vb;
  const sim = b.service.sim!;
  const start = clock.now();
  sim.setAgentSettings({ answerAfterS: 1, talkS: 30 });
  const first = await sim.placeCall({ channel: 'fxo1', callerId: '13800000001', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => b.service.calls.get(first.callId)?.state === 'talking', 60_000);

  const second = await sim.placeCall({ channel: 'fxo2', callerId: '13900000002', digits: '2', hangupAfterS: 600 });
  await clock.runUntil(() => b.service.calls.get(second.callId)?.ivrPath === '2', 60_000);
  t.same(
    b.service.acd.queues().map((q) => [q.waiting, q.callbacks]),
    [[0, 1]],
    'the request holds a place in the queue, not as a waiting caller',
  );
  // the caller hangs up during the confirmation: still a callback request, not an abandon
  await clock.run(1000);
  b.hat!.channel('fxo2')!.partyHangsUp();
  await clock.runUntil(() => b.service.calls.get(second.callId)?.state === 'ended', 10_000);
  t.equal(b.service.calls.get(second.callId)?.outcome, 'callback');
  t.equal(b.channels().find((c) => c.id === 'fxo2')?.state, 'idle', 'the line is free while the callback waits');
  const cbId = `cb-${second.callId}`;
  t.match(b.service.callbacks.list({ limit: 10 }), [{ id: cbId, queue: 'main', number: '13900000002', state: 'waiting' }]);

  // the first call ends (agent talks 30 s): the box dials the customer, who presses 1
  await clock.runUntil(() => b.hat!.dialled.length === 1, 60_000);
  t.equal(b.hat!.dialled[0]?.number, '13900000002');
  const cbCall = `${cbId}-1`;
  await clock.runUntil(() => b.service.calls.get(cbCall)?.state === 'talking', 60_000);
  t.match(b.service.calls.get(cbCall), { direction: 'outbound', agent: 'a1', queue: 'main' });
  await clock.runUntil(() => b.service.calls.get(cbCall)?.state === 'ended', 120_000);
  t.equal(b.service.calls.get(cbCall)?.outcome, 'answered');
  t.match(b.service.callbacks.list({ limit: 10 })[0], { id: cbId, state: 'done', attempts: 1, resultCallId: cbCall });

  const range = { from: start, to: clock.now() + 1000 };
  const main = b.service.kpis.ivr(range).nodes.find((n) => n.menu === 'main');
  t.match(main, { entries: 2, keys: { '1': 1, '2': 1 }, exits: { 'queue:main': 1, 'callback:main': 1 }, dropOffs: 0 }, 'IVR analytics');
  const k = b.service.kpis.report(range);
  t.match(k, { offered: 2, answered: 2, abandoned: 0, callbacksPending: 0 }, 'offered once (queue.enter), answered by the callback');
});

t.test('IVR callback without a caller number: the caller waits in the queue instead', async (t) => {
  const { box: b, clock } = await box(t);
  const sim = b.service.sim!;
  sim.setAgentSettings({ answerAfterS: 1, talkS: 10 });
  const call = await sim.placeCall({ channel: 'fxo1', callerId: null, digits: '2', hangupAfterS: 600 });
  await clock.runUntil(() => b.service.calls.get(call.callId)?.state === 'talking', 60_000);
  t.equal(b.service.callbacks.list({ limit: 10 }).length, 0, 'no callback request without a number to call');
  t.equal(b.service.calls.get(call.callId)?.agent, 'a1');
});

t.test('config: a callback action needs a known queue', async (t) => {
  const c = callbackConfig();
  (c.ivr.menus.main as Config['ivr']['menus'][string]).options['2'] = { action: 'callback', queue: 'nosuch' };
  const bad = validateConfig(c);
  t.notOk(bad.ok);
  t.match(bad.ok ? [] : bad.errors, [{ path: '/ivr/menus/main/options/2/queue', message: /no such queue "nosuch"/ }]);
  const missing = structuredClone(callbackConfig()) as unknown as { ivr: { menus: { main: { options: Record<string, unknown> } } } };
  missing.ivr.menus.main.options['2'] = { action: 'callback' };
  const res = validateConfig(missing);
  t.notOk(res.ok, 'a callback action without a queue is refused');
  t.ok(validateConfig(callbackConfig()).ok, 'the good config passes');
});

t.test('overflow rule callback: after maxWaitS the caller is called back ahead of the queue', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-ovcb-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = callbackConfig();
  const q = c.queues[0] as Config['queues'][number];
  q.maxWaitS = 10;
  q.overflow = [{ action: 'callback' }];
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  const vb = await virtualBox({ dataDir });
  t.teardown(vb.close);
  const { box: b, clock } = vb;
  const sim = b.service.sim!;
  sim.setAgentSettings({ answerAfterS: 1, talkS: 40 });
  const first = await sim.placeCall({ channel: 'fxo1', callerId: '13800000001', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => b.service.calls.get(first.callId)?.state === 'talking', 60_000);
  const second = await sim.placeCall({ channel: 'fxo2', callerId: '13900000009', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => b.service.calls.get(second.callId)?.state === 'ended', 60_000);
  t.equal(b.service.calls.get(second.callId)?.outcome, 'callback', 'the caller left with a callback booked');
  const cbId = `cb-${second.callId}`;
  await clock.runUntil(() => b.service.calls.get(`${cbId}-1`)?.state === 'talking', 120_000);
  t.match(b.service.calls.get(`${cbId}-1`), { agent: 'a1', callerId: '13900000009' });
  t.match(b.service.callbacks.list({ limit: 5 })[0], { id: cbId, queue: 'main' });
  const bad = structuredClone(c) as unknown as { queues: { overflow: unknown[] }[] };
  (bad.queues[0] as { overflow: unknown[] }).overflow = [{ action: 'callback', queue: 'main' }];
  t.notOk(validateConfig(bad).ok, 'the callback rule takes no fields');
});

t.test('breakout key: a caller hanging up during the confirmation is a callback, not an abandon', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-bocb-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = callbackConfig();
  (c.queues[0] as Config['queues'][number]).callback = { key: '1', maxAttempts: 1, retryS: 60 };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  const vb = await virtualBox({ dataDir });
  t.teardown(vb.close);
  const { box: b, clock } = vb;
  const sim = b.service.sim!;
  sim.setAgentSettings({ answerAfterS: 1, talkS: 60 });
  const first = await sim.placeCall({ channel: 'fxo1', callerId: '13800000001', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => b.service.calls.get(first.callId)?.state === 'talking', 60_000);
  const second = await sim.placeCall({ channel: 'fxo2', callerId: '13900000002', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => b.service.calls.get(second.callId)?.state === 'queued', 60_000);
  await clock.run(2000);
  b.hat!.callerPresses('fxo2', '1');
  await clock.runUntil(() => b.service.callbacks.list({ limit: 5 }).length === 1, 10_000);
  await clock.run(500);
  b.hat!.channel('fxo2')!.partyHangsUp();
  await clock.runUntil(() => b.service.calls.get(second.callId)?.state === 'ended', 10_000);
  t.equal(b.service.calls.get(second.callId)?.outcome, 'callback');
  t.match(b.service.callbacks.list({ limit: 5 })[0], { state: 'waiting' }, 'the request stands');
});

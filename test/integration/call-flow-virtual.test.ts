// The foundation's end-to-end call in virtual time, without HTTP: a simulated caller rings fxo1,
// the box answers and plays the greeting, the caller presses 1 (real DTMF audio through the
// detector), the main queue rings fxs1, the simulated agent answers, they talk, the agent hangs up,
// and the CDR and event log hold the whole story.
import t from 'tap';
import { virtualBox } from '../helpers/box.js';

t.test('inbound call: IVR key 1 -> queue -> agent answers -> agent hangs up -> CDR', async (t) => {
  const vb = await virtualBox();
  t.teardown(vb.close);
  const { box, clock } = vb;
  const sim = box.service.sim;
  if (!sim) throw new Error('sim control missing');
  sim.setAgentSettings({ answerAfterS: 3, talkS: 20 });
  const t0 = clock.now();
  const { callId } = await sim.placeCall({ channel: 'fxo1', callerId: '13800138000', digits: '1', hangupAfterS: 600 });

  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'talking', 60_000);
  const talking = box.service.calls.get(callId);
  t.equal(talking?.queue, 'main');
  t.equal(talking?.ivrPath, '1', 'the DTMF 1 was detected from audio');
  t.equal(box.engine.activeCount(), 1);

  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'ended', 60_000);
  const cdr = box.service.calls.get(callId);
  if (!cdr) throw new Error('no CDR');
  t.equal(cdr.outcome, 'answered');
  t.equal(cdr.callerId, '13800138000');
  t.equal(cdr.agent, 'a1');
  t.equal(cdr.direction, 'inbound');
  t.same(
    cdr.legs.map((l) => [l.channel, l.kind, l.role]),
    [
      ['fxo1', 'fxo', 'caller'],
      ['fxs1', 'fxs', 'agent'],
    ],
  );
  const ms = (s: string | null) => (s ? Date.parse(s) : Number.NaN);
  t.equal(ms(cdr.startedAt), t0, 'started at the first ring');
  t.ok(ms(cdr.answeredAt) > ms(cdr.startedAt), 'answered after it started');
  t.ok(ms(cdr.answeredAt) - ms(cdr.startedAt) <= 3000, 'answered within the first ring cycle (caller ID wait)');
  const agentLeg = cdr.legs[1];
  t.ok(agentLeg && ms(agentLeg.answeredAt) - ms(agentLeg.startedAt) === 3000, 'agent let it ring 3 s');
  t.ok(agentLeg && ms(cdr.endedAt) - ms(agentLeg.answeredAt) === 20_000, 'agent talked 20 s then hung up');
  t.ok(cdr.legs.every((l) => l.endedAt !== null));
  t.equal(box.engine.activeCount(), 0);
  t.same(
    box.channels().map((c) => c.state),
    box.channels().map(() => 'idle'),
    'every channel is idle again',
  );
  t.same(
    box.service.calls.list({ limit: 10 }).map((c) => c.id),
    [callId],
  );
});

t.test('caller hangs up while talking: outcome answered, agent released after wrap-up', async (t) => {
  const vb = await virtualBox();
  t.teardown(vb.close);
  const { box, clock } = vb;
  const sim = box.service.sim;
  if (!sim) throw new Error('sim control missing');
  sim.setAgentSettings({ answerAfterS: 2, talkS: 300 });
  const { callId } = await sim.placeCall({ channel: 'fxo2', callerId: '02087654321', digits: '1', hangupAfterS: 40 });
  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'ended', 120_000);
  const cdr = box.service.calls.get(callId);
  t.equal(cdr?.outcome, 'answered');
  t.equal(box.service.health().status, 'ok');
  await clock.run(10_000);
  t.same(
    box.engine.acd.agentsView().map((a) => a.state),
    ['available', 'available', 'available', 'available'],
    'agent back to idle after putting the phone down and wrap-up',
  );
});

t.test('no input: the greeting repeats once, then the box hangs up', async (t) => {
  const vb = await virtualBox();
  t.teardown(vb.close);
  const { box, clock } = vb;
  const sim = box.service.sim;
  if (!sim) throw new Error('sim control missing');
  const { callId } = await sim.placeCall({ channel: 'fxo1', callerId: '13900000000', digits: '', hangupAfterS: 600 });
  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'ended', 120_000);
  const cdr = box.service.calls.get(callId);
  if (!cdr) throw new Error('no CDR');
  t.equal(cdr.outcome, 'ivrHangup');
  const waited = Date.parse(cdr.endedAt ?? '') - Date.parse(cdr.answeredAt ?? '');
  t.ok(waited >= 20_000, `waited at least 2 x 10 s for input (waited ${waited} ms)`);
  t.equal(box.channels().find((c) => c.id === 'fxo1')?.state, 'idle', 'line back on hook');
});

t.test('caller gives up while ringing before the box answers: missed', async (t) => {
  const vb = await virtualBox();
  t.teardown(vb.close);
  const { box, clock } = vb;
  const sim = box.service.sim;
  if (!sim) throw new Error('sim control missing');
  const { callId } = await sim.placeCall({ channel: 'fxo1', callerId: null, digits: '1', hangupAfterS: 1 });
  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'ended', 30_000);
  t.equal(box.service.calls.get(callId)?.outcome, 'missed');
});

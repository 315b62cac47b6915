// Transfers in virtual time on the simulated HAT (issue 12): blind to an agent, a queue (the
// caller's priority kept), the IVR and the CSAT survey, an external number over a free shop line;
// attended to an agent (complete, cancel) from the console API; and on an analog phone: hook flash,
// dial the colleague's extension, hang up. One call record per caller's call, its legs showing the
// new party, one recording, and the event log telling the story.
import t, { type Test } from 'tap';
import type { SimChannel } from '../../hal/src/drivers/sim/sim-channel.js';
import { ToneParty, toneShare } from '../helpers/tone-meter.js';
import { talkingCall as openTalkingCall } from './fixtures/talking-call.js';

const talkingCall = (t: Test, hangupAfterS = 90) => openTalkingCall(t, { hangupAfterS });

const roles = (legs: { channel: string; role: string; endedAt: string | null }[]) => legs.map((l) => `${l.channel}:${l.role}`);

t.test('blind to another agent: the new agent answers, the legs show them, one recording', async (t) => {
  const s = await talkingCall(t);
  s.ctl.transfer(s.live(), s.callId, s.other, 'blind', 'boss');
  await s.clock.runUntil(() => s.call()?.agent === s.other && s.call()?.state === 'talking', 30_000);
  t.same(roles(s.call()?.legs ?? []), ['fxo1:caller', `${s.ext(s.first)}:agent`, `${s.ext(s.other)}:agent`]);
  t.ok(s.call()?.legs[1]?.endedAt, 'the first agent left');
  t.match(s.events.find((e) => e.type === 'call.transferred')?.data, {
    from: s.ext(s.first),
    to: s.ext(s.other),
    agent: s.other,
    mode: 'blind',
    target: s.other,
    by: 'boss',
  });
  await s.clock.runUntil(() => s.call()?.state === 'ended', 120_000);
  t.equal(s.call()?.outcome, 'answered');
  t.equal(s.box.service.recordings.list({ callId: s.callId }).length, 1, 'one recording follows the call');
  const completes = s.events.filter((e) => e.type === 'queue.complete').map((e) => (e.data as { agent: string }).agent);
  t.same(completes, [s.first, s.other], 'each agent talk is counted for that agent');
});

t.test('blind to a queue keeps the caller priority; to a missing queue is refused', async (t) => {
  const s = await talkingCall(t);
  t.throws(() => s.ctl.transfer(s.live(), s.callId, 'queue:nope', 'blind', 'boss'), { code: 'VALIDATION_FAILED' });
  t.throws(
    () => s.ctl.transfer(s.live(), s.callId, 'queue:main', 'attended', 'boss'),
    { code: 'VALIDATION_FAILED' },
    'attended goes to agents and numbers',
  );
  const before = s.events.filter((e) => e.type === 'queue.enter').map((e) => e.data);
  s.ctl.transfer(s.live(), s.callId, 'queue:main', 'blind', 'boss');
  t.match(s.call()?.state, /^(queued|connecting)$/, 'waiting in the queue (a free agent already rings)');
  await s.clock.runUntil(() => s.call()?.state === 'talking', 60_000);
  const enters = s.events.filter((e) => e.type === 'queue.enter').map((e) => e.data as { queue: string; priority: number });
  t.equal(enters.length, 2, 'entered the queue again');
  t.equal(enters[1]?.priority, (before[0] as { priority: number }).priority, 'with the same priority');
  t.equal(s.call()?.legs.filter((l) => l.role === 'agent').length, 2, 'a second agent leg');
  t.equal(s.call()?.queue, 'main');
});

t.test('blind back to the IVR menu, and to the CSAT survey', async (t) => {
  const s = await talkingCall(t);
  s.ctl.transfer(s.live(), s.callId, 'ivr:main', 'blind', 'boss');
  t.equal(s.call()?.state, 'ivr');
  t.match(s.events.at(-1), { type: 'ivr.menu', data: { menu: 'main' } }, 'the menu starts again');
  await s.clock.run(3000);
  t.equal(s.ch(s.ext(s.first)).state === 'idle' || s.call()?.legs[1]?.endedAt !== null, true, 'the agent left the call');

  const s2 = await talkingCall(t);
  s2.ctl.transfer(s2.live(), s2.callId, 'ivr:survey', 'blind', 'boss');
  t.equal(s2.call()?.state, 'survey');
  t.ok(s2.types().includes('survey.start'), 'the survey starts');
  s2.hat.callerPresses('fxo1', '5');
  await s2.clock.runUntil(() => s2.call()?.state === 'ended', 60_000);
  t.match(s2.events.find((e) => e.type === 'survey.score')?.data, { score: 5, agent: s2.first });
});

t.test('blind to an external number over a free line: bridged when it answers, ends with the caller', async (t) => {
  const s = await talkingCall(t, 40);
  s.ctl.transfer(s.live(), s.callId, '13900001111', 'blind', 'boss');
  t.same(s.vb.box.hat?.dialled.at(-1), { channel: 'fxo2', number: '13900001111' }, 'dialled on the free line');
  await s.clock.runUntil(() => s.types().includes('call.bridged'), 20_000);
  const legs = s.call()?.legs ?? [];
  t.same(roles(legs), ['fxo1:caller', `${s.ext(s.first)}:agent`, 'fxo2:external']);
  t.ok(legs[2]?.answeredAt, 'the external party answered');
  await s.clock.runUntil(() => s.call()?.state === 'ended', 120_000);
  t.equal(s.call()?.outcome, 'answered');
  t.equal(s.ch('fxo2').state, 'idle', 'the line is released');
});

t.test('an external number nobody answers: the transfer fails and the call ends', async (t) => {
  const s = await talkingCall(t);
  s.hat.setCustomer('13900002222', { answerAfterS: null });
  s.ctl.transfer(s.live(), s.callId, '13900002222', 'blind', 'boss');
  await s.clock.runUntil(() => s.call()?.state === 'ended', 120_000);
  t.match(s.events.at(-1), { type: 'call.ended', data: { reason: 'transferFailed' } });
});

t.test('attended to an agent from the console: consult, complete; the caller goes to the colleague', async (t) => {
  const s = await talkingCall(t);
  s.ctl.transfer(s.live(), s.callId, s.other, 'attended', 'boss');
  t.equal(s.ch(s.ext(s.other)).state, 'ringing', 'the colleague phone rings');
  t.ok(s.live()?.control?.hold, 'the caller is on hold');
  await s.clock.runUntil(() => s.types().includes('call.consultAnswered'), 10_000);
  t.same(roles(s.call()?.legs ?? []), ['fxo1:caller', `${s.ext(s.first)}:agent`, `${s.ext(s.other)}:consult`]);
  await s.clock.run(5000);
  t.equal(s.ctl.completeTransfer(s.live(), s.callId, 'boss'), 'completed');
  t.same(roles(s.call()?.legs ?? []), ['fxo1:caller', `${s.ext(s.first)}:agent`, `${s.ext(s.other)}:agent`]);
  t.equal(s.call()?.agent, s.other);
  t.equal(s.live()?.control?.hold, null, 'off hold');
  t.same(
    s.types().filter((x) => /^call\.(held|unheld|consult|consultAnswered|transferred)$/.test(x)),
    ['call.held', 'call.consult', 'call.consultAnswered', 'call.transferred', 'call.unheld'],
  );
  await s.clock.runUntil(() => s.call()?.state === 'ended', 120_000);
  t.ok((s.call()?.holdSeconds ?? 0) >= 7, `held while consulting (${s.call()?.holdSeconds} s)`);
  t.equal(s.box.service.recordings.list({ callId: s.callId }).length, 1, 'one recording');
  await s.clock.run(10_000);
  t.same(
    s.box.engine.acd.agentsView().map((a) => a.state),
    ['available', 'available', 'available', 'available'],
    'every agent free again after wrap-up',
  );
});

t.test('attended cancelled: back to the first agent; a busy target is refused', async (t) => {
  const s = await talkingCall(t);
  t.throws(() => s.ctl.transfer(s.live(), s.callId, s.first, 'attended', 'boss'), { code: 'CONFLICT' }, 'not to oneself');
  s.ctl.transfer(s.live(), s.callId, s.other, 'attended', 'boss');
  await s.clock.runUntil(() => s.types().includes('call.consultAnswered'), 10_000);
  s.ctl.cancelTransfer(s.live(), s.callId, 'boss');
  t.equal(s.call()?.agent, s.first, 'still the first agent');
  t.ok(s.call()?.legs[2]?.endedAt, 'the consultation leg ended');
  t.match(s.events.find((e) => e.type === 'call.consultEnded')?.data, { why: 'cancelled' });
  t.equal(s.live()?.control?.hold, null);
  t.throws(() => s.ctl.cancelTransfer(s.live(), s.callId, 'boss'), { code: 'CONFLICT' }, 'nothing left to cancel');
  t.throws(() => s.ctl.completeTransfer(s.live(), s.callId, 'boss'), { code: 'CONFLICT' });
});

t.test('analog phone: flash, dial the colleague extension, hang up = transfer (attended after the answer)', async (t) => {
  const s = await talkingCall(t);
  const from = s.ext(s.first);
  const to = s.ext(s.other);
  s.hat.agentFlashes(from);
  await s.clock.run(1000);
  s.hat.agentPresses(from, `${to.slice(3)}#`);
  await s.clock.runUntil(() => s.ch(to).state === 'ringing', 10_000);
  await s.clock.runUntil(() => s.types().includes('call.consultAnswered'), 10_000);
  await s.clock.run(3000);
  s.hat.agentHangsUp(from);
  await s.clock.run(100);
  t.equal(s.call()?.agent, s.other, 'the colleague has the caller');
  t.match(s.events.find((e) => e.type === 'call.transferred')?.data, { from, to, mode: 'attended', by: `phone:${s.first}` });
  t.same(roles(s.call()?.legs ?? []), ['fxo1:caller', `${from}:agent`, `${to}:agent`]);
  await s.clock.runUntil(() => s.call()?.state === 'ended', 120_000);
  t.equal(s.call()?.outcome, 'answered');
});

t.test('analog phone: flash, dial, hang up while it rings = blind; flash *6 1 = to the first queue', async (t) => {
  const s = await talkingCall(t);
  s.sim.setAgentSettings({ answerAfterS: 6, talkS: 600 });
  const from = s.ext(s.first);
  const to = s.ext(s.other);
  s.hat.agentFlashes(from);
  await s.clock.run(1000);
  s.hat.agentPresses(from, `${to.slice(3)}#`);
  await s.clock.runUntil(() => s.ch(to).state === 'ringing', 10_000);
  s.hat.agentHangsUp(from);
  await s.clock.run(100);
  t.ok(s.live()?.control?.hold, 'the caller waits on hold while it rings');
  await s.clock.runUntil(() => s.call()?.agent === s.other, 20_000);
  t.equal(s.live()?.control?.hold, null, 'bridged when the colleague answers');

  const q = await talkingCall(t);
  q.hat.agentFlashes(q.ext(q.first));
  await q.clock.run(1000);
  q.hat.agentPresses(q.ext(q.first), '*61#');
  await q.clock.runUntil(() => q.types().includes('call.transferred'), 10_000);
  await q.clock.runUntil(() => q.call()?.state === 'talking', 30_000);
  t.not(q.call()?.agent, q.first, 'another agent of the queue took the caller');
  t.match(q.events.find((e) => e.type === 'call.transferred')?.data, { to: 'queue:main', mode: 'blind' });
});

t.test('handed over while it rings (semi-attended) and nobody answers: the caller goes back to the queue', async (t) => {
  const s = await talkingCall(t);
  const from = s.ext(s.first);
  const to = s.ext(s.other);
  s.sim.setAgentSettings({ answerAfterS: 600 }); // the colleague does not answer
  s.hat.agentFlashes(from);
  await s.clock.run(1000);
  s.hat.agentPresses(from, `${to.slice(3)}#`);
  await s.clock.runUntil(() => s.ch(to).state === 'ringing', 10_000);
  const rangAt = s.clock.now();
  s.hat.agentHangsUp(from);
  await s.clock.runUntil(() => s.types().includes('call.consultEnded'), 40_000);
  t.ok(s.clock.now() - rangAt >= 28_000, `the colleague rang the consultation's 30 s (${s.clock.now() - rangAt} ms)`);
  t.match(s.events.find((e) => e.type === 'call.consultEnded')?.data, { to, target: s.other, why: 'noAnswer' });
  t.notOk(s.types().includes('call.transferred'), 'not transferred');
  t.match(s.call()?.state, /^(queued|connecting)$/, 'the caller is back in the queue the call came through (a free agent may ring)');
  t.equal(s.events.filter((e) => e.type === 'queue.enter').length, 2, 'entered the queue again');
  s.sim.setAgentSettings({ answerAfterS: 2 });
  await s.clock.runUntil(() => s.call()?.state === 'talking', 60_000);
  t.ok(s.call()?.agent, `a free agent of the queue took the caller (${s.call()?.agent})`);
  t.equal(s.call()?.legs.filter((l) => l.role === 'consult').length, 1, "the colleague's unanswered consult leg stays on the record");
});

t.test('analog phone: flash, dial a number, hang up while it rings: the caller hears ringback, then the number', async (t) => {
  const s = await talkingCall(t);
  const from = s.ext(s.first);
  const caller = new ToneParty(1000); // the caller, now measured: what they hear while the number rings
  (s.ch('fxo1') as SimChannel).party = caller;
  s.hat.setCustomer('13900005555', { answerAfterS: 8, digits: '', hangupAfterS: 600 });
  s.hat.agentFlashes(from);
  await s.clock.run(1000);
  s.hat.agentPresses(from, '13900005555#');
  await s.clock.runUntil(() => s.types().includes('call.consult'), 10_000);
  caller.heard.clear();
  await s.clock.run(2000);
  // ringback: the 450 Hz tone (China) loud, 1 s in 4; the hold music has little of it above -15 dBm0 and much at 700 Hz
  const held = toneShare(caller.heard.samples(), 450, -15);
  s.hat.agentHangsUp(from);
  await s.clock.run(100);
  t.equal(s.ch(from).state, 'idle', 'the agent is free at once');
  caller.heard.clear();
  await s.clock.run(4000);
  const ringback = toneShare(caller.heard.samples(), 450, -15);
  const music = toneShare(caller.heard.samples(), 700, -30);
  t.ok(
    ringback > 0.15 && held < 0.05 && music < 0.02,
    `the caller hears ringback, not hold music (450 Hz in ${Math.round(ringback * 100)} % of the frames, before: ${Math.round(held * 100)} %)`,
  );
  t.notOk(s.types().includes('call.transferred'), 'not transferred before the answer');
  await s.clock.runUntil(() => s.types().includes('call.transferred'), 10_000);
  t.match(s.events.find((e) => e.type === 'call.transferred')?.data, { to: 'fxo2', agent: null, mode: 'attended', target: '13900005555' });
  t.same(roles(s.call()?.legs ?? []), ['fxo1:caller', `${from}:agent`, 'fxo2:external']);
  t.equal(s.live()?.control?.hold, null, 'the caller talks to the number');
  (s.ch('fxo1') as SimChannel).partyHangsUp();
  await s.clock.runUntil(() => s.call()?.state === 'ended', 10_000);
  t.equal(s.ch('fxo2').state, 'idle', 'the line is released with the call');
});

t.test('analog phone: flash, dial an outside number, talk, hang up = the caller goes to the number (the SIP phone story)', async (t) => {
  // two shop lines: the caller's and the one the number is dialled on are then every line (KPI)
  const s = await openTalkingCall(t, {
    hangupAfterS: 60,
    config: (c) => {
      c.lines = c.lines.filter((l) => l.channel !== 'gsm1');
    },
  });
  const from = s.ext(s.first);
  const start = s.clock.now();
  // the number hangs up first: the consultation ends, the agent has the caller back
  s.hat.setCustomer('13900004444', { answerAfterS: 2, digits: '', hangupAfterS: 3 });
  s.hat.agentFlashes(from);
  await s.clock.run(1000);
  s.hat.agentPresses(from, '13900004444#');
  await s.clock.runUntil(() => s.types().includes('call.consultEnded'), 20_000);
  t.match(s.events.find((e) => e.type === 'call.consultEnded')?.data, { to: 'fxo2', target: '13900004444', why: 'hungUp' });
  t.equal(s.live()?.control?.hold, null, 'back with the caller');
  t.equal(s.ch('fxo2').state, 'idle', 'the line is released');

  const n = s.events.length;
  s.hat.agentFlashes(from);
  await s.clock.run(1000);
  s.hat.agentPresses(from, '13900003333#');
  await s.clock.runUntil(() => s.events.slice(n).some((e) => e.type === 'call.consultAnswered'), 20_000);
  t.same(s.hat.dialled.at(-1), { channel: 'fxo2', number: '13900003333' });
  await s.clock.run(2000);
  s.hat.agentHangsUp(from);
  await s.clock.run(100);
  const transferAt = s.clock.now();
  t.same(roles(s.call()?.legs ?? []), ['fxo1:caller', `${from}:agent`, 'fxo2:consult', 'fxo2:external']);
  t.same(
    s.events
      .slice(n)
      .map((e) => e.type)
      .filter((x) => /^call\.(held|unheld|consult|consultAnswered|consultEnded|transferred)$/.test(x)),
    ['call.held', 'call.consult', 'call.consultAnswered', 'call.transferred', 'call.unheld'],
  );
  t.match(s.events.find((e) => e.type === 'call.transferred')?.data, {
    from,
    to: 'fxo2',
    agent: null,
    mode: 'attended',
    target: '13900003333',
    by: `phone:${s.first}`,
  });
  t.equal(s.live()?.control?.hold, null, 'the caller talks to the number');
  await s.clock.runUntil(() => s.call()?.state === 'ended', 120_000);
  t.equal(s.ch('fxo2').state, 'idle');
  t.equal(s.ch(from).state, 'idle');
  const recs = s.box.service.recordings.list({ callId: s.callId });
  // the recorder closes its file on disk (real I/O, not the virtual clock)
  for (let i = 0; i < 100 && !s.box.service.recordings.list({ callId: s.callId })[0]?.endedAt; i++)
    await new Promise((r) => setTimeout(r, 20));
  recs.splice(0, recs.length, ...s.box.service.recordings.list({ callId: s.callId }));
  t.equal(recs.length, 1, 'one recording');
  t.ok(Date.parse(recs[0]?.endedAt ?? '') - transferAt > 10_000, 'it went on after the transfer');
  const endAt = Date.parse(s.call()?.endedAt ?? '');
  const busyMs = (s.box.service.kpis.report({ from: start, to: s.clock.now() + 1000 }).allLinesBusyMinutes ?? 0) * 60_000;
  t.ok(Math.abs(busyMs - (endAt - transferAt)) < 200, `both lines busy from the transfer to the end (${busyMs} ms, KPIs)`);
});

t.test('analog phone: flash *0 = back to the IVR main menu, flash *9 = the CSAT survey (the SIP REFER codes)', async (t) => {
  const s = await talkingCall(t);
  s.hat.agentFlashes(s.ext(s.first));
  await s.clock.run(1000);
  s.hat.agentPresses(s.ext(s.first), '*0#');
  await s.clock.runUntil(() => s.types().includes('call.transferred'), 10_000);
  t.match(s.events.find((e) => e.type === 'call.transferred')?.data, { target: 'ivr:main', mode: 'blind' });
  t.equal(s.call()?.state, 'ivr', 'the caller is in the IVR again');

  const v = await talkingCall(t);
  v.hat.agentFlashes(v.ext(v.first));
  await v.clock.run(1000);
  v.hat.agentPresses(v.ext(v.first), '*9#');
  await v.clock.runUntil(() => v.types().includes('survey.start'), 10_000);
  t.match(v.events.find((e) => e.type === 'call.transferred')?.data, { target: 'ivr:survey', mode: 'blind' });
  t.equal(v.call()?.state, 'survey', 'the caller hears the survey');
});

t.test('analog phone: flash *0N = the Nth IVR menu (*02: the after-sales menu); *05, no such menu, is back to the caller', async (t) => {
  const s = await openTalkingCall(t, {
    hangupAfterS: 90,
    config: (c) => {
      const main = c.ivr.menus.main;
      if (!main) throw new Error('no main menu');
      c.ivr.menus.shouhou = structuredClone(main); // 售后 after-sales: *02 (main is *01)
    },
  });
  const phone = s.ext(s.first);
  s.hat.agentFlashes(phone);
  await s.clock.run(1000);
  s.hat.agentPresses(phone, '*05#');
  await s.clock.runUntil(() => s.types().includes('call.unheld'), 10_000);
  t.notOk(s.types().includes('call.transferred'), '*05: no fifth menu, no transfer');
  t.equal(s.live()?.control?.hold, null, 'the agent has the caller back');
  t.equal(s.call()?.agent, s.first);

  s.hat.agentFlashes(phone);
  await s.clock.run(1000);
  s.hat.agentPresses(phone, '*02'); // ended by the pause, as an agent dials it
  await s.clock.runUntil(() => s.types().includes('call.transferred'), 10_000);
  t.match(s.events.find((e) => e.type === 'call.transferred')?.data, { from: phone, target: 'ivr:shouhou', mode: 'blind', agent: null });
  t.equal(s.call()?.state, 'ivr', 'the caller is in an IVR menu again');
  t.match(s.events.findLast((e) => e.type === 'ivr.menu')?.data, { menu: 'shouhou' }, 'the after-sales menu');
  await s.clock.run(3000);
  t.ok(s.call()?.legs[1]?.endedAt, 'the agent left the call');
});

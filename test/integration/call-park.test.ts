// Call parking (issue 12): park from the console (slot 71 first), pickup from the console (the
// agent's phone rings first) and by *8N dialled on an idle analog phone, flash *7 on an analog
// phone (the slot is read out, then the phone is released), and the park timeout ringing back the
// parking agent. The parked caller hears hold music; the park counts as time on hold.
import t, { type Test } from 'tap';
import { PARK_TIMEOUT_MS } from '../../firmware/src/calls/park.js';
import type { Config } from '../../firmware/src/config/schema.js';
import { talkingCall as openTalkingCall } from './fixtures/talking-call.js';

async function talkingCall(t: Test, hangupAfterS = 400, callControl?: Config['callControl']) {
  const config = (c: Config) => {
    if (callControl) c.callControl = callControl;
  };
  const s = await openTalkingCall(t, callControl ? { hangupAfterS, config } : { hangupAfterS });
  /** Agent `id`'s definition (for pickup). */
  const def = (id: string) => s.box.engine.acd.agentByExtension(s.ext(id)) as never;
  return { ...s, def };
}

t.test('console park and pickup: slot 71, the picking agent phone rings, then talks to the caller', async (t) => {
  const s = await talkingCall(t);
  const slot = s.ctl.park(s.box.engine.live(s.callId), s.callId, 'boss');
  t.equal(slot, 71);
  t.same(s.ctl.parked(), [{ slot: 71, callId: s.callId, callerId: '13800138000', by: 'boss', agent: s.first }]);
  await s.clock.run(3000);
  t.equal(s.ch(`fxs${s.first.slice(1)}`).state, 'idle', 'the parking agent phone is free');
  t.equal(s.call()?.state, 'talking', 'the parked call is still live');
  t.throws(() => s.ctl.pickup(72, s.def(s.other), 'boss'), { code: 'NOT_FOUND' }, 'an empty slot');
  t.equal(s.ctl.pickup(71, s.def(s.other), 'boss'), s.callId);
  t.equal(s.ch(`fxs${s.other.slice(1)}`).state, 'ringing', 'the picking agent phone rings first');
  await s.clock.runUntil(() => s.call()?.agent === s.other, 10_000);
  t.same(s.ctl.parked(), []);
  t.same(
    s.events.filter((e) => /^call\.(parked|unparked|held|unheld)$/.test(e.type)).map((e) => e.type),
    ['call.held', 'call.parked', 'call.unparked', 'call.unheld'],
  );
  t.match(s.events.find((e) => e.type === 'call.unparked')?.data, { slot: 71, agent: s.other, why: 'pickup' });
  t.same(
    s.call()?.legs.map((l) => `${l.channel}:${l.role}`),
    ['fxo1:caller', `fxs${s.first.slice(1)}:agent`, `fxs${s.other.slice(1)}:agent`],
  );
  t.ok((s.call()?.holdSeconds ?? 0) >= 5, 'the park counts as hold time');
});

t.test('flash *7 parks (slot read out), *8 1 on an idle analog phone picks it up', async (t) => {
  const s = await talkingCall(t);
  const from = `fxs${s.first.slice(1)}`;
  const to = `fxs${s.other.slice(1)}`;
  s.hat.agentFlashes(from);
  await s.clock.run(1000);
  s.hat.agentPresses(from, '*7#');
  await s.clock.runUntil(() => s.ctl.parked().length === 1, 10_000);
  t.equal(s.ctl.parked()[0]?.slot, 71);
  await s.clock.runUntil(() => s.ch(from).state === 'idle', 20_000);
  t.pass('the phone is released after the slot is read out');
  s.hat.agentDials(to, '*81#');
  await s.clock.runUntil(() => s.call()?.agent === s.other, 10_000);
  t.match(s.events.find((e) => e.type === 'call.unparked')?.data, { slot: 71, agent: s.other, why: 'pickup', by: `phone:${s.other}` });
  t.equal(s.box.engine.live(s.callId)?.control?.hold, null, 'bridged');
  // the simulated agent hangs up 5 s after dialling a code: the call ends normally
  await s.clock.runUntil(() => s.call()?.state === 'ended', 20_000);
  t.match(s.call(), { outcome: 'answered' });
});

t.test('the park timeout rings the parking agent back', async (t) => {
  const s = await talkingCall(t);
  s.ctl.park(s.box.engine.live(s.callId), s.callId, 'boss');
  await s.clock.run(PARK_TIMEOUT_MS - 1000);
  t.equal(s.ctl.parked().length, 1, 'still parked before the timeout');
  await s.clock.runUntil(() => s.call()?.agent === s.first && s.box.engine.live(s.callId)?.control?.hold === null, 10_000);
  t.match(s.events.find((e) => e.type === 'call.unparked')?.data, { why: 'timeout', agent: s.first });
  t.equal(s.call()?.legs.filter((l) => l.channel === `fxs${s.first.slice(1)}`).length, 2, 'a second leg on the same phone');
});

t.test('the parked caller hangs up: the slot is freed, the call ends answered', async (t) => {
  const s = await talkingCall(t, 30);
  s.ctl.park(s.box.engine.live(s.callId), s.callId, 'boss');
  await s.clock.runUntil(() => s.call()?.state === 'ended', 60_000);
  t.same(s.ctl.parked(), []);
  t.match(s.events.find((e) => e.type === 'call.unparked')?.data, { why: 'callerGone' });
  t.equal(s.call()?.outcome, 'answered');
  t.throws(() => s.ctl.park(s.box.engine.live(s.callId), s.callId, 'boss'), { code: 'CONFLICT' }, 'an ended call cannot be parked');
});

t.test('config callControl: park timeout 30 s, an unanswered ring-back rings 10 s and parks the caller again', async (t) => {
  const s = await talkingCall(t, 400, { parkTimeoutS: 30, parkRingS: 10 });
  const phone = `fxs${s.first.slice(1)}`;
  // the parking agent's simulated phone would answer the ring-back: it is now left ringing
  s.box.service.sim?.setAgentSettings({ answerAfterS: 60, talkS: 600 });
  s.ctl.park(s.box.engine.live(s.callId), s.callId, 'boss');
  await s.clock.run(29_000);
  t.equal(s.ctl.parked().length, 1, 'still parked at 29 s');
  await s.clock.run(1500);
  t.match(s.events.find((e) => e.type === 'call.unparked')?.data, { why: 'timeout', agent: s.first }, 'rung back at 30 s');
  t.equal(s.ch(phone).state, 'ringing', 'the parking agent phone rings');
  await s.clock.run(8000);
  t.equal(s.ch(phone).state, 'ringing', 'still ringing at 8 s');
  await s.clock.run(2500);
  t.not(s.ch(phone).state, 'ringing', 'rang 10 s');
  t.match(s.ctl.parked(), [{ slot: 71, callId: s.callId, by: 'system' }], 'parked again');
  t.equal(s.call()?.state, 'talking', 'the caller is still there');
  t.same(
    s.events.filter((e) => /^call\.(parked|unparked)$/.test(e.type)).map((e) => e.type),
    ['call.parked', 'call.unparked', 'call.parked'],
  );
});

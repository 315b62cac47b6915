// Hold / unhold (issue 12): from the console API and by hook flash on an analog phone. The caller
// hears the hold music (the frames the box writes to the caller's line are the hold clip, at a
// talking level), the agent's phone is cut off, unhold brings the agent back; the call record
// keeps the time on hold (holdSeconds) and the event log has call.held / call.unheld.
import t, { type Test } from 'tap';
import { frameEnergyDbm0 } from '../../hal/src/dsp/level.js';
import { listen, startsWithHoldMusic } from './fixtures/hold-music.js';
import { talkingCall as openTalkingCall } from './fixtures/talking-call.js';

async function talkingCall(t: Test) {
  const s = await openTalkingCall(t, { hangupAfterS: 60 });
  return { ...s, line: s.ch('fxo1'), phone: s.ch('fxs1') };
}

t.test('console hold: the caller hears hold music, unhold brings the agent back, hold time on the CDR', async (t) => {
  const { box, clock, callId, events, line, phone } = await talkingCall(t);
  const toCaller = listen(line);
  const toAgent = listen(phone);
  await clock.run(2000);
  t.notOk(startsWithHoldMusic(toCaller), 'before the hold the caller hears the agent');
  toCaller.length = 0;
  toAgent.length = 0;
  box.engine.control.hold(box.engine.live(callId), callId, 'boss');
  await clock.run(7000);
  t.ok(startsWithHoldMusic(toCaller), 'the caller hears the hold music from its start');
  const loud = toCaller.filter((f) => frameEnergyDbm0(f) > -40).length;
  t.ok(loud > toCaller.length / 2, `the music is at a talking level (${loud} of ${toCaller.length} frames above -40 dBm0)`);
  t.equal(toAgent.length, 0, 'the agent hears nothing of the caller while holding');
  t.throws(() => box.engine.control.hold(box.engine.live(callId), callId, 'boss'), { code: 'CONFLICT' }, 'a second hold is refused');

  toCaller.length = 0;
  box.engine.control.unhold(box.engine.live(callId), callId, 'boss');
  await clock.run(2000);
  t.notOk(startsWithHoldMusic(toCaller), 'after unhold the caller hears the agent again');
  t.ok(toAgent.length > 50, 'and the agent hears the caller');
  t.throws(() => box.engine.control.unhold(box.engine.live(callId), callId, 'boss'), { code: 'CONFLICT' }, 'unhold of a call not held');

  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'ended', 120_000);
  const cdr = box.service.calls.get(callId);
  t.equal(cdr?.holdSeconds, 7, 'seven seconds on hold on the call record');
  t.same(
    events.filter((e) => e.type.startsWith('call.held') || e.type === 'call.unheld').map((e) => e.data),
    [
      { by: 'boss', channel: 'fxs1', why: 'hold' },
      { by: 'boss', channel: 'fxs1', holdMs: 7000 },
    ],
  );
  t.equal(box.service.recordings.list({ callId }).length, 1, 'one recording for the call');
});

t.test('hook flash on an analog phone: hold with a second dial tone, flash again: back to the caller', async (t) => {
  const { box, clock, callId, events, line, vb } = await talkingCall(t);
  const hat = vb.box.hat;
  if (!hat) throw new Error('no sim hat');
  const toCaller = listen(line);
  hat.agentFlashes('fxs1');
  await clock.run(4000);
  t.ok(startsWithHoldMusic(toCaller), 'flash: the caller hears hold music');
  t.match(box.engine.live(callId)?.control?.flash, { digits: '' }, 'the agent has a second dial tone');
  hat.agentFlashes('fxs1');
  await clock.run(1000);
  t.equal(box.engine.live(callId)?.control?.hold, null, 'second flash: back to the caller');
  t.same(
    events.filter((e) => e.type === 'call.held' || e.type === 'call.unheld').map((e) => e.type),
    ['call.held', 'call.unheld'],
  );
  t.same(
    events.filter((e) => e.type === 'call.held').map((e) => e.data),
    [{ by: 'phone:a1', channel: 'fxs1', why: 'hold' }],
  );
  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'ended', 120_000);
  t.equal(box.service.calls.get(callId)?.holdSeconds, 4);
});

t.test('the caller hangs up while on hold: the hold time so far counts', async (t) => {
  const { box, clock, callId } = await talkingCall(t);
  box.engine.control.hold(box.engine.live(callId), callId, 'boss');
  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'ended', 120_000);
  const cdr = box.service.calls.get(callId);
  t.equal(cdr?.outcome, 'answered');
  t.ok((cdr?.holdSeconds ?? 0) > 40, `held until the caller left (${cdr?.holdSeconds} s)`);
  await clock.run(5000);
  t.equal(box.channels().find((c) => c.id === 'fxs1')?.state, 'idle', 'the agent phone is released');
});

// Analog (FXS) agents dial out (calls/phone-dial.ts) on the real box in virtual time: the agent
// lifts the phone (dial tone), keys a number as real DTMF audio, the box waits out the pause (or
// takes # at once) and dials the customer on a free shop line; the customer answers, they talk
// (recorded), the agent hangs up: an ordinary outbound call record with the phone as agent leg.
// Refusals (no free line, a plan that wants a prefix) give busy tone (cadenced, not dial tone);
// a hang-up while dialling dials nothing.
import t from 'tap';
import type { Config } from '../../firmware/src/config/schema.js';
import { classifyDialled } from '../../firmware/src/calls/phone-dial.js';
import { virtualBox } from '../helpers/box.js';
import { type Handset, liftHandset } from '../helpers/handset.js';
import { toneShare } from '../helpers/tone-meter.js';

/** China's dial and busy tones are both 450 Hz: dial tone is steady, busy tone 350 ms on / 350 ms off. */
function tone(samples: Int16Array): 'dial' | 'busy' | 'silence' {
  const on = toneShare(samples, 450, -20);
  return on > 0.9 ? 'dial' : on > 0.3 && on < 0.7 ? 'busy' : 'silence';
}

async function setup(t: { teardown(fn: () => unknown): void }, dialPlan?: Config['dialPlan']) {
  const vb = await virtualBox({
    config: (c) => {
      if (dialPlan) c.dialPlan = dialPlan;
    },
  });
  t.teardown(vb.close);
  const { box, clock } = vb;
  const hat = box.hat!;
  const lift = (id: string) => liftHandset(hat, id);
  const listen = async (h: Handset, ms = 1400) => {
    h.heard.clear();
    await clock.run(ms);
    return tone(h.heard.samples());
  };
  return { vb, box, clock, hat, lift, listen };
}

t.test('dial plan', (t) => {
  const ext = (s: string) => s === '2' || s === '101';
  t.same(classifyDialled('13900001111', undefined, 'cn', ext), { kind: 'number', number: '13900001111', emergency: false });
  t.same(classifyDialled('2', undefined, 'cn', ext), { kind: 'extension', target: '2' });
  t.same(classifyDialled('101#', undefined, 'cn', ext), { kind: 'extension', target: '101' });
  t.match(classifyDialled('12', undefined, 'cn', ext), { kind: 'refused' }, 'too short for a number');
  t.match(classifyDialled('1*2', undefined, 'cn', ext), { kind: 'refused' });
  const plan = { outsidePrefix: '9' };
  t.same(classifyDialled('913900001111', plan, 'cn', ext), { kind: 'number', number: '13900001111', emergency: false }, 'prefix stripped');
  t.match(classifyDialled('13900001111', plan, 'cn', ext), { kind: 'refused', why: /prefix 9/ }, 'no prefix: refused');
  t.same(classifyDialled('101', plan, 'cn', ext), { kind: 'extension', target: '101' }, 'extensions need no prefix');
  for (const n of ['110', '119', '120', '122'])
    t.same(classifyDialled(n, plan, 'cn', ext), { kind: 'number', number: n, emergency: true }, `${n} without the prefix`);
  t.same(classifyDialled('9110', plan, 'cn', ext), { kind: 'number', number: '110', emergency: true }, 'and with it');
  t.same(classifyDialled('911', { outsidePrefix: '0' }, 'us', ext), { kind: 'number', number: '911', emergency: true });
  t.same(classifyDialled('112', { outsidePrefix: '0' }, 'etsi', ext), { kind: 'number', number: '112', emergency: true });
  t.match(classifyDialled('112', { outsidePrefix: '0' }, 'cn', ext), { kind: 'refused' }, '112 is not an emergency number in the cn plan');
  t.end();
});

t.test('FXS dial-out: dial tone, number, pause, customer answers, recorded outbound call', async (t) => {
  const { box, clock, hat, lift, listen } = await setup(t);
  const phone = lift('fxs2');
  t.equal(await listen(phone), 'dial', 'dial tone after lifting');
  await clock.run(phone.press('13900001111') + 3000);
  t.same(hat.dialled, [], 'nothing dialled before the pause');
  await clock.run(2500);
  t.same(hat.dialled, [{ channel: 'fxo1', number: '13900001111' }], 'dialled on the first shop line after 4 s without a key');
  const [call] = box.service.calls.list({ limit: 1 });
  if (!call) throw new Error('no call record');
  t.match(call, { direction: 'outbound', callerId: '13900001111' });
  t.ok(box.service.acd.agents().find((a) => a.id === 'a2')?.state !== 'available', 'the agent is not offered queue calls');
  await clock.runUntil(() => box.service.calls.get(call.id)?.state === 'talking', 10_000);
  await clock.run(10_000);
  hat.agentHangsUp('fxs2');
  await clock.runUntil(() => box.service.calls.get(call.id)?.state === 'ended', 5_000);
  const cdr = box.service.calls.get(call.id)!;
  t.match(cdr, { outcome: 'answered', agent: 'a2', direction: 'outbound', queue: null });
  t.same(
    cdr.legs.map((l) => [l.channel, l.role]),
    [
      ['fxo1', 'caller'],
      ['fxs2', 'agent'],
    ],
  );
  await box.recorder.drain();
  t.equal(box.recorder.list({ callId: call.id }).length, 1, 'the call is recorded');
  t.equal(hat.channel('fxo1')?.state, 'idle', 'the line is free again');
});

t.test('# dials at once; a prefix plan strips the prefix; emergency numbers need none', async (t) => {
  const { hat, clock, lift } = await setup(t, { outsidePrefix: '0', interDigitS: 6 });
  const phone = lift('fxs3');
  await clock.run(500);
  await clock.run(phone.press('013900002222#') + 500);
  t.same(hat.dialled, [{ channel: 'fxo1', number: '13900002222' }], '# sends at once, prefix 0 stripped');
  const other = lift('fxs4');
  await clock.run(500);
  await clock.run(other.press('110') + 5000);
  t.equal(hat.dialled.length, 1, 'the plan waits 6 s after the last key');
  await clock.run(2000);
  t.same(hat.dialled[1], { channel: 'fxo2', number: '110' }, '110 is dialled without the prefix');
});

t.test('refused: busy tone (a number without the prefix, no free line); hang-up while dialling dials nothing', async (t) => {
  const { box, hat, clock, lift, listen } = await setup(t, { outsidePrefix: '9' });
  const p1 = lift('fxs1');
  await clock.run(500);
  await clock.run(p1.press('13900003333#'));
  t.equal(await listen(p1, 2100), 'busy', 'no prefix: busy tone');
  t.same(hat.dialled, []);
  hat.agentHangsUp('fxs1');
  await clock.run(500);

  const p2 = lift('fxs2');
  await clock.run(500);
  await clock.run(p2.press('9139') + 1000);
  hat.agentHangsUp('fxs2');
  await clock.run(6000);
  t.same(hat.dialled, [], 'hung up before the pause: nothing dialled');
  t.equal(box.engine.activeCount(), 0);

  // every line taken by customers who never answer
  const lines = box.config.lines.length;
  for (let i = 0; i < lines; i++) {
    hat.setCustomer(`1390000400${i}`, { answerAfterS: null });
    const p = lift(`fxs${i + 1}`);
    await clock.run(500);
    await clock.run(p.press(`91390000400${i}#`) + 500);
  }
  t.equal(hat.dialled.length, lines, 'every line dialling');
  const last = lift('fxs4');
  await clock.run(500);
  await clock.run(last.press('913900005555#'));
  t.equal(await listen(last, 2100), 'busy', 'no free line: busy tone');
  t.equal(hat.dialled.length, lines);
  hat.agentHangsUp('fxs1');
  await clock.run(1000);
  const ended = box.service.calls.list({ limit: 10 }).find((c) => c.legs.some((l) => l.channel === 'fxs1'));
  t.match(ended, { state: 'ended', direction: 'outbound', outcome: 'notAccepted' }, 'the agent gave up while it rang');
});

// Calls between extensions (calls/internal-calls.ts) on the real box in virtual time: an agent lifts
// an analog phone and dials a colleague's extension; the colleague's phone rings with the caller's
// extension and name, the caller hears ringback, the answer bridges them (recorded) and the call
// record says `internal`, with no queue. A busy colleague gives busy tone; the caller hanging up
// while it rings ends the call as missed; both agents are busy for the ACD meanwhile.
import t from 'tap';
import { virtualBox } from '../helpers/box.js';
import { liftHandset } from '../helpers/handset.js';
import { toneShare } from '../helpers/tone-meter.js';

/** Share of 20 ms frames carrying the 450 Hz tone (China: ringback 1 s on 4 s off, busy 350/350). */
const share450 = (samples: Int16Array) => toneShare(samples, 450, -30);

async function setup(t: { teardown(fn: () => unknown): void }) {
  const vb = await virtualBox();
  t.teardown(vb.close);
  const hat = vb.box.hat!;
  const lift = (id: string) => liftHandset(hat, id);
  return { ...vb, hat, lift };
}

t.test('FXS to FXS: rings with caller ID, answer bridges, internal record, recorded', async (t) => {
  const { box, clock, hat, lift } = await setup(t);
  box.service.sim!.setAgentSettings({ answerAfterS: 3, talkS: 20 });
  const phone = lift('fxs2');
  await clock.run(500);
  await clock.run(phone.press('3#') + 300);
  const callee = hat.channel('fxs3')!;
  t.equal(callee.state, 'ringing', 'extension 3 (fxs3) rings');
  const a2 = box.service.config.get().config.agents.find((a: { id: string }) => a.id === 'a2');
  t.same(callee.ringingWith, { number: '2', name: a2?.name }, 'caller ID: the caller\u2019s extension and agent name');
  phone.heard.clear();
  await clock.run(2000);
  t.ok(share450(phone.heard.samples()) > 0.1, 'the caller hears ringback');
  const agents = () => Object.fromEntries(box.service.acd.agents().map((a) => [a.id, a.state]));
  t.not(agents().a2, 'available', 'the caller is busy for the ACD');
  t.not(agents().a3, 'available', 'the callee is busy for the ACD');
  const [call] = box.service.calls.list({ limit: 1 });
  if (!call) throw new Error('no call record');
  await clock.runUntil(() => box.service.calls.get(call.id)?.state === 'talking', 5000);
  await clock.runUntil(() => box.service.calls.get(call.id)?.state === 'ended', 30_000);
  const cdr = box.service.calls.get(call.id)!;
  t.match(cdr, { direction: 'internal', outcome: 'answered', agent: 'a3', queue: null, callerId: '2' });
  t.same(
    cdr.legs.map((l) => [l.channel, l.role]),
    [
      ['fxs2', 'caller'],
      ['fxs3', 'agent'],
    ],
  );
  await box.recorder.drain();
  t.equal(box.recorder.list({ callId: call.id }).length, 1, 'recorded');
  hat.agentHangsUp('fxs2');
  await clock.run(60_000);
  t.equal(agents().a2, 'available', 'the caller is available again after hanging up');
});

t.test('callee busy: busy tone; caller gives up while it rings: missed', async (t) => {
  const { box, clock, hat, lift } = await setup(t);
  box.service.sim!.setAgentSettings({ answerAfterS: 25, talkS: 20 });
  const p4 = lift('fxs4'); // fxs4 off hook: busy
  await clock.run(200);
  const p2 = lift('fxs2');
  await clock.run(500);
  await clock.run(p2.press('4#') + 100);
  p2.heard.clear();
  await clock.run(2100);
  const share = share450(p2.heard.samples());
  t.ok(share > 0.3 && share < 0.7, `busy tone (450 Hz ${Math.round(share * 100)}% of the time)`);
  t.equal(box.service.calls.list({ limit: 5 }).length, 0, 'no call record for a refused call');
  hat.agentHangsUp('fxs2');
  hat.agentHangsUp('fxs4');
  void p4;
  await clock.run(1000);

  const p1 = lift('fxs1');
  await clock.run(500);
  await clock.run(p1.press('3#') + 300);
  t.equal(hat.channel('fxs3')?.state, 'ringing');
  await clock.run(2000);
  hat.agentHangsUp('fxs1');
  await clock.run(500);
  t.equal(hat.channel('fxs3')?.state, 'idle', 'the callee stops ringing');
  const [call] = box.service.calls.list({ limit: 1 });
  t.match(call, { direction: 'internal', state: 'ended', outcome: 'missed' });
  t.equal(box.engine.activeCount(), 0);
});

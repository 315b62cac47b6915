// Follow-up lists through the real box in virtual time (sim driver): the dialer offers a due 回访
// item to a free agent; the agent accepts; their FXS phone rings first (showing the customer's
// number) and, once it is picked up, the box dials the simulated customer over an FXO line and
// bridges them. The call is an ordinary outbound call record linked to the attempt; the agent is
// busy in the ACD meanwhile; the outcome closes the item. A customer who never answers is retried.
import t from 'tap';
import { SYSTEM_ACTOR } from '../../firmware/src/backoffice/common/types.js';
import { virtualBox } from '../helpers/box.js';

/** Thursday 2026-11-26 10:00 in Shanghai: inside the default calling hours. */
const START = Date.UTC(2026, 10, 26, 2);
const A = SYSTEM_ACTOR;

async function box(t: { teardown(fn: () => unknown): void }) {
  const vb = await virtualBox({ startMs: START });
  t.teardown(vb.close);
  // only a1 works, so the offer goes to a1
  for (const id of ['a2', 'a3', 'a4']) vb.box.service.acd.setAgentState(id, { state: 'loggedOut' });
  return vb;
}

t.test('accept an offer: agent phone rings, customer dialled over FXO, bridged, outcome recorded', async (t) => {
  const { box: b, clock } = await box(t);
  const f = b.service.followups;
  const hat = b.hat;
  if (!hat) throw new Error('sim driver expected');
  b.service.sim?.setAgentSettings({ answerAfterS: 2, talkS: 30 });
  hat.setCustomer('13900000009', { answerAfterS: 4, hangupAfterS: 300 });
  const item = f.schedule(A, {
    purpose: 'return_visit',
    phone: '13900000009',
    dueAt: clock.now(),
    ticketId: 'T-1',
    note: '回访：维修后是否满意',
  });

  await clock.runUntil(() => f.offerFor(A, 'a1') !== null, 30_000);
  const offer = f.offerFor(A, 'a1');
  t.equal(offer?.item.id, item.id, 'the due item is offered to the free agent');
  t.equal(offer?.list.purpose, 'return_visit');
  t.equal(hat.dialled.length, 0, 'preview: nothing dialled before the agent accepts');

  const phone = b.channels().find((c) => c.id === 'fxs1');
  const seen: string[] = [];
  phone?.events.on('state', (s) => seen.push(`${s.state}@${hat.dialled.length}`));
  const attempt = f.accept(A, 'a1', item.id);
  t.equal(attempt.n, 1);
  t.equal(f.getItem(A, item.id)?.state, 'dialing');
  t.equal(
    b.service.acd.agents().find((a) => a.id === 'a1')?.state,
    'onCall',
    'the agent is busy in the ACD at once (no queue calls offered)',
  );

  await clock.runUntil(() => hat.dialled.length === 1, 30_000);
  t.same(hat.dialled[0], { channel: 'fxo1', number: '13900000009' }, 'dialled over the first FXO line');
  t.equal(seen[0], 'ringing@0', "the agent's phone rang before the customer was dialled");

  const callId = () => f.attempts(A, item.id)[0]?.callId ?? '';
  await clock.runUntil(() => b.service.calls.get(callId())?.state === 'talking', 30_000);
  const rec = b.service.calls.get(callId());
  t.equal(rec?.direction, 'outbound', 'an ordinary outbound call record');
  t.equal(rec?.agent, 'a1');
  t.equal(rec?.callerId, '13900000009');
  t.same(
    rec?.legs.map((l) => [l.channel, l.role]),
    [
      ['fxo1', 'caller'],
      ['fxs1', 'agent'],
    ],
  );
  t.equal(f.attempts(A, item.id)[0]?.line, 'fxo1');

  // a customer calls the shop meanwhile: a1 is not offered the call
  const inbound = await b.service.sim?.placeCall({ channel: 'fxo2', callerId: '13800000001', digits: '1', hangupAfterS: 20 });
  await clock.run(10_000);
  t.not(b.service.calls.get(inbound?.callId ?? '')?.agent, 'a1', 'busy agent not offered queue calls');

  // the agent records the outcome during the call; the call goes on
  const done = f.recordOutcome(A, item.id, { outcome: 'reached', note: '客户满意' });
  t.equal(done.state, 'done');
  await clock.runUntil(() => b.service.calls.get(callId())?.state === 'ended', 120_000);
  t.equal(b.service.calls.get(callId())?.outcome, 'answered');
  const att = f.attempts(A, item.id)[0];
  t.match(att, { dialResult: 'answered', outcome: 'reached', note: '客户满意', agent: 'a1' });
  t.ok(att?.endedAt);
  await clock.runUntil(() => b.service.acd.agents().find((a) => a.id === 'a1')?.state === 'available', 60_000);
  t.pass('the agent is available again after the call');
});

t.test('no answer: attempt counted, retried after the delay, then failed at max attempts', async (t) => {
  const { box: b, clock } = await box(t);
  const f = b.service.followups;
  const hat = b.hat;
  if (!hat) throw new Error('sim driver expected');
  b.service.sim?.setAgentSettings({ answerAfterS: 1, talkS: 300 });
  hat.setCustomer('13900000010', { answerAfterS: null });
  const list = f.createList(A, { name: '满意度调查', purpose: 'satisfaction', maxAttempts: 2, retryDelayMin: 10 });
  const item = f.addItem(A, list.id, { phone: '13900000010' });

  for (let n = 1; n <= 2; n++) {
    await clock.runUntil(() => f.offerFor(A, 'a1') !== null, 15 * 60_000);
    f.accept(A, 'a1', item.id);
    await clock.runUntil(() => f.getItem(A, item.id)?.state !== 'dialing', 120_000);
    const cur = f.getItem(A, item.id);
    t.equal(cur?.attempts, n);
    t.equal(cur?.outcome, 'no_answer');
    t.equal(f.attempts(A, item.id)[n - 1]?.dialResult, 'noAnswer');
    const call = b.service.calls.get(f.attempts(A, item.id)[n - 1]?.callId ?? '');
    t.equal(call?.direction, 'outbound');
    t.equal(call?.outcome, 'notAccepted');
    if (n === 1) {
      t.equal(cur?.state, 'pending');
      t.ok(Date.parse(cur?.nextAt ?? '') >= clock.now() + 9 * 60_000, 'retry after the delay');
      await clock.run(60_000);
      t.equal(f.offerFor(A, 'a1'), null, 'not offered again before the retry delay');
    } else t.equal(cur?.state, 'failed', 'max attempts reached');
  }
  t.equal(hat.dialled.length, 2);
});

t.test('the agent does not pick up: not an attempt, offered again later', async (t) => {
  const { box: b, clock } = await box(t);
  const f = b.service.followups;
  b.service.sim?.setAgentSettings({ answerAfterS: 600, talkS: 10 });
  const item = f.schedule(A, { purpose: 'order_confirmation', phone: '13900000011', dueAt: clock.now() });
  await clock.runUntil(() => f.offerFor(A, 'a1') !== null, 30_000);
  f.accept(A, 'a1', item.id);
  await clock.runUntil(() => f.getItem(A, item.id)?.state === 'pending', 120_000);
  t.equal(f.getItem(A, item.id)?.attempts, 0);
  t.equal(f.attempts(A, item.id)[0]?.dialResult, 'agentNoAnswer');
  t.equal(b.hat?.dialled.length, 0, 'the customer was never dialled');
  await clock.runUntil(() => b.service.acd.agents().find((a) => a.id === 'a1')?.state === 'available', 60_000);
  t.pass('the agent is free again');
});

t.test('both shop lines busy when the agent picks up: the customer is dialled over GSM', async (t) => {
  const { box: b, clock } = await box(t);
  const f = b.service.followups;
  const sim = b.service.sim;
  if (!sim || !b.hat) throw new Error('sim driver expected');
  sim.setAgentSettings({ answerAfterS: 5, talkS: 20 });
  b.hat.setCustomer('13900000012', { answerAfterS: 3, hangupAfterS: 60 });
  const item = f.schedule(A, { purpose: 'satisfaction', phone: '13900000012', dueAt: clock.now() });
  await clock.runUntil(() => f.offerFor(A, 'a1') !== null, 30_000);
  f.accept(A, 'a1', item.id);
  // while a1's phone rings, two customers call in on both FXO lines
  await sim.placeCall({ channel: 'fxo1', callerId: '13800000021', digits: '1', hangupAfterS: 300 });
  await sim.placeCall({ channel: 'fxo2', callerId: '13800000022', digits: '1', hangupAfterS: 300 });
  await clock.runUntil(() => b.hat?.dialled.length === 1, 30_000);
  t.same(b.hat.dialled[0], { channel: 'gsm1', number: '13900000012' }, 'GSM last, when the FXO lines are busy');
  const callId = () => f.attempts(A, item.id)[0]?.callId ?? '';
  await clock.runUntil(() => b.service.calls.get(callId())?.state === 'talking', 30_000);
  t.equal(b.service.calls.get(callId())?.direction, 'outbound');
  t.equal(f.attempts(A, item.id)[0]?.line, 'gsm1');
});

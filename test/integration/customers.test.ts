// Customers on a whole box in virtual time (sim driver): a real inbound call's caller ID (FSK
// after the first ring on an FXO line, +CLIP on the GSM line) creates the customer while the call
// rings, so the screen pop already shows them; other forms of the number find the same customer;
// an anonymous caller creates nobody; a VIP-tagged customer enters the queue with priority 5.
import t from 'tap';
import { SYSTEM_ACTOR } from '../../firmware/src/backoffice/common/types.js';
import type { CallRecord } from '../../firmware/src/service/types.js';
import { virtualBox } from '../helpers/box.js';

const START = Date.UTC(2026, 10, 26, 2); // Thursday 10:00 in Shanghai
const SUPERVISOR = { username: 'lead', role: 'supervisor' } as const;
const AGENT = { username: 'agent1', role: 'agent' } as const;

async function box(t: { teardown(fn: () => unknown): void }) {
  const vb = await virtualBox({ startMs: START });
  t.teardown(vb.close);
  vb.box.service.sim?.setAgentSettings({ answerAfterS: 2, talkS: 20 });
  const calls: CallRecord[] = [];
  const queued = new Map<string, unknown>();
  vb.box.engine.events.on('call', ({ call, event }) => {
    if (event === 'call.ringing') calls.push(call);
  });
  vb.box.engine.events.on('event', (e) => {
    if (e.type === 'queue.enter' && e.callId) queued.set(e.callId, e.data);
  });
  const hat = vb.box.hat;
  if (!hat) throw new Error('sim driver expected');
  return { ...vb, hat, calls, queued, customers: vb.box.service.customers };
}

t.test('an inbound call creates its customer from caller ID while it rings; the screen pop shows them', async (t) => {
  const b = await box(t);
  b.hat.placeInboundCall({ channel: 'fxo1', callerId: '013812345678', callerName: '王小明', digits: '1', hangupAfterS: 40 });
  await b.clock.runUntil(() => b.customers.byPhone(SYSTEM_ACTOR, '13812345678') !== null, 30_000);
  const call = b.calls[0] as CallRecord;
  t.ok(call, 'the call rang');
  t.not(b.box.service.calls.get(call.id)?.state, 'ended', 'the customer exists before the call is over');
  const c = b.customers.byPhone(SYSTEM_ACTOR, '+8613812345678');
  t.match(c, { name: '王小明', source: 'callerId', phones: [{ phone: '013812345678' }] });
  const pop = b.customers.screenPop(AGENT, { callId: call.id });
  t.match(pop, { callId: call.id, phone: '0138****5678', customer: { id: c?.id, name: '王小明', phones: [{ phone: '0138****5678' }] } });
  t.equal(pop.lastCalls[0]?.id, call.id, 'the ringing call is the last call');

  await b.clock.runUntil(() => b.box.service.calls.get(call.id)?.state === 'ended', 300_000);
  // the same phone over the GSM line (+CLIP in international form)
  b.hat.placeInboundCall({ channel: 'gsm1', callerId: '+8613812345678', digits: '1', hangupAfterS: 20 });
  await b.clock.runUntil(() => b.calls.length === 2, 30_000);
  const second = b.calls[1] as CallRecord;
  await b.clock.runUntil(() => b.box.service.calls.get(second.id)?.state === 'ended', 300_000);
  t.equal(b.customers.search(SYSTEM_ACTOR, {}).total, 1, 'one customer for both forms');
  const after = b.customers.screenPop(SUPERVISOR, { phone: '13812345678' });
  t.same(
    after.lastCalls.map((x) => x.id),
    [second.id, call.id],
  );
  t.equal(after.lastCalls[0]?.outcome, 'answered');

  // an anonymous caller creates nobody
  b.hat.placeInboundCall({ channel: 'fxo2', callerId: null, digits: '1', hangupAfterS: 10 });
  await b.clock.runUntil(() => b.calls.length === 3, 30_000);
  const anon = b.calls[2] as CallRecord;
  await b.clock.runUntil(() => b.box.service.calls.get(anon.id)?.state === 'ended', 300_000);
  t.equal(b.customers.search(SYSTEM_ACTOR, {}).total, 1);
  t.match(b.customers.screenPop(AGENT, { callId: anon.id }), { phone: null, customer: null });
});

t.test('a VIP-tagged customer enters the queue with priority 5 (customers.queuePriority through the engine)', async (t) => {
  const b = await box(t);
  b.customers.create(SYSTEM_ACTOR, { name: '大客户', phones: ['13900000008'], tags: ['VIP'] });
  b.hat.placeInboundCall({ channel: 'fxo1', callerId: '13700000002', digits: '1', hangupAfterS: 30 });
  b.hat.placeInboundCall({ channel: 'fxo2', callerId: '013900000008', digits: '1', hangupAfterS: 30 });
  await b.clock.runUntil(() => b.queued.size === 2, 60_000);
  const [normal, vip] = b.calls as [CallRecord, CallRecord];
  t.match(b.queued.get(normal.id), { priority: 0 });
  t.match(b.queued.get(vip.id), { priority: 5 }, 'the VIP, by another form of the number');
});

// Conferences and supervisor monitoring on the real box in virtual time (sim FXS phones, an FXO
// caller): each party sends its own tone and we measure what every other party hears (Goertzel).
// Three-way: everyone hears the other two, never itself. Whisper: the agent hears the supervisor,
// the caller does not. Listen: nobody hears the supervisor. The event log, the call record's legs
// and the recording tell the same story; the leader leaving keeps the caller with the other agent.
import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import type { SimChannel } from '../../hal/src/drivers/sim/sim-channel.js';
import { parseWav } from '../../hal/src/dsp/wav.js';
import { ToneParty, toneDbm0 } from '../helpers/tone-meter.js';
import { talkingCall } from './fixtures/talking-call.js';

const HEARD = -25;
const NOT_HEARD = -50;

async function callWithAgent(t: Test) {
  const { box, clock, events, callId } = await talkingCall(t, { hangupAfterS: 3600, talkS: 3600 });
  const call = box.service.calls.get(callId)!;
  const agentLeg = call.legs.find((l) => l.role === 'agent' && l.endedAt === null)!;
  const others = ['fxs1', 'fxs2', 'fxs3', 'fxs4'].filter((id) => id !== agentLeg.channel);
  const ch = (id: string) => box.hat!.channel(id) as SimChannel;
  const tone = (id: string, freq: number) => {
    const p = new ToneParty(freq);
    ch(id).party = p;
    return p;
  };
  return { box, clock, events, callId, agent: agentLeg.channel, others, ch, tone };
}

/** Let the audio run, then measure one second of what each party heard. */
async function measure(clock: { run(ms: number): Promise<void> }, parties: ToneParty[]) {
  await clock.run(500);
  for (const p of parties) p.heard.clear();
  await clock.run(1000);
  return parties.map((p) => {
    const s = p.heard.samples();
    return Object.fromEntries(parties.map((q) => [q.freq, Math.round(toneDbm0(s, q.freq))]));
  });
}

t.test('three-way conference on FXS: N-1 audio, leader leaves, record and recording agree', async (t) => {
  const { box, clock, events, callId, agent, others, ch, tone } = await callWithAgent(t);
  const third = others[0]!;
  const leg = box.engine.rooms.conference.add(callId, third, 'owner');
  t.match(leg, { channel: third, kind: 'party', mode: 'talk', joined: false });
  t.equal(ch(third).state, 'ringing', 'the added extension rings');
  // the sim agent answers after 2 s; then everyone talks in a tone of their own
  await clock.runUntil(() => box.engine.rooms.conference.view(callId)?.legs.every((l) => l.joined) === true, 10_000);
  const caller = tone('fxo1', 440);
  const a = tone(agent, 1000);
  const x = tone(third, 1700);
  const [hc, ha, hx] = await measure(clock, [caller, a, x]);
  t.ok(hc![1000]! > HEARD && hc![1700]! > HEARD && hc![440]! < NOT_HEARD, `caller hears agent and third, not itself ${JSON.stringify(hc)}`);
  t.ok(ha![440]! > HEARD && ha![1700]! > HEARD && ha![1000]! < NOT_HEARD, `agent hears caller and third, not itself ${JSON.stringify(ha)}`);
  t.ok(hx![440]! > HEARD && hx![1000]! > HEARD && hx![1700]! < NOT_HEARD, `third hears caller and agent, not itself ${JSON.stringify(hx)}`);

  // the mixer owns the call's audio: hold, transfer and park are refused, a hook flash does nothing
  const live = box.engine.live(callId);
  t.throws(() => box.engine.control.hold(live, callId, 'x'), { code: 'CONFLICT' }, 'no hold in a conference');
  t.throws(() => box.engine.control.transfer(live, callId, 'queue:main', 'blind', 'x'), { code: 'CONFLICT' }, 'no transfer');
  t.throws(() => box.engine.control.park(live, callId, 'x'), { code: 'CONFLICT' }, 'no park');
  box.hat!.agentFlashes(agent);
  await clock.run(200);
  t.notOk(
    events.some((e) => e.type === 'call.held'),
    'a flash does not hold a conference',
  );

  // the leader (the first agent) hangs up: the caller stays with the third party, who leads now
  ch(agent).partyHangsUp();
  await clock.run(100);
  t.equal(box.service.calls.get(callId)?.state, 'talking', 'the call goes on');
  t.equal(box.engine.rooms.conference.view(callId)?.leader, third, 'the remaining agent leads');
  const [hc2, , hx2] = await measure(clock, [caller, a, x]);
  t.ok(hc2![1700]! > HEARD && hx2![440]! > HEARD, 'caller and third still hear each other');
  // the third party hangs up too: no agent is left, the call ends
  ch(third).partyHangsUp();
  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'ended', 5000);

  const rec = box.service.calls.get(callId)!;
  t.match(rec, { outcome: 'answered' });
  const legs = rec.legs.map((l) => [l.role, l.channel, l.answeredAt !== null, l.endedAt !== null]);
  t.same(legs, [
    ['caller', 'fxo1', true, true],
    ['agent', agent, true, true],
    ['conference', third, true, true],
  ]);
  const agentEnd = Date.parse(rec.legs[1]!.endedAt!);
  const thirdEnd = Date.parse(rec.legs[2]!.endedAt!);
  t.ok(agentEnd < thirdEnd, 'the leader left first');
  const mine = events.filter((e) => e.type.startsWith('call.conference') || e.type === 'call.ended');
  t.same(
    mine.map((e) => e.type),
    ['call.conference.invited', 'call.conference.joined', 'call.conference.left', 'call.ended'],
  );
  t.match(mine[2]!.data, { leg: 1, channel: agent, why: 'hungUp', leader: third });
  t.match(mine[3]!.data, { outcome: 'answered', reason: 'agentHangup' });

  await box.recorder.drain();
  const recs = box.recorder.list({ callId });
  t.equal(recs.length, 1, 'one recording');
  const wav = parseWav(readFileSync(box.recorder.filePath(recs[0]!.id)!));
  // the tones ran during the conference: the recording holds all three parties
  const s = wav.samples;
  t.ok(toneDbm0(s, 440) > -45 && toneDbm0(s, 1000) > -45 && toneDbm0(s, 1700) > -45, 'all three parties are in the recording');
});

t.test('supervisor monitoring: listen, whisper, barge by console, feature code from an idle phone', async (t) => {
  const { box, clock, events, callId, agent, others, tone } = await callWithAgent(t);
  const supExt = others[0]!;
  const sup = box.engine.rooms.monitor.start(callId, 'listen', supExt, 'boss');
  t.match(sup, { channel: supExt, kind: 'monitor', mode: 'listen', joined: false });
  await clock.runUntil(() => box.engine.rooms.conference.view(callId)?.legs.find((l) => l.kind === 'monitor')?.joined === true, 10_000);
  const caller = tone('fxo1', 440);
  const a = tone(agent, 1000);
  const s = tone(supExt, 1700);
  let [hc, ha, hs] = await measure(clock, [caller, a, s]);
  t.ok(hs![440]! > HEARD && hs![1000]! > HEARD, `listen: the supervisor hears both ${JSON.stringify(hs)}`);
  t.ok(hc![1700]! < NOT_HEARD && ha![1700]! < NOT_HEARD, 'listen: nobody hears the supervisor');
  t.ok(hc![1000]! > HEARD && ha![440]! > HEARD, 'caller and agent still talk');

  box.engine.rooms.monitor.setMode(callId, sup.leg, 'whisper', 'boss');
  [hc, ha, hs] = await measure(clock, [caller, a, s]);
  t.ok(ha![1700]! > HEARD, `whisper: the agent hears the supervisor ${JSON.stringify(ha)}`);
  t.ok(hc![1700]! < NOT_HEARD, `whisper: the caller does not ${JSON.stringify(hc)}`);

  box.engine.rooms.monitor.setMode(callId, sup.leg, 'barge', 'boss');
  [hc, ha, hs] = await measure(clock, [caller, a, s]);
  t.ok(hc![1700]! > HEARD && ha![1700]! > HEARD, 'barge: both hear the supervisor');

  box.engine.rooms.monitor.end(callId, sup.leg, 'boss');
  await clock.run(2000); // the sim supervisor puts the phone down after the reorder tone
  t.equal(box.engine.rooms.conference.view(callId), null, 'the call is a plain bridge again');
  [hc, ha] = await measure(clock, [caller, a, s]);
  t.ok(hc![1000]! > HEARD && ha![440]! > HEARD, 'caller and agent talk on');

  const mon = events.filter((e) => e.type.startsWith('call.monitor')).map((e) => [e.type, e.data.mode, e.data.channel]);
  t.same(mon, [
    ['call.monitor.ringing', 'listen', supExt],
    ['call.monitor.started', 'listen', supExt],
    ['call.monitor.mode', 'whisper', supExt],
    ['call.monitor.mode', 'barge', supExt],
    ['call.monitor.ended', 'barge', supExt],
  ]);
  const rec = box.service.calls.get(callId)!;
  t.match(rec.legs[2], { role: 'monitor', channel: supExt });
  t.ok(rec.legs[2]!.endedAt !== null);

  // a feature code from an idle phone: refused without a supervisor account linked to that agent
  const fc = others[1]!;
  const fcAgent = box.engine.acd.agentByExtension(fc)!.id;
  const number = box.engine.acd.agentByExtension(agent)!.extension.slice(3); // fxs2 -> "2"
  box.hat!.agentDials(fc, `*5${number}#`);
  await clock.run(1500);
  t.notOk(box.engine.rooms.conference.view(callId), 'not a supervisor: refused');
  t.ok(box.service.audit.list({ limit: 10, action: 'call.monitor.refused' }).length >= 1, 'the refusal is in the audit trail');
  await clock.run(6000);
  await box.auth.addUser({ username: 'banzhang', role: 'supervisor', password: 'supervisor-pass-1', agentId: fcAgent });
  box.hat!.agentDials(fc, `*5${number}#`);
  await clock.run(1500);
  const view = box.engine.rooms.conference.view(callId);
  t.match(
    view?.legs.find((l) => l.kind === 'monitor'),
    { channel: fc, mode: 'listen', joined: true, by: `phone:${fcAgent}` },
  );
  t.match(box.service.audit.list({ limit: 10, action: 'call.monitor' })[0], {
    actor: `phone:${fcAgent}`,
    entity: 'call',
    entityId: callId,
  });
  // the supervisor puts the phone down (the sim agent hangs up 5 s after dialling): the monitor ends
  await clock.run(6000);
  t.equal(box.engine.rooms.conference.view(callId), null, 'monitor over when the supervisor hangs up');
  t.equal(box.service.calls.get(callId)?.state, 'talking');
});

t.test('refusals: unknown call, busy extension, bad target, too many parties', async (t) => {
  const { box, callId, agent, others } = await callWithAgent(t);
  t.throws(() => box.engine.rooms.conference.add('nope', others[0]!, 'x'), { code: 'NOT_FOUND' });
  t.throws(() => box.engine.rooms.conference.add(callId, agent, 'x'), { code: 'CONFLICT' }, 'the agent is busy on this call');
  t.throws(() => box.engine.rooms.conference.add(callId, 'zz', 'x'), { code: 'VALIDATION_FAILED' });
  t.throws(() => box.engine.rooms.monitor.start(callId, 'listen', 'zz', 'x'), { code: 'VALIDATION_FAILED' });
  t.throws(() => box.engine.rooms.conference.drop(callId, 0, 'x'), { code: 'NOT_FOUND' });
  box.engine.rooms.conference.add(callId, others[0]!, 'x');
  box.engine.rooms.conference.add(callId, others[1]!, 'x');
  box.engine.rooms.conference.add(callId, '02088886666', 'x'); // an external number on the free line fxo2
  t.throws(() => box.engine.rooms.conference.add(callId, others[2]!, 'x'), { code: 'CONFLICT' }, 'five parties at most');
  t.equal(box.hat!.dialled.at(-1)?.number, '02088886666');
});

t.test('analog phone: flash, dial the colleague, *3 joins everyone', async (t) => {
  const { box, clock, events, callId, agent, others, ch, tone } = await callWithAgent(t);
  const colleague = others[0]!;
  box.hat!.agentFlashes(agent);
  await clock.run(1000);
  box.hat!.agentPresses(agent, `${colleague.slice(3)}#`);
  await clock.runUntil(() => events.some((e) => e.type === 'call.consultAnswered'), 15_000);
  await clock.run(500);
  box.hat!.agentPresses(agent, '*3');
  await clock.runUntil(() => events.some((e) => e.type === 'call.conference.joined'), 5000);
  t.match(box.engine.rooms.conference.view(callId), {
    leader: agent,
    legs: [
      { kind: 'agent', channel: agent },
      { kind: 'party', channel: colleague, joined: true },
    ],
  });
  const caller = tone('fxo1', 440);
  const a = tone(agent, 1000);
  const x = tone(colleague, 1700);
  const [hc, ha, hx] = await measure(clock, [caller, a, x]);
  t.ok(hc![1000]! > HEARD && hc![1700]! > HEARD && hc![440]! < NOT_HEARD, `caller hears both agents ${JSON.stringify(hc)}`);
  t.ok(ha![440]! > HEARD && ha![1700]! > HEARD && ha![1000]! < NOT_HEARD, `agent hears caller and colleague ${JSON.stringify(ha)}`);
  t.ok(hx![440]! > HEARD && hx![1000]! > HEARD && hx![1700]! < NOT_HEARD, `colleague hears caller and agent ${JSON.stringify(hx)}`);
  const types = events.map((e) => e.type).filter((e) => /^call\.(held|unheld|consult|consultAnswered|conference)/.test(e));
  t.same(types, ['call.held', 'call.consult', 'call.consultAnswered', 'call.unheld', 'call.conference.joined']);
  t.same(
    box.service.calls.get(callId)!.legs.map((l) => `${l.channel}:${l.role}`),
    ['fxo1:caller', `${agent}:agent`, `${colleague}:conference`],
  );
  // the caller hangs up: everyone is hung up, the call ends once
  ch('fxo1').partyHangsUp();
  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'ended', 5000);
  t.ok(
    box.service.calls.get(callId)!.legs.every((l) => l.endedAt !== null),
    'every leg ended',
  );
  t.equal(events.filter((e) => e.type === 'call.ended').length, 1);
  t.match(events.find((e) => e.type === 'call.conference.left')?.data, { channel: colleague, why: 'callEnded' });
});

t.test('an extension that does not answer, an external party that hangs up: only their legs end', async (t) => {
  const { box, clock, events, callId, others } = await callWithAgent(t);
  box.service.sim!.setAgentSettings({ answerAfterS: 45, talkS: 3600 }); // the colleague will not answer in time
  const rung = box.engine.rooms.conference.add(callId, others[0]!, 'x');
  await clock.run(31_000);
  t.match(events.find((e) => e.type === 'call.conference.left')?.data, { leg: rung.leg, channel: others[0], why: 'noAnswer' });
  t.equal(box.engine.rooms.conference.view(callId), null, 'back to the plain bridge');
  t.equal(box.hat!.channel(others[0]!)?.state, 'idle', 'the extension stopped ringing');

  box.hat!.setCustomer('02088886666', { answerAfterS: 1, hangupAfterS: 3, digits: '' });
  const ext = box.engine.rooms.conference.add(callId, '02088886666', 'x');
  await clock.runUntil(() => events.some((e) => e.type === 'call.conference.joined'), 5000);
  await clock.runUntil(() => events.filter((e) => e.type === 'call.conference.left').length === 2, 10_000);
  t.match(events.filter((e) => e.type === 'call.conference.left')[1]?.data, { leg: ext.leg, channel: 'fxo2', why: 'hungUp' });
  t.equal(box.service.calls.get(callId)?.state, 'talking', 'the caller and the agent talk on');
  t.same(
    box.service.calls.get(callId)!.legs.map((l) => `${l.channel}:${l.role}:${l.answeredAt !== null}:${l.endedAt !== null}`),
    [
      'fxo1:caller:true:false',
      `${box.service.calls.get(callId)!.legs[1]!.channel}:agent:true:false`,
      `${others[0]}:conference:false:true`,
      'fxo2:conference:true:true',
    ],
  );
});

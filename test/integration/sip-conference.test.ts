// A conference with SIP phones (SIPp): the caller (a simulated line) talks to agent 101; the console
// adds extension 102, whose phone is rung over SIP and answers; 101 hangs up (its BYE) and the
// caller stays with 102, now the leader; dropping 102 ends the call (BYE to the phone). The event
// log and the call record's legs tell that story.
import t from 'tap';
import { eventLog } from '../helpers/box.js';
import { openSipBox, phoneUas, registerPhone } from './fixtures/sip-box.js';
import { sleep, until } from '../helpers/wait.js';

const base = 51000 + (process.pid % 25) * 40; // 51000..51999: between the other SIP tests' ranges

t.test('SIP phones: add 102 to 101s call, 101 leaves, the caller stays with 102, drop ends it', async (t) => {
  const { box, dataDir } = await openSipBox(t, { base, prefix: 'callbox-sipconf-', phones: 2 });
  t.equal((await registerPhone(dataDir, base, '101', base + 20)).code, 0, '101 registered');
  t.equal((await registerPhone(dataDir, base, '102', base + 25)).code, 0, '102 registered');
  const events = eventLog(box);

  // 101 answers and hangs up 8 s later; 102 answers and waits for the box's BYE
  const first = phoneUas(dataDir, 'uas-answer-bye.xml', ['8000'], base + 20, base + 22);
  const second = phoneUas(dataDir, 'uas-answer.xml', [], base + 25, base + 27);
  await sleep(300);
  const { callId } = await box.service.sim!.placeCall({ channel: 'fxo1', callerId: '13800138000', digits: '1', hangupAfterS: 60 });
  const call = () => box.service.calls.get(callId);
  await until('101 talks to the caller', () => call()?.state === 'talking', 20_000);

  const leg = box.engine.rooms.conference.add(callId, '102', 'owner');
  t.match(leg, { channel: 'sip-102', kind: 'party', joined: false });
  await until('102 joined', () => events.some((e) => e.type === 'call.conference.joined'), 20_000);
  t.equal(box.engine.rooms.conference.view(callId)?.leader, 'sip-101', '101 leads');

  await until('101 left', () => events.some((e) => e.type === 'call.conference.left'), 15_000);
  t.match(events.find((e) => e.type === 'call.conference.left')?.data, { channel: 'sip-101', why: 'hungUp', leader: 'sip-102' });
  await sleep(300);
  t.equal(call()?.state, 'talking', 'the caller stays with 102');
  t.equal(box.engine.rooms.conference.view(callId)?.leader, 'sip-102');

  box.engine.rooms.conference.drop(callId, leg.leg, 'owner');
  await until('the call ended', () => call()?.state === 'ended', 20_000);
  t.equal((await first).code, 0, '101 hung up cleanly');
  t.equal((await second).code, 0, '102 got the BYE');
  const rec = call()!;
  t.same(
    rec.legs.map((l) => `${l.channel}:${l.role}:${l.answeredAt !== null}:${l.endedAt !== null}`),
    ['fxo1:caller:true:true', 'sip-101:agent:true:true', 'sip-102:conference:true:true'],
  );
  t.same(
    events
      .filter((e) => e.type.startsWith('call.conference') || e.type === 'call.ended')
      .map((e) => `${e.type}:${e.data.channel ?? e.data.reason}`),
    [
      'call.conference.invited:sip-102',
      'call.conference.joined:sip-102',
      'call.conference.left:sip-101',
      'call.conference.left:sip-102',
      'call.ended:agentHangup',
    ],
  );
});

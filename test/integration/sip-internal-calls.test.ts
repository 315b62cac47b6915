// Calls between an analog and a SIP extension (calls/internal-calls.ts), real SIPp on loopback: the
// SIP phone 101 (agent a1) registers and answers as a SIPp UAS; the agent on the analog phone fxs2
// (a2) lifts it and dials 101# as DTMF audio; the SIP phone gets the INVITE, answers, talks and
// hangs up: one internal call record (caller ID "2", the caller's name), the SIP phone its agent
// leg. The other way: the SIP phone dials 2, the simulated agent at fxs2 answers; with fxs2 off
// hook the SIP phone's call gets 486 Busy Here. With the outside-line prefix set, SIP phone 101 still
// calls SIP colleague 102 and analog colleague 2 (both were refused 404: with a prefix the SIP driver
// passed on only prefixed numbers, and it never passed on a SIP extension that was not a consultation).
import t from 'tap';
import { liftHandset } from '../helpers/handset.js';
import { openSipBox, phoneDial, phoneUas, registerPhone } from './fixtures/sip-box.js';
import { sleep } from '../helpers/wait.js';

const base = 47520 + (process.pid % 11) * 40; // 47520..47950: below the 48000 range of the other SIP tests

t.test('FXS dials a SIP extension: it rings with the caller ID, answers, internal record', async (t) => {
  const { box, dataDir } = await openSipBox(t, {
    base,
    prefix: 'callbox-sipint-',
    config: (c) => {
      c.agents.push({ id: 'a2', name: '坐席 2', extension: 'fxs2' });
    },
  });
  t.equal((await registerPhone(dataDir, base, '101', base + 20)).code, 0, '101 registered');
  const uas = phoneUas(dataDir, 'uas-answer-bye.xml', ['2000'], base + 20, base + 22);
  await sleep(300);
  const hand = liftHandset(box.hat!, 'fxs2');
  await sleep(500);
  hand.press('101#');
  const r = await uas;
  t.equal(r.code, 0, `the SIP phone got the INVITE, answered and hung up ${r.code === 0 ? '' : r.stderr.slice(-400)}`);
  await sleep(300);
  const [call] = box.service.calls.list({ limit: 1 });
  t.match(call, { direction: 'internal', outcome: 'answered', agent: 'a1', callerId: '2', callerName: '坐席 2', queue: null });
  t.same(
    call?.legs.map((l) => [l.channel, l.role]),
    [
      ['fxs2', 'caller'],
      ['sip-101', 'agent'],
    ],
  );
  t.ok(call?.legs[1]?.answeredAt, 'the SIP phone answered');
  box.hat!.agentHangsUp('fxs2');
});

t.test('a SIP phone dials an analog extension: fxs2 rings, the agent answers, internal record', async (t) => {
  const { box, dataDir } = await openSipBox(t, {
    base,
    prefix: 'callbox-sipint2-',
    config: (c) => {
      c.agents.push({ id: 'a2', name: '坐席 2', extension: 'fxs2' });
    },
  });
  box.service.sim!.setAgentSettings({ answerAfterS: 1, talkS: 600 });
  t.equal((await registerPhone(dataDir, base, '101', base + 20)).code, 0, '101 registered');
  const r = await phoneDial(dataDir, base, {
    user: '101',
    port: base + 20,
    mediaPort: base + 22,
    file: 'phone-dial.xml',
    fields: ['101', '2', '1500'],
    echo: true,
    timeout: '20s',
  });
  t.equal(r.code, 0, `the phone's call was answered and hung up ${r.code === 0 ? '' : r.stderr.slice(-400)}`);
  await sleep(300);
  const [call] = box.service.calls.list({ limit: 1 });
  t.match(call, { direction: 'internal', outcome: 'answered', agent: 'a2', callerId: '101', callerName: '坐席 1' });
  t.same(
    call?.legs.map((l) => [l.channel, l.role]),
    [
      ['sip-101', 'caller'],
      ['fxs2', 'agent'],
    ],
  );

  // fxs2 off hook: the SIP phone's call to it is refused 486 Busy Here, no call record
  box.hat!.channel('fxs2')!.partyLifts();
  await sleep(300);
  const busy = await phoneDial(dataDir, base, {
    user: '101',
    port: base + 20,
    mediaPort: base + 22,
    file: 'phone-dial-busy.xml',
    fields: ['101', '2'],
    timeout: '10s',
  });
  t.equal(busy.code, 0, `486 Busy Here ${busy.code === 0 ? '' : busy.stderr.slice(-400)}`);
  t.equal(box.service.calls.list({ limit: 5 }).length, 1, 'no record for the refused call');
});

t.test('with the outside-line prefix ("9") set, a SIP phone still dials extensions: a SIP colleague, an analog one', async (t) => {
  const { box, dataDir } = await openSipBox(t, {
    base,
    prefix: 'callbox-sipint3-',
    phones: 2,
    config: (c) => {
      c.agents.push({ id: 'a3', name: '坐席 3', extension: 'fxs2' });
      if (c.sip) c.sip.outboundPrefix = '9';
    },
  });
  box.service.sim!.setAgentSettings({ answerAfterS: 1, talkS: 600 });
  t.equal((await registerPhone(dataDir, base, '101', base + 20)).code, 0, '101 registered');
  t.equal((await registerPhone(dataDir, base, '102', base + 30)).code, 0, '102 registered');
  const uas = phoneUas(dataDir, 'uas-answer.xml', [], base + 30, base + 32);
  await sleep(300);
  const dial = (number: string) =>
    phoneDial(dataDir, base, {
      user: '101',
      port: base + 20,
      mediaPort: base + 22,
      file: 'phone-dial.xml',
      fields: ['101', number, '1000'],
      echo: true,
      timeout: '20s',
    });
  const r = await dial('102');
  t.equal(r.code, 0, `101's call to 102 was answered and hung up ${r.code === 0 ? '' : r.stderr.slice(-400)}`);
  t.equal((await uas).code, 0, '102 rang, answered, got the BYE');
  await sleep(300);
  t.match(box.service.calls.list({ limit: 1 })[0], { direction: 'internal', outcome: 'answered', agent: 'a2', callerId: '101' });
  const r2 = await dial('2');
  t.equal(r2.code, 0, `101's call to 2 (fxs2) was answered and hung up ${r2.code === 0 ? '' : r2.stderr.slice(-400)}`);
  await sleep(300);
  const [call] = box.service.calls.list({ limit: 1 });
  t.match(call, { direction: 'internal', outcome: 'answered', agent: 'a3', callerId: '101' });
  t.same(
    call?.legs.map((l) => [l.channel, l.role]),
    [
      ['sip-101', 'caller'],
      ['fxs2', 'agent'],
    ],
  );
});

// Attended transfer on loopback: a caller (SIPp) comes in through the trunk and presses 1, the
// queue rings agent a1's phone 101 (a sip.js softphone), which answers; 101 then dials extension
// 102 (SIPp, -rtp_echo): its second call, which the box makes the call's consultation (102 a
// `consult` leg, no call record of its own, audio bridged both ways) — and, once 102 answered,
// REFERs the caller's dialog with Replaces naming the consultation. The box takes
// it: NOTIFY 200, BYE for both of 101's dialogs, and 102's consultation dialog becomes the
// caller's agent leg without a new INVITE (102 hears the caller's tone). One call record, whose events
// tell an attended transfer's story (call.consult, call.consultAnswered, call.transferred mode attended).
import { SessionState } from 'sip.js';
import t from 'tap';
import { consultRig, talkOn } from './fixtures/sipjs-phone.js';
import { sleep, within } from '../helpers/wait.js';

const base = 61000 + (process.pid % 100) * 40;

t.test('attended transfer: 101 consults 102, then REFER with Replaces hands the caller over', async (t) => {
  const { box, a, p101, p102, b, caller, events } = await consultRig(t, base, ['uas-answer.xml'], 12000);
  t.ok(await within(() => a.incoming[0]?.state === SessionState.Established, 10000), '101 answered the queued call');
  const held = a.incoming[0];
  if (!held) throw new Error('no call on 101');
  await sleep(1000);
  const consult = await a.call('102');
  t.equal(p102.state, 'active', '102 answered the consultation');
  t.equal(box.service.calls.list({ limit: 5 }).length, 1, 'the consultation made no call record');
  // The consultation's audio: 101 sends a tone, the box bridges it to 102, whose echo comes back to 101.
  const echoed = await talkOn(consult, 1500, true);
  t.ok(echoed > 10, `101 and 102 hear each other through the box during the consultation (${echoed} loud frames)`);
  const notifies: string[] = [];
  await held.refer(consult, {
    onNotify: (n) => {
      notifies.push(n.request.body);
      n.accept().catch(() => {});
    },
  });
  t.ok(
    await within(() => held.state === SessionState.Terminated && consult.state === SessionState.Terminated, 5000),
    "both of 101's dialogs ended",
  );
  t.match(notifies.join('\n'), /SIP\/2\.0 200 OK/, 'NOTIFY: the transfer succeeded');
  t.equal(p101.transfers.taken, 1);
  t.ok(await within(() => p102.rxLevel.loudFrames > 20, 5000), `102 hears the caller (${p102.rxLevel.loudFrames} loud frames echoed back)`);

  const run = await caller;
  t.equal(run.code, 0, `the caller's call completed ${run.code === 0 ? '' : run.stderr.slice(-300)}`);
  const rb = await b;
  t.equal(rb.code, 0, `102: one INVITE (the consultation), answered, then the caller's BYE ${rb.code === 0 ? '' : rb.stderr.slice(-300)}`);
  await sleep(300);
  const calls = box.service.calls.list({ limit: 5 });
  t.equal(calls.length, 1, 'one call record');
  const c = calls[0];
  t.equal(c?.agent, 'a2');
  t.equal(c?.outcome, 'answered');
  t.same(
    c?.legs.map((l) => [l.channel, l.role]),
    [
      ['sip-trunk-1', 'caller'],
      ['sip-101', 'agent'],
      ['sip-102', 'agent'],
    ],
  );
  // the story of every attended transfer (as to an analog colleague or a number): the consultation becomes the call's
  t.match(events.find((e) => e.type === 'call.consult')?.data, { from: 'sip-101', to: 'sip-102', target: 'a2', by: 'phone:a1' });
  t.ok(
    events.some((e) => e.type === 'call.consultAnswered'),
    'call.consultAnswered',
  );
  t.same(events.find((e) => e.type === 'call.transferred')?.data, {
    from: 'sip-101',
    to: 'sip-102',
    agent: 'a2',
    mode: 'attended',
    target: 'a2',
    by: 'phone:a1',
  });
  t.equal(p101.state, 'idle');
  t.equal(p102.state, 'idle');
});

t.test('the consulted phone hangs up first: the consultation ends, the call stays with 101', async (t) => {
  const { box, a, p101, p102, b, caller } = await consultRig(t, base, ['uas-answer-bye.xml', '1000'], 8000);
  t.ok(await within(() => a.incoming[0]?.state === SessionState.Established, 10000), '101 answered the queued call');
  await sleep(500);
  const consult = await a.call('102');
  t.equal(p102.state, 'active', '102 answered the consultation');
  t.ok(await within(() => consult.state === SessionState.Terminated, 5000), "102's hang-up ended 101's consultation dialog");
  t.equal(p102.state, 'idle', '102 is free again');
  t.equal(p101.state, 'active', '101 is still with the caller');
  t.equal((await b).code, 0, '102 answered and hung up');
  t.equal((await caller).code, 0, "the caller's call completed");
  await sleep(300);
  const c = box.service.calls.list({ limit: 5 })[0];
  t.equal(c?.agent, 'a1');
  t.same(
    c?.legs.map((l) => [l.channel, l.role, l.answeredAt !== null, l.endedAt !== null]),
    [
      ['sip-trunk-1', 'caller', true, true],
      ['sip-101', 'agent', true, true],
      ['sip-102', 'consult', true, true],
    ],
    'the consultation is an ended consult leg of the call, as to an analog colleague or a number',
  );
  t.equal(p101.transfers.taken, 0);
});

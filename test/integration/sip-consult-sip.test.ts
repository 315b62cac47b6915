// A SIP phone consulting a SIP colleague (its second call, the call's consultation as to any other
// target), beyond the attended transfer of sip-attended.test.ts: a caller (SIPp on the trunk) presses
// 1; agent a1's phone 101 (a sip.js softphone) answers and dials extension 102 (SIPp): 183 to 101.
//   semi-attended: while 102 still rings (1.5 s), 101 REFERs the caller's dialog with Replaces naming
//     that early dialog: the box takes it (NOTIFY 200, both of 101's dialogs end, 101 is free at
//     once) and 102 goes on ringing with the same INVITE; its answer takes the caller.
//   three-way: once 102 answered, `*3` on the consultation joins the caller, 101 and 102 in the
//     box's conference; 101 hanging that dialog up leaves, the others go on.
// One INVITE to 102 each time, one call record, one recording.
import { SessionState } from 'sip.js';
import t, { type Test } from 'tap';
import { consultRig, pressOn, referTaken, talkOn } from './fixtures/sipjs-phone.js';
import { sleep, within } from '../helpers/wait.js';

const base = 18000 + (process.pid % 50) * 40; // 18000..19999: no other test's range

/** After the caller hung up: both SIPp runs passed, one recording; the call's legs (channel, role). */
async function finished(t: Test, rig: Awaited<ReturnType<typeof consultRig>>): Promise<string[][]> {
  t.equal((await rig.caller).code, 0, "the caller's call completed");
  const rb = await rig.b;
  t.equal(rb.code, 0, `102: one INVITE, answered, then the BYE at the call's end ${rb.code === 0 ? '' : rb.stderr.slice(-300)}`);
  await sleep(300);
  const c = rig.box.service.calls.list({ limit: 5 })[0];
  t.equal(rig.box.service.recordings.list({ callId: c?.id }).length, 1, 'one recording');
  return c?.legs.map((l) => [l.channel, l.role]) ?? [];
}

t.test('semi-attended: REFER with Replaces while 102 still rings; its answer takes the caller', async (t) => {
  const rig = await consultRig(t, base, ['uas-ring-answer.xml', '1500'], 7000, 'callbox-sipsemi-');
  const { box, a, p101, p102, events } = rig;
  t.ok(await within(() => a.incoming[0]?.state === SessionState.Established, 10000), '101 answered the queued call');
  const held = a.incoming[0];
  if (!held) throw new Error('no call on 101');
  await sleep(500);
  const consult = a.place('102');
  consult.answered.catch(() => {}); // refused (487) once the box takes the transfer
  t.ok(await within(() => p102.state === 'ringing', 3000), '102 rings: the consultation');
  await sleep(300); // the box's 183 reached 101
  await referTaken(t, held, consult.inviter, 'while 102 rings');
  t.equal(p101.state, 'idle', '101 is free at once');
  t.equal(p102.state, 'ringing', '102 still rings (the same INVITE)');
  t.ok(await within(() => box.service.calls.list({ limit: 5 })[0]?.agent === 'a2', 5000), 'the caller goes to 102 when it answers');
  t.ok(await within(() => p102.rxLevel.loudFrames > 20, 5000), `102 hears the caller (${p102.rxLevel.loudFrames} loud frames echoed back)`);
  t.same(await finished(t, rig), [
    ['sip-trunk-1', 'caller'],
    ['sip-101', 'agent'],
    ['sip-102', 'agent'],
  ]);
  t.match(events.find((e) => e.type === 'call.consult')?.data, { from: 'sip-101', to: 'sip-102', target: 'a2', by: 'phone:a1' });
  t.same(events.find((e) => e.type === 'call.transferred')?.data, {
    from: 'sip-101',
    to: 'sip-102',
    agent: 'a2',
    mode: 'attended',
    target: 'a2',
    by: 'phone:a1',
  });
  t.equal(p102.state, 'idle');
});

t.test('three-way: *3 on the consultation of 102 joins the caller, 101 and 102 in the box', async (t) => {
  const rig = await consultRig(t, base, ['uas-answer.xml'], 7000, 'callbox-sip3way-');
  const { a, p102, events } = rig;
  t.ok(await within(() => a.incoming[0]?.state === SessionState.Established, 10000), '101 answered the queued call');
  const held = a.incoming[0];
  if (!held) throw new Error('no call on 101');
  await sleep(500);
  const n = events.length;
  const consult = await a.call('102');
  t.equal(p102.state, 'active', '102 answered the consultation');
  pressOn(consult, '*3');
  await talkOn(consult, 400, false); // the keys go out with these frames
  t.ok(await within(() => events.slice(n).some((e) => e.type === 'call.conference.joined'), 2000), '*3 made a conference');
  t.same(
    events
      .slice(n)
      .map((e) => e.type)
      .filter((x) => /^call\.(held|unheld|consult|consultAnswered|conference\.joined)$/.test(x)),
    ['call.held', 'call.consult', 'call.consultAnswered', 'call.unheld', 'call.conference.joined'],
  );
  t.match(events.find((e) => e.type === 'call.consult')?.data, { from: 'sip-101', to: 'sip-102', target: 'a2', by: 'phone:a1' });
  const echoed = await talkOn(consult, 1000, true);
  t.ok(echoed > 10, `101 talks in the conference on that dialog: 102 echoes it back (${echoed} loud frames)`);
  await consult.bye();
  t.ok(await within(() => held.state === SessionState.Terminated, 3000), 'hanging it up leaves: the held call ends too');
  t.same(await finished(t, rig), [
    ['sip-trunk-1', 'caller'],
    ['sip-101', 'agent'],
    ['sip-102', 'conference'],
  ]);
});

// Semi-attended transfer between SIP phones, as desk phones offer it: a caller (SIPp on the trunk)
// presses 1; agent a1's phone 101 (a sip.js softphone) answers and dials extension 102 (SIPp, rings
// 1.5 s before it answers): the box's consultation, 180 to 101. While 102 still rings, 101 REFERs the
// caller's dialog with Replaces naming that early dialog: the box takes it (NOTIFY 200, both of
// 101's dialogs end, 101 is free at once) and 102's ringing INVITE becomes the call's consultation;
// its answer takes the caller (one INVITE to 102). One call record, call.transferred mode attended,
// one recording.
import { SessionState } from 'sip.js';
import t from 'tap';
import { consultRig, referReplacing } from './fixtures/sipjs-phone.js';

const base = 18000 + (process.pid % 50) * 40; // 18000..19999: no other test's range
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (ok: () => boolean, ms: number) => {
  for (let i = 0; i < ms / 50 && !ok(); i++) await sleep(50);
  return ok();
};

t.test('semi-attended: REFER with Replaces while 102 still rings; its answer takes the caller', async (t) => {
  const { box, a, p101, p102, b, caller, events } = await consultRig(t, base, ['uas-ring-answer.xml', '1500'], 7000, 'callbox-sipsemi-');
  t.ok(await until(() => a.incoming[0]?.state === SessionState.Established, 10000), '101 answered the queued call');
  const held = a.incoming[0];
  if (!held) throw new Error('no call on 101');
  await sleep(500);
  const consult = a.place('102');
  consult.answered.catch(() => {}); // refused (487) once the box takes the transfer
  t.ok(await until(() => p102.state === 'ringing', 3000), '102 rings: the consultation');
  await sleep(300); // the box's 180 reached 101
  const notifies: string[] = [];
  await referReplacing(held, consult.inviter, notifies);
  t.ok(
    await until(() => held.state === SessionState.Terminated && consult.inviter.state === SessionState.Terminated, 5000),
    "both of 101's dialogs ended while 102 rings",
  );
  t.match(notifies.join('\n'), /SIP\/2\.0 200 OK/, 'NOTIFY: taken');
  t.equal(p101.state, 'idle', '101 is free at once');
  t.equal(p102.state, 'ringing', '102 still rings (the same INVITE)');
  t.ok(await until(() => box.service.calls.list({ limit: 5 })[0]?.agent === 'a2', 5000), 'the caller goes to 102 when it answers');
  t.ok(await until(() => p102.rxLevel.loudFrames > 20, 5000), `102 hears the caller (${p102.rxLevel.loudFrames} loud frames echoed back)`);
  t.equal((await caller).code, 0, "the caller's call completed");
  const rb = await b;
  t.equal(rb.code, 0, `102: one INVITE, rung, answered, then the caller's BYE ${rb.code === 0 ? '' : rb.stderr.slice(-300)}`);
  await sleep(300);
  const c = box.service.calls.list({ limit: 5 })[0];
  t.same(
    c?.legs.map((l) => [l.channel, l.role]),
    [
      ['sip-trunk-1', 'caller'],
      ['sip-101', 'agent'],
      ['sip-102', 'agent'],
    ],
  );
  t.match(events.find((e) => e.type === 'call.consult')?.data, { from: 'sip-101', to: 'sip-102', target: 'a2', by: 'phone:a1' });
  t.same(events.find((e) => e.type === 'call.transferred')?.data, {
    from: 'sip-101',
    to: 'sip-102',
    agent: 'a2',
    mode: 'attended',
    target: 'a2',
    by: 'phone:a1',
  });
  t.equal(box.service.recordings.list({ callId: c?.id }).length, 1, 'one recording');
  t.equal(p102.state, 'idle');
});

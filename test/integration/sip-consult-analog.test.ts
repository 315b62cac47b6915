// Issue 12: a SIP desk phone's transfers and three-way calls with an analog colleague. Agent a1's
// phone 101 (a sip.js softphone: SIPp plays one Call-ID per scenario, and this needs two dialogs)
// takes a caller (SIPp on the trunk, presses 1), holds them and places a second call to `2`: the box
// rings agent a2's analog phone fxs2 (the sim's FXS port, a colleague who answers when the test says
// and says a 1 kHz tone). Three callers, one each:
//   1. attended: they talk, then the REFER with Replaces naming the second call hands the caller to fxs2;
//   2. semi-attended: the REFER comes while fxs2 still rings; 101 is free at once, the caller is
//      bridged to fxs2 when it answers;
//   3. three-way: `*3` on the second call joins the caller, 101 and fxs2; 101 hanging up its second
//      call leaves the conference, the caller and fxs2 go on.
// Each: one call record whose legs show the parties, the event log's story, one recording.
import { type Session, SessionState } from 'sip.js';
import t, { type Test } from 'tap';
import type { SimChannel } from '../../hal/src/drivers/sim/sim-channel.js';
import { eventLog } from '../helpers/box.js';
import { ToneParty, toneShare } from '../helpers/tone-meter.js';
import { hasDialog, holdKey, pressOn, referTaken, softphone101, talkOn } from './fixtures/sipjs-phone.js';
import { sleep, within } from '../helpers/wait.js';
import { openSipBox, sipPhone, trunkCaller } from './fixtures/sip-box.js';

const base = 14000 + (process.pid % 100) * 40; // 14000..17999: no other test's range

/** Agent a2 at the analog phone fxs2: lifts it when told, says a 1 kHz tone, hangs up after the box does. */
class Colleague extends ToneParty {
  constructor(private readonly ch: SimChannel) {
    super(1000);
  }
  onBoxHangup(): void {
    if (this.ch.state === 'active') setTimeout(() => this.ch.partyHangsUp(), 100);
  }
  /** Share of the frames heard (since heard.clear()) that carry `freq` Hz: 101's tone is 700 Hz, its own 1 kHz. */
  share(freq: number): number {
    return toneShare(this.heard.samples(), freq, -30);
  }
}

t.test('a SIP phone consults an analog colleague: attended, semi-attended, three-way', async (t) => {
  const { box, dataDir } = await openSipBox(t, {
    base,
    prefix: 'callbox-sipfxs-',
    teardown: false,
    config: (c) => {
      c.agents.push({ id: 'a2', name: '坐席 2', extension: 'fxs2' });
      for (const q of c.queues) q.wrapUpS = 0; // each caller finds both agents free
      if (c.sip) c.sip.outboundPrefix = '9'; // 2 is still the analog colleague (it was refused 404)
    },
  });
  const a = await softphone101(t, box, dataDir, base);
  const p101 = sipPhone(box, '101');
  const fxs2 = box.channels().find((c) => c.id === 'fxs2') as SimChannel;
  fxs2.party?.dispose();
  const colleague = new Colleague(fxs2);
  fxs2.party = colleague;
  const events = eventLog(box);
  const since = (n: number) => events.slice(n).map((e) => e.type);
  const story = (n: number) =>
    since(n).filter((x) => /^call\.(held|unheld|consult|consultAnswered|consultEnded|transferred|conference\.\w+)$/.test(x));

  /** A caller reaches 101, which holds them and dials `2`: the box rings fxs2. */
  const consult = async (t: Test, holdMs: number) => {
    const calls = a.incoming.length;
    const caller = trunkCaller(dataDir, base, holdMs);
    t.ok(await within(() => a.incoming[calls]?.state === SessionState.Established, 10000), '101 answered the queued call');
    const held = a.incoming[calls] as Session;
    const callId = box.engine.callIdOn('sip-101') as string;
    await sleep(200); // the answer's ACK reached the box before the hold key's re-INVITE
    const n = events.length;
    await holdKey(held, 'sendonly');
    const second = a.place('2');
    t.ok(await within(() => fxs2.state === 'ringing', 3000), "the second call to 2 rings the analog colleague's phone");
    t.match(events.find((e) => e.type === 'call.consult' && e.callId === callId)?.data, {
      from: 'sip-101',
      to: 'fxs2',
      target: 'a2',
      by: 'phone:a1',
    });
    return { caller, held, second, callId, n };
  };

  /** The call after the caller hung up: one record, its legs, one recording. */
  const record = async (t: Test, callId: string, caller: ReturnType<typeof trunkCaller>) => {
    const run = await caller;
    t.equal(run.code, 0, `the caller's call completed ${run.code === 0 ? '' : run.stderr.slice(-300)}`);
    t.ok(await within(() => box.service.calls.get(callId)?.state === 'ended', 3000), 'the call ended with the caller');
    t.ok(await within(() => fxs2.state === 'idle', 2000), 'fxs2 is free again');
    t.equal(box.service.recordings.list({ callId }).length, 1, 'one recording for the call');
    const c = box.service.calls.get(callId);
    t.equal(c?.outcome, 'answered');
    return c?.legs.map((l) => [l.channel, l.role, l.answeredAt !== null, l.endedAt !== null]);
  };

  await t.test('attended: talk to fxs2, then REFER with Replaces hands the caller over', async (t) => {
    const { caller, held, second, callId, n } = await consult(t, 6000);
    const ringback = await talkOn(second.inviter, 600, false);
    t.ok(ringback > 5, `101 hears ringback on its second call (${ringback} loud frames)`);
    fxs2.partyOffHook();
    await second.answered;
    colleague.heard.clear();
    const heard = await talkOn(second.inviter, 1000, true);
    const share = colleague.share(700);
    t.ok(heard > 20, `101 hears the colleague (${heard} loud frames)`);
    t.ok(share > 0.5, `the colleague hears 101 (700 Hz in ${Math.round(share * 100)} % of the frames)`);
    await referTaken(t, held, second.inviter);
    t.equal(p101.state, 'idle', '101 is free');
    t.equal(box.service.calls.get(callId)?.agent, 'a2', 'the colleague has the caller');
    t.same(story(n), ['call.held', 'call.consult', 'call.consultAnswered', 'call.transferred', 'call.unheld']);
    t.same(events.findLast((e) => e.type === 'call.transferred')?.data, {
      from: 'sip-101',
      to: 'fxs2',
      agent: 'a2',
      mode: 'attended',
      target: 'a2',
      by: 'phone:a1',
    });
    t.match(events.findLast((e) => e.type === 'call.unheld')?.data, { channel: 'fxs2' });
    t.same(
      await record(t, callId, caller),
      [
        ['sip-trunk-1', 'caller', true, true],
        ['sip-101', 'agent', true, true],
        ['fxs2', 'agent', true, true],
      ],
      'legs: the caller, 101, fxs2 as the agent who took the caller',
    );
  });

  await t.test('semi-attended: REFER with Replaces while fxs2 still rings', async (t) => {
    const { caller, held, second, callId, n } = await consult(t, 5000);
    second.answered.catch(() => {}); // the box ends the ringing second call (480) when it takes the transfer
    t.ok(await within(() => !!second.inviter.sessionDescriptionHandler && hasDialog(second.inviter), 2000), 'the 183 came');
    await referTaken(t, held, second.inviter, 'while fxs2 rings');
    t.equal(p101.state, 'idle', '101 is free at once');
    t.equal(fxs2.state, 'ringing', 'fxs2 still rings');
    t.ok(box.engine.live(callId)?.control?.hold, 'the caller waits (ringback) for the colleague');
    t.notOk(since(n).includes('call.transferred'), 'not transferred before the answer');
    await sleep(500);
    fxs2.partyOffHook();
    t.ok(await within(() => box.service.calls.get(callId)?.agent === 'a2', 2000), 'bridged to the colleague when they answer');
    t.equal(box.engine.live(callId)?.control?.hold, null, 'off hold');
    t.same(story(n), ['call.held', 'call.consult', 'call.consultAnswered', 'call.transferred', 'call.unheld']);
    t.match(events.findLast((e) => e.type === 'call.transferred')?.data, { to: 'fxs2', agent: 'a2', mode: 'attended', by: 'phone:a1' });
    t.same(await record(t, callId, caller), [
      ['sip-trunk-1', 'caller', true, true],
      ['sip-101', 'agent', true, true],
      ['fxs2', 'agent', true, true],
    ]);
  });

  await t.test('three-way: *3 on the second call joins caller, 101 and fxs2', async (t) => {
    const { caller, held, second, callId, n } = await consult(t, 5000);
    fxs2.partyOffHook();
    await second.answered;
    pressOn(second.inviter, '*3');
    await talkOn(second.inviter, 500, false); // the keys go out with these frames
    t.ok(await within(() => since(n).includes('call.conference.joined'), 2000), '*3 joined the consultation into a conference');
    t.equal(box.engine.live(callId)?.control?.hold, null, 'the caller is off hold, in the conference');
    t.equal(second.inviter.state, SessionState.Established, '101 talks on its second call');
    colleague.heard.clear();
    const heard = await talkOn(second.inviter, 1000, true);
    const share = colleague.share(700);
    t.ok(heard > 20, `101 hears the colleague in the conference (${heard} loud frames)`);
    t.ok(share > 0.5, `the colleague hears 101 (700 Hz in ${Math.round(share * 100)} % of the frames)`);
    t.ok(colleague.share(1000) < 0.1, `and not itself (1 kHz in ${Math.round(colleague.share(1000) * 100)} %)`);
    await second.inviter.bye();
    t.ok(await within(() => held.state === SessionState.Terminated, 3000), 'hanging up the second call ends the held one too');
    t.ok(await within(() => since(n).includes('call.conference.left'), 2000), '101 left the conference');
    t.match(events.findLast((e) => e.type === 'call.conference.left')?.data, { channel: 'sip-101' });
    await sleep(300);
    t.equal(fxs2.state, 'active', 'the caller and the colleague go on');
    t.equal(box.service.calls.get(callId)?.state, 'talking');
    t.same(story(n).slice(0, 4), ['call.held', 'call.consult', 'call.consultAnswered', 'call.unheld']);
    t.same(await record(t, callId, caller), [
      ['sip-trunk-1', 'caller', true, true],
      ['sip-101', 'agent', true, true],
      ['fxs2', 'conference', true, true],
    ]);
  });
});

// Call control with SIP agent phones (issue 12), real SIPp peers on loopback: the agent's phone
// holds its call by re-INVITE a=sendonly and takes it back with a=sendrecv (the caller on the trunk
// hears the hold music meanwhile; call.held / call.unheld by phone:a1, hold time on the record);
// an attended transfer from the console from extension 101 to 102 (102 rings, answers, complete:
// the legs show sip-102 as the agent, one recording).
import t from 'tap';
import type { Channel } from '../../hal/src/channel.js';
import { eventLog } from '../helpers/box.js';
import { holdMusicIn, listen } from './fixtures/hold-music.js';
import { openSipBox, phoneUas, registerPhone, trunkCaller } from './fixtures/sip-box.js';
import { sleep, within } from '../helpers/wait.js';

const base = 52000 + (process.pid % 100) * 40;

t.test('a SIP phone holds by re-INVITE sendonly: hold music to the caller, events, hold time', async (t) => {
  const { box, dataDir } = await openSipBox(t, { base, prefix: 'callbox-siphold-cc-' });
  t.equal((await registerPhone(dataDir, base, '101', base + 20)).code, 0, '101 registered');
  const events = eventLog(box);
  const trunk = box.channels().find((c) => c.kind === 'sip' && !c.phone) as Channel;
  const toCaller = listen(trunk);
  const phone = phoneUas(dataDir, 'phone-hold.xml', ['1500', '2500'], base + 20, base + 22);
  await sleep(300);
  const run = await trunkCaller(dataDir, base, 9000);
  t.equal(run.code, 0, `the caller's call completed ${run.code === 0 ? '' : run.stderr.slice(-300)}`);
  const p = await phone;
  t.equal(p.code, 0, `101: answered, held, unheld, got the BYE ${p.code === 0 ? '' : p.stderr.slice(-400)}`);
  await sleep(300);
  t.same(
    events.filter((e) => e.type === 'call.held' || e.type === 'call.unheld').map((e) => [e.type, (e.data as { by: string }).by]),
    [
      ['call.held', 'phone:a1'],
      ['call.unheld', 'phone:a1'],
    ],
  );
  t.ok(holdMusicIn(toCaller), 'the caller heard the hold music');
  const c = box.service.calls.list({ limit: 1 })[0];
  t.ok((c?.holdSeconds ?? 0) > 1.5 && (c?.holdSeconds ?? 0) < 4, `about 2.5 s on hold (${c?.holdSeconds})`);
});

t.test('attended transfer from the console between SIP extensions: 102 answers, complete', async (t) => {
  const { box, dataDir } = await openSipBox(t, { base, prefix: 'callbox-sipatt-cc-', phones: 2 });
  t.equal((await registerPhone(dataDir, base, '101', base + 20)).code, 0, '101 registered');
  t.equal((await registerPhone(dataDir, base, '102', base + 25)).code, 0, '102 registered');
  const events: string[] = [];
  box.engine.events.on('event', (e) => events.push(e.type));
  const first = phoneUas(dataDir, 'uas-answer.xml', [], base + 20, base + 22);
  const second = phoneUas(dataDir, 'uas-answer.xml', [], base + 25, base + 27);
  await sleep(300);
  const run = trunkCaller(dataDir, base, 10000);
  const live = () => box.service.calls.list({ limit: 1 })[0];
  await within(() => live()?.state === 'talking', 15000);
  const callId = live()?.id as string;
  await sleep(1000);
  box.engine.control.transfer(box.engine.live(callId), callId, '102', 'attended', 'boss');
  await within(() => events.includes('call.consultAnswered'), 15000);
  await sleep(1000);
  t.equal(box.engine.control.completeTransfer(box.engine.live(callId), callId, 'boss'), 'completed');
  t.equal((await run).code, 0, "the caller's call completed");
  t.equal((await first).code, 0, '101 got its BYE at the transfer');
  t.equal((await second).code, 0, '102 got its BYE when the caller hung up');
  await sleep(300);
  const c = box.service.calls.get(callId);
  t.equal(c?.agent, 'a2');
  t.same(
    c?.legs.map((l) => [l.channel, l.role]),
    [
      ['sip-trunk-1', 'caller'],
      ['sip-101', 'agent'],
      ['sip-102', 'agent'],
    ],
  );
  t.same(
    events.filter((e) => /^call\.(held|consult|consultAnswered|transferred|unheld|ended)$/.test(e)),
    ['call.held', 'call.consult', 'call.consultAnswered', 'call.transferred', 'call.unheld', 'call.ended'],
  );
  t.equal(box.service.recordings.list({ callId }).length, 1, 'one recording');
});

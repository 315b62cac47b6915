/**
 * Issue 12: a SIP phone's blind REFER to every kind of target, with the FXS flash-dial codes
 * (dialledTarget): `*61` the first queue (the caller keeps their priority, another agent answers),
 * an outside number (the sim FXO line answers), `*9` the CSAT survey, `*02` the second IVR menu. Each checks the event log
 * (call.transferred with mode and target), the call record's legs and the call's one recording.
 * The three tests run at once, each on a box of its own (ports `base`, +40, +80): the calls are
 * real-time SIP (SIPp) and mostly wait. Each caller presses 1 half a second into the greeting, the
 * agent's phone transfers a second after answering, no wrap-up: about 5 s a call.
 */
import t, { type Test } from 'tap';
import type { SimChannel } from '../../hal/src/drivers/sim/sim-channel.js';
import { eventLog } from '../helpers/box.js';
import { openSipBox, phoneUas, registerPhone, sipPhone, trunkCaller } from './fixtures/sip-box.js';
import { sleep, within } from '../helpers/wait.js';

const ports = 26000 + (process.pid % 33) * 120; // 26000..29959: below the other SIP tests' ranges
/** The caller presses 1 this long after the answer. */
const LEAD_MS = 500;
/** The agent's phone talks this long before its REFER. */
const TALK_MS = '1000';
/** The caller stays this long from the answer: the transfer is done ~2 s in. */
const HOLD_MS = 4500;

t.jobs = 3;

async function rig(t: Test, base: number, prefix: string, queueA2 = false) {
  const { box, dataDir } = await openSipBox(t, {
    base,
    prefix,
    phones: 2,
    // a2 joins the queues only where the test asks
    config: (c) => {
      for (const q of c.queues) {
        q.wrapUpS = 0; // the next call of the test reaches a1 at once
        if (queueA2) q.members = ['a1', 'a2'];
      }
      const main = c.ivr.menus.main;
      if (main) c.ivr.menus.shouhou = structuredClone(main); // 售后 after-sales menu: *02 (main is *01)
    },
  });
  const p101 = sipPhone(box, '101');
  const events = eventLog(box);
  t.equal((await registerPhone(dataDir, base, '101', base + 20)).code, 0, '101 registered');
  return { box, dataDir, p101, events };
}

/** The call's one record, its transfer event and its recordings. */
function story(r: Awaited<ReturnType<typeof rig>>) {
  const ids = [...new Set(r.events.flatMap((e) => (e.callId ? [e.callId] : [])))];
  const calls = ids.map((id) => r.box.service.calls.get(id));
  const c = calls[0];
  const xfer = r.events.filter((e) => e.type === 'call.transferred');
  const recs = c ? r.box.service.recordings.list({ callId: c.id }) : [];
  return { calls, c, xfer, recs };
}

t.test('SIP blind REFER to *61: the caller goes to the first queue with their priority, agent a2 answers', async (t) => {
  const base = ports;
  const r = await rig(t, base, 'callbox-sipxq-', true);
  // a2 (102) is paused until 101 talks, so the queue offers the first ring to 101 (a1) alone
  r.box.service.acd.setAgentState('a2', { state: 'paused' });
  t.equal((await registerPhone(r.dataDir, base, '102', base + 25)).code, 0, '102 registered');
  const second = phoneUas(r.dataDir, 'uas-answer.xml', [], base + 25, base + 27);
  let a1Answered = false;
  r.p101.events.on('offHook', () => {
    a1Answered = true;
    r.box.service.acd.setAgentState('a2', { state: 'available' });
  });
  const first = phoneUas(r.dataDir, 'phone-refer.xml', [TALK_MS, '*61', `127.0.0.1:${base}`], base + 20, base + 22);
  await sleep(300);
  const caller = trunkCaller(r.dataDir, base, HOLD_MS, LEAD_MS);
  t.ok(await within(() => a1Answered, 15000), '101 answered the call');
  const run = await caller;
  t.equal(run.code, 0, `the caller's call completed ${run.code === 0 ? '' : run.stderr.slice(-300)}`);
  const r1 = await first;
  t.equal(r1.code, 0, `101: REFER *61 → 202, NOTIFY 100, NOTIFY 200, BYE ${r1.code === 0 ? '' : r1.stderr.slice(-400)}`);
  const r2 = await second;
  t.equal(r2.code, 0, `102 answered the queued caller ${r2.code === 0 ? '' : r2.stderr.slice(-400)}`);
  await sleep(500);

  const { calls, c, xfer, recs } = story(r);
  t.equal(calls.length, 1, 'one call record');
  t.equal(c?.agent, 'a2', 'the call ends with the agent who answered the queue');
  t.same(
    c?.legs.map((l) => [l.channel, l.role]),
    [
      ['sip-trunk-1', 'caller'],
      ['sip-101', 'agent'],
      ['sip-102', 'agent'],
    ],
  );
  t.equal(xfer.length, 1, 'one call.transferred');
  t.match(xfer[0]?.data, { from: 'sip-101', mode: 'blind', target: 'queue:main', agent: null, by: 'phone:a1' });
  const enters = r.events.filter((e) => e.type === 'queue.enter').map((e) => e.data);
  t.equal(enters.length, 2, 'the caller entered a queue twice (the IVR, then the transfer)');
  t.equal(enters[1]?.priority, enters[0]?.priority, 'the caller keeps their priority');
  t.equal(recs.length, 1, 'one recording for the call');
  t.equal(r.p101.transfers.taken, 1);
});

t.test('SIP blind REFER to an outside number: the caller is bridged to the FXO line that dialled it', async (t) => {
  const base = ports + 40;
  const r = await rig(t, base, 'callbox-sipxo-');
  const fxo = r.box.channels().find((c) => c.id === 'fxo1') as SimChannel | undefined;
  if (!fxo) throw new Error('no fxo1');
  fxo.events.on('state', (s) => {
    if (s.state === 'dialing') setTimeout(() => fxo.partyAnswers(), 300);
  });
  const first = phoneUas(r.dataDir, 'phone-refer.xml', [TALK_MS, '13800138000', `127.0.0.1:${base}`], base + 20, base + 22);
  await sleep(300);
  const run = await trunkCaller(r.dataDir, base, HOLD_MS, LEAD_MS);
  t.equal(run.code, 0, `the caller's call completed ${run.code === 0 ? '' : run.stderr.slice(-300)}`);
  const r1 = await first;
  t.equal(r1.code, 0, `101: REFER → 202, NOTIFY 100, NOTIFY 200, BYE ${r1.code === 0 ? '' : r1.stderr.slice(-400)}`);
  await sleep(500);
  const { calls, c, xfer, recs } = story(r);
  t.equal(calls.length, 1, 'one call record');
  t.same(
    c?.legs.map((l) => [l.channel, l.role, l.answeredAt !== null]),
    [
      ['sip-trunk-1', 'caller', true],
      ['sip-101', 'agent', true],
      ['fxo1', 'external', true],
    ],
  );
  t.match(xfer[0]?.data, { from: 'sip-101', to: 'fxo1', mode: 'blind', target: '13800138000', agent: null });
  t.ok(
    r.events.some((e) => e.type === 'call.bridged' && e.data.channel === 'fxo1'),
    'call.bridged to fxo1',
  );
  t.equal(recs.length, 1, 'one recording for the call');
  t.equal(fxo.state, 'idle', 'the line is free again');
});

t.test('SIP REFER to *9 (the CSAT survey), to *65 (no such queue: refused, the call stays), to *02 (IVR menu 2)', async (t) => {
  const base = ports + 80;
  const r = await rig(t, base, 'callbox-sipxs-');
  const first = phoneUas(r.dataDir, 'phone-refer.xml', [TALK_MS, '*9', `127.0.0.1:${base}`], base + 20, base + 22);
  await sleep(300);
  const run = await trunkCaller(r.dataDir, base, HOLD_MS, LEAD_MS);
  t.equal(run.code, 0, `the caller's call completed ${run.code === 0 ? '' : run.stderr.slice(-300)}`);
  const r1 = await first;
  t.equal(r1.code, 0, `101: REFER *9 → 202, NOTIFY 100, NOTIFY 200, BYE ${r1.code === 0 ? '' : r1.stderr.slice(-400)}`);
  await sleep(500);
  const { calls, c, xfer, recs } = story(r);
  t.equal(calls.length, 1, 'one call record');
  t.same(
    c?.legs.map((l) => [l.channel, l.role]),
    [
      ['sip-trunk-1', 'caller'],
      ['sip-101', 'agent'],
    ],
  );
  t.match(xfer[0]?.data, { from: 'sip-101', to: 'ivr:survey', mode: 'blind', target: 'ivr:survey' });
  t.ok(
    r.events.some((e) => e.type.startsWith('survey.')),
    'the survey started',
  );
  t.equal(recs.length, 1, 'one recording (the agent part; the survey is not recorded)');

  const refused = phoneUas(r.dataDir, 'phone-refer-refused.xml', [TALK_MS, '*65', `127.0.0.1:${base}`], base + 20, base + 22);
  await sleep(300);
  const run2 = await trunkCaller(r.dataDir, base, HOLD_MS, LEAD_MS);
  t.equal(run2.code, 0, `the second caller's call completed ${run2.code === 0 ? '' : run2.stderr.slice(-300)}`);
  const rr = await refused;
  t.equal(rr.code, 0, `101: REFER *65 → NOTIFY 603, the call went on ${rr.code === 0 ? '' : rr.stderr.slice(-400)}`);
  t.equal(r.p101.transfers.refused, 1);
  const second = story(r).calls[1];
  t.equal(second?.agent, 'a1', 'the refused call stayed with a1');

  // *0N: the Nth IVR menu (main first, then the others by id): *02 the after-sales menu
  const menu = phoneUas(r.dataDir, 'phone-refer.xml', [TALK_MS, '*02', `127.0.0.1:${base}`], base + 20, base + 22);
  await sleep(300);
  const run3 = await trunkCaller(r.dataDir, base, HOLD_MS, LEAD_MS);
  t.equal(run3.code, 0, `the third caller's call completed ${run3.code === 0 ? '' : run3.stderr.slice(-300)}`);
  const rm = await menu;
  t.equal(rm.code, 0, `101: REFER *02 → 202, NOTIFY 100, NOTIFY 200, BYE ${rm.code === 0 ? '' : rm.stderr.slice(-400)}`);
  await sleep(300);
  const third = story(r).calls[2];
  const menuXfer = r.events.filter((e) => e.type === 'call.transferred' && e.callId === third?.id);
  t.match(menuXfer[0]?.data, { from: 'sip-101', to: 'ivr:shouhou', mode: 'blind', target: 'ivr:shouhou', by: 'phone:a1' });
  t.ok(
    r.events.some((e) => e.type === 'ivr.menu' && e.callId === third?.id && e.data.menu === 'shouhou'),
    'the caller is in the after-sales menu',
  );
  t.equal(r.p101.transfers.taken, 2, 'the *9 and *02 transfers were taken');
});

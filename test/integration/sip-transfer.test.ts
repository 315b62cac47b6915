import t from 'tap';
import { eventLog } from '../helpers/box.js';
import { openSipBox, phoneUas, registerPhone, sipPhone, trunkCaller } from './fixtures/sip-box.js';
import { sleep } from '../helpers/wait.js';

const base = 41000 + (process.pid % 100) * 40;

t.test('blind transfer (REFER) from agent 101 to agent 102 keeps the call record and recording', async (t) => {
  const { box, dataDir } = await openSipBox(t, { base, prefix: 'callbox-sipxfer-', phones: 2 });
  const p101 = sipPhone(box, '101');
  const p102 = sipPhone(box, '102');
  t.equal((await registerPhone(dataDir, base, '101', base + 20)).code, 0, '101 registered');
  t.equal((await registerPhone(dataDir, base, '102', base + 25)).code, 0, '102 registered');

  const at: Record<string, number> = {};
  p101.events.on('offHook', () => (at.a1 = Date.now()));
  p101.events.on('onHook', () => (at.a1End ??= Date.now()));
  p102.events.on('offHook', () => (at.a2 = Date.now()));
  const events = eventLog(box);

  const first = phoneUas(dataDir, 'phone-refer.xml', ['2000', '102', `127.0.0.1:${base}`], base + 20, base + 22);
  const second = phoneUas(dataDir, 'uas-answer.xml', [], base + 25, base + 27);
  await sleep(300);
  const run = await trunkCaller(dataDir, base, 9000);
  at.end = Date.now();
  t.equal(run.code, 0, `the caller's call completed ${run.code === 0 ? '' : run.stderr.slice(-300)}`);
  const r1 = await first;
  t.equal(r1.code, 0, `101: REFER → 202, NOTIFY 100, NOTIFY 200, BYE ${r1.code === 0 ? '' : r1.stderr.slice(-400)}`);
  const r2 = await second;
  t.equal(r2.code, 0, `102 answered and got the BYE ${r2.code === 0 ? '' : r2.stderr.slice(-400)}`);
  t.equal(p101.transfers.taken, 1, 'the transfer was taken');
  t.ok(at.a1 && at.a1End && at.a2, 'both phones answered in turn');
  await sleep(500);

  const calls = box.service.calls.list({ limit: 5 });
  t.equal(calls.length, 1, 'one call record');
  const c = calls[0];
  t.equal(c?.agent, 'a2', 'the call ends with the agent it was transferred to');
  t.equal(c?.outcome, 'answered');
  t.same(
    c?.legs.map((l) => [l.channel, l.role]),
    [
      ['sip-trunk-1', 'caller'],
      ['sip-101', 'agent'],
      ['sip-102', 'agent'],
    ],
  );
  t.ok(
    c?.legs.every((l) => l.endedAt !== null && l.answeredAt !== null),
    'every leg answered and ended',
  );
  const xfer = events.find((e) => e.type === 'call.transferred');
  t.same(xfer?.data, { from: 'sip-101', to: 'sip-102', agent: 'a2' }, 'call.transferred event');
  const complete = events.filter((e) => e.type === 'queue.complete').map((e) => (e.data as { agent: string }).agent);
  t.same(complete, ['a1', 'a2'], "each agent's talk is completed once");

  const recs = box.service.recordings.list({ callId: c?.id ?? '' });
  t.equal(recs.length, 1, 'one recording for the call');
  const a1Ms = (at.a1End ?? 0) - (at.a1 ?? 0);
  const a2Ms = at.end - (at.a2 ?? at.end);
  t.ok(
    // a1's part alone is at most a1Ms; the recorder counts frames, so a loaded machine records less than wall time
    (recs[0]?.durationMs ?? 0) > a1Ms + 1000,
    `the recording goes on after the transfer (${recs[0]?.durationMs} ms; a1 talked ${a1Ms} ms, a2 ${a2Ms} ms)`,
  );
  t.equal(p101.state, 'idle');
  t.equal(p102.state, 'idle');
});

t.test('a transfer to a phone that cannot ring (not registered) is refused and the call stays', async (t) => {
  const { box, dataDir } = await openSipBox(t, { base, prefix: 'callbox-sipxfer2-', phones: 2 });
  const p101 = sipPhone(box, '101');
  t.equal((await registerPhone(dataDir, base, '101', base + 20)).code, 0, '101 registered');
  // 102 is agent a2's extension, logged in and available, but its phone never registered: it cannot ring.
  const refused = phoneUas(dataDir, 'phone-refer-refused.xml', ['1500', '102', `127.0.0.1:${base}`], base + 20, base + 22);
  await sleep(300);
  const run = await trunkCaller(dataDir, base, 7000);
  t.equal(run.code, 0, `the caller's call completed ${run.code === 0 ? '' : run.stderr.slice(-300)}`);
  const r = await refused;
  t.equal(r.code, 0, `101: REFER → 202, NOTIFY 603, the call went on until the caller hung up ${r.code === 0 ? '' : r.stderr.slice(-400)}`);
  t.equal(p101.transfers.refused, 1);
  const c = box.service.calls.list({ limit: 5 })[0];
  t.equal(c?.agent, 'a1', 'the call stayed with a1');
  t.same(
    c?.legs.map((l) => l.channel),
    ['sip-trunk-1', 'sip-101'],
  );
});

t.test('a phone that holds the call before its REFER: the hold ends at the transfer, not with the call', async (t) => {
  const { box, dataDir } = await openSipBox(t, { base, prefix: 'callbox-sipxfer3-', phones: 2 });
  t.equal((await registerPhone(dataDir, base, '101', base + 20)).code, 0, '101 registered');
  t.equal((await registerPhone(dataDir, base, '102', base + 25)).code, 0, '102 registered');
  const events = eventLog(box);
  // 101 talks 1.5 s, holds 1 s, then REFERs to 102; the caller stays 9 s in all
  const first = phoneUas(dataDir, 'phone-hold-refer.xml', ['1500', '102', `127.0.0.1:${base}`, '1000'], base + 20, base + 22);
  const second = phoneUas(dataDir, 'uas-answer.xml', [], base + 25, base + 27);
  await sleep(300);
  const run = await trunkCaller(dataDir, base, 9000);
  t.equal(run.code, 0, `the caller's call completed ${run.code === 0 ? '' : run.stderr.slice(-300)}`);
  const r1 = await first;
  t.equal(r1.code, 0, `101: held, REFER → 202, NOTIFY 100, NOTIFY 200, BYE ${r1.code === 0 ? '' : r1.stderr.slice(-400)}`);
  t.equal((await second).code, 0, '102 answered and got the BYE');
  await sleep(500);
  const c = box.service.calls.list({ limit: 1 })[0];
  t.equal(c?.agent, 'a2', 'the call went to 102');
  t.same(
    events.filter((e) => e.type === 'call.held' || e.type === 'call.unheld').map((e) => [e.type, (e.data as { by: string }).by]),
    [
      ['call.held', 'phone:a1'],
      ['call.unheld', 'phone:a1'],
    ],
    'the hold ends with the transfer',
  );
  t.ok((c?.holdSeconds ?? 0) > 0.5 && (c?.holdSeconds ?? 0) < 3, `about 1 s on hold, not the rest of the call (${c?.holdSeconds})`);
  t.same(events.find((e) => e.type === 'call.transferred')?.data, { from: 'sip-101', to: 'sip-102', agent: 'a2' });
  t.equal(box.engine.live(c?.id ?? '')?.control?.hold ?? null, null);
});

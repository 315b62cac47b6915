// Callbacks that keep the caller's place: the only agent is busy, the waiting caller presses 1 to
// be called back and hangs up (the line is free at once); when the agent is free the box dials the
// customer, who presses 1 (real DTMF audio) and talks to the reserved agent. A customer who does not
// answer, or answers without pressing 1 (a voicemail), is retried, then given up. Every attempt is
// its own outbound call record (cb-<callId>-<attempt>), linked to the request and the first call.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import { virtualBox } from '../helpers/box.js';

function attemptRows(
  dataDir: string,
  callbackId: string,
): { call_id: string; attempt: number; original_call_id: string; outcome: string | null }[] {
  const db = new Database(join(dataDir, 'callbox.db'), { readonly: true });
  const rows = db.prepare('SELECT * FROM callback_attempts WHERE callback_id = ? ORDER BY attempt').all(callbackId);
  db.close();
  return rows as { call_id: string; attempt: number; original_call_id: string; outcome: string | null }[];
}

async function oneAgentBox(t: { teardown(fn: () => unknown): void }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-cb-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = structuredClone(defaultConfig()) as Config;
  const q = c.queues[0] as Config['queues'][number];
  q.members = ['a1'];
  q.callback = { key: '1', maxAttempts: 2, retryS: 60 };
  q.announceEveryS = 0;
  q.wrapUpS = 0;
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  const vb = await virtualBox({ dataDir });
  t.teardown(vb.close);
  return vb;
}

t.test('accepted callback: place kept, line freed, customer presses 1, agent talks', async (t) => {
  const vb = await oneAgentBox(t);
  const { box, clock } = vb;
  const sim = box.service.sim!;
  sim.setAgentSettings({ answerAfterS: 1, talkS: 30 });
  const first = await sim.placeCall({ channel: 'fxo1', callerId: '13800000001', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => box.service.calls.get(first.callId)?.state === 'talking', 60_000);
  const second = await sim.placeCall({ channel: 'fxo2', callerId: '13900000002', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => box.service.calls.get(second.callId)?.state === 'queued', 60_000);
  await clock.run(2000);
  box.hat!.callerPresses('fxo2', '1');
  await clock.runUntil(() => box.service.calls.get(second.callId)?.state === 'ended', 30_000);
  t.equal(box.service.calls.get(second.callId)?.outcome, 'callback');
  t.equal(box.channels().find((c) => c.id === 'fxo2')?.state, 'idle', 'the line is free while the callback waits');
  t.same(
    box.service.acd.queues().map((q) => [q.waiting, q.callbacks]),
    [[0, 1]],
  );
  // the first call ends (agent talks 30 s); the agent is reserved and the box dials the customer
  await clock.runUntil(() => box.hat!.dialled.length === 1, 60_000);
  t.same(box.hat!.dialled[0]?.number, '13900000002');
  const cbId = `cb-${second.callId}`;
  const cbCall = `${cbId}-1`;
  await clock.runUntil(() => box.service.calls.get(cbCall)?.state === 'talking', 60_000);
  const rec = box.service.calls.get(cbCall);
  t.equal(rec?.direction, 'outbound');
  t.equal(rec?.agent, 'a1');
  await clock.runUntil(() => box.service.calls.get(cbCall)?.state === 'ended', 120_000);
  t.equal(box.service.calls.get(cbCall)?.outcome, 'answered');
  t.equal(box.service.calls.get(cbId), null, 'no call record under the request id');
  t.match(box.service.callbacks.list({ limit: 10 })[0], { id: cbId, state: 'done', attempts: 1, resultCallId: cbCall });
  t.match(attemptRows(vb.dataDir, cbId), [{ call_id: cbCall, attempt: 1, original_call_id: second.callId, outcome: 'answered' }]);
});

t.test('no answer, then a voicemail that never presses 1: retried once, then failed', async (t) => {
  const vb = await oneAgentBox(t);
  const { box, clock } = vb;
  const sim = box.service.sim!;
  sim.setAgentSettings({ answerAfterS: 1, talkS: 20 });
  box.hat!.setCustomer('13900000003', { answerAfterS: null });
  const first = await sim.placeCall({ channel: 'fxo1', callerId: '13800000001', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => box.service.calls.get(first.callId)?.state === 'talking', 60_000);
  const second = await sim.placeCall({ channel: 'fxo2', callerId: '13900000003', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => box.service.calls.get(second.callId)?.state === 'queued', 60_000);
  await clock.run(2000);
  box.hat!.callerPresses('fxo2', '1');
  await clock.runUntil(() => box.hat!.dialled.length === 1, 120_000);
  // first attempt rings out; then the customer's voicemail answers but never presses 1
  box.hat!.setCustomer('13900000003', { answerAfterS: 3, digits: '' });
  await clock.runUntil(() => box.hat!.dialled.length === 2, 200_000);
  await clock.run(120_000);
  t.equal(box.hat!.dialled.length, 2, 'maxAttempts 2: no third try');
  const cbId = `cb-${second.callId}`;
  for (const n of [1, 2]) {
    const rec = box.service.calls.get(`${cbId}-${n}`);
    t.match(
      rec,
      { direction: 'outbound', outcome: 'notAccepted', callerId: '13900000003', queue: 'main', agent: null },
      `attempt ${n} has its CDR`,
    );
  }
  t.equal(box.service.calls.get(`${cbId}-1`)?.answeredAt, null, 'the first attempt was never answered');
  t.ok(box.service.calls.get(`${cbId}-2`)?.legs[0]?.answeredAt, 'the second was answered (by a voicemail)');
  t.match(box.service.callbacks.list({ limit: 10 })[0], { id: cbId, state: 'failed', attempts: 2, resultCallId: null });
  t.match(attemptRows(vb.dataDir, cbId), [
    { call_id: `${cbId}-1`, attempt: 1, original_call_id: second.callId, outcome: 'notAccepted' },
    { call_id: `${cbId}-2`, attempt: 2, original_call_id: second.callId, outcome: 'notAccepted' },
  ]);
  const db = new Database(join(vb.dataDir, 'callbox.db'), { readonly: true });
  const failed = (db.prepare("SELECT data FROM events WHERE type = 'callback.failed' ORDER BY seq").all() as { data: string }[]).map((r) =>
    JSON.parse(r.data),
  );
  db.close();
  t.same(
    failed.map((f) => [f.attempts, f.final]),
    [
      [1, false],
      [2, true],
    ],
    'each attempt is in the event log; the second is final',
  );
  t.same(
    box.service.acd.queues().map((q) => q.callbacks),
    [0],
    'given up: no longer waiting',
  );
  t.same(
    box.service.acd.agents().map((a) => a.state),
    ['available', 'available', 'available', 'available'],
    'the reserved agent is free again',
  );
});

t.test('refused first (presses 2), accepted on the retry: two CDRs, the request points at the second', async (t) => {
  const vb = await oneAgentBox(t);
  const { box, clock } = vb;
  const sim = box.service.sim!;
  sim.setAgentSettings({ answerAfterS: 1, talkS: 20 });
  box.hat!.setCustomer('13900000004', { answerAfterS: 2, digits: '2', hangupAfterS: 30 });
  const first = await sim.placeCall({ channel: 'fxo1', callerId: '13800000001', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => box.service.calls.get(first.callId)?.state === 'talking', 60_000);
  const second = await sim.placeCall({ channel: 'fxo2', callerId: '13900000004', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => box.service.calls.get(second.callId)?.state === 'queued', 60_000);
  await clock.run(2000);
  box.hat!.callerPresses('fxo2', '1');
  const cbId = `cb-${second.callId}`;
  await clock.runUntil(() => box.service.calls.get(`${cbId}-1`)?.state === 'ended', 200_000);
  t.equal(box.service.calls.get(`${cbId}-1`)?.outcome, 'notAccepted', 'pressing 2 is not accepting');
  t.equal(box.service.kpis.report({ from: 0, to: clock.now() }).callbacksPending, 1, 'refused once: still pending (待回呼)');
  box.hat!.setCustomer('13900000004', { digits: '1' });
  await clock.runUntil(() => box.service.calls.get(`${cbId}-2`)?.state === 'ended', 300_000);
  t.match(box.service.calls.get(`${cbId}-2`), { direction: 'outbound', outcome: 'answered', agent: 'a1' });
  t.match(box.service.callbacks.list({ limit: 10 })[0], { id: cbId, state: 'done', attempts: 2, resultCallId: `${cbId}-2` });
  t.same(
    attemptRows(vb.dataDir, cbId).map((r) => [r.call_id, r.outcome]),
    [
      [`${cbId}-1`, 'notAccepted'],
      [`${cbId}-2`, 'answered'],
    ],
  );
  const kpis = box.service.kpis.report({ from: 0, to: clock.now() + 1 });
  t.match(kpis, { offered: 2, answered: 2, abandoned: 0, callbacksPending: 0 }, 'the callback that reached the agent is answered once');
});

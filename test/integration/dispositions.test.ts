// Call results (通话小结) in virtual time with real DTMF audio: an FXS agent presses *42 during the
// call (only the agent hears the confirmation), or lifts the handset in wrap-up and dials *47; a
// queue with dispositionRequired holds the agent in wrap-up until a result is set, or records
// `none` after the hold limit; the API sets the result of an ended call (record, event and cloud
// outbox in one transaction); the KPIs count calls per result.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { DISPOSITION_HOLD_MAX_S } from '../../firmware/src/acd/wrap-up-hold.js';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import { virtualBox } from '../helpers/box.js';

async function box(t: { teardown(fn: () => unknown): void }, required: boolean) {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-disp-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = structuredClone(defaultConfig()) as Config;
  const q = c.queues[0] as Config['queues'][number];
  q.members = ['a1'];
  q.announceEveryS = 0;
  q.wrapUpS = 5;
  if (required) q.dispositionRequired = true;
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  const vb = await virtualBox({ dataDir });
  t.teardown(vb.close);
  return vb;
}

function events(dataDir: string, type: string): { call_id: string; data: Record<string, unknown> }[] {
  const db = new Database(join(dataDir, 'callbox.db'), { readonly: true });
  const rows = db.prepare('SELECT call_id, data FROM events WHERE type = ? ORDER BY seq').all(type) as { call_id: string; data: string }[];
  db.close();
  return rows.map((r) => ({ call_id: r.call_id, data: JSON.parse(r.data) as Record<string, unknown> }));
}

t.test('*42 during the call; *47 from the handset in a held wrap-up; none after the hold limit', async (t) => {
  const vb = await box(t, true);
  const { box: b, clock } = vb;
  const sim = b.service.sim!;
  const start = clock.now();
  const a1 = () => b.service.acd.agents().find((a) => a.id === 'a1');
  sim.setAgentSettings({ answerAfterS: 1, talkS: 20 });

  // 1. during the call
  const c1 = await sim.placeCall({ channel: 'fxo1', callerId: '13800000001', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => b.service.calls.get(c1.callId)?.state === 'talking', 60_000);
  await clock.run(2000);
  b.hat!.agentPresses('fxs1', '*42');
  await clock.run(3000);
  t.match(b.service.calls.get(c1.callId)?.disposition, { code: '2', agent: 'a1', by: 'phone:a1', note: null }, 'set on the live call');
  await clock.runUntil(() => b.service.calls.get(c1.callId)?.state === 'ended', 60_000);
  await clock.run(6000);
  t.equal(a1()?.state, 'available', 'result set: wrap-up ends after wrapUpS');
  t.match(b.service.calls.get(c1.callId)?.disposition, { code: '2' }, 'kept on the ended call record');

  // 2. no result: held in wrap-up; the agent lifts the handset and dials *47
  const c2 = await sim.placeCall({ channel: 'fxo1', callerId: '13800000002', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => b.service.calls.get(c2.callId)?.state === 'ended', 120_000);
  await clock.run(30_000);
  t.equal(a1()?.state, 'wrapUp', 'held in wrap-up past wrapUpS while the result is missing');
  b.hat!.agentDials('fxs1', '*47');
  await clock.run(1500);
  t.equal(a1()?.state, 'wrapUp', 'lifting the handset in wrap-up keeps wrap-up');
  await clock.run(10_000);
  t.match(b.service.calls.get(c2.callId)?.disposition, { code: '7', by: 'phone:a1' }, '*47 set on the last call');
  t.equal(a1()?.state, 'available', 'the hold ends with the result');

  // 3. nobody sets one: `none` at the limit
  const c3 = await sim.placeCall({ channel: 'fxo1', callerId: '13800000003', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => b.service.calls.get(c3.callId)?.state === 'ended', 120_000);
  await clock.run((5 + DISPOSITION_HOLD_MAX_S - 10) * 1000);
  t.equal(a1()?.state, 'wrapUp', 'still held just before the limit');
  await clock.run(15_000);
  t.equal(a1()?.state, 'available', 'available after the limit');
  t.match(b.service.calls.get(c3.callId)?.disposition, { code: 'none', by: 'system' });

  // an unknown code changes nothing
  const c4 = await sim.placeCall({ channel: 'fxo1', callerId: '13800000004', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => b.service.calls.get(c4.callId)?.state === 'talking', 60_000);
  await clock.run(2000);
  b.hat!.agentPresses('fxs1', '*40');
  await clock.run(3000);
  t.equal(b.service.calls.get(c4.callId)?.disposition, null, '*40: no such code');

  const evs = events(vb.dataDir, 'call.disposition');
  t.match(
    evs.map((e) => [e.call_id, e.data.code, e.data.source]),
    [
      [c1.callId, '2', 'phone'],
      [c2.callId, '7', 'phone'],
      [c3.callId, 'none', 'timeout'],
    ],
    'each result is an event on its call',
  );
  const k = b.service.kpis.report({ from: start, to: clock.now() + 1000 });
  t.same(k.dispositions, { '2': 1, '7': 1, none: 1 }, 'KPIs count calls per result');
});

t.test('API: an ended call gets a result (row, event, outbox); validation; replacing is 200-style', async (t) => {
  const vb = await box(t, false);
  const { box: b, clock } = vb;
  const sim = b.service.sim!;
  sim.setAgentSettings({ answerAfterS: 1, talkS: 10 });
  const c = await sim.placeCall({ channel: 'fxo1', callerId: '13800000005', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => b.service.calls.get(c.callId)?.state === 'ended', 60_000);
  t.equal(b.service.calls.get(c.callId)?.disposition, null);
  const first = b.service.calls.setDisposition(c.callId, { code: '3', note: '  问真伪 ' }, 'boss');
  t.equal(first.created, true);
  t.match(first.call.disposition, { code: '3', note: '问真伪', agent: 'a1', by: 'boss' });
  const again = b.service.calls.setDisposition(c.callId, { code: '6' }, 'boss');
  t.equal(again.created, false, 'a second result replaces the first');
  t.match(b.service.calls.list({ limit: 5 })[0], { id: c.callId, disposition: { code: '6', note: null } }, 'in the call history');
  t.throws(() => b.service.calls.setDisposition(c.callId, { code: '42' }, 'boss'), {
    code: 'VALIDATION_FAILED',
    details: { field: 'code' },
  });
  t.throws(() => b.service.calls.setDisposition(c.callId, { code: '1', note: 'x'.repeat(501) }, 'boss'), {
    code: 'VALIDATION_FAILED',
    details: { field: 'note' },
  });
  t.throws(() => b.service.calls.setDisposition('nosuch', { code: '1' }, 'boss'), { code: 'NOT_FOUND' });
  t.same(
    b.service.calls.dispositions().map((d) => d.code),
    ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
    'the defaults',
  );
  const db = new Database(join(vb.dataDir, 'callbox.db'), { readonly: true });
  const outbox = db.prepare("SELECT version, body FROM outbox WHERE stream = 'calls' AND record_id = ? ORDER BY seq").all(c.callId) as {
    version: number;
    body: string;
  }[];
  db.close();
  t.equal(outbox.length, 3, 'the ended call, then each result, go to the cloud');
  t.ok((outbox[2]?.version ?? 0) > (outbox[1]?.version ?? 0) && (outbox[1]?.version ?? 0) > 1, 'newer versions');
  t.match(JSON.parse(outbox[2]?.body ?? '{}'), { id: c.callId, disposition: { code: '6' } });
});

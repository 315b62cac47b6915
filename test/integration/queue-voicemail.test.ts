// Voicemail from the queue: a waiting caller presses 2 to leave a message (EXITWITHKEY), and a
// caller the queue gives up on is sent to voicemail instead of being hung up on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import { virtualBox } from '../helpers/box.js';

async function box(t: { teardown(fn: () => unknown): void }, edit: (q: Config['queues'][number]) => void) {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-qvm-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = structuredClone(defaultConfig()) as Config;
  c.voicemail = { boxes: [{ id: 'shop', name: 'Shop', maxLengthS: 60, silenceStopS: 5 }] };
  const q = c.queues[0] as Config['queues'][number];
  q.members = ['a1'];
  q.announceEveryS = 0;
  edit(q);
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  const vb = await virtualBox({ dataDir });
  t.teardown(vb.close);
  vb.box.service.sim!.setAgentSettings({ answerAfterS: 1, talkS: 300 });
  return vb;
}

t.test('breakout key 2: the waiting caller leaves a voicemail', async (t) => {
  const vb = await box(t, (q) => {
    q.voicemail = { box: 'shop', key: '2' };
  });
  const { box: b, clock } = vb;
  const first = await b.service.sim!.placeCall({ channel: 'fxo1', callerId: '13800000001', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => b.service.calls.get(first.callId)?.state === 'talking', 60_000);
  const second = await b.service.sim!.placeCall({ channel: 'fxo2', callerId: '13900000002', digits: '1', hangupAfterS: 60 });
  await clock.runUntil(() => b.service.calls.get(second.callId)?.state === 'queued', 60_000);
  await clock.run(2000);
  b.hat!.callerPresses('fxo2', '2');
  await clock.runUntil(() => b.channels().find((c) => c.id === 'fxo2')?.state === 'idle', 120_000);
  await b.voicemail.drain();
  await clock.run(1000);
  t.equal(b.service.calls.get(second.callId)?.outcome, 'voicemail');
  t.equal(b.service.voicemail.list({ state: 'new' }).length, 1);
  const db = new Database(join(vb.dataDir, 'callbox.db'), { readonly: true });
  const exit = db.prepare("SELECT data FROM events WHERE type = 'queue.exitWithKey' AND call_id = ?").get(second.callId) as
    | { data: string }
    | undefined;
  db.close();
  t.match(JSON.parse(exit?.data ?? '{}'), { queue: 'main', key: '2', position: 1 });
});

t.test('maxWait reached: voicemail instead of a hang-up', async (t) => {
  const vb = await box(t, (q) => {
    q.maxWaitS = 20;
    q.voicemail = { box: 'shop', onTimeout: true };
  });
  const { box: b, clock } = vb;
  const first = await b.service.sim!.placeCall({ channel: 'fxo1', callerId: '13800000001', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => b.service.calls.get(first.callId)?.state === 'talking', 60_000);
  const second = await b.service.sim!.placeCall({ channel: 'fxo2', callerId: '13900000002', digits: '1', hangupAfterS: 90 });
  await clock.runUntil(() => b.channels().find((c) => c.id === 'fxo2')?.state === 'idle', 200_000);
  await b.voicemail.drain();
  await clock.run(1000);
  t.equal(b.service.calls.get(second.callId)?.outcome, 'voicemail');
});

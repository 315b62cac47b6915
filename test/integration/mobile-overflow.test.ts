// Overflow to the owner's mobile over the GSM channel (转老板手机): the only agent is busy, the
// waiting caller reaches maxWaitS, the box dials the owner on gsm1, the owner hears the whisper and
// presses 1 (real DTMF audio) and talks with the caller; a refusal, no answer or a busy GSM channel
// passes the caller to the next rule (voicemail) or the queue gives up.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import { type VirtualBox, virtualBox } from '../helpers/box.js';

const OWNER = '13700001111';

type Rule = NonNullable<Config['queues'][number]['overflow']>[number];

async function mobileBox(t: { teardown(fn: () => unknown): void }, overflow: Rule[], noGsmLine = false): Promise<VirtualBox> {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-mob-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = structuredClone(defaultConfig()) as Config;
  c.voicemail = { boxes: [{ id: 'shop', name: 'Shop', maxLengthS: 60, silenceStopS: 5 }] };
  const q = c.queues[0] as Config['queues'][number];
  q.members = ['a1'];
  q.announceEveryS = 0;
  q.maxWaitS = 20;
  q.voicemail = { box: 'shop' };
  q.overflow = overflow;
  if (noGsmLine) c.lines = c.lines.filter((l) => !l.channel.startsWith('gsm'));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  const vb = await virtualBox({ dataDir });
  t.teardown(vb.close);
  vb.box.service.sim!.setAgentSettings({ answerAfterS: 1, talkS: 600 });
  return vb;
}

/** The agent talks with a first caller; a second caller waits on fxo2 until the queue gives up on them. */
async function secondCallerWaits(vb: VirtualBox, hangupAfterS = 300): Promise<string> {
  const { box, clock } = vb;
  const first = await box.service.sim!.placeCall({ channel: 'fxo1', callerId: '13800000001', digits: '1', hangupAfterS: 900 });
  await clock.runUntil(() => box.service.calls.get(first.callId)?.state === 'talking', 60_000);
  const second = await box.service.sim!.placeCall({ channel: 'fxo2', callerId: '13900000002', digits: '1', hangupAfterS });
  await clock.runUntil(() => box.service.calls.get(second.callId)?.state === 'queued', 60_000);
  return second.callId;
}

function events(vb: VirtualBox, callId: string): { type: string; data: Record<string, unknown> }[] {
  const db = new Database(join(vb.dataDir, 'callbox.db'), { readonly: true });
  const rows = db.prepare('SELECT type, data FROM events WHERE call_id = ? ORDER BY seq').all(callId) as { type: string; data: string }[];
  db.close();
  return rows.map((r) => ({ type: r.type, data: JSON.parse(r.data) }));
}

const types = (ev: { type: string }[], prefix: string[]): string[] =>
  ev.map((e) => e.type).filter((ty) => prefix.some((p) => ty.startsWith(p)));

t.test('accepted: the owner presses 1 and talks with the caller on the GSM leg, recorded', async (t) => {
  const vb = await mobileBox(t, [{ action: 'mobile', number: OWNER }, { action: 'voicemail' }]);
  const { box, clock } = vb;
  box.hat!.setCustomer(OWNER, { answerAfterS: 5, digits: '1', hangupAfterS: 40 });
  const id = await secondCallerWaits(vb);
  await clock.runUntil(() => box.service.calls.get(id)?.state === 'talking', 120_000);
  t.same(box.hat!.dialled, [{ channel: 'gsm1', number: OWNER }], 'the owner is dialled on the GSM channel');
  const talking = box.service.calls.get(id);
  t.equal(talking?.agent, 'mobile');
  await clock.runUntil(() => box.service.calls.get(id)?.state === 'ended', 120_000);
  const rec = box.service.calls.get(id);
  t.equal(rec?.outcome, 'answered');
  const mobileLeg = rec?.legs.find((l) => l.kind === 'gsm');
  t.match(mobileLeg, { channel: 'gsm1', kind: 'gsm', role: 'agent' }, 'the mobile leg is in the call record');
  t.ok(mobileLeg?.answeredAt && mobileLeg.endedAt, 'answered and ended');
  const ev = events(vb, id);
  t.same(types(ev, ['queue.', 'overflow.']), [
    'queue.enter',
    'queue.exitTimeout',
    'overflow.mobileDialing',
    'queue.connect',
    'queue.complete',
  ]);
  const connect = ev.find((e) => e.type === 'queue.connect')?.data;
  t.match(connect, { queue: 'main', agent: 'mobile', ringMs: 5000 }, 'the mobile rang 5 s');
  t.ok((connect?.waitMs as number) > 5000, 'then the whisper until 1 was pressed');
  t.match(ev.find((e) => e.type === 'queue.complete')?.data, { queue: 'main', agent: 'mobile', by: 'agent' });
  await box.recorder.drain();
  const recs = box.recorder.list({ callId: id });
  t.equal(recs.length, 1, 'recorded like any bridged call');
  t.ok((recs[0]?.durationMs ?? 0) > 20_000, `the conversation is in it (${recs[0]?.durationMs} ms)`);
  t.equal(box.channels().find((c) => c.id === 'gsm1')?.state, 'idle', 'the GSM channel is free again');
  const kpis = box.service.kpis.report({ from: 0, to: clock.now() + 1 });
  t.match(kpis, { offered: 2, timedOut: 1, answered: 2 }, 'the mobile answer counts as answered');
  t.ok(
    kpis.byAgent.some((a) => a.agent === 'mobile' && a.answered === 1),
    'agent "mobile" in byAgent',
  );
});

t.test('refused: the owner presses 2, the caller goes on to the next rule (voicemail)', async (t) => {
  const vb = await mobileBox(t, [{ action: 'mobile', number: OWNER }, { action: 'voicemail' }]);
  const { box, clock } = vb;
  box.hat!.setCustomer(OWNER, { answerAfterS: 3, digits: '2', hangupAfterS: 40 });
  const id = await secondCallerWaits(vb, 60);
  await clock.runUntil(() => box.service.calls.get(id)?.state === 'ended', 200_000);
  await box.voicemail.drain();
  t.equal(box.service.calls.get(id)?.outcome, 'voicemail');
  const ev = events(vb, id);
  t.match(ev.find((e) => e.type === 'overflow.mobileRefused')?.data, { queue: 'main', number: OWNER, why: 'refused' });
  t.notOk(
    ev.some((e) => e.type === 'queue.connect'),
    'never connected',
  );
  t.equal(box.service.calls.get(id)?.agent, null);
  t.equal(box.channels().find((c) => c.id === 'gsm1')?.state, 'idle', 'the owner leg is hung up');
});

t.test('no answer within ringS: refused as noAnswer; with no rule left the queue gives up', async (t) => {
  const vb = await mobileBox(t, [{ action: 'mobile', number: OWNER, ringS: 15 }]);
  const { box, clock } = vb;
  box.hat!.setCustomer(OWNER, { answerAfterS: null });
  const id = await secondCallerWaits(vb);
  await clock.runUntil(() => box.service.calls.get(id)?.state === 'ended', 200_000);
  t.equal(box.service.calls.get(id)?.outcome, 'noAgent');
  const ev = events(vb, id);
  const refused = ev.find((e) => e.type === 'overflow.mobileRefused');
  t.match(refused?.data, { why: 'noAnswer' });
  t.equal(refused?.data.ringMs, 15_000);
  t.same(types(ev, ['queue.', 'overflow.']), ['queue.enter', 'queue.exitTimeout', 'overflow.mobileDialing', 'overflow.mobileRefused']);
});

t.test('GSM busy: the mobile rule is skipped at once (logged and evented), voicemail takes the caller', async (t) => {
  const vb = await mobileBox(t, [{ action: 'mobile', number: OWNER }, { action: 'voicemail' }]);
  const { box, clock } = vb;
  const id = await secondCallerWaits(vb, 60);
  // a customer calling in on the GSM line holds it: they wait in the queue behind the fxo2 caller
  const gsmCaller = await box.service.sim!.placeCall({ channel: 'gsm1', callerId: '13600000003', digits: '1', hangupAfterS: 900 });
  await clock.runUntil(() => box.service.calls.get(gsmCaller.callId)?.state === 'queued', 60_000);
  t.equal(box.service.calls.get(id)?.state, 'queued', 'the fxo2 caller is still waiting');
  await clock.runUntil(() => box.service.calls.get(id)?.state === 'ended', 200_000);
  await box.voicemail.drain();
  t.equal(box.service.calls.get(id)?.outcome, 'voicemail');
  t.same(box.hat!.dialled, [], 'nothing dialled');
  const ev = events(vb, id);
  t.match(ev.find((e) => e.type === 'overflow.mobileUnavailable')?.data, { queue: 'main', number: OWNER, why: 'gsmBusy' });
});

t.test('no GSM line configured: skipped as noGsm', async (t) => {
  const vb = await mobileBox(t, [{ action: 'mobile', number: OWNER }], true);
  const { box, clock } = vb;
  const id = await secondCallerWaits(vb, 60);
  await clock.runUntil(() => box.service.calls.get(id)?.state === 'ended', 200_000);
  t.equal(box.service.calls.get(id)?.outcome, 'noAgent');
  t.match(events(vb, id).find((e) => e.type === 'overflow.mobileUnavailable')?.data, { why: 'noGsm' });
  t.same(box.hat!.dialled, []);
});

t.test('the caller hangs up while the mobile rings: the GSM leg is hung up, nothing more is tried', async (t) => {
  const vb = await mobileBox(t, [{ action: 'mobile', number: OWNER, ringS: 60 }, { action: 'voicemail' }]);
  const { box, clock } = vb;
  box.hat!.setCustomer(OWNER, { answerAfterS: null });
  const id = await secondCallerWaits(vb, 50);
  await clock.runUntil(() => box.service.calls.get(id)?.state === 'ended', 200_000);
  t.equal(box.service.calls.get(id)?.outcome, 'abandoned');
  await clock.run(120_000);
  t.equal(box.channels().find((c) => c.id === 'gsm1')?.state, 'idle', 'the GSM channel is free');
  t.same(
    types(events(vb, id), ['queue.', 'overflow.', 'voicemail.']),
    ['queue.enter', 'queue.exitTimeout', 'overflow.mobileDialing'],
    'no refusal, no voicemail after the caller left',
  );
  t.ok(box.service.calls.get(id)?.legs.find((l) => l.kind === 'gsm')?.endedAt, 'the mobile leg ended');
});

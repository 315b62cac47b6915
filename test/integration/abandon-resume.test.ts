// Abandoned-call resume (放弃续排): a caller who hung up while waiting and calls again within the
// queue's window rejoins at the place of their first entry, ahead of callers who came after it;
// outside the window they join at the back. With skipIvr they go straight to the queue. KPIs count
// the new call as offered again and as `resumed`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import { type VirtualBox, virtualBox } from '../helpers/box.js';

const A = '13900000002';
const B = '13600000003';

async function resumeBox(t: { teardown(fn: () => unknown): void }, resume: Config['queues'][number]['resume']): Promise<VirtualBox> {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-resume-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = structuredClone(defaultConfig()) as Config;
  const q = c.queues[0] as Config['queues'][number];
  q.members = ['a1'];
  q.announceEveryS = 0;
  q.maxWaitS = 900;
  q.wrapUpS = 0;
  if (resume) q.resume = resume;
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  const vb = await virtualBox({ dataDir });
  t.teardown(vb.close);
  const db = new Database(join(dataDir, 'callbox.db'), { readonly: true });
  t.teardown(() => db.close());
  readers.set(vb, db);
  vb.box.service.sim!.setAgentSettings({ answerAfterS: 1, talkS: 240 });
  return vb;
}

// One read-only connection a box: events() is also a runUntil condition, checked after every timer.
const readers = new WeakMap<VirtualBox, Database.Database>();

function events(vb: VirtualBox, type: string): { callId: string; data: Record<string, unknown> }[] {
  const db = readers.get(vb);
  if (!db) throw new Error('no reader for this box (resumeBox opens it)');
  const rows = db.prepare('SELECT call_id, data FROM events WHERE type = ? ORDER BY seq').all(type) as { call_id: string; data: string }[];
  return rows.map((r) => ({ callId: r.call_id, data: JSON.parse(r.data) }));
}

/**
 * The agent talks with a first caller; A waits and hangs up; B joins the queue (after A's first
 * entry); A calls again `backAfterS` after hanging up. Returns A's calls and B's.
 */
async function scenario(vb: VirtualBox, backAfterS: number, secondDigits = '1') {
  const { box, clock } = vb;
  const sim = box.service.sim!;
  const state = (id: string) => box.service.calls.get(id)?.state;
  const first = await sim.placeCall({ channel: 'fxo1', callerId: '13800000001', digits: '1', hangupAfterS: 900 });
  await clock.runUntil(() => state(first.callId) === 'talking', 60_000);
  const a1 = await sim.placeCall({ channel: 'fxo2', callerId: A, digits: '1', hangupAfterS: 40 });
  await clock.runUntil(() => state(a1.callId) === 'queued', 60_000);
  const b = await sim.placeCall({ channel: 'gsm1', callerId: B, digits: '1', hangupAfterS: 900 });
  await clock.runUntil(() => state(b.callId) === 'queued', 60_000);
  await clock.runUntil(() => state(a1.callId) === 'ended', 60_000);
  await clock.run(backAfterS * 1000);
  const a2 = await sim.placeCall({ channel: 'fxo2', callerId: A, digits: secondDigits, hangupAfterS: 900 });
  await clock.runUntil(() => state(a2.callId) === 'queued', 60_000);
  return { first: first.callId, a1: a1.callId, b: b.callId, a2: a2.callId };
}

t.test('inside the window: A rejoins ahead of B, who came after A first did, and is answered first', async (t) => {
  const vb = await resumeBox(t, { windowMin: 10 });
  const { box, clock } = vb;
  const ids = await scenario(vb, 60);
  t.equal(box.service.calls.get(ids.a1)?.outcome, 'abandoned');
  const enter = events(vb, 'queue.enter');
  t.match(enter.find((e) => e.callId === ids.b)?.data, { position: 2 }, 'B joined behind A');
  t.match(enter.find((e) => e.callId === ids.a2)?.data, { queue: 'main', position: 1 }, "A's new call is first again");
  const resume = events(vb, 'queue.resume');
  t.equal(resume.length, 1);
  t.match(resume[0], { callId: ids.a2, data: { queue: 'main', abandonedCallId: ids.a1, position: 1 } });
  t.ok((resume[0]?.data.abandonedAgoMs as number) >= 60_000, 'about a minute after the hang-up');
  t.ok((resume[0]?.data.firstEnteredAgoMs as number) > (resume[0]?.data.abandonedAgoMs as number), 'first entry earlier still');
  t.equal(box.service.acd.queues()[0]?.waiting, 2);
  // the agent frees up: A's new call is offered before B
  await clock.runUntil(() => events(vb, 'queue.connect').length >= 2, 600_000);
  t.same(
    events(vb, 'queue.connect').map((e) => e.callId),
    [ids.first, ids.a2],
    'A (resumed) is answered before B',
  );
  const k = box.service.kpis.report({ from: 0, to: clock.now() + 1 });
  t.match(k, { offered: 4, abandoned: 1, resumed: 1 }, 'the resumed call is offered again and counted as resumed');
  t.equal(k.offered - k.resumed, 3, 'three distinct callers');
});

t.test('outside the window: A joins at the back, no resume', async (t) => {
  const vb = await resumeBox(t, { windowMin: 1 });
  const ids = await scenario(vb, 90);
  t.match(events(vb, 'queue.enter').find((e) => e.callId === ids.a2)?.data, { position: 2 }, 'behind B');
  t.same(events(vb, 'queue.resume'), []);
  t.equal(vb.box.service.kpis.report({ from: 0, to: vb.clock.now() + 1 }).resumed, 0);
});

t.test('no resume configured: a returning caller is a new caller', async (t) => {
  const vb = await resumeBox(t, undefined);
  const ids = await scenario(vb, 30);
  t.match(events(vb, 'queue.enter').find((e) => e.callId === ids.a2)?.data, { position: 2 });
  t.same(events(vb, 'queue.resume'), []);
});

t.test('skipIvr: the returning caller goes straight back to the queue, at their place', async (t) => {
  const vb = await resumeBox(t, { windowMin: 10, skipIvr: true });
  const ids = await scenario(vb, 30, '');
  t.match(events(vb, 'queue.enter').find((e) => e.callId === ids.a2)?.data, { position: 1 });
  t.notOk(
    events(vb, 'ivr.menu').some((e) => e.callId === ids.a2),
    'no IVR menu for the resumed call',
  );
  t.equal(vb.box.service.calls.get(ids.a2)?.ivrPath, '');
  t.equal(events(vb, 'queue.resume').length, 1);
});

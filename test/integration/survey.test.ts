// Post-call CSAT survey: the agent hangs up, the caller hears the survey and presses 4 (real DTMF
// audio); the score lands in the event log against the call, queue and agent; no answer is recorded too.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import { virtualBox } from '../helpers/box.js';

async function surveyBox(t: { teardown(fn: () => unknown): void }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-survey-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = structuredClone(defaultConfig()) as Config;
  (c.queues[0] as Config['queues'][number]).survey = true;
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  const vb = await virtualBox({ dataDir });
  t.teardown(vb.close);
  vb.box.service.sim!.setAgentSettings({ answerAfterS: 1, talkS: 10 });
  return vb;
}

function surveyEvents(dataDir: string, callId: string) {
  const db = new Database(join(dataDir, 'callbox.db'), { readonly: true });
  try {
    return (
      db.prepare("SELECT type, data FROM events WHERE call_id = ? AND type IN ('survey.score', 'survey.noAnswer')").all(callId) as {
        type: string;
        data: string;
      }[]
    ).map((r) => ({
      type: r.type,
      ...(JSON.parse(r.data) as object),
    }));
  } finally {
    db.close();
  }
}

t.test('the caller rates the call after the agent hangs up', async (t) => {
  const vb = await surveyBox(t);
  const { callId } = await vb.box.service.sim!.placeCall({ channel: 'fxo1', callerId: '13800138000', digits: '1', hangupAfterS: 600 });
  await vb.clock.runUntil(() => vb.box.service.calls.get(callId)?.state === 'survey', 120_000);
  t.equal(vb.box.channels().find((c) => c.id === 'fxs1')?.state, 'idle', 'the agent is free during the survey');
  await vb.clock.run(3000); // the caller listens to part of the prompt, then presses
  vb.box.hat!.callerPresses('fxo1', '4');
  await vb.clock.runUntil(() => vb.box.service.calls.get(callId)?.state === 'ended', 60_000);
  t.equal(vb.box.service.calls.get(callId)?.outcome, 'answered');
  t.same(surveyEvents(vb.dataDir, callId), [{ type: 'survey.score', queue: 'main', agent: 'a1', score: 4 }]);
  t.equal(vb.box.channels().find((c) => c.id === 'fxo1')?.state, 'idle', 'the box hung up after the thanks');
});

t.test('no answer to the survey is recorded as such', async (t) => {
  const vb = await surveyBox(t);
  const { callId } = await vb.box.service.sim!.placeCall({ channel: 'fxo2', callerId: '13800138001', digits: '1', hangupAfterS: 600 });
  await vb.clock.runUntil(() => vb.box.service.calls.get(callId)?.state === 'ended', 180_000);
  t.same(surveyEvents(vb.dataDir, callId), [{ type: 'survey.noAnswer', queue: 'main', agent: 'a1' }]);
});

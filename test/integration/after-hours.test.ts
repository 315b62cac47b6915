// Outside business hours the caller hears the closed message and the box hangs up; a consent
// announcement plays before the menu during hours. Virtual time, the real box on the sim driver.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import { virtualBox } from '../helpers/box.js';

function boxWith(t: { teardown(fn: () => unknown): void }, edit: (c: Config) => void) {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-hours-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = structuredClone(defaultConfig()) as Config;
  edit(c);
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  return virtualBox({ dataDir });
}

function menusOf(dataDir: string, callId: string): string[] {
  const db = new Database(join(dataDir, 'callbox.db'), { readonly: true });
  try {
    return (
      db.prepare("SELECT data FROM events WHERE call_id = ? AND type = 'ivr.menu' ORDER BY seq").all(callId) as { data: string }[]
    ).map((r) => (JSON.parse(r.data) as { menu: string }).menu);
  } finally {
    db.close();
  }
}

t.test('after hours: closed message, then hang up', async (t) => {
  const vb = await boxWith(t, (c) => {
    // the virtual clock starts on Thursday 2026-01-01 09:00 in Shanghai: open only on Sundays
    c.hours = { weekly: { sun: [{ open: '09:00', close: '18:00' }] }, holidays: [], afterHours: { action: 'menu', menu: 'closed' } };
    c.ivr.menus.closed = {
      prompt: 'closed',
      timeoutS: 1,
      repeats: 0,
      options: {},
      onTimeout: { action: 'hangup' },
      onInvalid: { action: 'hangup' },
    };
  });
  t.teardown(vb.close);
  const { callId } = await vb.box.service.sim!.placeCall({ channel: 'fxo1', callerId: '13800138000', digits: '1', hangupAfterS: 120 });
  await vb.clock.runUntil(() => vb.box.service.calls.get(callId)?.state === 'ended', 120_000);
  const cdr = vb.box.service.calls.get(callId);
  t.equal(cdr?.outcome, 'ivrHangup');
  t.equal(cdr?.queue, null, 'never queued');
  t.same(menusOf(vb.dataDir, callId), ['_afterHours', 'closed']);
});

t.test('during hours with a consent announcement the call reaches the queue as before', async (t) => {
  const vb = await boxWith(t, (c) => {
    c.hours = { weekly: { thu: [{ open: '08:00', close: '20:00' }] }, holidays: [], afterHours: { action: 'hangup' } };
    (c.ivr.menus.main as Config['ivr']['menus'][string]).announce = ['consent'];
  });
  t.teardown(vb.close);
  vb.box.service.sim!.setAgentSettings({ answerAfterS: 1, talkS: 5 });
  const { callId } = await vb.box.service.sim!.placeCall({ channel: 'fxo1', callerId: '13800138000', digits: '1', hangupAfterS: 120 });
  await vb.clock.runUntil(() => vb.box.service.calls.get(callId)?.state === 'ended', 120_000);
  const cdr = vb.box.service.calls.get(callId);
  t.equal(cdr?.outcome, 'answered');
  t.equal(cdr?.queue, 'main');
  t.same(menusOf(vb.dataDir, callId), ['main']);
});

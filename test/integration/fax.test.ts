// A fax machine calls: its CNG tone (real 1100 Hz audio through the call-progress detector) is
// heard during the greeting, and the call goes to the fax extension instead of the menus.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import { virtualBox } from '../helpers/box.js';

t.test('CNG in the IVR routes the call to the fax extension', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-fax-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = structuredClone(defaultConfig()) as Config;
  c.fax = { extension: 'fxs4' };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  const vb = await virtualBox({ dataDir });
  t.teardown(vb.close);
  const { box, clock } = vb;
  box.service.sim!.setAgentSettings({ answerAfterS: 2, talkS: 30 });
  const fax = await box.service.sim!.placeCall({ channel: 'fxo1', callerId: '02088886666', hangupAfterS: 600, fax: true });
  await clock.runUntil(() => box.service.calls.get(fax.callId)?.state === 'talking', 60_000);
  const rec = box.service.calls.get(fax.callId);
  t.equal(rec?.agent, 'a4', 'the fax port (fxs4) took it');
  t.same(
    rec?.legs.map((l) => l.channel),
    ['fxo1', 'fxs4'],
  );
  t.equal(rec?.queue, null, 'never queued');
  t.ok(Date.parse(rec?.legs[1]?.startedAt ?? '') - Date.parse(rec?.answeredAt ?? '') < 8000, 'detected within the first CNG cycles');

  // a person on the other line is not mistaken for a fax
  const person = await box.service.sim!.placeCall({ channel: 'fxo2', callerId: '13800138000', digits: '1', hangupAfterS: 600 });
  await clock.runUntil(() => box.service.calls.get(person.callId)?.state === 'talking', 60_000);
  t.equal(box.service.calls.get(person.callId)?.queue, 'main');
});

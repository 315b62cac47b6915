// A caller chooses voicemail in the IVR, hears the greeting and the beep, speaks, and hangs up:
// the message is saved as a new voicemail (a task for the owner) and the call ends `voicemail`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import { virtualBox } from '../helpers/box.js';

t.test('IVR key 9 leaves a voicemail', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-vm-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const c = structuredClone(defaultConfig()) as Config;
  c.voicemail = { boxes: [{ id: 'shop', name: '店铺留言 / Shop', maxLengthS: 60, silenceStopS: 5 }] };
  (c.ivr.menus.main as Config['ivr']['menus'][string]).options['9'] = { action: 'voicemail', box: 'shop' };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(c));
  const vb = await virtualBox({ dataDir });
  t.teardown(vb.close);
  const { box, clock } = vb;
  const { callId } = await box.service.sim!.placeCall({ channel: 'fxo1', callerId: '13800138000', digits: '9', hangupAfterS: 40 });
  // the caller hangs up after 40 s; saving the message is real file I/O, so let it finish
  await clock.runUntil(() => box.channels().find((c) => c.id === 'fxo1')?.state === 'idle', 120_000);
  await box.voicemail.drain();
  await clock.run(1000);
  const cdr = box.service.calls.get(callId);
  t.equal(cdr?.outcome, 'voicemail');
  t.equal(cdr?.queue, null, 'never queued');
  const list = box.service.voicemail.list({ state: 'new' });
  t.equal(list.length, 1, 'one new voicemail');
  t.match(list[0], { callId, box: 'shop', callerId: '13800138000', state: 'new' });
  t.ok((list[0]?.durationMs ?? 0) > 5000, `it holds the caller's speech (${list[0]?.durationMs} ms)`);
});

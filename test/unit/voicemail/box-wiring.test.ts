// Voicemail in the real box: the module runs (repairing at start), the service reaches it, the
// shipped greeting prompts exist in both languages.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { loadWavAs8k } from '../../../hal/src/dsp/resample.js';
import { readFileSync } from 'node:fs';
import { PROMPTS_DIR, virtualBox } from '../../helpers/box.js';

t.test('the voicemail module runs in the box and the service lists voicemails', async (t) => {
  const vb = await virtualBox();
  t.teardown(() => vb.close());
  t.match(
    vb.box.service.health().modules.find((m) => m.name === 'voicemail'),
    { state: 'running' },
  );
  t.ok(existsSync(join(vb.dataDir, 'voicemail')), 'the folder is made at start');
  t.same(vb.box.service.voicemail.list({ limit: 10 }), []);
  t.equal(vb.box.service.voicemail.get('nope'), null);
  t.equal(vb.box.voicemail, vb.box.service.voicemail, 'the engine and the API share one VoicemailBox');
});

t.test('the greeting and saved prompts ship in zh-CN and en at 8 kHz', (t) => {
  for (const lang of ['zh-CN', 'en']) {
    for (const name of ['voicemail-greeting', 'voicemail-saved']) {
      const clip = loadWavAs8k(readFileSync(join(PROMPTS_DIR, lang, `${name}.wav`)));
      t.ok(clip.length > 8000, `${lang}/${name}: ${(clip.length / 8000).toFixed(1)} s`);
    }
  }
  t.end();
});

// PromptLibrary with the shop's own prompts (<data-dir>/prompts): the own recording is played
// before the built-in one, in the asked language and its fallbacks; a cached clip stays until
// forget(name), then the next call reads the file again (a new upload, or the built-in after a revert).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { encodeWav16 } from '../../../hal/src/dsp/wav.js';
import { PromptLibrary } from '../../../firmware/src/media/prompts.js';

/** A 16-bit mono 8 kHz WAV of `n` samples, all `value`. */
const wav = (n: number, value: number): Buffer => encodeWav16(new Int16Array(n).fill(value), 8000);

t.test('own prompts first; forget() reloads', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'callbox-prompt-lib-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const builtIn = join(root, 'builtin');
  const own = join(root, 'own');
  for (const d of [join(builtIn, 'zh-CN'), join(builtIn, 'en'), join(own, 'zh-CN')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(builtIn, 'zh-CN', 'welcome.wav'), wav(800, 100));
  writeFileSync(join(builtIn, 'en', 'bye.wav'), wav(400, 300));
  const lib = new PromptLibrary(builtIn, 'zh-CN', pino({ level: 'silent' }), own);
  t.equal(lib.get('welcome').length, 800, 'the built-in prompt while the shop has none');
  writeFileSync(join(own, 'zh-CN', 'welcome.wav'), wav(1600, 200));
  t.equal(lib.get('welcome').length, 800, 'cached until forgotten');
  lib.forget('welcome');
  const clip = lib.get('welcome');
  t.equal(clip.length, 1600, "the shop's own prompt after forget()");
  t.equal(clip[10], 200);
  rmSync(join(own, 'zh-CN', 'welcome.wav'));
  lib.forget('welcome');
  t.equal(lib.get('welcome').length, 800, 'the built-in again after a revert');
  writeFileSync(join(own, 'zh-CN', 'bye.wav'), wav(1200, 50));
  t.equal(lib.get('bye').length, 1200, "the shop's own zh-CN prompt before the built-in English fallback");
  t.equal(new PromptLibrary(builtIn, 'zh-CN', pino({ level: 'silent' })).get('bye').length, 400, 'without an own folder: the English one');
  t.end();
});

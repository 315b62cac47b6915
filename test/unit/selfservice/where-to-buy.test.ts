// The where-to-buy message rendered from text by the real espeak-ng (zh-CN and en), stored as 8 kHz
// WAV the IVR plays; without espeak-ng the owner gets 503 UNAVAILABLE, not a crash; the REST PUT.
import { execFileSync } from 'node:child_process';
import t from 'tap';
import { ulidFactory } from '../../../firmware/src/backoffice/common/ulid.js';
import { createSelfService } from '../../../firmware/src/backoffice/selfservice/index.js';
import type { EngineEvents } from '../../../firmware/src/calls/engine-types.js';
import { silentLogger } from '../../../firmware/src/log.js';
import { TypedEmitter } from '../../../hal/src/events.js';
import { parseWav } from '../../../hal/src/dsp/wav.js';
import { errorFrom, OWNER, salesBox } from '../sales/fixtures/back-office.js';
import { startTestServer } from '../web-ui/fixtures/helpers.js';

let haveEspeak = true;
try {
  execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
} catch {
  haveEspeak = false;
}

t.test(
  'text is spoken by espeak-ng in each language and kept as 8 kHz mono WAV',
  { skip: !haveEspeak && 'espeak-ng is not installed' },
  async (t) => {
    const { bo } = salesBox();
    const zh = await bo.selfService.setWhereToBuyText(OWNER, 'zh-CN', '您可以在我们的天猫旗舰店或各大超市购买。');
    t.match(zh, { language: 'zh-CN', source: 'text', text: '您可以在我们的天猫旗舰店或各大超市购买。', version: 1 });
    t.ok(zh.durationMs > 1500 && zh.durationMs < 20_000, `a few seconds of speech (${zh.durationMs} ms)`);
    const wav = parseWav(bo.selfService.whereToBuyWav('zh-CN') as Uint8Array);
    t.match(wav, { sampleRate: 8000, channels: 1, format: 'pcm', bitsPerSample: 16 });
    const peak = wav.samples.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    t.ok(peak > 1000, 'not silence');
    const en = await bo.selfService.setWhereToBuyText(OWNER, 'en', 'Our products are sold in our online store.');
    t.equal(en.language, 'en');
    t.equal(bo.selfService.whereToBuy(OWNER, 'zh-CN')?.source, 'text', 'each language keeps its own message');
    t.equal(errorFrom(() => bo.selfService.setWhereToBuyAudio(OWNER, 'en', Buffer.from('RIFF'))).code, 'VALIDATION_FAILED');
  },
);

t.test('empty or long text is refused; no espeak-ng is 503 UNAVAILABLE', async (t) => {
  const box = salesBox();
  const ss = createSelfService(
    {
      db: box.db,
      clock: box.clock,
      log: silentLogger(),
      newId: ulidFactory(() => box.clock.now()),
      audit: box.bo.audit,
      outbox: box.bo.outbox,
      config: () => box.config,
      engineEvents: new TypedEmitter<EngineEvents>(),
      areas: () => box.bo,
    },
    { espeak: '/nonexistent/espeak-ng' },
  );
  await t.rejects(ss.setWhereToBuyText(OWNER, 'zh-CN', '   '), { code: 'VALIDATION_FAILED', details: { field: 'text' } });
  await t.rejects(ss.setWhereToBuyText(OWNER, 'zh-CN', 'x'.repeat(501)), { code: 'VALIDATION_FAILED' });
  await t.rejects(ss.setWhereToBuyText(OWNER, 'zh-CN', '请到门店购买'), { code: 'UNAVAILABLE', message: /espeak-ng is not installed/ });
  t.equal(ss.whereToBuy(OWNER, 'zh-CN'), null, 'nothing stored');
});

t.test('PUT text over REST (real espeak-ng)', { skip: !haveEspeak && 'espeak-ng is not installed' }, async (t) => {
  const s = await startTestServer(t);
  const token = await s.login();
  const res = await s.call('/api/v1/selfservice/where-to-buy?language=zh-CN', {
    method: 'PUT',
    token,
    json: { text: '请到各大药店购买。' },
  });
  t.equal(res.status, 200);
  t.match(await res.json(), { source: 'text', language: 'zh-CN' });
  const bad = await s.call('/api/v1/selfservice/where-to-buy', { method: 'PUT', token, json: { text: '', voice: 'x' } });
  t.equal(bad.status, 400);
});

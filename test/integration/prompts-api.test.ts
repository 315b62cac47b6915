// Voice prompts over REST on a whole box (routes/prompts.ts → service/prompt-files.ts): owners and
// technicians only; an MP3 upload (made by ffmpeg) and a Chinese TTS text (espeak-ng) become
// 8 kHz 16-bit mono WAVs, checked with `sox --i`; a file that is not audio, an empty one, a wrong
// type, one too large, a bad name (path traversal) or language get a 4xx with a code; revert goes
// back to the built-in prompt. Everything is audited. (The IVR's library reading the shop's own
// prompt first and forgetting its cached clip: test/unit/media/prompt-override.test.ts.)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import type { PromptInfo } from '../../firmware/src/service/types.js';
import { startHttpServer } from '../../web-ui/server/app.js';
import { virtualBox } from '../helpers/box.js';
import { loginToken } from '../helpers/http-api.js';

/** sox's view of a WAV: rate, channels, bits, seconds. */
function soxInfo(wav: Buffer, dir: string): { rate: number; channels: number; bits: number; seconds: number } {
  const f = join(dir, `check-${Math.random().toString(36).slice(2)}.wav`);
  writeFileSync(f, wav);
  const num = (flag: string) => Number(execFileSync('sox', ['--i', flag, f], { encoding: 'utf8' }).trim());
  return { rate: num('-r'), channels: num('-c'), bits: num('-b'), seconds: num('-D') };
}

t.test('prompts: list, upload, TTS, revert, validation, roles', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'callbox-prompts-test-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const vb = await virtualBox();
  t.teardown(vb.close);
  const http = await startHttpServer({ service: vb.box.service, log: pino({ level: 'silent' }), port: 0 });
  t.teardown(() => http.close());
  const url = (p: string) => `http://127.0.0.1:${http.port}${p}`;
  const tokenOf = async (username: string, role: 'technician' | 'supervisor') => {
    await vb.box.service.auth.addUser({ username, password: `${username}-password-1`, role });
    return loginToken(http.port, username, `${username}-password-1`);
  };
  const tech = { authorization: `Bearer ${await tokenOf('tech', 'technician')}` };
  const sup = { authorization: `Bearer ${await tokenOf('lead', 'supervisor')}` };
  const codeOf = async (r: Response) => ((await r.json()) as { error: { code: string; details?: { field?: string } } }).error;

  // list and roles
  t.equal((await fetch(url('/api/v1/prompts'))).status, 401);
  t.equal((await fetch(url('/api/v1/prompts'), { headers: sup })).status, 403, 'a supervisor may not');
  const list = (await (await fetch(url('/api/v1/prompts'), { headers: tech })).json()) as { prompts: PromptInfo[] };
  const welcome = list.prompts.find((p) => p.language === 'zh-CN' && p.name === 'welcome');
  t.match(welcome, { custom: false, builtIn: true }, 'the built-in greeting');
  t.ok((welcome?.durationS ?? 0) > 0.5, 'with its length');
  const builtIn = Buffer.from(await (await fetch(url('/api/v1/prompts/zh-CN/welcome.wav'), { headers: tech })).arrayBuffer());
  t.ok(builtIn.length > 1000, 'the WAV in use is served');

  // an MP3 upload → 8 kHz mono WAV
  const mp3 = join(work, 'tone.mp3');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1.5', '-ar', '44100', '-ac', '2', '-y', mp3]);
  const up = await fetch(url('/api/v1/prompts/zh-CN/welcome'), {
    method: 'PUT',
    headers: { ...tech, 'content-type': 'audio/mpeg' },
    body: readFileSync(mp3),
  });
  t.equal(up.status, 200);
  t.match(await up.json(), { language: 'zh-CN', name: 'welcome', custom: true, builtIn: true });
  const wav = Buffer.from(await (await fetch(url('/api/v1/prompts/zh-CN/welcome.wav'), { headers: tech })).arrayBuffer());
  const info = soxInfo(wav, work);
  t.match(info, { rate: 8000, channels: 1, bits: 16 }, 'converted to 8 kHz 16-bit mono');
  t.ok(Math.abs(info.seconds - 1.5) < 0.15, `its length kept (${info.seconds} s)`);

  // TTS in Chinese
  const tts = await fetch(url('/api/v1/prompts/zh-CN/closed/tts'), {
    method: 'POST',
    headers: { ...tech, 'content-type': 'application/json' },
    body: JSON.stringify({ text: '您好，本店已下班，请在营业时间再来电。' }),
  });
  t.equal(tts.status, 200);
  t.match(await tts.json(), { name: 'closed', custom: true });
  const spoken = soxInfo(Buffer.from(await (await fetch(url('/api/v1/prompts/zh-CN/closed.wav'), { headers: tech })).arrayBuffer()), work);
  t.match(spoken, { rate: 8000, channels: 1, bits: 16 }, 'TTS gives an 8 kHz mono WAV');
  t.ok(spoken.seconds > 1, `speech, not silence (${spoken.seconds} s)`);
  const ttsEn = await fetch(url('/api/v1/prompts/en/thanks-custom/tts'), {
    method: 'POST',
    headers: { ...tech, 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'Thank you for calling.' }),
  });
  t.match(await ttsEn.json(), { language: 'en', name: 'thanks-custom', custom: true, builtIn: false }, 'a new prompt by TTS in English');

  // bad input: 4xx with a code
  const put = (path: string, body: Buffer | string, type = 'audio/mpeg') =>
    fetch(url(`/api/v1/prompts/${path}`), { method: 'PUT', headers: { ...tech, 'content-type': type }, body });
  let r = await put('zh-CN/welcome', 'this is not audio at all');
  t.equal(r.status, 400);
  t.match(await codeOf(r), { code: 'VALIDATION_FAILED', details: { field: 'file' } }, 'not audio');
  r = await put('zh-CN/welcome', '');
  t.match(await codeOf(r), { code: 'VALIDATION_FAILED', details: { field: 'file' } }, 'empty');
  r = await put('zh-CN/welcome', 'x', 'text/plain');
  t.equal(r.status, 415, 'not an audio type');
  r = await put('zh-CN/welcome', Buffer.alloc(8 * 1024 * 1024 + 1));
  t.equal(r.status, 413, 'too large');
  for (const bad of ['zh-CN/..%2F..%2Fconfig', 'zh-CN/Welcome', 'zh-CN/.hidden', 'fr/welcome']) {
    r = await put(bad, readFileSync(mp3));
    t.equal(r.status, 400, `${bad} refused`);
    t.match((await codeOf(r)).details, { field: bad.startsWith('fr') ? 'language' : 'name' });
  }
  r = await fetch(url('/api/v1/prompts/zh-CN/closed/tts'), {
    method: 'POST',
    headers: { ...tech, 'content-type': 'application/json' },
    body: '{"text":""}',
  });
  t.equal(r.status, 400, 'empty TTS text');
  t.equal(
    (await fetch(url('/api/v1/prompts/zh-CN/welcome'), { method: 'PUT', headers: { ...sup, 'content-type': 'audio/mpeg' }, body: 'x' }))
      .status,
    403,
  );
  t.equal((await fetch(url('/api/v1/prompts/zh-CN/no-such.wav'), { headers: tech })).status, 404);
  const still = soxInfo(Buffer.from(await (await fetch(url('/api/v1/prompts/zh-CN/welcome.wav'), { headers: tech })).arrayBuffer()), work);
  t.ok(Math.abs(still.seconds - 1.5) < 0.15, 'a refused upload leaves the prompt in use alone');

  // revert
  r = await fetch(url('/api/v1/prompts/zh-CN/welcome'), { method: 'DELETE', headers: tech });
  t.match(await r.json(), { custom: false, builtIn: true }, 'back to the built-in greeting');
  const back = Buffer.from(await (await fetch(url('/api/v1/prompts/zh-CN/welcome.wav'), { headers: tech })).arrayBuffer());
  t.ok(back.equals(builtIn), 'the built-in file is served again');
  t.equal((await fetch(url('/api/v1/prompts/zh-CN/welcome'), { method: 'DELETE', headers: tech })).status, 404, 'nothing more to revert');

  const audit = vb.box.service.audit.list({ entity: 'prompt', limit: 10 }).map((a) => `${a.action} ${a.entityId}`);
  t.same(
    audit.slice(0, 4).reverse(),
    ['prompt.upload zh-CN/welcome', 'prompt.tts zh-CN/closed', 'prompt.tts en/thanks-custom', 'prompt.revert zh-CN/welcome'],
    'audited',
  );
});

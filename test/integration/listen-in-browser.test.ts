// 监听 Listen in headless chromium on the production bundle: a supervisor opens a live call's
// details, presses 监听 and the page plays the box's open-ended WAV stream through Web Audio (the
// seconds played go up as chunks arrive); the same stream fetched in the page carries the call's audio (speech energy from both
// simulated people, 8 kHz PCM after the WAV header); an agent gets no button and a 403; the
// listen-in is in the audit trail.
import t from 'tap';
import { startBrowserBox, talkingSimCall, until } from './fixtures/browser-box.js';

t.test('a supervisor listens to a live call in the browser', async (t) => {
  const { box, api, newPage, signIn, shot, errors } = await startBrowserBox(t, 'callbox-listen-');
  // the shop's own short greeting (the box's text to speech): the caller reaches the agent in seconds
  await api('POST', '/api/v1/prompts/zh-CN/welcome/tts', { text: '您好，请按1。' });
  await api('POST', '/api/v1/users', { username: 'banzhang', role: 'supervisor', password: 'supervisor-pass-1' });
  await api('POST', '/api/v1/users', { username: 'xiaowang', role: 'agent', password: 'agent-pass-1' });
  const callId = await talkingSimCall(api, { hangupAfterS: 60, talkS: 60 });

  const page = await newPage();
  await signIn(page, `/calls/${callId}`, 'banzhang', 'supervisor-pass-1');
  await page.waitForSelector('#call-listen:has-text("监听")');
  await page.click('#call-listen');
  await page.waitForSelector('#call-listen-state');
  const started = Date.now();
  // polled from node: the page's CSP (no 'unsafe-eval') refuses waitForFunction's string predicates
  const seconds = async () => Number((await page.getAttribute('#call-listen-state', 'data-seconds')) ?? 0);
  t.ok(
    await until('audio played', async () => (await seconds()) > 0, 10_000),
    `audio plays through Web Audio (first chunk after ${Date.now() - started} ms)`,
  );
  await until('two seconds played', async () => (await seconds()) >= 2, 10_000);
  t.pass('two seconds of the call played');
  await shot(page, 'calls-listen');

  // the stream itself, read in the page with the session cookie: a WAV header, then the call's audio
  const got = await page.evaluate(async (id) => {
    const res = await fetch(`/api/v1/calls/${id}/listen`);
    const reader = res.body!.getReader();
    const parts: Uint8Array[] = [];
    let n = 0;
    while (n < 44 + 16000 * 3) {
      const { value, done } = await reader.read();
      if (done || !value) break;
      parts.push(value);
      n += value.length;
    }
    await reader.cancel();
    const all = new Uint8Array(n);
    let o = 0;
    for (const p of parts) {
      all.set(p, o);
      o += p.length;
    }
    const view = new DataView(all.buffer);
    const head = String.fromCharCode(...all.subarray(0, 4)) + String.fromCharCode(...all.subarray(8, 12));
    // loudness per second of PCM
    const seconds: number[] = [];
    for (let s = 0; s + 1 <= (n - 44) / 16000; s++) {
      let sum = 0;
      for (let i = 0; i < 8000; i++) sum += view.getInt16(44 + (s * 8000 + i) * 2, true) ** 2;
      seconds.push(Math.sqrt(sum / 8000));
    }
    return { type: res.headers.get('content-type'), head, rate: view.getUint32(24, true), seconds };
  }, callId);
  t.equal(got.type, 'audio/wav');
  t.equal(got.head, 'RIFFWAVE');
  t.equal(got.rate, 8000);
  t.ok(
    got.seconds.length >= 3 && got.seconds.some((r) => r > 300),
    `the call's audio in the stream (rms per second ${got.seconds.map((r) => r.toFixed(0)).join(', ')})`,
  );
  await page.click('#call-listen'); // stop
  await page.waitForSelector('#call-listen-state', { state: 'detached' });

  // an agent has no button, and the stream is refused
  const agentPage = await newPage();
  await signIn(agentPage, `/calls/${callId}`, 'xiaowang', 'agent-pass-1');
  await agentPage.waitForSelector('#h-call');
  t.equal(await agentPage.locator('#call-listen').count(), 0, 'no 监听 button for an agent');
  const status = await agentPage.evaluate(async (id) => (await fetch(`/api/v1/calls/${id}/listen`)).status, callId);
  t.equal(status, 403);

  const audit = await api<{ items: { actor: string; action: string; entityId: string }[] }>('GET', '/api/v1/audit?action=call.listen');
  t.ok(audit.items.filter((e) => e.actor === 'banzhang' && e.entityId === callId).length >= 2, 'each listen-in is audited');
  t.same(
    errors.filter((e) => !/403/.test(e)),
    [],
    'no page errors',
  );
  void box;
});

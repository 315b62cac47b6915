// The agent console's call control panel in headless chromium against the production bundle on
// the sim driver (issue 12): the agent (linked to a1) holds and resumes the call offered to them,
// parks it (slot 71 shown, the parked list has it; the transfer list shows each IVR menu's phone code), picks it up again (their phone rings first and
// the simulated agent lifts it); click-to-dial while on the call is refused with the reason shown
// (its success, the phone ringing first, is in call-control-http.test.ts). The call record shows
// both agent legs and the time on hold. Screenshot: test/artifacts/console-call-control.png.
import t from 'tap';
import { startBrowserBox, talkingSimCall, until } from './fixtures/browser-box.js';

t.test('console call control: hold, resume, park, pickup, click-to-dial', async (t) => {
  const bb = await startBrowserBox(t, 'callbox-cc-');
  // the shop's own short greeting (the box's text to speech): the caller reaches the agent in seconds
  await bb.api('POST', '/api/v1/prompts/zh-CN/welcome/tts', { text: '您好，请按1。' });
  await bb.api('POST', '/api/v1/users', { username: 'xiaowang', role: 'agent', password: 'agent-password-1', agentId: 'a1' });
  for (const a of ['a2', 'a3', 'a4']) await bb.api('PATCH', `/api/v1/agents/${a}/state`, { state: 'paused', reason: 'training' });
  await bb.api('PATCH', '/api/v1/sim/agents', { answerAfterS: 1, talkS: 600 });
  const page = await bb.newPage();
  await page.goto(`${bb.box.url}/console`);
  await page.fill('#login-username', 'xiaowang');
  await page.fill('#login-password', 'agent-password-1');
  await page.click('button[type=submit]');
  await page.waitForSelector('#my-state');

  const callId = await talkingSimCall(bb.api, { hangupAfterS: 120 });
  await page.waitForSelector('#cc-hold');
  // the transfer list shows the code a phone dials for each IVR menu and the survey
  await page.waitForSelector('#cc-targets option[value="ivr:main"]', { state: 'attached' });
  t.match(
    await page.textContent('#cc-targets option[value="ivr:main"]'),
    /语音导航主菜单 \(话机拨 \*01\)/,
    'the main menu: *01 on the phone',
  );
  t.match(await page.textContent('#cc-targets option[value="ivr:survey"]'), /满意度评价 \(话机拨 \*9\)/, 'the survey: *9');
  await page.click('#cc-hold');
  await page.waitForSelector('#cc-held');
  t.match(await page.textContent('#cc-held'), /保持音乐/, 'the panel says the caller hears the hold music');
  await page.click('#cc-unhold');
  await page.waitForSelector('#cc-hold:not([disabled])');

  await page.click('#cc-park');
  await page.waitForSelector('#cc-status:has-text("71")');
  await page.waitForSelector('#cc-parked li');
  t.match(await page.textContent('#cc-parked'), /71 · 138\*\*\*\*5678/, 'parked list, the number masked for the agent');
  await bb.shot(page, 'console-call-control');
  await until('the agent phone is free', async () =>
    (await bb.api<{ agents: { id: string; state: string }[] }>('GET', '/api/v1/agents')).agents.some(
      (a) => a.id === 'a1' && a.state !== 'onCall',
    ),
  );
  await page.click('#cc-parked button');
  await page.waitForSelector('#cc-done:has-text("振铃")');
  await until('picked up on the phone', async () => {
    const c = await bb.api<{ legs: { channel: string; answeredAt: string | null }[] }>('GET', `/api/v1/calls/${callId}`);
    return c.legs.filter((l) => l.channel === 'fxs1' && l.answeredAt).length === 2;
  });
  await page.waitForSelector('#cc-hold');

  const cdr = await bb.api<{ holdSeconds: number; legs: { channel: string; role: string }[] }>('GET', `/api/v1/calls/${callId}`);
  t.same(
    cdr.legs.map((l) => `${l.channel}:${l.role}`),
    ['fxo1:caller', 'fxs1:agent', 'fxs1:agent'],
    'the call record: the caller, the agent before the park and after the pickup',
  );
  t.ok(cdr.holdSeconds > 0, `hold and park time on the record (${cdr.holdSeconds} s)`);

  // click-to-dial while the agent's phone is in this call: refused with the reason shown
  await page.fill('#cc-number', '13900001111');
  await page.click('#cc-dial');
  await page.waitForSelector('.console-call .error:has-text("not free")');
  t.same(
    bb.errors.filter((e) => !/status of 409/.test(e)),
    [],
    'no page errors (the refused dial is a 409)',
  );
});

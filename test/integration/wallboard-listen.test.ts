// 监听 Listen from the wallboard (issue 12), headless chromium on the production bundle: a
// supervisor sees a 监听 button on the live call's row and hears it (seconds of audio played go up);
// an agent's wallboard has no such column.
import t from 'tap';
import { startBrowserBox, talkingSimCall, until } from './fixtures/browser-box.js';

t.test('a supervisor listens to a live call from the wallboard', async (t) => {
  const { api, newPage, signIn, shot } = await startBrowserBox(t, 'callbox-wb-listen-');
  // the shop's own short greeting (the box's text to speech): the caller reaches the agent in seconds
  await api('POST', '/api/v1/prompts/zh-CN/welcome/tts', { text: '您好，请按1。' });
  await api('POST', '/api/v1/users', { username: 'banzhang', role: 'supervisor', password: 'supervisor-pass-1' });
  await api('POST', '/api/v1/users', { username: 'xiaowang', role: 'agent', password: 'agent-pass-1' });
  const callId = await talkingSimCall(api, { hangupAfterS: 60, talkS: 60 });

  const page = await newPage();
  await signIn(page, '/wallboard', 'banzhang', 'supervisor-pass-1');
  const button = `#live-calls tr[data-call="${callId}"] button#listen-${callId}`;
  await page.waitForSelector(`${button}:has-text("监听")`);
  await page.click(button);
  await until('audio played', async () => Number((await page.getAttribute(`#listen-${callId}-state`, 'data-seconds')) ?? 0) > 0);
  t.pass('the call plays in the browser');
  await shot(page, 'wallboard-listen');
  await page.click(button);
  await page.waitForSelector(`#listen-${callId}-state`, { state: 'detached' });
  t.pass('停止监听 stops it');

  const agent = await newPage();
  await signIn(agent, '/wallboard', 'xiaowang', 'agent-pass-1');
  await agent.waitForSelector(`#live-calls tr[data-call="${callId}"]`);
  t.equal(await agent.locator(`#listen-${callId}`).count(), 0, 'no listen button for an agent');
});

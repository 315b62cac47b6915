// The browser app in headless Debian chromium (playwright-core) against a real box on the sim
// driver (the production bundle, dist/): the login page when signed out, a wrong password, sign
// in (session cookie), a simulated call showing on the wallboard within 1 s of being placed (line
// occupancy and the calls-now table, caller masked), the language switch, the TV mode, and the
// old status page's facts (health, version). No inline script may run under the CSP, so any CSP
// violation shows up as a page error. Screenshots go to test/artifacts/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import t from 'tap';
import { ROOT } from '../helpers/box.js';
import { startBox } from '../helpers/process.js';
import { formError } from './fixtures/browser-box.js';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = join(ROOT, 'test', 'artifacts');

t.test('sign in, see a simulated call on the wallboard within 1 s, switch language', async (t) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-ui-'));
  const box = await startBox(dataDir);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  t.teardown(async () => {
    await browser.close();
    await box.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    // the deliberate wrong-password login and the signed-out session check answer 401
    if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
  });

  await page.goto(box.url);
  await page.waitForSelector('#login-username');
  t.equal(await page.getAttribute('html', 'lang'), 'zh-CN', 'Chinese by default');
  t.match(await page.textContent('h1'), /登录/);
  await page.screenshot({ path: join(ARTIFACTS, 'login.png') });

  await page.fill('#login-password', 'wrong-password');
  await page.click('button[type=submit]');
  await formError(page, 'login', '用户名或密码错误');

  await page.fill('#login-password', 'test-password-1');
  await page.click('button[type=submit]');
  await page.waitForSelector('#tile-waiting');
  await page.waitForSelector('.conn.on');
  const cookies = await page.context().cookies();
  t.match(
    cookies.find((c) => c.name === 'callbox_session'),
    { httpOnly: true, sameSite: 'Strict' },
  );
  t.ok(await page.locator('[data-line="fxo2"].line-idle').count(), 'line fxo2 idle before the call');
  await page.waitForSelector('#health:has-text("运行正常")');
  t.match(await page.textContent('footer.health'), /版本 /, 'version shown (the old status page)');

  const grant = await fetch(`${box.url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'owner', password: 'test-password-1' }),
  });
  const { token } = (await grant.json()) as { token: string };
  // the shop's own short greeting (the box's text to speech): the caller reaches an agent in seconds
  const greeting = await fetch(`${box.url}/api/v1/prompts/zh-CN/welcome/tts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: '您好，请按1。' }),
  });
  t.equal(greeting.status, 200);
  const placed = Date.now();
  const r = await fetch(`${box.url}/api/v1/sim/calls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'fxo2', callerId: '13912345678', digits: '1', hangupAfterS: 30 }),
  });
  t.equal(r.status, 201);
  await page.waitForSelector('[data-line="fxo2"]:not(.line-idle)', { timeout: 1000 });
  const seenMs = Date.now() - placed;
  t.ok(seenMs < 1000, `the call showed on the wallboard in ${seenMs} ms`);
  await page.waitForSelector('#live-calls tr[data-call]', { timeout: 1000 });
  t.pass('the ringing call is listed within the second too');
  // caller ID comes between the first and second ring (~1.5 s)
  await page.waitForSelector('#live-calls td:has-text("139****5678")', { timeout: 5000 });
  // the recent calls on the same shared screen are masked too, even for the owner
  await page.waitForSelector('#recent-calls td:has-text("139****5678")', { timeout: 5000 });
  t.equal(await page.locator('#recent-calls td:has-text("13912345678")').count(), 0, 'no full number on the wallboard');
  t.pass('the caller number shows once received, masked');
  await page.waitForSelector('.agent.state-onCall, .agent.state-ringing', { timeout: 20_000 });
  t.pass('an agent rings or talks');
  await page.screenshot({ path: join(ARTIFACTS, 'wallboard-zh.png'), fullPage: true });

  await page.selectOption('#lang', 'en');
  await page.waitForSelector('h2:has-text("Agents")');
  t.equal(await page.getAttribute('html', 'lang'), 'en');
  t.match(await page.textContent('#tile-waiting'), /Calls waiting/);
  await page.screenshot({ path: join(ARTIFACTS, 'wallboard-en.png'), fullPage: true });

  // the language choice stays; TV mode has no header and big tiles
  await page.goto(`${box.url}/?kiosk=1`);
  await page.waitForSelector('.wallboard.kiosk #tile-sl');
  t.equal(await page.locator('header.top').count(), 0, 'no header in TV mode');
  t.match(await page.textContent('#tile-sl'), /Service level today/);
  await page.screenshot({ path: join(ARTIFACTS, 'wallboard-kiosk.png') });

  // a phone screen
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(box.url);
  await page.waitForSelector('#tile-waiting');
  const overflow = await page.evaluate('document.documentElement.scrollWidth > window.innerWidth + 1');
  t.equal(overflow, false, 'no sideways scrolling on a phone');
  await page.screenshot({ path: join(ARTIFACTS, 'wallboard-phone.png'), fullPage: true });

  // the owner's users page: add an agent user linked to a2
  await page.setViewportSize({ width: 1200, height: 860 });
  await page.click('nav a[href="/users"]');
  await page.waitForSelector('#users tr[data-user="owner"]');
  await page.fill('#nu-name', 'xiaoli');
  await page.selectOption('#nu-role', 'agent');
  await page.fill('#nu-password', 'agent-password-2');
  await page.fill('#nu-agent', 'a2');
  await page.click('.add-user button[type=submit]');
  await page.waitForSelector('#users tr[data-user="xiaoli"]');
  t.equal(await page.inputValue('#agent-xiaoli'), 'a2', 'linked agent listed');
  await page.screenshot({ path: join(ARTIFACTS, 'users.png'), fullPage: true });

  // sign out → the login page again, and the stream is refused
  await page.click('#sign-out');
  await page.waitForSelector('#login-username');
  const after = await page.evaluate(`fetch('/api/v1/events/stream').then((r) => r.status)`);
  t.equal(after, 401);
  t.same(errors, [], 'no page errors (CSP violations would show here)');
});

// The status page in headless Debian chromium (playwright-core): live channel cards from /healthz,
// login, and a call placed over the sim API appearing in the recent-calls table. No inline script
// runs under the CSP, so the page working at all proves the CSP and the static serving together.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import t from 'tap';
import { startBox } from '../helpers/process.js';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

t.test('status page shows channels, logs in and lists a live call', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-ui-'));
  const box = await startBox(dataDir);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  t.teardown(async () => {
    await browser.close();
    await box.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    // the deliberate wrong-password login answers 401; anything else is a fault
    if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
  });
  await page.goto(box.url);
  await page.waitForSelector('.ch');
  t.equal(await page.locator('.ch').count(), 7, 'one card per channel');
  t.match(await page.locator('#health').textContent(), /OK/);
  t.ok(await page.locator('#calls-box').isHidden(), 'calls hidden before login');

  await page.fill('input[name=password]', 'wrong-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('#login-error:has-text("Wrong")');

  await page.fill('input[name=password]', 'test-password-1');
  await page.click('button[type=submit]');
  await page.waitForSelector('#calls-box:not([hidden])');
  t.ok(await page.locator('#login').isHidden(), 'login form hidden after login');

  const token = await page.evaluate('sessionStorage.getItem("callbox-token")');
  const r = await fetch(`${box.url}/api/v1/sim/calls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'fxo2', callerId: '13912345678', digits: '1', hangupAfterS: 30 }),
  });
  t.equal(r.status, 201);
  await page.waitForSelector('#calls tr:has-text("13912345678")', { timeout: 5000 });
  await page.waitForSelector('.ch.active', { timeout: 5000 });
  t.pass('the ringing/answered line shows as in use');
  t.same(errors, [], 'no page errors (CSP violations would show here)');
});

// Screenshot of a running box's wallboard: node scripts/screenshot.mjs URL OUT.png PASSWORD [--calls N] [--lang en]
// Signs in as owner, optionally places N simulated calls (sim driver) so lines and agents are busy,
// waits for them to show, and saves a full-page PNG.
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const calls = Number(flag('--calls', '0'));
const lang = flag('--lang', 'zh-CN');
const [url = 'http://127.0.0.1:8080', out = 'docs/img/wallboard.png', password] = args;
if (!password) {
  console.error('usage: node scripts/screenshot.mjs URL OUT.png PASSWORD [--calls N] [--lang en]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = await browser.newPage({ viewport: { width: 1200, height: 820 } });
await page.goto(`${url}/?lang=${lang}`);
await page.waitForSelector('#login-password');
await page.fill('#login-password', password);
await page.click('button[type=submit]');
await page.waitForSelector('#tile-waiting');
if (calls > 0) {
  const grant = await fetch(`${url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'owner', password }),
  });
  const { token } = await grant.json();
  const lines = ['fxo1', 'fxo2', 'gsm1'];
  for (let i = 0; i < calls; i++) {
    await fetch(`${url}/api/v1/sim/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: lines[i % lines.length],
        callerId: `1391234${String(5670 + i).padStart(4, '0')}`,
        digits: '1',
        hangupAfterS: 120,
      }),
    });
  }
  await page.waitForSelector('.agent.state-onCall', { timeout: 30_000 });
}
await page.waitForTimeout(1500);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
console.log(out);

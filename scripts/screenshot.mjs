// Takes a screenshot of a running box's status page: node scripts/screenshot.mjs URL OUT.png [password]
import { chromium } from 'playwright-core';

const [url = 'http://127.0.0.1:8080', out = 'docs/img/status.png', password] = process.argv.slice(2);
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
const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
await page.goto(url);
await page.waitForSelector('.ch');
if (password) {
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('#calls tr');
}
await page.waitForTimeout(1500);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
console.log(out);

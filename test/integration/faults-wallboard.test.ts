// The dashboard shows a fault (issue 11's fault suite): the production bundle with a broker host
// name that does not resolve; in headless chromium the wallboard's health line lists the alarm
// (告警) with its Chinese label and the resolver's error, in English after the language switch,
// while the health badge stays "running" (the cloud being away is a warning, not a degradation).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import t from 'tap';
import { startBox } from '../helpers/process.js';
import { CHROMIUM_ARGS } from './fixtures/browser-box.js';
import { health, waitFor } from './fixtures/shop-work.js';

t.test('the wallboard lists the CLOUD_OFFLINE alarm in Chinese and English', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-alarm-ui-'));
  const box = await startBox(dataDir, [], { CALLBOX_MQTT_URL: 'mqtt://broker.callbox.invalid:1883', CALLBOX_DEVICE_ID: 'shop-ui' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  t.teardown(async () => {
    await browser.close();
    await box.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  // the page reads /healthz when it opens: wait until the box knows the name does not resolve
  t.ok(await waitFor(async () => (await health(box)).alarms.some((a) => a.code === 'CLOUD_OFFLINE'), 15_000), 'alarm raised');
  const page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(box.url);
  await page.waitForSelector('#login-username');
  await page.fill('#login-username', 'owner');
  await page.fill('#login-password', 'test-password-1');
  await page.click('button[type=submit]');
  await page.waitForSelector('#tile-waiting');
  const alarm = page.locator('#alarms li[data-code="CLOUD_OFFLINE"]');
  await alarm.waitFor({ timeout: 10_000 });
  t.match(await alarm.textContent(), /云端未连接.*cloud: .*(ENOTFOUND|EAI_AGAIN)/, 'listed with its Chinese label and the error');
  t.match(await alarm.getAttribute('class'), /warning/);
  t.match(await page.textContent('#health'), /运行正常/, 'a warning does not make the box degraded');
  await page.selectOption('#lang', 'en');
  await page.waitForSelector('#alarms li[data-code="CLOUD_OFFLINE"]:has-text("Cloud offline")');
  t.pass('in English after the switch');
  t.same(errors, [], 'no page errors');
});

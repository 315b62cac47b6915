// The owner's admin pages in headless chromium against a real box (the production bundle on the
// sim driver), one browser for the file: a customer's personal data exported and erased in two
// steps with the audit trail shown (PIPL/GDPR), hidden from a supervisor; the SMS page's tabs
// (an empty inbox: the sim box has no modem; the received messages: sms-inbox-page.test.ts) and a
// send that the box refuses (no modem: the reason is shown); setup's lines (live state, on/off, name, rings), call result codes
// (an error in place, a new code live), cloud (status, write-only password, restart needed) and
// date/time (box clock, zone saved), firmware (version), voice prompts (TTS, an MP3 upload, revert, groups by use, search), backup (download,
// the check of a restore, the confirm step; none for a technician; a technician has no wallboard,
// lands on setup, gets no 403); lazy pages load on
// first use; phone width. (The microphone recording is not driven: the shared browser has no fake
// capture device; it uploads through the same PUT as a file.)
// Screenshots: test/artifacts/customer-privacy.png, sms*.png, setup-{lines,prompts,dispositions,cloud,time,backup}.png.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { ConfigSnapshot, Customer } from '../../firmware/src/service/types.js';
import { ARTIFACTS, formError, PHONE, startBrowserBox } from './fixtures/browser-box.js';

t.test('admin pages: personal data, SMS', async (t) => {
  const bb = await startBrowserBox(t, 'callbox-admin-pages-');
  await bb.api('POST', '/api/v1/users', { username: 'sup', role: 'supervisor', password: 'sup-password-1' });
  await bb.api('POST', '/api/v1/users', { username: 'tech', role: 'technician', password: 'tech-password-1' });
  const wang = await bb.api<Customer>('POST', '/api/v1/customers', { name: '王芳', phones: [{ phone: '13912345678' }], notes: '老客户' });

  // PIPL/GDPR: export, then erase with a reason and a confirmation
  const page = await bb.newPage();
  await bb.signIn(page, `/customers/${wang.id}`);
  await page.waitForSelector('#customer-privacy');
  const href = await page.getAttribute('#privacy-export', 'href');
  t.equal(href, `/api/v1/customers/${wang.id}/personal-data`);
  const exported = await page.evaluate(async (u) => (await fetch(u as string)).json(), href);
  t.match(exported, { customer: { name: '王芳' } }, 'the export holds the personal data');
  await page.click('#privacy-erase');
  t.ok(await page.isDisabled('#privacy-next'), 'no erasure without a reason');
  await page.fill('#privacy-reason', '客户来电要求删除个人信息');
  await page.click('#privacy-next');
  await page.waitForSelector('#privacy-warning');
  t.equal((await bb.api<Customer>('GET', `/api/v1/customers/${wang.id}`)).erasedAt, null, 'the first step erases nothing');
  await page.click('#privacy-next');
  await page.waitForSelector('#privacy-done:has-text("已删除")');
  const erased = await bb.api<Customer>('GET', `/api/v1/customers/${wang.id}`);
  t.ok(erased.erasedAt, 'erased on the box');
  t.equal(erased.name, null);
  await page.waitForSelector('#privacy-audit [data-action="customer.erase"]');
  t.match(await page.textContent('#privacy-audit'), /客户来电要求删除个人信息/, 'the audit trail with the reason');
  t.equal(await page.locator('#privacy-audit [data-action="customer.personal_data_export"]').count(), 1, 'the export is audited');
  t.equal(await page.locator('#privacy-erase').count(), 0, 'no erase button for an erased customer');
  await bb.shot(page, 'customer-privacy');

  const sup = await bb.newPage();
  await bb.signIn(sup, `/customers/${wang.id}`, 'sup', 'sup-password-1');
  await sup.waitForSelector('#customer-detail');
  t.equal(await sup.locator('#customer-privacy').count(), 0, 'a supervisor has no personal-data panel');

  // SMS: the inbox first (empty: no modem), the sent tab, a send the box refuses (no modem on the sim box)
  await page.click('nav a[href="/sms"]');
  await page.waitForSelector('#h-sms-inbox');
  await page.waitForSelector('main :text("还没有收到短信")');
  t.pass('an empty inbox says so');
  t.equal(await page.getAttribute('.record-tabs a[href="/sms"]', 'aria-current'), 'page', 'the inbox tab first');
  await page.click('.record-tabs a[href="/sms/sent"]');
  await page.waitForSelector('#sms-status');
  await page.fill('#sms-to', '13700001111');
  await page.fill('#sms-text', '您好，明天发货。');
  t.match(await page.textContent('#sms-count'), /8 \/ 670/);
  await page.click('#sms-send');
  await formError(page, 'sms', 'modem');
  await bb.shot(page, 'sms');

  // setup: lines and channels, call result codes, cloud, date and time (all saved through the config)
  await page.goto(`${bb.box.url}/setup#lines`);
  await page.waitForSelector('[data-line="fxo1"] [data-state]');
  t.ok(await page.isChecked('#line-fxo1-on'), 'fxo1 is answered');
  t.match(await page.textContent('[data-line="fxo1"] legend'), /空闲/, 'its live state');
  await page.uncheck('#line-fxo2-on');
  await page.waitForSelector('[data-line="fxo2"] :text("未启用")');
  await page.fill('#line-fxo1-name', '店铺热线');
  await page.fill('#line-fxo1-rings', '3');
  await page.click('#setup-save');
  await page.waitForSelector('#setup-status:has-text("已保存")');
  let cfg = (await bb.api<ConfigSnapshot>('GET', '/api/v1/config')).config;
  t.notOk(
    cfg.lines.some((l) => l.channel === 'fxo2'),
    'fxo2 off',
  );
  t.match(
    cfg.lines.find((l) => l.channel === 'fxo1'),
    { name: '店铺热线', answerAfterRings: 3 },
    'fxo1 renamed, answered after 3 rings',
  );
  t.equal(await page.locator('#lines-extensions [data-extension]').count(), 4, 'the FXS extensions with their agents');
  await bb.shot(page, 'setup-lines');

  await page.click('button:has-text("通话小结")');
  await page.waitForSelector('[data-disposition="9"]');
  await page.click('#disp-add');
  await page.fill('#d9-code', '12');
  await page.fill('#d9-zh', '退换货');
  await page.fill('#d9-en', 'Return');
  await page.fill('#d0-code', 'x');
  await formError(page, '/dispositions/0/code');
  await page.fill('#d0-code', '1');
  await page.click('#setup-save');
  await page.waitForSelector('#setup-status:has-text("已保存")');
  const codes = await bb.api<{ dispositions: { code: string; label: { en: string } }[] }>('GET', '/api/v1/dispositions');
  t.match(codes.dispositions.at(-1), { code: '12', label: { en: 'Return' } }, 'the new code is live');
  await bb.shot(page, 'setup-dispositions');

  await page.click('button:has-text("云端同步")');
  await page.waitForSelector('#cloud-status');
  t.match(await page.textContent('#cloud-status'), /未开启/, 'cloud off on this box');
  await page.check('#cloud-enabled');
  await page.fill('#cloud-url', 'mqtt://127.0.0.1:1');
  await page.fill('#cloud-device', 'shop-a1');
  await page.fill('#cloud-password', 'broker-secret-1');
  await page.click('#setup-save');
  await page.waitForSelector('#setup-status:has-text("/cloud")');
  cfg = (await bb.api<ConfigSnapshot>('GET', '/api/v1/config')).config;
  t.match(
    cfg.cloud,
    { enabled: true, url: 'mqtt://127.0.0.1:1', deviceId: 'shop-a1', password: '********' },
    'saved; the password write-only',
  );
  t.equal(await page.inputValue('#cloud-password'), '', 'the password is never shown');
  await bb.shot(page, 'setup-cloud');

  await page.click('button:has-text("日期与时间")');
  await page.waitForSelector('#time-now:not(:has-text("正在读取"))');
  t.match(await page.textContent('#time-now'), /\d{2}:\d{2}:\d{2}/, 'the box clock in the shop zone');
  t.equal(await page.inputValue('#time-zone'), 'Asia/Shanghai');
  t.ok((await page.textContent('#time-ntp'))?.length, 'NTP state shown');
  await page.selectOption('#time-zone', 'Europe/Berlin');
  await page.click('#setup-save');
  await page.waitForSelector('#setup-status:has-text("已保存")');
  t.equal((await bb.api<ConfigSnapshot>('GET', '/api/v1/config')).config.shop.timezone, 'Europe/Berlin');
  await bb.shot(page, 'setup-time');

  // firmware: the running version; this box runs without the OTA launcher
  await page.click('button:has-text("固件")');
  await page.waitForSelector('#firmware-version');
  const health = (await (await fetch(`${bb.box.url}/healthz`)).json()) as { version: string };
  t.equal(await page.textContent('#firmware-version'), health.version, 'the running version');
  t.match(await page.textContent('#firmware-info'), /CALLBOX_OTA_ROOT/, 'no in-place updates here, said so');
  t.equal(await page.locator('#firmware-file').count(), 0, 'and no upload offered');

  // voice prompts: text to speech, an MP3 upload, revert (saved at once by their own API)
  await page.click('button:has-text("语音提示")');
  const row = '[data-prompt="zh-CN/closed"]';
  await page.waitForSelector(row);
  t.match(await page.textContent(row), /默认提示/, 'the built-in prompt');
  await page.click(`${row} [data-action="tts"]`);
  await page.fill(`${row} textarea`, '您好，本店已下班，请明天再来电。');
  await page.click(`${row} button[type=submit]`);
  await page.waitForSelector('#prompts-done:has-text("已由文字合成")', { timeout: 30_000 });
  t.match(await page.textContent(row), /本店录音/, 'the own recording is marked');
  const tts = await bb.api<{ prompts: { language: string; name: string; custom: boolean; durationS: number }[] }>('GET', '/api/v1/prompts');
  t.match(
    tts.prompts.find((p) => p.language === 'zh-CN' && p.name === 'closed'),
    { custom: true },
    'in use on the box',
  );
  const mp3 = join(ARTIFACTS, 'prompt-upload-test.mp3');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=600:duration=2', '-y', mp3]);
  await page.setInputFiles(`${row} input[type=file]`, mp3);
  await page.waitForSelector('#prompts-done:has-text("已替换")', { timeout: 30_000 });
  t.match(await page.textContent(row), /2\.0 秒/, 'the uploaded file, 2 s');
  await bb.shot(page, 'setup-prompts');
  await page.click(`${row} [data-action="revert"]`);
  await page.waitForSelector('#prompts-done:has-text("已恢复")');
  t.match(await page.textContent(row), /默认提示/, 'back to the default');
  // grouped by use, narrowed by a search (name or use)
  t.equal(await page.locator(`[data-group="ivr"] ${row}`).count(), 1, 'closed is with the welcome and key menus');
  t.ok((await page.locator('.prompt-group').count()) >= 8, 'the prompts in groups by use');
  await page.fill('#prompt-filter', '排队');
  await page.waitForSelector('[data-group="ivr"]', { state: 'detached' });
  t.same(
    await page.$$eval('.prompt-group', (els) => els.map((e) => e.getAttribute('data-group'))),
    ['queue'],
    'search by use: only the queue prompts',
  );
  await page.fill('#prompt-filter', 'carrier-sf');
  await page.waitForSelector('[data-prompt="zh-CN/carrier-sf"]');
  t.equal(await page.locator('.prompt-row').count(), 1, 'search by name: one prompt');
  await page.fill('#prompt-filter', '');
  await page.waitForSelector(row);

  // backup: the download and step 1 of a restore (step 2 restarts the box: test/integration/backup-restore.test.ts)
  await page.click('button:has-text("备份与恢复")');
  await page.waitForSelector('#backup-download');
  t.equal(await page.getAttribute('#backup-download', 'href'), '/api/v1/backup');
  const got = await fetch(`${bb.box.url}/api/v1/backup`, { headers: { authorization: `Bearer ${bb.token}` } });
  const file = join(ARTIFACTS, 'backup-test.tar.gz');
  writeFileSync(file, Buffer.from(await got.arrayBuffer()));
  await page.setInputFiles('#backup-file', file);
  await page.waitForSelector('#backup-staged');
  t.match(await page.textContent('#backup-staged'), /数据库版本 \d+/, "the backup's contents shown");
  t.ok(await page.isDisabled('#backup-confirm'), 'no restore before the box is ticked');
  await page.check('#backup-sure');
  t.notOk(await page.isDisabled('#backup-confirm'), 'then it may be confirmed');
  await bb.shot(page, 'setup-backup');
  rmSync(file, { force: true });

  const techSetup = await bb.newPage();
  await bb.signIn(techSetup, '/setup', 'tech', 'tech-password-1');
  await techSetup.waitForSelector('[data-menu="main"]');
  t.equal(await techSetup.locator('button:has-text("备份与恢复")').count(), 0, 'no backup section for a technician');
  t.equal(await techSetup.locator('button:has-text("语音提示")').count(), 1, 'but the prompts');

  // a technician (hardware and lines) has no live.read: no wallboard, no kiosk link, home is setup,
  // and nothing asks for the event stream (it used to open the wallboard and get 403 from it)
  const tech = await bb.newPage(PHONE);
  const forbidden: string[] = [];
  tech.on('response', (r) => {
    if (r.status() === 403) forbidden.push(r.url());
  });
  await bb.signIn(tech, '/', 'tech', 'tech-password-1');
  await tech.waitForSelector('[data-menu="main"]');
  t.equal(await tech.locator('nav a[href="/sms"]').count(), 0, 'no SMS page for a technician');
  t.equal(await tech.locator('nav a[href="/"]').count(), 0, "no wallboard in a technician's menu");
  t.equal(await tech.locator('nav a[href="/?kiosk=1"]').count(), 0, 'no kiosk link for a technician');
  t.equal(await tech.getAttribute('nav a[href="/setup"]', 'aria-current'), 'page', 'a technician lands on setup');
  await tech.goto(`${bb.box.url}/?kiosk=1`);
  await tech.waitForSelector('[data-menu="main"]');
  t.equal(await tech.locator('#sign-out').count(), 1, 'kiosk mode falls back to setup (with its header) for a technician');
  t.same(forbidden, [], 'no 403 for a technician (no event stream asked)');
  const phone = await bb.newPage(PHONE);
  await bb.signIn(phone, '/sms', 'sup', 'sup-password-1');
  await phone.waitForSelector('#h-sms-inbox');
  const overflow = await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  t.ok(Number(overflow) <= 1, `no sideways scrolling on a phone (${overflow} px)`);
  await bb.shot(phone, 'sms-phone');
  t.same(
    bb.errors.filter((e) => !/status of 409/.test(e)),
    [],
    'no page errors',
  );
});

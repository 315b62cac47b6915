// The setup pages (设置) in headless chromium against a real box (the production bundle on the sim
// driver): a technician edits the IVR, a bad value (menu timeout 0) gets the box's message right
// beside its field, the fixed menu is saved (applied live) and the next simulated call follows the
// new menu; the other sections (queues, agents and skills, hours and holidays, recording) render
// and a queue change and the recording's selects save; 固件: a signed bundle uploaded on the page is
// installed by the real installer into a temp OTA root (the job reaches SUCCEEDED), the same bundle
// again is refused in place; phone layout. Screenshots: test/artifacts/setup-*.png.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { CallRecord, ConfigSnapshot } from '../../firmware/src/service/types.js';
import { formError, formErrorGone, PHONE, startBrowserBox, until } from './fixtures/browser-box.js';
import { otaRoot } from './fixtures/ota-root.js';

t.test('setup: edit the IVR, see an error in place, save, the next call follows the new menu', async (t) => {
  const ota = await otaRoot(t, 'callbox-setup-ota-');
  const bb = await startBrowserBox(t, 'callbox-setup-', { env: ota.env });
  await bb.api('POST', '/api/v1/users', { username: 'tech', role: 'technician', password: 'tech-password-1' });
  await bb.api('PATCH', '/api/v1/sim/agents', { answerAfterS: 1, talkS: 3 });
  // the shop's own short greeting (the box's text to speech): the caller keys 1 in seconds
  await bb.api('POST', '/api/v1/prompts/zh-CN/welcome/tts', { text: '您好，请按1。' });
  const page = await bb.newPage();
  await bb.signIn(page, '/setup', 'tech', 'tech-password-1');
  await page.waitForSelector('[data-menu="main"]');
  t.match(await page.textContent('.ivr-tree'), /main/, 'the menu tree');
  await bb.shot(page, 'setup-ivr');

  // a bad value: the box's message appears beside the field
  await page.fill('#m-main-timeout', '0');
  const err = await formError(page, '/ivr/menus/main/timeoutS');
  t.match(err.text, /不小于 1 的整数/, 'the message of the box, in Chinese');
  t.match(err.title, /must be an integer >= 1/, 'the original message kept in the title');
  t.equal(await page.getAttribute('#m-main-timeout', 'aria-invalid'), 'true');
  t.equal(await page.getAttribute('#m-main-timeout', 'aria-describedby'), err.id, 'tied to its field');
  await bb.shot(page, 'setup-ivr-error');
  await page.click('#setup-save');
  await page.waitForSelector('#setup-status:has-text("未保存")');
  const unchanged = await bb.api<ConfigSnapshot>('GET', '/api/v1/config');
  t.equal(unchanged.config.ivr.menus.main?.timeoutS, 10, 'an invalid config is not saved');

  // fix it, and make key 1 hang up instead of queueing
  await page.fill('#m-main-timeout', '6');
  t.ok(await formErrorGone(page, '/ivr/menus/main/timeoutS'), 'fixed: the message goes');
  await page.selectOption('#m-main-opt-1', 'hangup');
  await page.click('#setup-save');
  await page.waitForSelector('#setup-status:has-text("已保存")');
  const saved = await bb.api<ConfigSnapshot>('GET', '/api/v1/config');
  t.match(saved.config.ivr.menus.main, { timeoutS: 6, options: { '1': { action: 'hangup' } } }, 'saved through PUT /api/v1/config');
  t.match(
    (await bb.api<{ items: { actor: string; action: string }[] }>('GET', '/api/v1/audit?entity=config')).items[0],
    { actor: 'tech', action: 'config.apply' },
    'audited',
  );

  const { callId } = await bb.api<{ callId: string }>('POST', '/api/v1/sim/calls', {
    channel: 'fxo1',
    callerId: '13812345678',
    digits: '1',
    hangupAfterS: 40,
  });
  const call = await until(
    'the call to end',
    async () => {
      const c = await bb.api<CallRecord>('GET', `/api/v1/calls/${callId}`);
      return c.state === 'ended' ? c : undefined;
    },
    60_000,
  );
  t.match(call, { outcome: 'ivrHangup', queue: null, ivrPath: '1' }, 'the next call follows the new menu (no restart)');

  // the other sections
  await page.click('button:has-text("队列")');
  await page.waitForSelector('[data-queue="main"]');
  await page.selectOption('#q0-strategy', 'ringAll');
  await page.click('#setup-save');
  await page.waitForSelector('#setup-status:has-text("已保存")');
  t.equal((await bb.api<ConfigSnapshot>('GET', '/api/v1/config')).config.queues[0]?.strategy, 'ringAll');
  t.same(
    (await bb.api<{ queues: { strategy: string }[] }>('GET', '/api/v1/queues')).queues.map((q) => q.strategy),
    ['ringAll'],
    'live in the ACD',
  );
  await bb.shot(page, 'setup-queues');
  await page.click('button:has-text("坐席与技能")');
  await page.waitForSelector('[data-agent="a1"]');
  await bb.shot(page, 'setup-agents');
  await page.click('button:has-text("营业时间与节假日")');
  await page.click('#hours-always');
  await page.waitForSelector('[data-day="mon"]');
  await bb.shot(page, 'setup-hours');
  await page.click('button:has-text("录音保留")');
  await page.waitForSelector('#rec-days');
  await bb.shot(page, 'setup-recording');
  // the recording's three selects (one list in setup-hours.tsx): each sets its own field
  const before = (await bb.api<ConfigSnapshot>('GET', '/api/v1/config')).config.recording;
  await page.selectOption('#rec-format', 'alaw');
  await page.selectOption('#rec-compress', 'opus');
  t.equal(await page.inputValue('#rec-channels'), before?.channels ?? 'mixed', 'channels as it was');
  await page.click('#setup-save');
  const rec = await until('the recording saved', async () => {
    const r = (await bb.api<ConfigSnapshot>('GET', '/api/v1/config')).config.recording;
    return r?.format === 'alaw' ? r : undefined;
  });
  t.match(rec, { format: 'alaw', compress: 'opus', channels: before?.channels ?? 'mixed' }, 'format and compress saved, channels kept');

  // 固件: a signed bundle uploaded from the page runs through the box's installer to its end
  await page.click('button:has-text("固件")');
  await page.waitForSelector('#firmware-current:has-text("1.0.0")');
  const file = join(ota.dir, 'callbox-1.1.0.bundle');
  writeFileSync(file, ota.bundle('1.1.0'));
  await page.setInputFiles('#firmware-file', file);
  const job = await page.waitForSelector('#firmware-job:is([data-status="SUCCEEDED"], [data-status="FAILED"])', { timeout: 60_000 });
  t.equal(await job.getAttribute('data-status'), 'SUCCEEDED', `the job ends well: ${await job.textContent()}`);
  t.match(await job.textContent(), /升级成功/);
  await page.waitForSelector('#firmware-current:has-text("1.1.0")');
  await bb.shot(page, 'setup-firmware');
  const seen = bb.errors.length;
  await page.setInputFiles('#firmware-file', file);
  t.match((await formError(page, 'firmware-upload', '不能降级')).text, /1\.1\.0/, 'the same bundle again: refused in place');
  t.match(bb.errors.splice(seen), [/status of 409/], "the refusal's 409 is the browser's only console error");

  const phone = await bb.newPage(PHONE);
  await bb.signIn(phone, '/setup', 'tech', 'tech-password-1');
  await phone.waitForSelector('[data-menu="main"]');
  const overflow = await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  t.ok(Number(overflow) <= 1, `no sideways scrolling on a phone (${overflow} px)`);
  await bb.shot(phone, 'setup-phone');
  t.same(bb.errors, [], 'no page errors');
});

t.test('setup is for owners and technicians only', async (t) => {
  const bb = await startBrowserBox(t, 'callbox-setup-roles-');
  await bb.api('POST', '/api/v1/users', { username: 'sup', role: 'supervisor', password: 'sup-password-1' });
  const page = await bb.newPage();
  await bb.signIn(page, '/wallboard', 'sup', 'sup-password-1');
  t.equal(await page.locator('nav a[href="/setup"]').count(), 0, 'no setup link for a supervisor');
  const owner = await bb.newPage();
  await bb.signIn(owner, '/wallboard');
  t.equal(await owner.locator('nav a[href="/setup"]').count(), 1, 'the owner has it');
});

// The owner's admin pages in headless chromium against a real box (the production bundle on the
// sim driver), one browser for the file: a customer's personal data exported and erased in two
// steps with the audit trail shown (PIPL/GDPR), hidden from a supervisor; the SMS page's threads
// (a received SMS is a ticket of source sms) and a send that the box refuses (the sim box has no
// modem: the reason is shown); lazy pages load on first use; phone width.
// Screenshots: test/artifacts/customer-privacy.png, sms*.png.
import t from 'tap';
import type { Customer } from '../../firmware/src/service/types.js';
import { PHONE, startBrowserBox } from './fixtures/browser-box.js';

t.test('admin pages: personal data, SMS', async (t) => {
  const bb = await startBrowserBox(t, 'callbox-admin-pages-');
  await bb.api('POST', '/api/v1/users', { username: 'sup', role: 'supervisor', password: 'sup-password-1' });
  await bb.api('POST', '/api/v1/users', { username: 'tech', role: 'technician', password: 'tech-password-1' });
  const wang = await bb.api<Customer>('POST', '/api/v1/customers', { name: '王芳', phones: [{ phone: '13912345678' }], notes: '老客户' });
  await bb.api('POST', '/api/v1/tickets', {
    subject: '短信：咨询',
    description: '请问茶叶什么时候发货？',
    source: 'sms',
    phone: '13700001111',
  });

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

  // SMS: the received message's thread, a send the box refuses (no modem on the sim box)
  await page.click('nav a[href="/sms"]');
  await page.waitForSelector('#sms-threads [data-number]');
  t.match(await page.textContent('#sms-thread'), /请问茶叶什么时候发货/, 'the received SMS in its thread');
  t.equal(await page.locator('#sms-thread [data-kind="in"] a').count(), 1, 'linked to its ticket');
  await page.click('#sms-thread button:has-text("回复")');
  t.equal(await page.inputValue('#sms-to'), '13700001111', 'reply fills in the number');
  await page.fill('#sms-text', '您好，明天发货。');
  t.match(await page.textContent('#sms-count'), /8 \/ 670/);
  await page.click('#sms-send');
  await page.waitForSelector('#sms-error:has-text("modem")');
  await bb.shot(page, 'sms');

  const tech = await bb.newPage(PHONE);
  await bb.signIn(tech, '/account', 'tech', 'tech-password-1');
  t.equal(await tech.locator('nav a[href="/sms"]').count(), 0, 'no SMS page for a technician');
  const phone = await bb.newPage(PHONE);
  await bb.signIn(phone, '/sms', 'sup', 'sup-password-1');
  await phone.waitForSelector('#sms-threads [data-number]');
  const overflow = await phone.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  t.ok(Number(overflow) <= 1, `no sideways scrolling on a phone (${overflow} px)`);
  await bb.shot(phone, 'sms-phone');
  t.same(
    bb.errors.filter((e) => !/status of 409/.test(e)),
    [],
    'no page errors',
  );
});

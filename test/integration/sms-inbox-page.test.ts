// The SMS page's inbox (收件箱) in headless chromium against the real box (the production bundle)
// with a fake EC25 on a socat pty as its modem (CALLBOX_MODEM): one SMS from a known customer while
// SMS tickets are on (shown with the customer's name and a link to its ticket), one from an unknown
// number with SMS tickets off (still shown, no ticket); the unread count on the tab, mark as read,
// and a reply that fills in the sender and goes out through the modem about the message's ticket;
// then 回复 on the Sent tab's thread, which answers by the sent message's id; the ticket page lists
// the message and both replies and opens the inbox.
// Screenshots: test/artifacts/sms-inbox.png, test/artifacts/ticket-sms-links.png.
import t from 'tap';
import type { Customer, SmsList, SmsMessage, SmsReceived } from '../../firmware/src/service/types.js';
import { deliverPdu } from '../unit/atmodem/fixtures/deliver.js';
import { startBrowserBox, until } from './fixtures/browser-box.js';
import { FakeModem } from './fixtures/fake-modem.js';
import { SocatPair } from './fixtures/socat-pty.js';

t.test('SMS page: the inbox with and without tickets, unread, reply; reply from a Sent thread', async (t) => {
  const pty = new SocatPair();
  await pty.start();
  const modem = new FakeModem({ model: 'EC25' });
  await modem.open(pty.modemPath);
  t.teardown(async () => {
    await modem.close();
    await pty.dispose();
  });
  const bb = await startBrowserBox(t, 'callbox-sms-inbox-', { env: { CALLBOX_MODEM: pty.boxPath } });
  const wang = await bb.api<Customer>('POST', '/api/v1/customers', { name: '王芳', phones: [{ phone: '13912345678' }] });
  const inbox = () => bb.api<SmsList>('GET', '/api/v1/sms?direction=in');
  await until('the modem set up for SMS', async () => modem.commands.some((c) => c.startsWith('AT+CNMI')), 30_000);

  modem.receiveSms(deliverPdu({ from: '+8613912345678', text: '请问茶叶什么时候发货？', alphabet: 'ucs2' }));
  await until('the first in the inbox', async () => (await inbox()).total === 1);
  await bb.api('PUT', '/api/v1/tickets-settings', { smsTickets: false });
  modem.receiveSms(deliverPdu({ from: '+8613700001111', text: '周末营业吗？', alphabet: 'ucs2' }));
  await until('the second in the inbox', async () => (await inbox()).total === 2);
  const [second, first] = (await inbox()).messages as SmsReceived[];
  t.match(first, { customerId: wang.id, customerName: '王芳', ticketId: /./ });
  t.match(second, { customerId: null, ticketId: null });

  const page = await bb.newPage();
  await bb.signIn(page, '/sms');
  await page.waitForSelector('#sms-inbox [data-id]');
  await until('both shown', async () => (await page.locator('#sms-inbox [data-id]').count()) === 2, 10_000);
  // the tab's count follows the list a render later (the page's effect): wait for it too
  const tab = () => page.textContent('.record-tabs a[href="/sms"]');
  await until('two unread on the tab', async () => /收件箱 \(2\)/.test((await tab()) ?? ''), 10_000);
  t.match(await tab(), /收件箱 \(2\)/, 'two unread on the tab');
  const one = page.locator(`#sms-inbox [data-id="${first?.id}"]`);
  t.match(await one.textContent(), /王芳/, "the customer's name");
  t.match(await one.textContent(), /请问茶叶什么时候发货/);
  t.equal(await one.locator('a[data-ticket]').getAttribute('href'), `/tickets/${first?.ticketId}`, 'linked to its ticket');
  const other = page.locator(`#sms-inbox [data-id="${second?.id}"]`);
  t.match(await other.textContent(), /\+8613700001111.*周末营业吗.*未建工单/s, 'kept with SMS tickets off, no ticket');
  t.equal(await page.locator('#sms-inbox [data-unread]').count(), 2);

  await other.locator('[data-action="read"]').click();
  await until('marked read', async () => (await page.locator('#sms-inbox [data-unread]').count()) === 1, 10_000);
  await until('one unread on the tab', async () => /收件箱 \(1\)/.test((await tab()) ?? ''), 10_000);
  t.match(await tab(), /收件箱 \(1\)/, 'one unread on the tab');
  t.equal((await inbox()).unread, 1, 'read on the box');

  await one.locator('[data-action="reply"]').click();
  await until('the reply form', async () => (await page.inputValue('#sms-to')) === '+8613912345678', 5000);
  t.match(await page.textContent('#h-sms-new'), /回复 \+8613912345678/);
  await page.fill('#sms-text', '您好，明天发货。');
  await page.click('#sms-send');
  await page.waitForSelector('#sms-done:has-text("已加入发送队列")');
  await until('read by replying', async () => (await inbox()).unread === 0, 10_000);
  const out = await until('sent through the modem', async () => {
    const m = (await bb.api<SmsList>('GET', '/api/v1/sms?direction=out')).messages[0] as SmsMessage | undefined;
    return m && ['sent', 'delivered'].includes(m.status) ? m : undefined;
  });
  t.match(out, { to: '+8613912345678', customerId: wang.id, ticketId: first?.ticketId, text: '您好，明天发货。' });
  t.equal(modem.sentPdus.length, 1, 'one AT+CMGS');
  // 回复 on a thread of the Sent tab answers by the sent message's id (an agent sees the number masked)
  await page.click('.record-tabs a[href="/sms/sent"]');
  await page.waitForSelector('#sms-thread');
  await page.click('#sms-thread button:has-text("回复")');
  await until('the thread reply form', async () => /回复 \+8613912345678/.test((await page.textContent('#h-sms-new')) ?? ''), 5000);
  t.equal(await page.inputValue('#sms-to'), '+8613912345678', 'its number, read-only');
  await page.fill('#sms-text', '已发出，请查收。');
  await page.click('#sms-send');
  const again = await until('the thread reply sent through the modem', async () => {
    const m = (await bb.api<SmsList>('GET', '/api/v1/sms?direction=out')).messages[0] as SmsMessage | undefined;
    return m && m.text === '已发出，请查收。' && ['sent', 'delivered'].includes(m.status) ? m : undefined;
  });
  t.match(again, { to: '+8613912345678', customerId: wang.id, ticketId: first?.ticketId }, "about the first message's ticket");
  t.equal(modem.sentPdus.length, 2, 'two AT+CMGS');
  await bb.shot(page, 'sms-inbox');

  // the ticket page shows its text messages, received and sent, and opens the SMS page's tab of each
  await page.goto(`${bb.box.url}/tickets/${first?.ticketId}`);
  const received = page.locator(`#ticket-links [data-sms-link="${first?.id}"]`);
  await received.waitFor();
  t.match(await received.textContent(), /请问茶叶什么时候发货/, "the received message's text");
  t.match(await page.textContent('#ticket-links'), /短信 \(收件箱 .*\+8613912345678\)/, 'received, when and from whom');
  t.match(await page.locator(`#ticket-links [data-sms-link="${out.id}"]`).textContent(), /您好，明天发货/, 'the reply, sent');
  t.match(await page.locator(`#ticket-links [data-sms-link="${again.id}"]`).textContent(), /已发出，请查收/, 'the second reply');
  await bb.shot(page, 'ticket-sms-links');
  await received.click();
  await page.waitForSelector('#sms-inbox [data-id]');
  t.equal(new URL(page.url()).pathname, '/sms', 'the inbox opens');
  t.same(bb.errors, [], 'no page errors');
});

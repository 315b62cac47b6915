// Security (XSS): a customer named `<img src=x onerror=...>` and a ticket whose subject and note
// carry markup are shown as text in the list and detail pages in headless chromium against a real
// box: no element is created from them, no handler runs (window.hacked stays unset), the page
// reports no error.
import t from 'tap';
import { startBrowserBox } from './fixtures/browser-box.js';

const EVIL_NAME = '<img src=x onerror="window.hacked=1">张三';
const EVIL_NOTE = '<script>window.hacked=2</script><img src=x onerror="window.hacked=3"> 已回访';

t.test('markup in customer names and ticket notes renders as text', async (t) => {
  const bb = await startBrowserBox(t, 'callbox-xss-');
  const customer = await bb.api<{ id: string }>('POST', '/api/v1/customers', { name: EVIL_NAME, phones: ['13800138000'] }, 201);
  const ticket = await bb.api<{ id: string }>(
    'POST',
    '/api/v1/tickets',
    { subject: `<b onmouseover="window.hacked=4">退货</b>`, customerId: customer.id },
    201,
  );
  await bb.api('POST', `/api/v1/tickets/${ticket.id}/notes`, { body: EVIL_NOTE }, 201);
  const page = await bb.newPage();
  await bb.signIn(page, '/customers');
  const noMarkup = () =>
    page.evaluate<{ hacked: number | null; imgs: number }>(
      `({ hacked: window.hacked ?? null, imgs: document.querySelectorAll('img[src="x"], b[onmouseover], script:not([src])').length })`,
    );

  // The table is drawn before its rows come: wait for the row (make test at 47ed3d8 read the header alone).
  await page.waitForSelector('#customers-table tr:has-text("张三")');
  t.match(await page.textContent('#customers-table'), EVIL_NAME, 'the list shows the name as text');
  t.same(await noMarkup(), { hacked: null, imgs: 0 }, 'customers list: no element made from the name');

  await page.goto(`${bb.box.url}/customers/${customer.id}`);
  await page.waitForSelector('#customer-detail');
  t.match(await page.textContent('#customer-detail'), EVIL_NAME, 'the detail page shows it as text');
  t.same(await noMarkup(), { hacked: null, imgs: 0 }, 'customer page: nothing ran');

  await page.goto(`${bb.box.url}/tickets/${ticket.id}`);
  await page.waitForSelector('#ticket-notes');
  t.match(await page.textContent('#ticket-notes'), '<script>window.hacked=2</script>', 'the note shows as text');
  t.same(await noMarkup(), { hacked: null, imgs: 0 }, 'ticket page: nothing ran');
  t.same(bb.errors, [], 'no page errors');
});

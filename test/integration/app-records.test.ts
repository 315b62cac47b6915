// The back-office pages in headless chromium against a real box (sim driver): create a customer
// in the form, find it, import a GBK CSV and export; a ticket for the customer moved through its
// whole workflow with only the legal buttons shown at each step, and an internal note; ticket
// categories (a bad id refused in place, an SLA changed, one disabled) and the settings (the owner
// changes them, a supervisor reads them); the
// knowledge base searched in Chinese (退货) and an article rendered without letting its HTML or
// javascript: links through; a new article from the editor. Desktop and phone screenshots go to
// test/artifacts/ (app-*.png), and no page may scroll sideways on a phone.
import type { Page } from 'playwright-core';
import t from 'tap';
import { PHONE, startBrowserBox } from './fixtures/browser-box.js';

const moves = (page: Page) => page.$$eval('#ticket-detail [data-to]', (bs) => bs.map((b) => b.getAttribute('data-to')));
const noSideScroll = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth + 1');

t.test('customers, tickets and the knowledge base in the browser', async (t) => {
  const bb = await startBrowserBox(t, 'callbox-app-records-');
  await bb.api('POST', '/api/v1/kb/articles', {
    title: '退货政策',
    body: '## 步骤\n1. 七天内可申请**退货**。\n2. 客服登记工单。\n\n<script>window.hacked = 1</script> <img src=x onerror="window.hacked=2">\n\n[点我](javascript:window.hacked=3) · [官网](https://example.com/)',
    category: '售后',
    tags: ['退货'],
  });
  const page = await bb.newPage();
  await bb.signIn(page, '/customers');

  // 客户: create in the form, see it, find it by the last digits
  await page.click('#customer-new');
  await page.fill('#cu-name', '王小明');
  await page.fill('#cu-phones', '138 1234 5678');
  await page.fill('#cu-tags', 'VIP, 经销商');
  await page.fill('#cu-notes', '要发票；周末不方便接电话');
  await page.click('#customer-form button[type=submit]');
  await page.waitForSelector('#customer-detail');
  t.match(await page.textContent('#customer-phones'), /13812345678/, 'the owner sees the full number');
  t.match(await page.textContent('#h-cust'), /王小明.*VIP/, 'name and the VIP badge');
  const customerPath = new URL(page.url()).pathname;
  await bb.shot(page, 'app-customer');

  await page.click('text=返回列表');
  await page.fill('#cs-q', '5678');
  await page.click('#customer-search button[type=submit]');
  await page.waitForSelector('#customers-table tr:has-text("王小明")');
  t.equal(await page.locator('#customers-table tbody tr').count(), 1, 'the search finds only her');

  // CSV import in GBK (what Excel saves on a Chinese Windows), then export
  const gbk = Buffer.from('d0d5c3fb2cb5e7bbb02cb1eac7a90d0ac0eecbc42c31333930303030313131312cbbd8cdb7bfcd0d0a', 'hex');
  t.equal(new TextDecoder('gbk').decode(gbk), '姓名,电话,标签\r\n李四,13900001111,回头客\r\n', 'the test file is GBK');
  await page.click('button:has-text("导入 CSV")');
  await page.setInputFiles('#ci-file', { name: '客户.csv', mimeType: 'text/csv', buffer: gbk });
  await page.click('#customer-import button[type=submit]');
  await page.waitForSelector('#import-report');
  t.match(await page.textContent('#import-report'), /GBK.*共 1 行，新建 1/, 'decoded as GBK, one customer made');
  const href = await page.getAttribute('#customer-export', 'href');
  const csv = await page.request.get(`${bb.box.url}${href}`);
  t.equal(csv.status(), 200);
  const text = (await csv.body()).toString('utf8');
  t.match(text, /王小明/, 'the export has the customer');
  t.match(text, /李四/, 'and the imported one');
  await page.fill('#cs-q', '');
  await page.click('#customer-search button[type=submit]');
  await page.waitForSelector('#customers-table tr:has-text("李四")');
  await bb.shot(page, 'app-customers');

  // 工单: new for the customer, then the whole workflow
  await page.goto(`${bb.box.url}${customerPath}`);
  await page.click('text=为此客户新建工单');
  await page.fill('#tn-subject', '面霜用后过敏');
  await page.fill('#tn-desc', '客户称使用两天后脸红。');
  await page.selectOption('#tn-priority', 'urgent');
  await page.click('#ticket-new button[type=submit]');
  await page.waitForSelector('#ticket-detail[data-status=new]');
  t.same(await moves(page), ['assigned', 'in_progress', 'resolved'], 'new: assign, start or resolve');
  t.ok(await page.isDisabled('[data-to=assigned]'), 'assigning needs an assignee');
  await page.fill('#td-assignee', 'owner');
  const steps: [string, string, string[]][] = [
    ['assigned', 'assigned', ['in_progress', 'waiting_customer', 'resolved']],
    ['in_progress', 'in_progress', ['waiting_customer', 'resolved']],
    ['waiting_customer', 'waiting_customer', ['in_progress', 'resolved']],
    ['in_progress', 'in_progress', ['waiting_customer', 'resolved']],
    ['resolved', 'resolved', ['closed', 'in_progress']],
    ['closed', 'closed', ['in_progress']],
  ];
  for (const [click, status, next] of steps) {
    await page.click(`#ticket-detail [data-to=${click}]`);
    await page.waitForSelector(`#ticket-detail[data-status=${status}]`);
    t.same(await moves(page), next, `${status}: only the legal moves`);
  }
  t.match(await page.textContent('[data-to=in_progress]'), /重新打开/, 'a closed ticket reopens');
  await page.fill('#td-move-note', '客户再次来电');
  await page.click('[data-to=in_progress]');
  await page.waitForSelector('#ticket-detail[data-status=in_progress]');
  await page.fill('#td-note', '已建议停用并拍照');
  await page.click('button:has-text("添加备注")');
  await page.waitForSelector('#ticket-notes li:has-text("已建议停用并拍照")');
  t.match(await page.textContent('#ticket-notes'), /内部/, 'an internal note');
  const ticket = await bb.api<{ items: { status: string; reopenCount: number; priority: string }[] }>('GET', '/api/v1/tickets?q=过敏');
  t.match(ticket.items[0], { status: 'in_progress', reopenCount: 1, priority: 'urgent' }, 'the box holds the same');
  const ticketPath = new URL(page.url()).pathname;
  await bb.shot(page, 'app-ticket');
  await page.click('text=返回列表');
  await page.selectOption('#tf-status', 'in_progress');
  await page.click('#ticket-filters button[type=submit]');
  await page.waitForSelector('#tickets-table tr:has-text("面霜用后过敏")');
  await page.selectOption('#tf-status', 'closed');
  await page.click('#ticket-filters button[type=submit]');
  await page.waitForSelector('#tickets-table tbody tr', { state: 'detached' });
  t.pass('the status filter narrows the list');
  await page.selectOption('#tf-status', '');
  await page.click('#ticket-filters button[type=submit]');
  await page.waitForSelector('#tickets-table tbody tr');
  await bb.shot(page, 'app-tickets');

  // 工单分类与设置: a category added (a bad id refused beside it), a built-in one's SLA changed, one disabled; the settings (owner)
  await page.click('#ticket-settings-link');
  await page.waitForSelector('#tcats tr[data-tcat="return"]');
  await page.click('#tcat-new');
  await page.fill('#tcat-form-id', 'Bad-Id');
  await page.fill('#tcat-form-nameZh', '保修');
  await page.click('#tcat-form button[type=submit]');
  t.match(await page.textContent('#tcat-form-id-err'), /编号为 2–40 个小写字母/, 'a bad id is refused beside it');
  await page.fill('#tcat-form-id', 'warranty');
  await page.fill('#tcat-form-nameEn', 'Warranty');
  await page.fill('#tcat-form-slaHours', '72');
  await page.click('#tcat-form button[type=submit]');
  await page.waitForSelector('#tcat-done:has-text("已保存")');
  const cats = async () =>
    (await bb.api<{ items: { id: string; slaHours: number | null; disabled: boolean }[] }>('GET', '/api/v1/ticket-categories')).items;
  t.match(
    (await cats()).find((c) => c.id === 'warranty'),
    { slaHours: 72, disabled: false },
    'the category is added',
  );
  await page.click('tr[data-tcat="return"] button:has-text("编辑")');
  await page.fill('#tcat-form-slaHours', '24');
  await page.click('#tcat-form button[type=submit]');
  await page.waitForSelector('#tcat-done:has-text("已保存")');
  t.equal((await cats()).find((c) => c.id === 'return')?.slaHours, 24, "a built-in category's SLA changed");
  await page.click('tr[data-tcat="warranty"] .tcat-toggle');
  await page.waitForSelector('#tcat-done:has-text("已停用")');
  t.equal((await cats()).find((c) => c.id === 'warranty')?.disabled, true, 'disabled');
  t.equal(await page.locator('tr[data-tcat="inquiry"] .tcat-toggle').count(), 0, 'the default category cannot be disabled');
  await page.check('#tset-form-returnVisitOnResolve');
  await page.fill('#tset-form-returnVisitAfterDays', '120');
  await page.click('#tset-form button[type=submit]');
  t.match(await page.textContent('#tset-form-returnVisitAfterDays-err'), /90/, 'days out of range refused beside the field');
  await page.fill('#tset-form-returnVisitAfterDays', '5');
  await page.uncheck('#tset-form-smsTickets');
  await page.click('#tset-form button[type=submit]');
  await page.waitForSelector('#tset-done:has-text("已保存")');
  t.ok(await page.isChecked('#tset-form-returnVisitOnResolve'), 'the form shows what was saved (it showed the old values before)');
  t.notOk(await page.isChecked('#tset-form-smsTickets'));
  t.match(
    await bb.api('GET', '/api/v1/tickets-settings'),
    { returnVisitOnResolve: true, returnVisitAfterDays: 5, smsTickets: false, missedCallTickets: true },
    'the settings saved',
  );
  await bb.shot(page, 'app-ticket-settings');
  // a supervisor edits categories but only reads the settings
  await bb.api('POST', '/api/v1/users', { username: 'zhuguan', role: 'supervisor', password: 'super-password-1' }, 201);
  const sup = await bb.newPage();
  await bb.signIn(sup, '/tickets/settings', 'zhuguan', 'super-password-1');
  await sup.waitForSelector('#ticket-settings:has-text("只有店主可以修改")');
  t.equal(await sup.locator('#tset-form').count(), 0, 'no settings form for a supervisor');
  t.match(await sup.textContent('[data-setting="returnVisitOnResolve"]'), /是 · 5/, 'the supervisor reads them');
  t.equal(await sup.locator('#tcat-new').count(), 1, 'the supervisor may add categories');
  await sup.close();

  // 知识库: search in Chinese, read safely, write a new article
  await page.click('nav a:has-text("知识库")');
  await page.fill('#kbp-q', '退货');
  await page.click('.kb-search button[type=submit]');
  await page.waitForSelector('#kb-hits li:has-text("退货政策")');
  t.ok(await page.locator('#kb-hits mark').count(), 'the hits are highlighted');
  await bb.shot(page, 'app-kb-search');
  await page.click('#kb-hits a');
  await page.waitForSelector('#kb-article');
  t.equal(await page.locator('#kb-article script, #kb-article img').count(), 0, 'no HTML from the article reaches the page');
  t.match(await page.textContent('#kb-article .article-body'), /<script>window.hacked = 1<\/script>/, 'it shows as text');
  t.equal(await page.locator('#kb-article a[href^="javascript"]').count(), 0, 'no javascript: link');
  t.equal(await page.getAttribute('#kb-article a:has-text("官网")', 'rel'), 'noopener noreferrer nofollow');
  t.equal(await page.locator('#kb-article strong:has-text("退货")').count(), 1, 'Markdown bold');
  t.equal(await page.locator('#kb-article ol li').count(), 2, 'the numbered list');
  t.equal(await page.evaluate<number | undefined>('window.hacked'), undefined, 'nothing ran');
  const articlePath = new URL(page.url()).pathname;
  await bb.shot(page, 'app-kb-article');
  await page.click('text=返回列表');
  await page.click('#kb-new');
  await page.fill('#ke-title', '发票开具');
  await page.fill('#ke-category', '财务');
  await page.fill('#ke-body', '下单后 **7 天内** 可申请增值税发票。');
  await page.waitForSelector('.kb-preview strong:has-text("7 天内")');
  await page.click('#kb-editor button[type=submit]');
  await page.waitForSelector('#kb-article h2:has-text("发票开具")');
  t.pass('an article written in the editor');

  // in English
  await page.selectOption('#lang', 'en');
  await page.goto(`${bb.box.url}${ticketPath}`);
  await page.waitForSelector('#ticket-status:has-text("In progress")');
  t.match(await page.textContent('main h1'), 'Tickets');
  t.match(await page.textContent('#ticket-detail'), /Adverse|Inquiry|Move to/, 'categories and moves in English');
  await bb.shot(page, 'app-ticket-en');
  await page.goto(`${bb.box.url}/tickets/settings`);
  await page.waitForSelector('#tcat-new:has-text("New category")');
  t.match(await page.textContent('tr[data-tcat="warranty"]'), /Disabled/, 'categories in English');
  await page.goto(`${bb.box.url}/customers`);
  await page.waitForSelector('#customers-table');
  t.match(await page.textContent('main'), /Import CSV.*Export CSV/s);
  await page.selectOption('#lang', 'zh-CN');

  // the same pages on a phone: nothing scrolls sideways
  const phone = await bb.newPage(PHONE);
  await bb.signIn(phone, '/customers');
  for (const [path, name] of [
    ['/customers', 'customers'],
    [customerPath, 'customer'],
    ['/tickets', 'tickets'],
    [ticketPath, 'ticket'],
    ['/kb', 'kb'],
    [articlePath, 'kb-article'],
  ] as const) {
    await phone.goto(`${bb.box.url}${path}`);
    await phone.waitForSelector('main h1');
    await phone.waitForLoadState('networkidle');
    t.ok(await noSideScroll(phone), `${path} fits a phone`);
    await bb.shot(phone, `app-phone-${name}`);
  }
  t.same(bb.errors, [], 'no page errors');
});

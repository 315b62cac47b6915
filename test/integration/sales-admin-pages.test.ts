// The 销售管理 page (promotions, stock requests, sales targets) in headless chromium against the
// production bundle on the sim driver, with products and orders seeded through the API. The owner
// creates a gift promotion (its rule's fields follow the kind), sees a percentage the box refuses
// beside its field, edits and turns one off, filters what is in force (kept in the address);
// requests stock and moves it requested → approved → shipped with a tracking number (a quantity of
// 0 refused in place); sets the shop's monthly target in yuan and changes it. An agent reads the
// same lists without any button that changes them. English labels; every tab fits a phone.
// Screenshots under test/artifacts/.
import t from 'tap';
import type { Promotion, SalesTarget, StockRequest } from '../../firmware/src/service/types.js';
import { DESKTOP, PHONE, startBrowserBox } from './fixtures/browser-box.js';
import { overflowOf, seedSales, shopPage } from './fixtures/shop-data.js';

t.test('sales admin: promotions, stock requests, targets', async (t) => {
  const b = await startBrowserBox(t, 'callbox-sales-admin-');
  const { tea, cup } = await seedSales(b);
  await b.api('POST', '/api/v1/users', { username: 'xiaoli', role: 'agent', password: 'agent-password-1', agentId: 'a2' });
  const { page, errors } = await shopPage(b, DESKTOP);
  await b.signIn(page, '/orders');

  // ---- promotions: create a gift, a refused percentage, edit, turn off, filter ----
  await page.click('nav a[href="/sales"]');
  await page.waitForSelector('#promotions');
  await page.click('#promo-new');
  await page.fill('#promo-form-name', '买3盒送保温杯');
  await page.selectOption('#promo-form-kind', 'gift');
  t.ok(await page.$('#promo-form-giftProductId'), 'a gift asks for the gift product');
  t.notOk(await page.$('#promo-form-pct'), 'and no percentage');
  await page.selectOption('#promo-form-giftProductId', cup.id);
  await page.fill('#promo-form-minQty', '3');
  await page.selectOption('#promo-form-productId', tea.id);
  await page.click('#promo-form button[type=submit]');
  await page.waitForSelector('#promo-done:has-text("已保存")');
  const gift = (await b.api<{ items: Promotion[] }>('GET', '/api/v1/promotions')).items[0];
  t.match(gift, { name: '买3盒送保温杯', kind: 'gift', productId: tea.id, rule: { giftProductId: cup.id, minQty: 3 }, active: true });
  const giftRow = `tr[data-promotion="${gift?.id}"]`;
  t.match(await page.textContent(giftRow), /赠 保温杯 × 1（至少 3 件）/, 'the rule in words');

  await page.click('#promo-new');
  await page.fill('#promo-form-name', '全场打折');
  await page.fill('#promo-form-pct', '150');
  await page.click('#promo-form button[type=submit]');
  await page.waitForSelector('#promo-form-pct-err');
  t.equal(await page.getAttribute('#promo-form-pct', 'aria-invalid'), 'true', 'the box refuses rule.pct: shown beside the field');
  await page.fill('#promo-form-pct', '10');
  await page.click('#promo-form button[type=submit]');
  await page.waitForSelector('#promo-done:has-text("已保存")');
  await page.waitForSelector('#promotions tbody tr:has-text("减 10%")');

  await page.click(`${giftRow} button:has-text("编辑")`);
  await page.fill('#promo-form-name', '买3盒送保温杯（12月）');
  await page.click('#promo-form button[type=submit]');
  await page.waitForSelector(`${giftRow}:has-text("12月")`);
  await page.click(`${giftRow} button:has-text("停用")`);
  await page.waitForSelector(`${giftRow}:has-text("已停用")`);
  t.match(await b.api('GET', `/api/v1/promotions/${gift?.id}`), { name: '买3盒送保温杯（12月）', active: false }, 'edited and off');
  await page.selectOption('#pf-activeAt', 'now');
  await page.click('#promo-filters button[type=submit]');
  await page.waitForSelector('.sales-admin p.muted:has-text("共 1 条促销")');
  t.notOk(await page.$(giftRow), 'a promotion turned off is not in force');
  t.match(page.url(), /\/sales\?activeAt=now$/, 'the filter is in the address');
  await b.shot(page, 'sales-promotions');

  // ---- stock requests: a refused quantity, request, approve, ship ----
  await page.click('.record-tabs a[href="/sales/stock"]');
  await page.waitForSelector('#stock-requests');
  await page.click('#stock-new');
  await page.selectOption('#stock-form-productId', tea.id);
  await page.fill('#stock-form-qty', '0');
  await page.click('#stock-form button[type=submit]');
  await page.waitForSelector('#stock-form-qty-err');
  await page.fill('#stock-form-qty', '20');
  await page.fill('#stock-form-note', '双十二备货');
  await page.click('#stock-form button[type=submit]');
  await page.waitForSelector('#stock-done:has-text("已提交")');
  const req = (await b.api<{ items: StockRequest[] }>('GET', '/api/v1/stock-requests')).items[0];
  t.match(req, { productId: tea.id, qty: 20, status: 'requested', note: '双十二备货' });
  const reqRow = `tr[data-stock="${req?.id}"]`;
  await page.waitForSelector(`${reqRow}:has-text("待审批")`);
  await page.click(`${reqRow} button:has-text("处理")`);
  t.same(
    await page.locator('#stock-move-status option').evaluateAll((os) => os.map((o) => o.getAttribute('value'))),
    ['approved', 'rejected'],
    'only the legal moves are offered',
  );
  await page.click('#stock-move button[type=submit]');
  await page.waitForSelector(`${reqRow}:has-text("已批准")`);
  await page.click(`${reqRow} button:has-text("处理")`);
  await page.selectOption('#stock-move-status', 'shipped');
  await page.fill('#stock-move-carrier', '顺丰速运');
  await page.fill('#stock-move-trackingNo', 'SF1234567890');
  await page.click('#stock-move button[type=submit]');
  await page.waitForSelector(`${reqRow}:has-text("SF1234567890")`);
  t.match(await b.api('GET', `/api/v1/stock-requests/${req?.id}`), { status: 'shipped', shipments: [{ carrier: '顺丰速运' }] });
  await b.shot(page, 'sales-stock');

  // ---- targets: the shop's month target in yuan, a bad amount, a change ----
  await page.click('.record-tabs a[href="/sales/targets"]');
  await page.waitForSelector('#targets');
  await page.click('#target-new');
  await page.fill('#target-form-target', '5万');
  await page.click('#target-form button[type=submit]');
  await page.waitForSelector('#target-form-target-err');
  await page.fill('#target-form-target', '50000');
  await page.click('#target-form button[type=submit]');
  await page.waitForSelector('tr[data-target="shop"]:has-text("¥50,000.00")');
  await page.click('tr[data-target="shop"] button:has-text("编辑")');
  await page.fill('#target-form-target', '60000.5');
  await page.click('#target-form button[type=submit]');
  await page.waitForSelector('tr[data-target="shop"]:has-text("¥60,000.50")');
  const month = new URL(page.url()).searchParams.get('month') ?? '';
  const targets = await b.api<{ items: SalesTarget[] }>('GET', `/api/v1/sales/targets?month=${month}`);
  t.match(targets.items, [{ personId: null, targetCents: 6000050 }], 'the target is saved in cents');
  t.ok((targets.items[0]?.achievedCents ?? 0) > 0, 'the seeded orders count as achieved');
  await b.shot(page, 'sales-targets');

  // ---- English ----
  await page.selectOption('#lang', 'en');
  await page.waitForSelector('.record-tabs a:has-text("Stock requests")');
  t.match(await page.textContent('#targets thead'), /Achieved/, 'English headings');
  t.match(await page.textContent('tr[data-target="shop"]'), /The shop\s*¥60,000\.50/, 'money in ¥ in English');
  await page.selectOption('#lang', 'zh-CN');
  // the refused percentage above is a 400 on purpose
  t.same(
    errors.filter((e) => !/status of 400/.test(e)),
    [],
    'no page errors',
  );

  // ---- an agent reads, changes nothing ----
  const agent = await shopPage(b, DESKTOP);
  await b.signIn(agent.page, '/sales', 'xiaoli', 'agent-password-1');
  await agent.page.waitForSelector(giftRow);
  t.notOk(await agent.page.$('#promo-new'), 'no new promotion for an agent');
  t.equal(await agent.page.locator('#promotions button').count(), 0, 'no edit or on/off for an agent');
  await agent.page.click('.record-tabs a[href="/sales/stock"]');
  await agent.page.waitForSelector(reqRow);
  t.notOk(await agent.page.$('#stock-new'), 'no new stock request for an agent');
  t.equal(await agent.page.locator('#stock-requests button').count(), 0, 'no status change for an agent');
  await agent.page.click('.record-tabs a[href="/sales/targets"]');
  await agent.page.waitForSelector('tr[data-target="shop"]');
  t.notOk(await agent.page.$('#target-new'), 'no target setting for an agent');
  t.equal(await agent.page.locator('#targets button').count(), 0, 'no target edit for an agent');
  t.same(agent.errors, [], 'no page errors for the agent');

  // ---- the tabs on a phone ----
  const phone = await shopPage(b, PHONE);
  await b.signIn(phone.page, '/sales');
  for (const p of ['sales', 'sales/stock', 'sales/targets']) {
    await phone.page.goto(`${b.box.url}/${p}`);
    await phone.page.waitForSelector('main table.list tbody tr');
    await phone.page.waitForLoadState('networkidle');
    const wide = await overflowOf(phone.page);
    t.ok(wide <= 1, `${p} fits a phone (${wide} px too wide)`);
    await b.shot(phone.page, `${p.replace('/', '-')}-phone`);
  }
  t.same(phone.errors, [], 'no page errors on the phone');
});

// The back-office record pages — 销售管理 (promotions, stock requests, sales targets), 广告 (ad
// campaigns, airings, spend) and 排班 (shifts, attendance) — in headless chromium against the
// production bundle on the sim driver, with products and orders seeded through the API. The owner
// creates a gift promotion (its rule's fields follow the kind), sees a percentage the box refuses
// beside its field, edits and turns one off, filters what is in force (kept in the address);
// requests stock and moves it requested → approved → shipped with a tracking number (a quantity of
// 0 refused in place); sets the shop's monthly target in yuan and changes it. An agent reads the
// same lists without any button that changes them. English labels; every tab fits a phone.
// Ads: a campaign made, edited and deleted (asked twice) with its airing; an airing in wall time and
// its cost in ¥, a bad cost refused in place; a spend entry. Shifts: a night shift made, an
// overlapping one refused with the box's reason, the attendance of the range below (未开始).
// Screenshots under test/artifacts/.
import t from 'tap';
import type { AdAiring, AdCampaign, AdSpend, Promotion, SalesTarget, Shift, StockRequest } from '../../firmware/src/service/types.js';
import { DESKTOP, formError, PHONE, startBrowserBox } from './fixtures/browser-box.js';
import { overflowOf, seedSales, shopPage } from './fixtures/shop-data.js';

t.test('back-office pages: sales admin, ads, shifts', async (t) => {
  const b = await startBrowserBox(t, 'callbox-back-office-');
  const { tea, cup } = await seedSales(b);
  await b.api('POST', '/api/v1/users', { username: 'xiaoli', role: 'agent', password: 'agent-password-1', agentId: 'a2' });
  const { page, errors } = await shopPage(b, DESKTOP);
  await b.signIn(page, '/orders');

  // ---- promotions: create a gift, a refused percentage, edit, turn off, filter ----
  await page.click('nav a[href="/sales"]');
  await page.waitForSelector('#promotions');
  await page.click('#promotion-new');
  await page.fill('#promotion-form-name', '买3盒送保温杯');
  await page.selectOption('#promotion-form-kind', 'gift');
  t.ok(await page.$('#promotion-form-giftProductId'), 'a gift asks for the gift product');
  t.notOk(await page.$('#promotion-form-pct'), 'and no percentage');
  await page.selectOption('#promotion-form-giftProductId', cup.id);
  await page.fill('#promotion-form-minQty', '3');
  await page.selectOption('#promotion-form-productId', tea.id);
  await page.click('#promotion-form button[type=submit]');
  await page.waitForSelector('#promotion-done:has-text("已保存")');
  const gift = (await b.api<{ items: Promotion[] }>('GET', '/api/v1/promotions')).items[0];
  t.match(gift, { name: '买3盒送保温杯', kind: 'gift', productId: tea.id, rule: { giftProductId: cup.id, minQty: 3 }, active: true });
  const giftRow = `tr[data-promotion="${gift?.id}"]`;
  t.match(await page.textContent(giftRow), /赠 保温杯 × 1（至少 3 件）/, 'the rule in words');

  await page.click('#promotion-new');
  await page.fill('#promotion-form-name', '全场打折');
  await page.fill('#promotion-form-pct', '150');
  await page.click('#promotion-form button[type=submit]');
  await page.waitForSelector('#promotion-form-pct-err');
  t.equal(await page.getAttribute('#promotion-form-pct', 'aria-invalid'), 'true', 'the box refuses rule.pct: shown beside the field');
  await page.fill('#promotion-form-pct', '10');
  await page.click('#promotion-form button[type=submit]');
  await page.waitForSelector('#promotion-done:has-text("已保存")');
  await page.waitForSelector('#promotions tbody tr:has-text("减 10%")');

  await page.click(`${giftRow} button:has-text("编辑")`);
  await page.fill('#promotion-form-name', '买3盒送保温杯（12月）');
  await page.click('#promotion-form button[type=submit]');
  await page.waitForSelector(`${giftRow}:has-text("12月")`);
  await page.click(`${giftRow} button:has-text("停用")`);
  await page.waitForSelector(`${giftRow}:has-text("已停用")`);
  t.match(await b.api('GET', `/api/v1/promotions/${gift?.id}`), { name: '买3盒送保温杯（12月）', active: false }, 'edited and off');
  await page.selectOption('#promotion-f-activeAt', 'now');
  await page.click('#promotion-filters button[type=submit]');
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

  // ---- ads: a campaign, its airing and spend; edit; delete asked twice ----
  await page.click('nav a[href="/ads"]');
  await page.waitForSelector('#campaigns');
  await page.click('#campaign-new');
  await page.fill('#campaign-form-name', '养生节目');
  await page.fill('#campaign-form-media', '湖南卫视');
  await page.fill('#campaign-form-line', 'fxo9');
  await page.click('#campaign-form button[type=submit]');
  await page.waitForSelector('#campaign-form-line-err');
  t.equal(await page.getAttribute('#campaign-form-line', 'aria-invalid'), 'true', 'an unknown line is refused beside its field');
  await page.fill('#campaign-form-line', 'fxo2');
  await page.click('#campaign-form button[type=submit]');
  await page.waitForSelector('#campaign-done:has-text("已保存")');
  const campaign = (await b.api<{ items: AdCampaign[] }>('GET', '/api/v1/reports/ad-campaigns')).items[0];
  t.match(campaign, { name: '养生节目', media: '湖南卫视', line: 'fxo2', responseMin: 30 });
  await page.click(`tr[data-campaign="${campaign?.id}"] button:has-text("编辑")`);
  await page.fill('#campaign-form-responseMin', '45');
  await page.click('#campaign-form button[type=submit]');
  await page.waitForSelector(`tr[data-campaign="${campaign?.id}"]:has-text("45 分钟")`);
  await b.shot(page, 'ads-campaigns');

  await page.click('.record-tabs a[href="/ads/airings"]');
  await page.waitForSelector('#airings');
  await page.click('#airing-new');
  await page.selectOption('#airing-form-campaignId', campaign?.id ?? '');
  await page.fill('#airing-form-startsAt', '2026-12-01T20:00');
  await page.fill('#airing-form-endsAt', '2026-12-01T20:05');
  await page.fill('#airing-form-cost', '五千');
  await page.click('#airing-form button[type=submit]');
  await page.waitForSelector('#airing-form-cost-err');
  await page.fill('#airing-form-cost', '5000');
  await page.click('#airing-form button[type=submit]');
  await page.waitForSelector('#airing-done:has-text("已保存")');
  const airing = (await b.api<{ items: AdAiring[] }>('GET', '/api/v1/reports/ad-airings')).items[0];
  t.match(airing, { startsAt: '2026-12-01T12:00:00.000Z', endsAt: '2026-12-01T12:05:00.000Z', costCents: 500000, responseMin: null });
  t.match(await page.textContent(`tr[data-airing="${airing?.id}"]`), /养生节目.*¥5,000\.00/, 'the airing with its campaign and cost');
  await b.shot(page, 'ads-airings');

  await page.click('.record-tabs a[href="/ads/spend"]');
  await page.click('#spend-new');
  await page.selectOption('#spend-form-campaignId', campaign?.id ?? '');
  await page.fill('#spend-form-date', '2026-12-01');
  await page.fill('#spend-form-amount', '20000');
  await page.fill('#spend-form-note', '12月合同');
  await page.click('#spend-form button[type=submit]');
  await page.waitForSelector('#spends tbody tr:has-text("¥20,000.00")');
  t.match((await b.api<{ items: AdSpend[] }>('GET', '/api/v1/reports/ad-spend')).items, [{ amountCents: 2000000, note: '12月合同' }]);

  // ---- shifts: a night shift, an overlap refused, attendance below ----
  await page.click('nav a[href="/shifts"]');
  await page.waitForSelector('#shifts');
  // the last day of the range shown (this week): a shift that has not started, whatever the clock
  const lastDay = await page.inputValue('#shift-f-to');
  await page.click('#shift-new');
  await page.selectOption('#shift-form-agent', 'a1');
  await page.fill('#shift-form-date', lastDay);
  await page.fill('#shift-form-start', '22:00');
  await page.fill('#shift-form-end', '06:00');
  await page.fill('#shift-form-note', '夜班');
  await page.click('#shift-form button[type=submit]');
  await page.waitForSelector('#shifts tbody tr:has-text("22:00–06:00")');
  const shift = (await b.api<{ items: Shift[] }>('GET', '/api/v1/reports/shifts')).items[0];
  t.match(shift, { agent: 'a1', date: lastDay, start: '22:00', end: '06:00', note: '夜班' });
  await page.click('#shift-new');
  await page.selectOption('#shift-form-agent', 'a1');
  await page.fill('#shift-form-date', lastDay);
  await page.fill('#shift-form-start', '23:00');
  await page.fill('#shift-form-end', '02:00');
  await page.click('#shift-form button[type=submit]');
  await formError(page, 'shift-form', '重叠');
  t.equal((await b.api<{ total: number }>('GET', '/api/v1/reports/shifts')).total, 1, 'the overlapping shift was not made');
  await page.click('#shift-form button:has-text("取消")');
  await page.waitForSelector(`#attendance tr[data-shift="${shift?.id}"]`);
  t.match(
    await page.textContent(`#attendance tr[data-shift="${shift?.id}"]`),
    /22:00–06:00.*未开始/,
    'the attendance of the night shift: not started yet',
  );
  await b.shot(page, 'shifts');

  // delete the campaign with its airing: the first click asks
  await page.click('nav a[href="/ads"]');
  const campRow = `tr[data-campaign="${campaign?.id}"]`;
  await page.click(`${campRow} button:has-text("删除")`);
  t.equal((await b.api<{ total: number }>('GET', '/api/v1/reports/ad-campaigns')).total, 1, 'one click deletes nothing');
  await page.click(`${campRow} button:has-text("确认删除")`);
  await page.waitForSelector(campRow, { state: 'detached' });
  t.equal((await b.api<{ total: number }>('GET', '/api/v1/reports/ad-airings')).total, 0, 'its airings went with it');
  // the refused line (400) and the overlapping shift (409) are on purpose
  t.same(
    errors.filter((e) => !/status of (400|409)/.test(e)),
    [],
    'no page errors on the ads and shifts pages',
  );

  // ---- an agent reads, changes nothing ----
  const agent = await shopPage(b, DESKTOP);
  await b.signIn(agent.page, '/sales', 'xiaoli', 'agent-password-1');
  await agent.page.waitForSelector(giftRow);
  t.notOk(await agent.page.$('#promotion-new'), 'no new promotion for an agent');
  t.equal(await agent.page.locator('#promotions button').count(), 0, 'no edit or on/off for an agent');
  await agent.page.click('.record-tabs a[href="/sales/stock"]');
  await agent.page.waitForSelector(reqRow);
  t.notOk(await agent.page.$('#stock-new'), 'no new stock request for an agent');
  t.equal(await agent.page.locator('#stock-requests button').count(), 0, 'no status change for an agent');
  await agent.page.click('.record-tabs a[href="/sales/targets"]');
  await agent.page.waitForSelector('tr[data-target="shop"]');
  t.notOk(await agent.page.$('#target-new'), 'no target setting for an agent');
  t.equal(await agent.page.locator('#targets button').count(), 0, 'no target edit for an agent');
  t.notOk(await agent.page.$('nav a[href="/ads"]'), 'no ads page for an agent (reports.read)');
  t.notOk(await agent.page.$('nav a[href="/shifts"]'), 'no shifts page for an agent');
  t.same(agent.errors, [], 'no page errors for the agent');

  // ---- the tabs on a phone ----
  const phone = await shopPage(b, PHONE);
  await b.signIn(phone.page, '/sales');
  for (const p of ['sales', 'sales/stock', 'sales/targets', 'ads', 'shifts']) {
    await phone.page.goto(`${b.box.url}/${p}`);
    await phone.page.waitForSelector('main table.list');
    await phone.page.waitForLoadState('networkidle');
    const wide = await overflowOf(phone.page);
    t.ok(wide <= 1, `${p} fits a phone (${wide} px too wide)`);
    await b.shot(phone.page, `${p.replace('/', '-')}-phone`);
  }
  t.same(phone.errors, [], 'no page errors on the phone');
});

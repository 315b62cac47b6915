// The reports page (报表) in headless chromium against the production bundle on the sim driver:
// two simulated calls answered while an ad airs, two orders (one from a caller of the ad). The
// day report shows the figures in ¥, draws its uPlot charts with data (canvas pixels, not just
// the element: hourly volume, ad channels, sales and margin, agents), exports CSV with a BOM,
// switches to English with localized numbers, and fits a phone. Screenshots under test/artifacts/.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { DESKTOP, PHONE, startBrowserBox } from './fixtures/browser-box.js';
import { inkOf, overflowOf, placeAdCalls, seedSales, shopPage } from './fixtures/shop-data.js';

t.test('reports: figures, charts with data, CSV export, phone', async (t) => {
  const b = await startBrowserBox(t, 'callbox-reports-page-');
  const callsEnded = await placeAdCalls(b);
  await seedSales(b);
  await callsEnded();
  const { page, errors } = await shopPage(b, DESKTOP);

  await b.signIn(page, '/reports');
  await page.waitForSelector('#chart-hourly canvas');
  t.match(await page.textContent('#report-tiles'), /进线\s*2/, 'two calls offered today');
  const points = Number(await page.getAttribute('#chart-hourly', 'data-points'));
  t.ok(points >= 2, `hourly volume has data (${points} points)`);
  t.ok((await inkOf(page, '#chart-hourly canvas')) > 500, 'the hourly chart is drawn on its canvas');
  await page.waitForSelector('#chart-ads canvas');
  t.match(await page.textContent('#ads-table'), /湖南卫视/, 'the ad campaign has its calls');
  t.ok(Number(await page.getAttribute('#chart-ads', 'data-points')) >= 2, 'ad channels: calls and an order');
  await page.waitForSelector('#chart-sales canvas');
  t.ok((await inkOf(page, '#chart-sales canvas')) > 200, 'sales and margin drawn');
  await page.waitForSelector('#chart-agents canvas');
  t.ok((await inkOf(page, '#chart-agents canvas')) > 200, 'agent performance drawn');
  t.match(await page.textContent('#report-tiles'), /¥412\.00/, 'net sales in yuan (2 × ¥128 + ¥39 + 3 × ¥39)');
  t.match(await page.textContent('#top-products'), /诗莉薇排毒养颜茶\s*2\s*¥256\.00/, 'best sellers of the day');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  t.match(download.suggestedFilename(), /^report-day-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await download.path()) as string, 'utf8');
  t.equal(csv.charCodeAt(0), 0xfeff, 'CSV starts with a BOM for Excel');
  t.ok(csv.split('\n').length > 5, 'the CSV has rows');
  t.match(await page.getAttribute('#export-xlsx', 'href'), /format=xlsx/);
  await b.shot(page, 'reports');

  await page.click('#r-period');
  await page.selectOption('#r-period', 'week');
  await page.click('.report-controls button[type=submit]');
  await page.waitForSelector('#report-label:has-text("W")');
  t.match(page.url(), /period=week/, 'the period is in the address');
  await page.waitForSelector('#chart-sl canvas');
  await page.selectOption('#lang', 'en');
  await page.waitForSelector('#chart-hourly-h:has-text("Call volume by hour")');
  t.match(await page.textContent('#report-tiles'), /Net sales\s*¥412\.00/, 'English, money in ¥ (not CN¥)');
  await b.shot(page, 'reports-week-en');
  await page.selectOption('#lang', 'zh-CN');
  t.same(errors, [], 'no page errors');

  // a supervisor reads reports without the shop's people (finance): no sales per agent, no 403s
  await b.api('POST', '/api/v1/users', { username: 'banzhang', role: 'supervisor', password: 'super-password-1' }, 201);
  await b.api('POST', '/api/v1/users', { username: 'xiaowang', role: 'agent', password: 'agent-password-1', agentId: 'a1' }, 201);
  const sup = await shopPage(b, DESKTOP);
  await b.signIn(sup.page, '/reports', 'banzhang', 'super-password-1');
  await sup.page.waitForSelector('#chart-agents canvas');
  t.match(await sup.page.textContent('#chart-agents-h ~ p'), /仅店主可见/, 'the supervisor is told why sales per agent are missing');
  t.same(sup.errors, [], 'no page errors (nor 403s) for the supervisor');
  const agent = await shopPage(b, DESKTOP);
  await b.signIn(agent.page, '/reports', 'xiaowang', 'agent-password-1');
  t.equal(await agent.page.locator('nav a[href="/reports"]').count(), 0, 'agents have no reports page');
  t.equal(await agent.page.locator('#report-tiles').count(), 0, 'an agent at /reports gets the home page');

  const phone = await shopPage(b, PHONE);
  await b.signIn(phone.page, '/reports');
  await phone.page.waitForSelector('#chart-hourly canvas');
  const overflow = await overflowOf(phone.page);
  t.ok(overflow <= 1, `the reports page fits a phone (${overflow} px too wide)`);
  t.ok((await inkOf(phone.page, '#chart-hourly canvas')) > 300, 'the chart is drawn at phone width');
  await b.shot(phone.page, 'reports-phone');
  t.same(phone.errors, [], 'no page errors on the phone');
});

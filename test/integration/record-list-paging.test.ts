// RecordList asks the box for one page (headless chromium, production bundle, sim driver): the ad
// airings tab filtered by a campaign loads `?campaignId=…&limit=50` and shows 50 of 55 with the
// count of all of them, the next page asks `offset=50` with the same filter (kept in the address
// too) and the box sends only that page's rows. 回访名单: an import by tag reloads the lists
// without remounting them: a list's edit form typed into beside it stays open as typed. 排班: the
// attendance below the shifts (useItems) shows a range's rows, and for a range the box refuses its
// error without the previous range's rows.
import t from 'tap';
import type { AdCampaign, FollowupList, Shift } from '../../firmware/src/service/types.js';
import { DESKTOP, startBrowserBox, until } from './fixtures/browser-box.js';

t.test('record lists page on the box, filters kept', async (t) => {
  const b = await startBrowserBox(t, 'callbox-record-paging-');
  const c1 = await b.api<AdCampaign>('POST', '/api/v1/reports/ad-campaigns', { name: '养生节目', media: '湖南卫视' });
  const c2 = await b.api<AdCampaign>('POST', '/api/v1/reports/ad-campaigns', { name: '午间购物', media: '江苏卫视' });
  for (let i = 0; i < 60; i++) {
    const day = new Date(Date.UTC(2026, 9, 1 + i)).toISOString().slice(0, 10);
    await b.api('POST', '/api/v1/reports/ad-airings', {
      campaignId: i < 55 ? c1.id : c2.id,
      startsAt: `${day}T20:00:00+08:00`,
      endsAt: `${day}T20:05:00+08:00`,
      costCents: 10000,
    });
  }
  const page = await b.newPage(DESKTOP);
  const lists: { url: URL; items: number; total: number }[] = [];
  page.on('response', async (res) => {
    const url = new URL(res.url());
    if (url.pathname !== '/api/v1/reports/ad-airings' || res.request().method() !== 'GET') return;
    const body = (await res.json()) as { items: unknown[]; total: number };
    lists.push({ url, items: body.items.length, total: body.total });
  });
  await b.signIn(page, '/ads/airings');
  await page.waitForSelector('#airings');
  const rows = (n: number) => until(`${n} rows`, async () => (await page.locator('#airings tbody tr').count()) === n);
  await rows(50);
  const unfiltered = await until('the first page', async () => lists[0]);
  t.match(unfiltered, { items: 50, total: 60 }, 'unfiltered: one page of 50 comes from the box');
  t.equal(unfiltered.url.searchParams.get('limit'), '50');

  await page.selectOption('#airing-f-campaignId', c1.id);
  await page.click('#airing-filters button[type=submit]');
  await page.waitForSelector('.ads p.muted:has-text("共 55 个播出时段")');
  const first = await until('the filtered page', async () => lists.find((l) => l.url.searchParams.get('campaignId') === c1.id));
  t.equal(first?.url.searchParams.get('campaignId'), c1.id, 'the filter goes to the box');
  t.equal(first?.url.searchParams.get('limit'), '50');
  t.equal(first?.url.searchParams.get('offset'), null, 'the first page');
  t.match(first, { items: 50, total: 55 }, 'one page of the filtered airings');
  t.equal(await page.locator('#airings tbody tr').count(), 50);

  await page.click('.pager button:has-text("下一页")');
  await rows(5);
  const second = await until('the second page', async () => lists.find((l) => l.url.searchParams.get('offset') === '50'));
  t.equal(second?.url.searchParams.get('offset'), '50', 'the next page asks the box from 50');
  t.equal(second?.url.searchParams.get('campaignId'), c1.id, 'with the same filter');
  t.match(second, { items: 5, total: 55 }, 'only the last 5 rows come');
  t.match(page.url(), new RegExp(`campaignId=${c1.id}.*offset=50`), 'filter and page in the address');
  t.match(await page.textContent('.ads p.muted:has-text("个播出时段")'), /共 55 个/, 'the count of all of them');
  t.ok(
    lists.every((l) => l.url.searchParams.get('limit') === '50'),
    'every load asked for one page',
  );

  // ---- 回访名单: after an import the lists load again, the page is not rebuilt ----
  const spring = await b.api<FollowupList>('POST', '/api/v1/followups/lists', { name: '春节问候', purpose: 'other' });
  const survey = await b.api<FollowupList>('POST', '/api/v1/followups/lists', { name: '满意度调查', purpose: 'satisfaction' });
  const listLoads: string[] = [];
  page.on('request', (req) => {
    if (req.method() === 'GET' && new URL(req.url()).pathname === '/api/v1/followups/lists') listLoads.push(req.url());
    if (req.method() === 'POST' && req.url().endsWith('/import')) listLoads.push('import');
  });
  await page.goto(`${b.box.url}/followups/lists`);
  await page.waitForSelector(`tr[data-flist="${survey.id}"]`);
  await page.click(`tr[data-flist="${spring.id}"] button:has-text("编辑")`);
  await page.fill('#flist-form-name', '春节问候（草稿）');
  await page.click(`tr[data-flist="${survey.id}"] .fl-import`);
  await page.fill('#fl-import-tag', 'vip');
  await page.click('#fl-import button[type=submit]');
  await page.waitForSelector('#fl-import-result:has-text("已加入 0 位客户")');
  const reloaded = async () => listLoads.indexOf('import') >= 0 && listLoads.slice(listLoads.indexOf('import')).length > 1;
  t.ok(await until('the lists to load again', reloaded, 5000), 'the lists load again after the import');
  const nameBox = await page.$('#flist-form-name');
  t.equal(nameBox && (await nameBox.inputValue()), '春节问候（草稿）', 'the edit form beside it stays open, as typed');
  t.ok(await page.$(`tr[data-flist="${survey.id}"]`), 'the lists still shown');

  // ---- 排班: the attendance of the range, then a range the box refuses ----
  const now = new Date();
  const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  const shift = await b.api<Shift>('POST', '/api/v1/reports/shifts', { agent: 'a1', date: today, start: '00:00', end: '23:59' });
  await page.goto(`${b.box.url}/shifts`);
  await page.waitForSelector(`#attendance tr[data-shift="${shift.id}"]`);
  t.pass("this week's attendance shows the shift");
  await page.fill('#shift-f-from', '2024-01-01');
  await page.click('#shift-filters button[type=submit]');
  await page.waitForSelector('.attendance [role=alert]:not(:empty)');
  t.comment(`the box's refusal: ${await page.textContent('.attendance [role=alert]')}`);
  t.notOk(await page.$(`#attendance tr[data-shift="${shift.id}"]`), "the refused range shows its error, not the last range's rows");
  await page.fill('#shift-f-from', today);
  await page.click('#shift-filters button[type=submit]');
  await page.waitForSelector(`#attendance tr[data-shift="${shift.id}"]`);
  t.equal(await page.textContent('.attendance [role=alert]'), '', 'a good range again: the row back, the error gone');
  t.same(
    b.errors.filter((e) => !/status of 400/.test(e)),
    [],
    "no page errors (but the refused range's 400s)",
  );
});

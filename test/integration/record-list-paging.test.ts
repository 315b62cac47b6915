// RecordList asks the box for one page (headless chromium, production bundle, sim driver): the ad
// airings tab filtered by a campaign loads `?campaignId=…&limit=50` and shows 50 of 55 with the
// count of all of them, the next page asks `offset=50` with the same filter (kept in the address
// too) and the box sends only that page's rows.
import t from 'tap';
import type { AdCampaign } from '../../firmware/src/service/types.js';
import { DESKTOP, startBrowserBox } from './fixtures/browser-box.js';

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
  await page.waitForFunction(() => document.querySelectorAll('#airings tbody tr').length === 50);
  t.match(lists.at(-1), { items: 50, total: 60 }, 'unfiltered: one page of 50 comes from the box');
  t.equal(lists.at(-1)?.url.searchParams.get('limit'), '50');

  await page.selectOption('#airing-f-campaignId', c1.id);
  await page.click('#airing-filters button[type=submit]');
  await page.waitForSelector('.ads p.muted:has-text("共 55 个播出时段")');
  const first = lists.at(-1);
  t.equal(first?.url.searchParams.get('campaignId'), c1.id, 'the filter goes to the box');
  t.equal(first?.url.searchParams.get('limit'), '50');
  t.equal(first?.url.searchParams.get('offset'), null, 'the first page');
  t.match(first, { items: 50, total: 55 }, 'one page of the filtered airings');
  t.equal(await page.locator('#airings tbody tr').count(), 50);

  await page.click('.pager button:has-text("下一页")');
  await page.waitForFunction(() => document.querySelectorAll('#airings tbody tr').length === 5);
  const second = lists.at(-1);
  t.equal(second?.url.searchParams.get('offset'), '50', 'the next page asks the box from 50');
  t.equal(second?.url.searchParams.get('campaignId'), c1.id, 'with the same filter');
  t.match(second, { items: 5, total: 55 }, 'only the last 5 rows come');
  t.match(page.url(), new RegExp(`campaignId=${c1.id}.*offset=50`), 'filter and page in the address');
  t.match(await page.textContent('.ads p.muted:has-text("个播出时段")'), /共 55 个/, 'the count of all of them');
  t.ok(
    lists.every((l) => l.url.searchParams.get('limit') === '50'),
    'every load asked for one page',
  );
  t.same(b.errors, [], 'no page errors');
});

// Server paging of the record lists the dashboard's RecordList shows (the real web server over
// FakeService, whose back office is real over an in-memory database): the ad campaigns, airings,
// spend, shifts, follow-up lists and ticket categories come back whole without `limit`/`offset`
// (pickers need every item) and one page with them, `total` counting every match of the filters;
// a bad limit or offset is a 400 VALIDATION_FAILED naming the field.
import t from 'tap';
import { errorOf, startTestServer } from './fixtures/helpers.js';

interface Page {
  items: { id: string }[];
  total: number;
}

t.test('six record lists: whole, or one page with the total; filters kept; bad values 400', async (t) => {
  const s = await startTestServer(t);
  const owner = await s.login();
  const post = async (path: string, body: unknown): Promise<{ id: string }> => {
    const res = await s.call(path, { method: 'POST', token: owner, json: body });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const get = async (path: string): Promise<Page> => {
    const res = await s.call(path, { token: owner });
    t.equal(res.status, 200, path);
    return (await res.json()) as Page;
  };

  const campaigns = [];
  for (const n of [1, 2, 3, 4, 5]) campaigns.push(await post('/api/v1/reports/ad-campaigns', { name: `节目${n}`, media: '湖南卫视' }));
  const c1 = campaigns[0]?.id ?? '';
  const c2 = campaigns[1]?.id ?? '';
  for (let d = 1; d <= 7; d++) {
    const day = `2026-11-${String(d).padStart(2, '0')}`;
    await post('/api/v1/reports/ad-airings', {
      campaignId: d <= 5 ? c1 : c2,
      startsAt: `${day}T20:00:00+08:00`,
      endsAt: `${day}T20:05:00+08:00`,
      costCents: 1000 * d,
    });
    await post('/api/v1/reports/ad-spend', { campaignId: d <= 5 ? c1 : c2, date: day, amountCents: 500 * d });
    await post('/api/v1/reports/shifts', { agent: d <= 4 ? 'a1' : 'a2', date: day, start: '09:00', end: '18:00' });
  }
  for (const n of [1, 2, 3, 4]) await post('/api/v1/followups/lists', { name: `回访${n}`, purpose: 'satisfaction' });
  for (const n of [1, 2, 3]) await post('/api/v1/ticket-categories', { id: `cat${n}`, nameZh: `分类${n}` });

  const lists: [string, string][] = [
    ['/api/v1/reports/ad-campaigns', ''],
    ['/api/v1/reports/ad-airings', `from=2026-11-01&to=2026-11-30&campaignId=${c1}`],
    ['/api/v1/reports/ad-spend', `from=2026-11-01&to=2026-11-30&campaignId=${c1}`],
    ['/api/v1/reports/shifts', 'from=2026-11-01&to=2026-11-30&agent=a2'],
    ['/api/v1/followups/lists', ''],
    ['/api/v1/ticket-categories', ''],
  ];
  for (const [path, filters] of lists) {
    const q = (more: string) => `${path}?${[filters, more].filter(Boolean).join('&')}`;
    const whole = await get(q(''));
    t.ok(whole.total >= 3, `${path}: enough records to page (${whole.total})`);
    t.equal(whole.items.length, whole.total, `${path}: without limit every match comes back`);
    const first = await get(q('limit=2'));
    t.same(
      first.items.map((x) => x.id),
      whole.items.slice(0, 2).map((x) => x.id),
      `${path}: limit=2 is the first two`,
    );
    t.equal(first.total, whole.total, `${path}: total counts every match`);
    const second = await get(q('limit=2&offset=2'));
    t.same(
      second.items.map((x) => x.id),
      whole.items.slice(2, 4).map((x) => x.id),
      `${path}: the next page`,
    );
    const past = await get(q(`limit=2&offset=${whole.total}`));
    t.same(past.items, [], `${path}: past the end, nothing`);
    t.equal(past.total, whole.total);
    const onlyOffset = await get(q('offset=1'));
    t.equal(onlyOffset.items.length, Math.min(50, whole.total - 1), `${path}: offset alone pages 50`);
    for (const [bad, field] of [
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=2&limit=3', 'limit'],
      ['offset=-1', 'offset'],
      ['limit=5&offset=1.5', 'offset'],
    ]) {
      const res = await s.call(q(bad ?? ''), { token: owner });
      t.equal(res.status, 400, `${path} ${bad}`);
      const err = await errorOf(res);
      t.equal(err.code, 'VALIDATION_FAILED');
      t.same(err.details, { field }, `${path} ${bad}: names ${field}`);
    }
  }
  // the filters apply before paging
  const airings = await get(`/api/v1/reports/ad-airings?campaignId=${c1}&from=2026-11-01&to=2026-11-30&limit=2&offset=4`);
  t.equal(airings.total, 5, 'five airings of the first campaign');
  t.equal(airings.items.length, 1, 'the last of them on the third page');
  const shifts = await get('/api/v1/reports/shifts?from=2026-11-01&to=2026-11-30&agent=a2&limit=2');
  t.equal(shifts.total, 3, "a2's three shifts");
  t.end();
});

// Advertising attribution (广告监测): calls per airing, conversion to orders, cost per call and per
// order on the worked example; slot edges and overlapping campaigns; schedule and spend CRUD.
import t from 'tap';
import { pickAiring } from '../../../firmware/src/backoffice/reports/ad-attribution.js';
import { SYSTEM_ACTOR } from '../../../firmware/src/backoffice/common/types.js';
import { DAY, scenario } from './fixtures/scenario.js';
import { local, Shop } from './fixtures/shop.js';

t.test('the worked day: calls, orders and cost per campaign and medium', (t) => {
  const s = scenario();
  const r = s.bo.reports.ads(SYSTEM_ACTOR, { from: DAY, to: DAY });
  t.equal(r.inboundCalls, 4);
  t.equal(r.unattributedCalls, 1, 'c4 at 23:59 follows no airing');
  t.equal(r.orderWindowDays, 7);
  const row = (name: string) => r.byCampaign.find((c) => c.campaign === name);
  // 养生节目: airings 09:00 (c1, converting by O1's call_id) and 13:40 (c3 goes to the later 13:50
  // airing of 午间购物); cost 500 + 100 元 airings + 300 元 lump spend.
  t.match(row('养生节目'), {
    media: '湖南卫视',
    airings: 2,
    calls: 1,
    orders: 1,
    orderNetCents: 10000,
    costCents: 90000,
    costPerCallCents: 90000,
    costPerOrderCents: 90000,
    conversion: 1,
  });
  // 新闻联播后 on fxo2 only: c2 at 09:40 on fxo2 (c1 at 09:10 on fxo1 is not its line); no order.
  t.match(row('新闻联播后'), {
    media: 'CCTV-1',
    calls: 1,
    orders: 0,
    costCents: 100000,
    costPerCallCents: 100000,
    costPerOrderCents: null,
    conversion: 0,
  });
  // 午间购物: c3 at 14:00; O2 by the same customer (+8613800000003 for caller 13800000003) at 15:00.
  t.match(row('午间购物'), {
    calls: 1,
    orders: 1,
    orderNetCents: 20000,
    costCents: 20000,
    costPerCallCents: 20000,
    costPerOrderCents: 20000,
  });
  t.same(
    r.byMedia.map((m) => [m.media, m.calls, m.orders, m.costCents, m.costPerCallCents, m.costPerOrderCents]),
    [
      ['CCTV-1', 1, 0, 100000, 100000, null],
      ['湖南卫视', 2, 2, 110000, 55000, 55000],
    ],
  );
  t.same(
    r.byAiring.map((a) => [a.campaign, a.startsAt, a.windowEndsAt, a.calls, a.orders]),
    [
      ['养生节目', '2026-11-26T01:00:00.000Z', '2026-11-26T01:35:00.000Z', 1, 1],
      ['新闻联播后', '2026-11-26T01:30:00.000Z', '2026-11-26T02:32:00.000Z', 1, 0],
      ['养生节目', '2026-11-26T05:40:00.000Z', '2026-11-26T06:45:00.000Z', 0, 0],
      ['午间购物', '2026-11-26T05:50:00.000Z', '2026-11-26T06:25:00.000Z', 1, 1],
    ],
  );
  t.same(s.bo.reports.report(SYSTEM_ACTOR, { period: 'day', date: DAY }).ads, r, 'the day report carries the same section');
  t.end();
});

t.test('slot edges: start included, end of the response window excluded; the later airing wins', (t) => {
  const mk = (id: string, start: number, end: number, windowMin: number, line: string | null = null) => ({
    id,
    line,
    starts_at: start,
    ends_at: end,
    window_ms: windowMin * 60_000,
  });
  const T = 1_000_000;
  const a = mk('a', T, T + 300_000, 30);
  t.equal(pickAiring([a], T - 1, 'fxo1'), null, 'before the airing');
  t.equal(pickAiring([a], T, 'fxo1'), a, 'at its first instant');
  t.equal(pickAiring([a], T + 300_000 + 30 * 60_000 - 1, 'fxo1'), a, 'last ms of the window');
  t.equal(pickAiring([a], T + 300_000 + 30 * 60_000, 'fxo1'), null, 'the window is half-open');
  const b = mk('b', T + 60_000, T + 120_000, 30);
  t.equal(pickAiring([a, b], T + 90_000, 'fxo1'), b, 'overlap: the airing that started last');
  t.equal(pickAiring([a, b], T + 30_000, 'fxo1'), a, 'before b started, a');
  const anyLine = mk('c', T, T + 60_000, 10);
  const onFxo2 = mk('d', T, T + 60_000, 10, 'fxo2');
  t.equal(pickAiring([anyLine, onFxo2], T + 1, 'fxo2'), onFxo2, 'equal starts: the line-specific campaign');
  t.equal(pickAiring([anyLine, onFxo2], T + 1, 'fxo1'), anyLine, 'other line: only the any-line campaign');
  const twin = mk('e', T, T + 60_000, 10);
  t.equal(pickAiring([twin, anyLine], T + 1, 'fxo1'), anyLine, 'all equal: the smaller id');
  t.end();
});

t.test('an order naming a call not attributed does not fall back to the customer', (t) => {
  const s = new Shop();
  const at = local('2026-11-26', '20:00');
  s.call({ id: 'k1', at: at + 60_000, caller: '13900000001', agent: 'a1', waitS: 2 });
  s.call({ id: 'k2', at: at + 3_600_000 * 3, caller: '13900000001', agent: 'a1', waitS: 2 });
  s.login(at - 60_000, 'a1').flush();
  s.customer('k', ['13900000001']);
  s.order({ id: 'O11', createdAt: at + 3_600_000 * 3 + 100_000, callId: 'k2', customerId: 'k', totalCents: 500, costCents: 100 });
  s.order({ id: 'O12', createdAt: at + 8 * 86_400_000, customerId: 'k', totalCents: 700, costCents: 100 });
  s.order({ id: 'O13', createdAt: at + 2 * 86_400_000, customerId: 'k', totalCents: 900, costCents: 100 });
  const c = s.bo.reports.createCampaign(SYSTEM_ACTOR, { name: '晚间', media: '东方卫视', responseMin: 15 });
  s.bo.reports.createAiring(SYSTEM_ACTOR, { campaignId: c.id, startsAt: '2026-11-26 20:00', endsAt: '2026-11-26 20:01' });
  const r = s.bo.reports.ads(SYSTEM_ACTOR, { from: '2026-11-26', to: '2026-11-26' });
  t.equal(r.inboundCalls, 2);
  t.equal(r.unattributedCalls, 1, 'k2 three hours later is outside the window');
  // O11 names k2 (not attributed): not a conversion. O13 two days later: a conversion of k1.
  // O12 eight days later: outside the 7-day window.
  t.match(r.byCampaign[0], { calls: 1, orders: 1, orderNetCents: 900, costCents: 0, costPerCallCents: 0 });
  t.end();
});

t.test('schedule and spend CRUD: validation, versions, not found, cascade', (t) => {
  const s = new Shop();
  const r = s.bo.reports;
  const c = r.createCampaign(SYSTEM_ACTOR, { name: '养生节目', media: '湖南卫视', line: 'fxo2', phone: '400-800-1234' });
  t.match(c, { name: '养生节目', line: 'fxo2', responseMin: 30, version: 1, note: '' });
  t.throws(() => r.createCampaign(SYSTEM_ACTOR, { name: 'x', media: 'y', line: 'fxo9' }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'line' },
  });
  t.throws(() => r.createCampaign(SYSTEM_ACTOR, { name: '', media: 'y' }), { code: 'VALIDATION_FAILED', details: { field: 'name' } });
  t.throws(() => r.createCampaign(SYSTEM_ACTOR, { name: 'x', media: 'y', responseMin: 2000 }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'responseMin' },
  });
  const c2 = r.updateCampaign(SYSTEM_ACTOR, c.id, { responseMin: 45, version: 1 });
  t.match(c2, { responseMin: 45, version: 2, name: '养生节目' });
  t.throws(() => r.updateCampaign(SYSTEM_ACTOR, c.id, { responseMin: 50, version: 1 }), { code: 'CONFLICT' });
  t.throws(() => r.getCampaign(SYSTEM_ACTOR, 'nope'), { code: 'NOT_FOUND' });

  const a = r.createAiring(SYSTEM_ACTOR, {
    campaignId: c.id,
    startsAt: '2026-11-26 20:00',
    endsAt: '2026-11-26T20:05:00+08:00',
    costCents: 12345,
  });
  t.match(a, { startsAt: '2026-11-26T12:00:00.000Z', endsAt: '2026-11-26T12:05:00.000Z', responseMin: null, costCents: 12345 });
  t.throws(() => r.createAiring(SYSTEM_ACTOR, { campaignId: 'nope', startsAt: '2026-11-26 20:00', endsAt: '2026-11-26 20:05' }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'campaignId' },
  });
  t.throws(() => r.createAiring(SYSTEM_ACTOR, { campaignId: c.id, startsAt: '2026-11-26 20:00', endsAt: '2026-11-26 19:05' }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'endsAt' },
  });
  t.throws(() => r.createAiring(SYSTEM_ACTOR, { campaignId: c.id, startsAt: 'tonight', endsAt: '2026-11-26 19:05' }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'startsAt' },
  });
  t.throws(
    () => r.createAiring(SYSTEM_ACTOR, { campaignId: c.id, startsAt: '2026-11-26 20:00', endsAt: '2026-11-26 20:05', costCents: -1 }),
    {
      code: 'VALIDATION_FAILED',
      details: { field: 'costCents' },
    },
  );
  t.match(r.updateAiring(SYSTEM_ACTOR, a.id, { costCents: 100 }), { costCents: 100, version: 2, startsAt: a.startsAt });
  t.same(
    r.listAirings(SYSTEM_ACTOR, { from: '2026-11-26', to: '2026-11-26' }).map((x) => x.id),
    [a.id],
  );
  t.same(r.listAirings(SYSTEM_ACTOR, { from: '2026-11-27' }), []);

  const sp = r.createSpend(SYSTEM_ACTOR, { campaignId: c.id, date: '2026-11-01', amountCents: 500000, note: '月度合同' });
  t.match(r.updateSpend(SYSTEM_ACTOR, sp.id, { amountCents: 400000, version: 1 }), { amountCents: 400000, version: 2, date: '2026-11-01' });
  t.throws(() => r.createSpend(SYSTEM_ACTOR, { campaignId: c.id, date: '2026-13-01', amountCents: 1 }), {
    code: 'VALIDATION_FAILED',
    details: { field: 'date' },
  });
  t.equal(r.listSpend(SYSTEM_ACTOR, { campaignId: c.id }).length, 1);
  t.equal(r.ads(SYSTEM_ACTOR, { from: '2026-11-01', to: '2026-11-30' }).byCampaign[0]?.costCents, 400100);

  r.deleteCampaign(SYSTEM_ACTOR, c.id);
  t.throws(() => r.getAiring(SYSTEM_ACTOR, a.id), { code: 'NOT_FOUND' }, 'airings go with their campaign');
  t.throws(() => r.getSpend(SYSTEM_ACTOR, sp.id), { code: 'NOT_FOUND' });
  t.throws(() => r.deleteCampaign(SYSTEM_ACTOR, c.id), { code: 'NOT_FOUND' });
  const audit = s.bo.audit.list({ entity: 'adCampaign', entityId: c.id, limit: 10 }).map((e) => e.action);
  t.same(audit, ['adCampaign.delete', 'adCampaign.update', 'adCampaign.create']);
  t.end();
});

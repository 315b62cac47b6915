// Reports on a whole box in virtual time: simulated callers ring the sim lines, press 1, talk to
// the simulated agents; the day report's call figures are the KPI module's over the same local
// day, the calls are attributed to the airing on their line, and the agents' log-in at start-up
// makes their shift on time.
import t from 'tap';
import { SYSTEM_ACTOR } from '../../firmware/src/backoffice/common/types.js';
import { virtualBox } from '../helpers/box.js';

// 2026-01-01 01:00 UTC is 09:00 in Asia/Shanghai (the default config's zone).
const START = Date.UTC(2026, 0, 1, 1, 0, 0);

t.test('a simulated morning: day report = KPIs, ads, attendance', async (t) => {
  const vb = await virtualBox({ startMs: START });
  t.teardown(vb.close);
  const svc = vb.box.service;
  svc.sim?.setAgentSettings({ answerAfterS: 2, talkS: 20 });
  const reports = svc.reports;
  const tv = reports.createCampaign(SYSTEM_ACTOR, { name: '早间健康', media: '湖南卫视', line: 'fxo2', responseMin: 30 });
  reports.createAiring(SYSTEM_ACTOR, { campaignId: tv.id, startsAt: '2026-01-01 08:55', endsAt: '2026-01-01 09:00', costCents: 60000 });
  reports.createShift(SYSTEM_ACTOR, { agent: 'a1', date: '2026-01-01', start: '09:00', end: '18:00' });
  reports.createShift(SYSTEM_ACTOR, { agent: 'a2', date: '2026-01-01', start: '08:00', end: '12:00' });

  const ids: string[] = [];
  for (const [channel, callerId] of [
    ['fxo1', '13800138000'],
    ['fxo2', '13900139000'],
  ] as const) {
    const { callId } = await svc.sim!.placeCall({ channel, callerId, digits: '1', hangupAfterS: 600 });
    ids.push(callId);
  }
  await vb.clock.runUntil(() => ids.every((id) => svc.calls.get(id)?.state === 'ended'), 600_000);
  await vb.clock.run(60_000); // wrap-ups end

  const r = reports.report(SYSTEM_ACTOR, { period: 'day', date: '2026-01-01' });
  const k = svc.kpis.report({ from: Date.parse(r.from), to: Date.parse(r.to) });
  t.equal(r.calls.offered, 2);
  t.equal(r.calls.answered, 2);
  t.equal(r.calls.offered, k.offered);
  t.equal(r.calls.answered, k.answered);
  t.equal(r.calls.ahtS, k.ahtS);
  t.equal(r.calls.serviceLevel, k.serviceLevel);
  t.match(
    r.byHour.find((h) => h.label === '09:00'),
    { offered: 2, answered: 2 },
  );
  t.same(
    r.agents.map((a) => a.agent),
    k.byAgent.map((a) => a.agent),
  );
  t.equal(
    r.agents.reduce((n, a) => n + a.answered, 0),
    2,
  );

  const fxo2 = ids[1] as string;
  t.match(r.ads, { inboundCalls: 2, unattributedCalls: 1 });
  t.match(r.ads.byCampaign[0], { campaign: '早间健康', calls: 1, costCents: 60000, costPerCallCents: 60000 });
  t.ok(svc.calls.get(fxo2)?.legs[0]?.channel === 'fxo2', 'the attributed call came in on fxo2');

  // a1 logged in at start-up (09:00:00): on time. a2's shift 08:00-12:00: logged in at 09:00, late 60 min.
  const att = reports.attendance(SYSTEM_ACTOR, { from: '2026-01-01', to: '2026-01-01' });
  t.same(
    att.map((a) => [a.agent, a.status, a.lateMin]),
    [
      ['a2', 'late', 60],
      ['a1', 'ok', 0],
    ],
  );
  t.ok(
    r.staffing.some((s) => s.hour === 9 && s.scheduled > 0 && s.loggedIn > 0),
    'staffing compares shifts and log-ins at 09:00',
  );
  const xlsx = await reports.exportReport(SYSTEM_ACTOR, { period: 'day', date: '2026-01-01', format: 'xlsx' });
  t.ok(xlsx.body.length > 1000, 'an XLSX file');
});

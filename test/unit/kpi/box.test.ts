// The KPI service wired into a real box on the sim driver, in virtual time: the events the call
// engine writes are the ones the KPIs read.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import t from 'tap';
import { ULID_PATTERN, ulidFactory } from '../../../firmware/src/backoffice/common/ulid.js';
import { computeKpis } from '../../../firmware/src/kpi/compute.js';
import { KpiEventSource } from '../../../firmware/src/kpi/source.js';
import { virtualBox } from '../../helpers/box.js';

t.test('a simulated call answered by an agent shows in the box KPIs', async (t) => {
  const vb = await virtualBox();
  t.teardown(vb.close);
  const { box, clock } = vb;
  const sim = box.service.sim;
  if (!sim) throw new Error('sim control missing');
  sim.setAgentSettings({ answerAfterS: 3, talkS: 20 });
  const from = clock.now();
  const { callId } = await sim.placeCall({ channel: 'fxo1', digits: '1', hangupAfterS: 600 });
  // Inbound call ids are ULIDs at the box's clock (26 characters: 10 bytes less per event than a UUID).
  t.match(callId, ULID_PATTERN);
  t.equal(callId.slice(0, 10), ulidFactory(() => from)().slice(0, 10), 'the id starts with the time of the first ring');
  await clock.runUntil(() => box.service.calls.get(callId)?.state === 'ended', 120_000);
  await clock.run(120_000); // wrap-up over
  const q = { from, to: from + 3_600_000 };
  const r = box.service.kpis.report(q);
  t.match(r, {
    offered: 1,
    answered: 1,
    abandoned: 0,
    answeredWithinThreshold: 1,
    serviceLevel: 1,
    handled: 1,
    lines: box.config.lines.length,
  });
  t.ok(r.asaS !== null && r.asaS >= 3, `ASA ${r.asaS} s includes the 3 s ring`);
  t.ok(r.attS !== null && Math.abs(r.attS - 20) < 1, `talk ${r.attS} s`);
  t.equal(r.ahtS, (r.attS ?? 0) + (r.acwS ?? 0));
  t.match(r.byQueue, [{ queue: 'main', offered: 1, answered: 1 }]);
  t.match(
    r.byAgent.find((a) => a.agent === 'a1'),
    { answered: 1, handled: 1, missed: 0 },
  );
  t.ok((r.occupancy ?? 0) > 0, 'agents were busy some of the time');

  // The same report from all of the box's events in memory, up to the box's now.
  const db = new BetterSqlite3(join(vb.dataDir, 'callbox.db'), { readonly: true });
  t.teardown(() => db.close());
  const all = [...new KpiEventSource(db).events({ from: 0, to: clock.now() + 1 })];
  t.ok(all.length > 5);
  t.same(r, { ...computeKpis(all, q, { lines: box.config.lines.length, now: clock.now() }), callbacksPending: 0 });

  const advice = box.service.kpis.staffing(q);
  t.equal(advice.timeZone, box.config.shop.timezone);
  t.equal(
    advice.slots.reduce((s, x) => s + x.offered, 0),
    1,
  );
});

// Stats survive a restart (a complaint about app_queue): after a mid-day stop and start on the same
// data, today's per-agent counters, the "fewest calls" routing they drive, and the KPIs are the same.
import t from 'tap';
import { virtualBox } from '../helpers/box.js';

t.test('restart mid-day keeps counters and KPIs', async (t) => {
  const first = await virtualBox();
  const { box, clock, dataDir } = first;
  box.service.sim!.setAgentSettings({ answerAfterS: 2, talkS: 20 });
  for (const channel of ['fxo1', 'fxo2', 'gsm1']) {
    await box.service.sim!.placeCall({ channel, callerId: '13800138000', digits: '1', hangupAfterS: 600 });
  }
  await clock.runUntil(() => box.engine.activeCount() === 0, 600_000);
  await clock.run(30_000);
  const from = new Date(Date.UTC(2026, 0, 1, 0, 0)).toISOString();
  const to = new Date(clock.now() + 1000).toISOString();
  const before = {
    agents: box.service.acd.agents().map((a) => [a.id, a.callsToday, a.talkTodayS]),
    kpis: box.service.kpis.report({ from: Date.parse(from), to: Date.parse(to) }),
  };
  t.equal(before.kpis.answered, 3);
  t.same(before.agents.filter(([, calls]) => calls === 1).length, 3, 'three agents took one call each');
  await box.stop();

  // same data folder, clock continues
  const second = await virtualBox({ dataDir, startMs: clock.now() });
  t.teardown(async () => {
    await second.close();
    await first.close();
  });
  const after = {
    agents: second.box.service.acd.agents().map((a) => [a.id, a.callsToday, a.talkTodayS]),
    kpis: second.box.service.kpis.report({ from: Date.parse(from), to: Date.parse(to) }),
  };
  t.same(after.agents, before.agents, "today's counters come back from the event log");
  t.same(after.kpis, before.kpis, 'KPIs are recomputed exactly from the log');
});

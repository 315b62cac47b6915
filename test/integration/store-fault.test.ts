// A records store that refuses writes must not stop calls, and must not go unnoticed: the call
// completes, the failure is logged and /healthz turns "degraded" naming the calls module.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { virtualBox } from '../helpers/box.js';

t.test('calls go on and health turns degraded when the event log refuses writes', async (t) => {
  const vb = await virtualBox();
  t.teardown(vb.close);
  const { box, clock } = vb;
  t.equal(box.service.health().status, 'ok');
  const other = new Database(join(vb.dataDir, 'callbox.db'));
  other.exec("CREATE TRIGGER refuse_events BEFORE INSERT ON event_log BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
  other.close();

  const sim = box.service.sim;
  if (!sim) throw new Error('no sim');
  sim.setAgentSettings({ answerAfterS: 1, talkS: 5 });
  await sim.placeCall({ channel: 'fxo1', callerId: '13800138000', digits: '1', hangupAfterS: 120 });
  await clock.runUntil(() => box.engine.activeCount() === 0, 120_000);
  t.same(
    box.channels().map((c) => c.state),
    box.channels().map(() => 'idle'),
    'the call ran to its end and released every channel',
  );
  const health = box.service.health();
  t.equal(health.status, 'degraded');
  t.match(health.modules.find((m) => m.name === 'calls')?.error ?? '', /saving calls failed: disk says no/);
  t.equal(box.service.calls.list({ limit: 5 }).length, 0, 'nothing half-written: each save is one transaction');
});

// Six virtual hours of Poisson demo traffic (60 calls/hour) on the default sim box (3 lines,
// 4 agents): every call ends with an outcome and consistent times, every call's event history
// starts with its first ring and ends with its end, nothing is left stuck, and after a stop no
// call is left open in the records.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import t from 'tap';
import { virtualBox } from '../helpers/box.js';

const OUTCOMES = new Set(['answered', 'abandoned', 'missed', 'ivrHangup', 'noAgent', 'failed']);

t.test('six hours of demo traffic', async (t) => {
  const vb = await virtualBox({ demoCallsPerHour: 60 });
  t.teardown(vb.close);
  const { box, clock } = vb;
  const hours = 6;
  await clock.run(hours * 3_600_000);
  const calls = box.service.calls.list({ limit: 500 });
  t.ok(calls.length >= 300, `${calls.length} calls handled`);
  t.ok(box.engine.activeCount() <= 3, 'at most one call per line is active');

  const ended = calls.filter((c) => c.state === 'ended');
  for (const c of ended) {
    const s = Date.parse(c.startedAt);
    const e = Date.parse(c.endedAt ?? '');
    if (!OUTCOMES.has(c.outcome ?? '') || !(e >= s)) t.fail(`bad CDR ${JSON.stringify(c)}`);
    if (c.answeredAt && !(Date.parse(c.answeredAt) >= s && Date.parse(c.answeredAt) <= e)) t.fail(`answer outside the call ${c.id}`);
    if (c.outcome === 'answered' && !c.legs.some((l) => l.role === 'agent' && l.answeredAt)) t.fail(`answered without an agent ${c.id}`);
    if (c.legs.some((l) => l.endedAt === null)) t.fail(`open leg in ended call ${c.id}`);
  }
  const byOutcome: Record<string, number> = {};
  for (const c of ended) byOutcome[c.outcome as string] = (byOutcome[c.outcome as string] ?? 0) + 1;
  t.ok((byOutcome.answered ?? 0) > ended.length * 0.6, `most calls were answered: ${JSON.stringify(byOutcome)}`);
  t.equal(byOutcome.failed ?? 0, 0, 'no call failed');

  await box.stop();
  const db = new Database(join(vb.dataDir, 'callbox.db'), { readonly: true });
  t.teardown(() => db.close());
  const open = db.prepare("SELECT count(*) AS n FROM calls WHERE state != 'ended'").get() as { n: number };
  t.equal(open.n, 0, 'a clean stop leaves no call open');
  const firstLast = db
    .prepare(
      `SELECT call_id, (SELECT type FROM events e2 WHERE e2.call_id = e.call_id ORDER BY seq LIMIT 1) AS first,
              (SELECT type FROM events e3 WHERE e3.call_id = e.call_id ORDER BY seq DESC LIMIT 1) AS last
         FROM events e WHERE call_id IS NOT NULL GROUP BY call_id`,
    )
    .all() as { call_id: string; first: string; last: string }[];
  t.equal(firstLast.length, calls.length, 'every call has an event history');
  const bad = firstLast.filter((r) => r.first !== 'call.ringing' || r.last !== 'call.ended');
  t.same(bad, [], 'each history starts with call.ringing and ends with an end event');
});

// QA in the reports (报表): the week and month reports carry the scores per agent of the period's
// calls (reviews, average, pass rate, auto-fails), in the JSON and in the CSV export.
import t from 'tap';
import { SYSTEM_ACTOR } from '../../../firmware/src/backoffice/common/types.js';
import { testBackOffice } from '../kb/fixtures/backoffice.js';

const SUP = { username: 'sup1', role: 'supervisor' as const };

t.test('scores per agent by week and month, exported', async (t) => {
  const { bo, db, config } = testBackOffice(Date.UTC(2026, 11, 20, 2));
  const name = (id: string) => config.agents.find((a) => a.id === id)?.name ?? id;
  const card = bo.qa.scorecards()[0];
  if (!card) throw new Error('no default');
  const call = (id: string, agent: string, startedAt: number) =>
    db
      .prepare(
        `INSERT INTO calls (id, direction, state, started_at, answered_at, ended_at, outcome, queue, agent)
         VALUES (?, 'inbound', 'ended', ?, ?, ?, 'answered', 'main', ?)`,
      )
      .run(id, startedAt, startedAt + 5000, startedAt + 65_000, agent);
  const score = (callId: string, s: number, over: Record<string, number> = {}) =>
    bo.qa.score(SUP, { callId, scorecardId: card.id, scores: card.criteria.map((c) => ({ key: c.key, score: over[c.key] ?? s })) });
  // week of Mon 2026-11-23 (Shanghai), and one call the week after
  call('w1', 'a1', Date.UTC(2026, 10, 23, 2));
  call('w2', 'a1', Date.UTC(2026, 10, 24, 2));
  call('w3', 'a2', Date.UTC(2026, 10, 25, 2));
  call('n1', 'a1', Date.UTC(2026, 10, 30, 2));
  score('w1', 100);
  score('w2', 70);
  score('w3', 100, { identity: 0 });
  score('n1', 90);

  const week = bo.reports.report(SYSTEM_ACTOR, { period: 'week', date: '2026-11-25' });
  t.same(week.qa, [
    { agent: 'a1', name: name('a1'), reviews: 2, average: 85, passRate: 0.5, autoFailed: 0 },
    { agent: 'a2', name: name('a2'), reviews: 1, average: 85, passRate: 0, autoFailed: 1 },
  ]);
  const month = bo.reports.report(SYSTEM_ACTOR, { period: 'month', date: '2026-11-01' });
  t.match(month.qa, [
    { agent: 'a1', reviews: 3, average: 86.7 },
    { agent: 'a2', reviews: 1 },
  ]);
  const csv = (await bo.reports.exportReport(SYSTEM_ACTOR, { period: 'week', date: '2026-11-25', format: 'csv' })).body.toString('utf8');
  t.ok(
    csv.includes(
      `质检 Quality assurance\r\n座席 Agent,评分次数 Reviews,平均分 Average,合格率% Pass rate,一票否决 Auto-fails\r\n${name('a1')},2,85,50,0\r\n${name('a2')},1,85,0,1\r\n`,
    ),
    'the QA table in the CSV',
  );
});

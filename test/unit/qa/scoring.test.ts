// QA score math: weighted total, pass mark, auto-fail (critical criterion at 0), validation of
// scorecards and scores, and the calibration spread between two scorers.
import t from 'tap';
import { DEFAULT_SCORECARD } from '../../../firmware/src/backoffice/qa/default-scorecard.js';
import { calibrate, checkCriteria, checkPassMark, computeResult } from '../../../firmware/src/backoffice/qa/scoring.js';
import type { Criterion, Review } from '../../../firmware/src/backoffice/qa/types.js';
import { CallboxError } from '../../../firmware/src/errors.js';

const CRITERIA: Criterion[] = [
  { key: 'greeting', labelZh: '开场问候', labelEn: 'Greeting', weight: 1, critical: false },
  { key: 'identity', labelZh: '身份核实', labelEn: 'Identity check', weight: 1, critical: true },
  { key: 'accuracy', labelZh: '业务准确', labelEn: 'Accuracy', weight: 2, critical: false },
];

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    if (e instanceof CallboxError && e.code === 'VALIDATION_FAILED') return (e.details as { field: string }).field;
    throw e;
  }
  return undefined;
};

t.test('weighted total and pass mark', async (t) => {
  const r = computeResult(CRITERIA, 80, [
    { key: 'greeting', score: 100 },
    { key: 'identity', score: 60, comment: '没有核对手机尾号' },
    { key: 'accuracy', score: 80 },
  ]);
  // (100·1 + 60·1 + 80·2) / 4 = 80
  t.equal(r.total, 80);
  t.equal(r.passed, true, 'a total equal to the pass mark passes');
  t.equal(r.autoFailed, false);
  t.same(r.scores[1], { key: 'identity', score: 60, comment: '没有核对手机尾号' });
  const below = computeResult(CRITERIA, 80.1, [
    { key: 'accuracy', score: 80 },
    { key: 'greeting', score: 100 },
    { key: 'identity', score: 60 },
  ]);
  t.equal(below.passed, false);
  t.same(
    below.scores.map((s) => s.key),
    ['greeting', 'identity', 'accuracy'],
    'scores come back in the scorecard order',
  );
  // weights matter: accuracy counts twice
  t.equal(
    computeResult(CRITERIA, 0, [
      { key: 'greeting', score: 0 },
      { key: 'identity', score: 100 },
      { key: 'accuracy', score: 100 },
    ]).total,
    75,
  );
  t.equal(
    computeResult(CRITERIA, 0, [
      { key: 'greeting', score: 100 },
      { key: 'identity', score: 100 },
      { key: 'accuracy', score: 0 },
    ]).total,
    50,
  );
  t.equal(
    computeResult(CRITERIA, 0, [
      { key: 'greeting', score: 33 },
      { key: 'identity', score: 33 },
      { key: 'accuracy', score: 34 },
    ]).total,
    33.5,
  );
});

t.test('a critical criterion at 0 fails the review whatever the total', async (t) => {
  const r = computeResult(CRITERIA, 50, [
    { key: 'greeting', score: 100 },
    { key: 'identity', score: 0 },
    { key: 'accuracy', score: 100 },
  ]);
  t.equal(r.total, 75);
  t.equal(r.autoFailed, true);
  t.equal(r.passed, false);
  const nonCritical = computeResult(CRITERIA, 50, [
    { key: 'greeting', score: 0 },
    { key: 'identity', score: 100 },
    { key: 'accuracy', score: 100 },
  ]);
  t.equal(nonCritical.autoFailed, false, 'a 0 on a normal criterion only lowers the total');
  t.equal(nonCritical.passed, true);
});

t.test('scores are checked against the scorecard', async (t) => {
  const all = [
    { key: 'greeting', score: 100 },
    { key: 'identity', score: 100 },
    { key: 'accuracy', score: 100 },
  ];
  t.equal(
    fieldOf(() => computeResult(CRITERIA, 80, 'x')),
    'scores',
  );
  t.equal(
    fieldOf(() => computeResult(CRITERIA, 80, all.slice(0, 2))),
    'scores',
    'every criterion must be scored',
  );
  t.equal(
    fieldOf(() => computeResult(CRITERIA, 80, [...all, { key: 'greeting', score: 1 }])),
    'scores[3].key',
    'twice',
  );
  t.equal(
    fieldOf(() => computeResult(CRITERIA, 80, [...all.slice(1), { key: 'nope', score: 1 }])),
    'scores[2].key',
  );
  t.equal(
    fieldOf(() => computeResult(CRITERIA, 80, [{ key: 'greeting', score: 101 }])),
    'scores[0].score',
  );
  t.equal(
    fieldOf(() => computeResult(CRITERIA, 80, [{ key: 'greeting', score: -1 }])),
    'scores[0].score',
  );
  t.equal(
    fieldOf(() => computeResult(CRITERIA, 80, [{ key: 'greeting', score: Number.NaN }])),
    'scores[0].score',
  );
  t.equal(
    fieldOf(() => computeResult(CRITERIA, 80, [{ key: 'greeting', score: 1, extra: 1 }])),
    'scores[0].extra',
  );
  t.equal(
    fieldOf(() => computeResult(CRITERIA, 80, [{ key: 'greeting', score: 1, comment: 'x'.repeat(501) }])),
    'scores[0].comment',
  );
});

t.test('scorecard definitions are checked', async (t) => {
  t.same(checkCriteria(DEFAULT_SCORECARD.criteria), DEFAULT_SCORECARD.criteria, 'the default scorecard is valid');
  t.ok(
    DEFAULT_SCORECARD.criteria.some((c) => c.critical),
    'the default has an auto-fail criterion',
  );
  t.equal(
    fieldOf(() => checkCriteria([])),
    'criteria',
  );
  t.equal(
    fieldOf(() => checkCriteria([{ ...CRITERIA[0], key: 'Bad Key' }])),
    'criteria[0].key',
  );
  t.equal(
    fieldOf(() => checkCriteria([CRITERIA[0], CRITERIA[0]])),
    'criteria[1].key',
  );
  t.equal(
    fieldOf(() => checkCriteria([{ ...CRITERIA[0], weight: 0 }])),
    'criteria[0].weight',
  );
  t.equal(
    fieldOf(() => checkCriteria([{ ...CRITERIA[0], weight: 1.5 }])),
    'criteria[0].weight',
  );
  t.equal(
    fieldOf(() => checkCriteria([{ ...CRITERIA[0], labelEn: ' ' }])),
    'criteria[0].labelEn',
  );
  t.equal(
    fieldOf(() => checkCriteria([{ ...CRITERIA[0], critical: 'yes' }])),
    'criteria[0].critical',
  );
  t.equal(
    fieldOf(() => checkCriteria([{ ...CRITERIA[0], colour: 'red' }])),
    'criteria[0].colour',
  );
  t.equal(checkCriteria([{ key: 'a', labelZh: '甲', labelEn: 'A', weight: 5 }])[0]?.critical, false, 'critical defaults to false');
  t.equal(
    fieldOf(() => checkPassMark(101)),
    'passMark',
  );
  t.equal(checkPassMark(0), 0);
});

t.test('calibration: the spread per criterion between scorers', async (t) => {
  const review = (scorer: string, scores: number[], passMark = 80): Review => {
    const r = computeResult(
      CRITERIA,
      passMark,
      CRITERIA.map((c, i) => ({ key: c.key, score: scores[i] as number })),
    );
    return {
      id: scorer,
      callId: 'c1',
      agent: 'a1',
      scorer,
      scorecardId: 's1',
      scorecardVersion: 2,
      criteria: CRITERIA,
      passMark,
      comment: '',
      callStartedAt: '',
      createdAt: '',
      updatedAt: '',
      version: 1,
      ...r,
    };
  };
  const c = calibrate([review('班长甲', [100, 60, 80]), review('班长乙', [80, 100, 90])]);
  t.same(c.scorers, ['班长甲', '班长乙']);
  t.same(
    c.criteria.map((x) => [x.key, x.spread]),
    [
      ['greeting', 20],
      ['identity', 40],
      ['accuracy', 10],
    ],
  );
  t.same(c.criteria[1]?.scores, { 班长甲: 60, 班长乙: 100 });
  t.same(c.totals, { 班长甲: 80, 班长乙: 90 });
  t.equal(c.totalSpread, 10);
  t.equal(c.verdictsAgree, true);
  t.equal(calibrate([review('x', [100, 0, 100]), review('y', [100, 100, 100])]).verdictsAgree, false, 'auto-fail vs pass');
  t.throws(() => calibrate([review('x', [1, 2, 3])]), { code: 'CONFLICT' }, 'one scorer is not a calibration');
});

// computeKpisByBucket: the call figures of each bucket, counted in the same pass as the whole
// range, are exactly what computeKpis gives for the bucket's own range over the same events
// (randomized differential test over generated days), and the buckets add up to the range.
import t from 'tap';
import type { TypedEvent } from '../../../firmware/src/events/catalog.js';
import { computeKpis, computeKpisByBucket, type KpiBucket } from '../../../firmware/src/kpi/compute.js';
import type { CallKpis } from '../../../firmware/src/kpi/types.js';
import { mulberry32, randomDay } from './fixtures/random-day.js';

const DAY = Date.UTC(2025, 2, 3);
const H = 3_600_000;
const LINES = 3;

const CALL_KEYS: readonly (keyof CallKpis)[] = [
  'offered',
  'answered',
  'abandoned',
  'shortAbandoned',
  'timedOut',
  'overflowed',
  'answeredWithinThreshold',
  'serviceLevel',
  'serviceLevelWithAbandons',
  'answerRate',
  'abandonRate',
  'asaS',
  'longestWaitS',
  'handled',
  'attS',
  'acwS',
  'ahtS',
];
const callFigures = (k: CallKpis): Record<string, unknown> => Object.fromEntries(CALL_KEYS.map((key) => [key, k[key]]));

/** Two generated days, seq renumbered. */
function days(seed: number): TypedEvent[] {
  const all: TypedEvent[] = [];
  for (let d = 0; d < 2; d++) {
    for (const e of randomDay({ seed: seed * 10 + d, day: DAY + d * 24 * H, lines: LINES })) all.push({ ...e, seq: all.length + 1 });
  }
  return all;
}

/** `n` random cut points in (from, to), sorted: consecutive buckets covering [from, to), some empty ranges skipped. */
function randomBuckets(rand: () => number, from: number, to: number, n: number): KpiBucket[] {
  const cuts = Array.from({ length: n }, () => from + Math.floor(rand() * (to - from)));
  const edges = [from, ...cuts.sort((a, b) => a - b), to];
  const out: KpiBucket[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const a = edges[i] as number;
    const b = edges[i + 1] as number;
    // Leave a gap now and then: a bucket need not cover the whole range.
    if (b > a && rand() > 0.1) out.push({ from: a, to: b });
  }
  return out;
}

for (const seed of [1, 2, 3, 5, 8]) {
  t.test(`seed ${seed}: each bucket equals computeKpis over its own range`, (t) => {
    const events = days(seed);
    const rand = mulberry32(seed);
    for (let round = 0; round < 4; round++) {
      const from = DAY + Math.floor(rand() * 20 * H);
      const to = from + Math.floor((1 + rand() * 27) * H);
      const buckets =
        round === 0
          ? Array.from({ length: Math.ceil((to - from) / H) }, (_, i) => ({ from: from + i * H, to: Math.min(to, from + (i + 1) * H) }))
          : randomBuckets(rand, from, to, 5 + Math.floor(rand() * 40));
      for (const queue of [undefined, 'support', 'sales']) {
        const q = queue ? { from, to, queue } : { from, to };
        const opts = { lines: LINES, now: rand() < 0.3 ? from + Math.floor(rand() * (to - from)) : to };
        const { report, buckets: figures } = computeKpisByBucket(events, q, opts, buckets);
        t.same(report, computeKpis(events, q, opts), `round ${round} ${queue ?? 'all'}: the range's report is computeKpis's`);
        t.equal(figures.length, buckets.length);
        let offered = 0;
        let handled = 0;
        for (const [i, b] of buckets.entries()) {
          const own = computeKpis(events, { ...q, from: b.from, to: b.to }, opts);
          t.same(callFigures(figures[i] as CallKpis), callFigures(own), `round ${round} ${queue ?? 'all'} bucket ${i}`);
          offered += (figures[i] as CallKpis).offered;
          handled += (figures[i] as CallKpis).handled;
        }
        if (round === 0) {
          t.equal(offered, report.offered, 'hours add up to the range (offered)');
          t.equal(handled, report.handled, 'hours add up to the range (handled)');
        }
      }
    }
    t.ok(computeKpis(events, { from: DAY, to: DAY + 48 * H }, { lines: LINES }).overflowed > 0, 'the days overflow calls');
    t.end();
  });
}

t.test('no buckets: nothing per bucket; events outside every bucket are only in the total', (t) => {
  const events = days(4);
  const q = { from: DAY, to: DAY + 24 * H };
  t.same(computeKpisByBucket(events, q, { lines: LINES }, []).buckets, []);
  const { report, buckets } = computeKpisByBucket(events, q, { lines: LINES }, [{ from: DAY + 10 * H, to: DAY + 11 * H }]);
  t.ok(report.offered > (buckets[0] as CallKpis).offered, 'the bucket holds only its hour');
  t.end();
});

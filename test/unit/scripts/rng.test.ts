// scripts/lib/rng.mjs: the one seeded PRNG of the scripts and benches. A seeded run must replay the
// same (POWERLOSS_SEED, the backoffice data generator): the first numbers of seed 20261127 are the
// ones the copies in strace-replay.mjs and backoffice-data.mjs gave before they were merged here.
import t from 'tap';
import { mulberry32 } from '../../../scripts/lib/rng.mjs';

t.test('the same seed gives the same sequence as before the merge', (t) => {
  const r = mulberry32(20261127);
  t.same([r(), r(), r(), r()], [0.5312688171397895, 0.17145229317247868, 0.6793673252686858, 0.8126092918682843]);
  const neg = mulberry32(-5);
  t.same([neg(), neg()], [0.48384718922898173, 0.05296749505214393], 'a negative seed is taken as its 32-bit pattern');
  t.equal(mulberry32(0)(), 0.26642920868471265);
  t.end();
});

t.test('seeds are 32-bit, generators independent, numbers uniform in [0, 1)', (t) => {
  const a = mulberry32(7);
  const b = mulberry32(2 ** 32 + 7);
  const c = mulberry32(8);
  let differ = 0;
  let replayed = 0;
  const bins = new Array<number>(10).fill(0);
  for (let i = 0; i < 100_000; i++) {
    const x = a();
    if (x === b()) replayed++;
    if (x !== c()) differ++;
    if (!(x >= 0 && x < 1)) t.fail(`out of range: ${x}`);
    bins[Math.floor(x * 10)] = (bins[Math.floor(x * 10)] ?? 0) + 1;
  }
  t.equal(replayed, 100_000, 'seed + 2^32 replays seed');
  t.ok(differ > 99_000, 'another seed, another sequence');
  t.ok(
    bins.every((n) => Math.abs(n - 10_000) < 500),
    `tenths near 10,000 each: ${bins.join(' ')}`,
  );
  t.end();
});

// The seeded PRNG of the scripts and benches (and of the tests that need one): a trial, a data set or
// a randomized test replays the same from its seed (POWERLOSS_SEED, the backoffice generator).

/** mulberry32: a small seeded PRNG; uniform numbers in [0, 1), the same sequence for the same seed. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

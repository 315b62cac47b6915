// ULIDs: format, time prefix, monotonic within a millisecond and when the clock steps back, and
// (regression) the random part overflowing moves on to the next millisecond instead of wrapping
// to zeros (which sorted before the previous id).
import t from 'tap';
import { ULID_PATTERN, ulidFactory } from '../../../firmware/src/backoffice/common/ulid.js';

t.test('format and the time prefix (spec example 1469918176385 → 01ARYZ6S41)', async (t) => {
  const id = ulidFactory(() => 1469918176385)();
  t.match(id, ULID_PATTERN);
  t.equal(id.length, 26);
  t.equal(id.slice(0, 10), '01ARYZ6S41');
  t.notMatch('8ZZZZZZZZZZZZZZZZZZZZZZZZZ', ULID_PATTERN, 'beyond 48 bits of time');
  t.notMatch('01ARYZ6S41ILOU0000000000000'.slice(0, 26), ULID_PATTERN, 'I L O U are not Crockford digits');
});

t.test('monotonic: same millisecond and a clock stepping back still sort in creation order', async (t) => {
  let now = 1_700_000_000_000;
  const next = ulidFactory(() => now);
  const ids = [next(), next(), next()];
  now -= 5000;
  ids.push(next(), next());
  now += 10_000;
  ids.push(next());
  t.same([...ids].sort(), ids);
  t.equal(new Set(ids).size, ids.length);
  t.equal(ids[3]?.slice(0, 10), ids[0]?.slice(0, 10), 'a step back keeps the last time');
});

t.test('regression: the random part at its maximum moves on to the next millisecond', async (t) => {
  const next = ulidFactory(
    () => 1_700_000_000_000,
    (n) => new Uint8Array(n).fill(0xff),
  );
  const a = next();
  t.equal(a.slice(10), 'Z'.repeat(16));
  const b = next();
  t.ok(b > a, `${b} sorts after ${a}`);
  t.equal(b.slice(10), '0'.repeat(16));
  t.not(b.slice(0, 10), a.slice(0, 10));
  t.ok(next() > b);
});

import t from 'tap';
import { VirtualClock } from '../../../hal/src/clock.js';

t.test('virtual clock fires timers in due order and intervals repeat', (t) => {
  const c = new VirtualClock(0);
  const seen: string[] = [];
  c.setTimeout(() => seen.push(`b@${c.now()}`), 20);
  c.setTimeout(() => seen.push(`a@${c.now()}`), 10);
  const iv = c.setInterval(() => seen.push(`i@${c.now()}`), 15);
  c.advance(31);
  iv.cancel();
  c.advance(100);
  t.same(seen, ['a@10', 'i@15', 'b@20', 'i@30']);
  t.equal(c.now(), 131);
  t.equal(c.pending(), 0);
  t.end();
});

t.test('advanceUntil stops when the condition holds and throws past the limit', (t) => {
  const c = new VirtualClock(0);
  let done = false;
  c.setTimeout(() => {
    done = true;
  }, 500);
  c.advanceUntil(() => done, 1000);
  t.equal(c.now(), 500);
  t.throws(() => c.advanceUntil(() => false, 100), /not met within 100 ms/);
  t.end();
});

t.test('regression: fractional delays keep now() a whole number of ms (SQLite INTEGER columns)', (t) => {
  const c = new VirtualClock(0);
  let at = -1;
  c.setTimeout(() => {
    at = c.now();
  }, 9816.2852);
  c.advance(20_000);
  t.equal(at, 9817);
  t.ok(Number.isInteger(c.now()));
  t.end();
});

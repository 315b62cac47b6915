import t from 'tap';
import { applyGain, clamp16, mixInto } from '../../../hal/src/dsp/mix.js';

t.test('mixInto adds and saturates instead of wrapping', (t) => {
  const a = Int16Array.from([1000, 30000, -30000, 32767, -32768, 0]);
  const b = Int16Array.from([-500, 10000, -10000, 1, -1, 0]);
  const out = new Int16Array(6);
  t.equal(mixInto(out, a, b), out);
  t.same([...out], [500, 32767, -32768, 32767, -32768, 0]);
  t.end();
});

t.test('mixInto works in place and checks lengths', (t) => {
  const a = Int16Array.from([1, 2, 3]);
  const b = Int16Array.from([10, 20, 30]);
  mixInto(a, a, b);
  t.same([...a], [11, 22, 33]);
  // Shorter output: only its length is mixed.
  const out = new Int16Array(2);
  mixInto(out, a, b);
  t.same([...out], [21, 42]);
  t.throws(() => mixInto(new Int16Array(4), a, b), RangeError);
  t.end();
});

t.test('applyGain scales by dB, rounds and saturates', (t) => {
  const x = Int16Array.from([1000, -1000, 20000, -20000, 0, 7]);
  const out = new Int16Array(6);
  applyGain(x, -6.0206, out);
  t.same([...out], [500, -500, 10000, -10000, 0, 3]);
  applyGain(x, 20, out);
  t.same([...out], [10000, -10000, 32767, -32768, 0, 70]);
  t.same([...x], [1000, -1000, 20000, -20000, 0, 7], 'input untouched');
  applyGain(x, 0, out);
  t.same([...out], [...x]);
  applyGain(x, -Infinity, out);
  t.same([...out], [0, 0, 0, 0, 0, 0]);
  t.end();
});

t.test('applyGain in place by default', (t) => {
  const x = Int16Array.from([100, -200]);
  t.equal(applyGain(x, 6.0206), x);
  t.same([...x], [200, -400]);
  t.throws(() => applyGain(new Int16Array(4), 1, new Int16Array(3)), RangeError);
  t.end();
});

t.test('clamp16', (t) => {
  t.same([40000, -40000, 1.4, 1.6, -1.6, Number.NaN].map(clamp16), [32767, -32768, 1, 2, -2, 0]);
  t.end();
});

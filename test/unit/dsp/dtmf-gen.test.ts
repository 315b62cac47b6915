import t from 'tap';
import { DtmfGenerator } from '../../../hal/src/dsp/dtmf-gen.js';
import { DTMF_COL_FREQS, DTMF_DIGITS, DTMF_ROW_FREQS, dtmfFrequencies } from '../../../hal/src/dsp/dtmf-tables.js';
import { renderSource, toneAmplitude } from './fixtures/signals.js';

const dbm0 = (amplitude: number): number => 20 * Math.log10(amplitude / 22793);

t.test('keypad frequencies', (t) => {
  t.same(dtmfFrequencies('1'), { row: 697, col: 1209 });
  t.same(dtmfFrequencies('5'), { row: 770, col: 1336 });
  t.same(dtmfFrequencies('9'), { row: 852, col: 1477 });
  t.same(dtmfFrequencies('0'), { row: 941, col: 1336 });
  t.same(dtmfFrequencies('*'), { row: 941, col: 1209 });
  t.same(dtmfFrequencies('#'), { row: 941, col: 1477 });
  t.same(dtmfFrequencies('d'), { row: 941, col: 1633 });
  t.same(dtmfFrequencies('A'), { row: 697, col: 1633 });
  t.equal(dtmfFrequencies('E'), undefined);
  t.equal(dtmfFrequencies('12'), undefined);
  t.equal(dtmfFrequencies(''), undefined);
  t.end();
});

t.test('each digit is its row and column tone at -10 dBm0, and nothing else', (t) => {
  for (const digit of DTMF_DIGITS) {
    const x = renderSource(new DtmfGenerator(digit)).subarray(0, 800);
    const f = dtmfFrequencies(digit);
    if (!f) throw new Error('no frequencies');
    const bad: string[] = [];
    for (const freq of [...DTMF_ROW_FREQS, ...DTMF_COL_FREQS]) {
      const level = dbm0(toneAmplitude(x, freq));
      const expected = freq === f.row || freq === f.col;
      if (expected ? Math.abs(level + 10) > 0.2 : level > -30) bad.push(`${freq} Hz at ${level.toFixed(1)} dBm0`);
    }
    t.same(bad, [], `digit ${digit}`);
  }
  t.end();
});

t.test('timing: on 100 ms, off 100 ms by default, sample-exact, then false', (t) => {
  const g = new DtmfGenerator('15#');
  t.equal(g.durationMs, 600);
  const x = renderSource(g);
  t.equal(x.length, 4800);
  for (let d = 0; d < 3; d++) {
    const on = x.subarray(d * 1600, d * 1600 + 800);
    const off = x.subarray(d * 1600 + 800, (d + 1) * 1600);
    t.equal(on[0], 0, 'each digit starts at phase 0');
    t.ok(on.subarray(1).filter((v) => v === 0).length < 5, `digit ${d} sounds for 800 samples`);
    t.ok(
      off.every((v) => v === 0),
      `digit ${d} is followed by 800 samples of silence`,
    );
  }
  t.ok(g.finished);
  t.equal(g.read(new Int16Array(160)), false);
  t.end();
});

t.test('custom timing pads the last frame; empty string yields nothing', (t) => {
  const g = new DtmfGenerator('7', { onMs: 45, offMs: 30 });
  const x = renderSource(g);
  t.equal(x.length, 640, '75 ms → 4 frames');
  t.ok(x.subarray(1, 360).filter((v) => v === 0).length < 5, '45 ms of tone');
  t.ok(x.subarray(360).every((v) => v === 0));
  const empty = new DtmfGenerator('');
  t.equal(empty.read(new Int16Array(160)), false);
  t.end();
});

t.test('level and twist', (t) => {
  const x = renderSource(new DtmfGenerator('9', { levelDbm0: -25, twistDb: 6 })).subarray(0, 800);
  t.ok(Math.abs(dbm0(toneAmplitude(x, 852)) + 25) < 0.2, 'low group at the level');
  t.ok(Math.abs(dbm0(toneAmplitude(x, 1477)) + 19) < 0.2, 'high group 6 dB louder (normal twist)');
  const y = renderSource(new DtmfGenerator('9', { levelDbm0: -25, twistDb: -4 })).subarray(0, 800);
  t.ok(Math.abs(dbm0(toneAmplitude(y, 1477)) + 29) < 0.2, 'high group 4 dB softer (reverse twist)');
  t.end();
});

t.test('frequency deviation shifts both tones', (t) => {
  const x = renderSource(new DtmfGenerator('1', { freqDeviationPct: 2 })).subarray(0, 800);
  t.ok(Math.abs(dbm0(toneAmplitude(x, 697 * 1.02)) + 10) < 0.2);
  t.ok(Math.abs(dbm0(toneAmplitude(x, 1209 * 1.02)) + 10) < 0.2);
  t.ok(dbm0(toneAmplitude(x, 1209)) < -15, 'the nominal column frequency is well down');
  t.end();
});

t.test('reading in odd chunks gives the same audio; reset replays', (t) => {
  const a = renderSource(new DtmfGenerator('123'));
  const g = new DtmfGenerator('123');
  const b = renderSource(g, Number.POSITIVE_INFINITY, 37);
  t.same([...b.subarray(0, a.length)], [...a]);
  t.ok(b.subarray(a.length).every((v) => v === 0));
  g.reset();
  t.same([...renderSource(g)], [...a]);
  t.end();
});

t.test('bad input is refused', (t) => {
  t.throws(() => new DtmfGenerator('12E'), /"E" is not a DTMF digit/);
  t.throws(() => new DtmfGenerator('1,2'), RangeError);
  t.throws(() => new DtmfGenerator('1', { onMs: 0 }), RangeError);
  t.throws(() => new DtmfGenerator('1', { levelDbm0: 10 }), RangeError);
  t.doesNotThrow(() => new DtmfGenerator('abcd*#'));
  t.end();
});

// DtmfDetector behaviour: events and durations, chunking, G.711, what stage 2 measures, extra
// components, synthetic non-DTMF signals, reset. The Q.24 limits are in dtmf-q24.test.ts, the
// Mitel procedures in dtmf-mitel.test.ts, speech and music in dtmf-talkoff.test.ts.
import t from 'tap';
import { DTMF_BLOCK_MS, DTMF_BLOCK_SIZE, DtmfDetector } from '../../../hal/src/dsp/dtmf-detect.js';
import { DtmfValidator } from '../../../hal/src/dsp/dtmf-validate.js';
import { DTMF_DIGITS } from '../../../hal/src/dsp/dtmf-tables.js';
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from '../../../hal/src/dsp/g711.js';
import { dbm0ToAmplitude } from '../../../hal/src/dsp/level.js';
import { ToneGenerator } from '../../../hal/src/dsp/tone.js';
import { TONE_PRESETS } from '../../../hal/src/dsp/tone-presets.js';
import { detect, digitsIn, dtmf } from './fixtures/dtmf.js';
import { concat, renderSource, rng, silence, sines } from './fixtures/signals.js';

t.test('all 16 digits at -10 dBm0, each reported once, with begin and end durations', (t) => {
  for (const digit of DTMF_DIGITS) {
    const { begins, ends } = detect(dtmf(digit));
    t.same(
      begins.map((e) => [e.digit, e.ms]),
      [[digit, 2 * DTMF_BLOCK_MS]],
      `digit ${digit} begins once, after two blocks`,
    );
    t.equal(ends.length, 1);
    t.ok(Math.abs((ends[0]?.ms ?? 0) - 100) <= DTMF_BLOCK_MS, `digit ${digit} lasted ${ends[0]?.ms} ms`);
  }
  t.end();
});

t.test('"13800138000#" at -30 dBm0 per tone: each digit once, in order, however it is chunked', (t) => {
  const x = dtmf('13800138000#', { levelDbm0: -30 });
  for (const chunk of [160, 1, 37, 102, 1000]) t.equal(digitsIn(x, chunk), '13800138000#', `chunks of ${chunk}`);
  t.end();
});

t.test('onDigit fires when the digit begins', (t) => {
  const lead = 4000;
  const { begins } = detect(dtmf('5', { onMs: 500 }, lead), 1);
  t.equal(begins.length, 1);
  const latencyMs = ((begins[0]?.at ?? 0) - lead) / 8;
  t.ok(latencyMs > 20 && latencyMs < 40, `reported ${latencyMs} ms after the tone started`);
  t.end();
});

t.test('survives G.711 µ-law and A-law coding at -30 dBm0', (t) => {
  const x = dtmf('0123456789*#ABCD', { levelDbm0: -30 });
  const bytes = new Uint8Array(x.length);
  const y = new Int16Array(x.length);
  encodeUlaw(x, bytes);
  decodeUlaw(bytes, y);
  t.equal(digitsIn(y), '0123456789*#ABCD', 'µ-law');
  encodeAlaw(x, bytes);
  decodeAlaw(bytes, y);
  t.equal(digitsIn(y), '0123456789*#ABCD', 'A-law');
  t.end();
});

t.test('talk-off: tones, buzzes and noise that are not DTMF produce no digits', (t) => {
  const seconds = 8000 * 4;
  const a = dbm0ToAmplitude(-10);
  const harmonics = (f0: number, amp: (k: number) => number): Int16Array =>
    sines(
      Array.from({ length: Math.floor(3999 / f0) }, (_, i) => [(i + 1) * f0, a * amp(i + 1)] as const),
      seconds,
    );
  t.equal(digitsIn(sines([[1000, a]], seconds)), '', '1000 Hz tone');
  t.equal(digitsIn(sines([[697, a]], seconds)), '', 'a single row tone');
  t.equal(digitsIn(sines([[1336, a]], seconds)), '', 'a single column tone');
  for (const f0 of [100, 120, 150, 200, 233, 250]) {
    t.equal(digitsIn(harmonics(f0, (k) => 0.6 / k)), '', `${f0} Hz sawtooth buzz`);
    t.equal(digitsIn(harmonics(f0, (k) => (k % 2 ? 1 / k : 0))), '', `${f0} Hz square buzz`);
    t.equal(digitsIn(harmonics(f0, () => 0.12)), '', `${f0} Hz pulse train`);
  }
  const r = rng(5);
  t.equal(digitsIn(Int16Array.from({ length: seconds }, () => Math.round(4000 * r.gauss()))), '', 'white noise');
  for (const [region, plan] of Object.entries(TONE_PRESETS)) {
    for (const [name, spec] of Object.entries(plan)) {
      const x = renderSource(new ToneGenerator(spec, { durationMs: 6000 }));
      t.equal(digitsIn(x), '', `${region} ${name} tone`);
    }
  }
  t.end();
});

t.test('second harmonics (-12 dB limit) are checked for every key, even where the row harmonic sits by the column', (t) => {
  const a = dbm0ToAmplitude(-15);
  const wrong: string[] = [];
  for (const digit of DTMF_DIGITS) {
    const k = DTMF_DIGITS.indexOf(digit);
    const row = [697, 770, 852, 941][k >> 2] as number;
    const col = [1209, 1336, 1477, 1633][k & 3] as number;
    const pair = (extra: readonly (readonly [number, number])[]): Int16Array =>
      concat([sines([[row, a], [col, a], ...extra], 800), silence(800)]);
    const cases: [string, readonly (readonly [number, number])[], boolean][] = [
      ['clean', [], true],
      ['row harmonic -20 dB', [[2 * row, a * 0.1]], true],
      ['row harmonic -8 dB', [[2 * row, a * 0.4]], false],
      ['column harmonic -20 dB', [[2 * col, a * 0.1]], true],
      ['column harmonic -8 dB', [[2 * col, a * 0.4]], false],
    ];
    for (const [what, extra, want] of cases) {
      const got = digitsIn(pair(extra));
      if (got !== (want ? digit : '')) wrong.push(`${digit} ${what}: ${JSON.stringify(got)}`);
    }
  }
  // 2·697 = 1394 Hz lies 58 Hz from 1336 (key 2), 2·770 by 1477 (6), 2·852 by 1633 (C).
  t.same(wrong, [], '16 keys × 5 cases');
  t.end();
});

t.test('extra tones of the same group: tolerated 20 dB down, rejected 3 dB down', (t) => {
  const a = dbm0ToAmplitude(-15);
  const pair = (extra: readonly (readonly [number, number])[]): Int16Array =>
    concat([sines([[697, a], [1209, a], ...extra], 800), silence(800)]);
  t.equal(digitsIn(pair([[770, a * 0.1]])), '1', 'second row tone 20 dB down is tolerated');
  t.equal(digitsIn(pair([[770, a * 0.7]])), '', 'second row tone 3 dB down is rejected');
  t.equal(digitsIn(pair([[1477, a * 0.1]])), '1', 'second column tone 20 dB down is tolerated');
  t.equal(digitsIn(pair([[1477, a * 0.7]])), '', 'second column tone 3 dB down is rejected');
  t.equal(digitsIn(pair([[1000, a * 0.5]])), '', 'a 1000 Hz tone 6 dB down is rejected (residual)');
  t.end();
});

t.test('stage 2 measures each tone: frequency within 0.1 % (0.5 % beside a far-off partner), twist within 0.2 dB', (t) => {
  for (const [rowDev, colDev, twistDb] of [
    [0, 0, 0],
    [1.4, -1.4, 5],
    [-2.2, 0.7, -3],
    [3.5, 0, 0],
    [0, -3.5, 7],
  ] as const) {
    for (const digit of '1D5') {
      const x = dtmf(digit, { rowDeviationPct: rowDev, colDeviationPct: colDev, twistDb, levelDbm0: -25 });
      const span = Float64Array.from(x.subarray(300, 300 + 2 * DTMF_BLOCK_SIZE));
      const k = DTMF_DIGITS.indexOf(digit);
      const m = new DtmfValidator().measure(
        span,
        0,
        k >> 2,
        k & 3,
        span.reduce((e, v) => e + v * v, 0),
      );
      const twist = 10 * Math.log10(m.colPower / m.rowPower);
      // Leakage is corrected for a partner at its nominal frequency: 0.1 % while both tones are
      // within the 2.5 % that matters, 0.5 % when the partner is 3.5 % off (and rejected anyway).
      const tol = Math.abs(rowDev) > 2.5 || Math.abs(colDev) > 2.5 ? 0.5 : 0.1;
      t.ok(
        Math.abs(m.rowDeviationPct - rowDev) < tol && Math.abs(m.colDeviationPct - colDev) < tol && Math.abs(twist - twistDb) < 0.2,
        `${digit} row ${rowDev} % col ${colDev} % twist ${twistDb} dB: measured ${m.rowDeviationPct.toFixed(2)} %, ${m.colDeviationPct.toFixed(2)} %, ${twist.toFixed(2)} dB`,
      );
      t.ok(m.residualRatio < 0.01, `residual ${(m.residualRatio * 100).toFixed(2)} %`);
    }
  }
  // The detector exposes what stage 2 measured for the digit it reported.
  const d = new DtmfDetector();
  d.process(dtmf('9', { rowDeviationPct: 1.2, levelDbm0: -25 }));
  t.ok(Math.abs(d.lastMeasurement.rowDeviationPct - 1.2) < 0.1, 'lastMeasurement after a detection');
  t.end();
});

t.test('a long tone is one digit; repeated presses with 50 ms gaps are as many digits', (t) => {
  const { begins, ends } = detect(dtmf('5', { onMs: 3000, offMs: 0 }));
  t.same(
    begins.map((e) => e.digit),
    ['5'],
  );
  t.ok(Math.abs((ends[0]?.ms ?? 0) - 3000) <= DTMF_BLOCK_MS, `lasted ${ends[0]?.ms} ms`);
  t.equal(digitsIn(dtmf('1111', { onMs: 50, offMs: 50 })), '1111');
  t.equal(digitsIn(dtmf('0000', { onMs: 45, offMs: 45 })), '0000');
  t.end();
});

t.test('reset() forgets a half-seen digit', (t) => {
  // One continuous 40 ms tone, cut in two 20 ms halves.
  const whole = dtmf('3', { onMs: 40, offMs: 0 });
  const first = whole.subarray(0, 160);
  const second = whole.subarray(160);
  const seen: string[] = [];
  const d = new DtmfDetector({ onDigit: (digit) => seen.push(digit) });
  d.process(first);
  d.reset();
  d.process(second);
  d.process(silence(800));
  t.same(seen, [], 'two 20 ms halves split by reset');
  d.process(first);
  d.process(second);
  t.equal(d.activeDigit, '3', 'without reset they make a 40 ms digit');
  t.same(seen, ['3']);
  d.reset();
  t.equal(d.activeDigit, null);
  t.end();
});

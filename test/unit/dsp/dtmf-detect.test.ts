import { execFileSync } from 'node:child_process';
import t from 'tap';
import type { DtmfDetectorOptions } from '../../../hal/src/dsp/dtmf-detect.js';
import { DTMF_BLOCK_MS, DtmfDetector } from '../../../hal/src/dsp/dtmf-detect.js';
import type { DtmfGeneratorOptions } from '../../../hal/src/dsp/dtmf-gen.js';
import { DtmfGenerator } from '../../../hal/src/dsp/dtmf-gen.js';
import { DTMF_DIGITS } from '../../../hal/src/dsp/dtmf-tables.js';
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from '../../../hal/src/dsp/g711.js';
import { dbm0ToAmplitude, dbm0ToPower } from '../../../hal/src/dsp/level.js';
import { resampleTo8k } from '../../../hal/src/dsp/resample.js';
import { ToneGenerator } from '../../../hal/src/dsp/tone.js';
import { TONE_PRESETS } from '../../../hal/src/dsp/tone-presets.js';
import { parseWav } from '../../../hal/src/dsp/wav.js';
import { addNoise, concat, renderSource, rng, silence, sines } from './fixtures/signals.js';

interface Event {
  digit: string;
  ms: number;
  at: number;
}

/** Run the detector over `x` in chunks, then 200 ms of silence; return begin and end events. */
function detect(x: Int16Array, chunk = 160, opts: DtmfDetectorOptions = {}): { begins: Event[]; ends: Event[] } {
  const begins: Event[] = [];
  const ends: Event[] = [];
  let fed = 0;
  const d = new DtmfDetector({
    ...opts,
    onDigit: (digit, ms) => begins.push({ digit, ms, at: fed }),
    onDigitEnd: (digit, ms) => ends.push({ digit, ms, at: fed }),
  });
  const all = concat([x, silence(1600)]);
  for (let i = 0; i < all.length; i += chunk) {
    const part = all.subarray(i, i + chunk);
    fed = i + part.length;
    d.process(part);
  }
  return { begins, ends };
}

const digitsIn = (x: Int16Array, chunk = 160, opts: DtmfDetectorOptions = {}): string =>
  detect(x, chunk, opts)
    .begins.map((e) => e.digit)
    .join('');

const dtmf = (digits: string, opts: DtmfGeneratorOptions = {}, leadSamples = 0): Int16Array =>
  concat([silence(leadSamples), renderSource(new DtmfGenerator(digits, opts))]);

/** Every digit, each alone, with a few block alignments: how many came out as exactly that digit. */
function countDetected(opts: DtmfGeneratorOptions, alignments = [0, 33, 71]): { ok: number; total: number } {
  let ok = 0;
  let total = 0;
  for (const digit of DTMF_DIGITS) {
    for (const lead of alignments) {
      total++;
      if (digitsIn(dtmf(digit, opts, lead)) === digit) ok++;
    }
  }
  return { ok, total };
}

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

t.test('frequency tolerance: ±1.5 % accepted, ±3.5 % rejected', (t) => {
  for (const dev of [-1.5, 1.5]) {
    const r = countDetected({ levelDbm0: -30, freqDeviationPct: dev });
    t.equal(r.ok, r.total, `${dev} %: ${r.ok}/${r.total} detected`);
  }
  for (const dev of [-3.5, 3.5]) {
    const r = countDetected({ levelDbm0: -30, freqDeviationPct: dev });
    t.equal(r.ok, 0, `${dev} %: ${r.ok}/${r.total} detected`);
  }
  t.end();
});

t.test('twist: 6 dB normal and 3 dB reverse accepted; 8 dB reverse and 10 dB normal rejected', (t) => {
  for (const twistDb of [6, -3]) {
    const r = countDetected({ levelDbm0: -25, twistDb });
    t.equal(r.ok, r.total, `twist ${twistDb} dB: ${r.ok}/${r.total}`);
  }
  for (const twistDb of [-8, -10, 10]) {
    const r = countDetected({ levelDbm0: -25, twistDb });
    t.equal(r.ok, 0, `twist ${twistDb} dB: ${r.ok}/${r.total}`);
  }
  t.end();
});

t.test('duration: 20 ms rejected and 40 / 60 ms accepted, in every block alignment', (t) => {
  for (const [onMs, want] of [
    [20, false],
    [40, true],
    [60, true],
  ] as const) {
    const wrong: string[] = [];
    for (const digit of '19#D') {
      for (let lead = 0; lead < 102; lead++) {
        const got = digitsIn(dtmf(digit, { onMs, levelDbm0: -20 }, lead));
        if (got !== (want ? digit : '')) wrong.push(`${digit}@${lead}: ${JSON.stringify(got)}`);
      }
    }
    t.same(wrong.slice(0, 5), [], `${onMs} ms tones ${want ? 'accepted' : 'rejected'} (${wrong.length} wrong of 408)`);
  }
  t.end();
});

t.test('a 10 ms dropout does not split a digit; a 40 ms pause does', (t) => {
  const tone = (ms: number): Int16Array => dtmf('8', { onMs: ms, offMs: 0 });
  const wrong: number[] = [];
  for (let lead = 0; lead < 102; lead += 3) {
    const x = concat([silence(lead), tone(100), silence(80), tone(100)]);
    if (digitsIn(x) !== '8') wrong.push(lead);
  }
  t.same(wrong, [], 'one 8 across every alignment of a 10 ms dropout');
  for (let lead = 0; lead < 102; lead += 3) {
    const x = concat([silence(lead), tone(60), silence(320), tone(60)]);
    if (digitsIn(x) !== '88') wrong.push(lead);
  }
  t.same(wrong, [], 'two 8s across every alignment of a 40 ms pause');
  t.end();
});

t.test('level: -36 dBm0 per tone detected, -46 not; minLevelDbm0 raises the floor', (t) => {
  t.equal(digitsIn(dtmf('13800138000#', { levelDbm0: -36 })), '13800138000#');
  t.equal(digitsIn(dtmf('13800138000#', { levelDbm0: -36, freqDeviationPct: 1.5 })), '13800138000#');
  t.equal(digitsIn(dtmf('13800138000#', { levelDbm0: -46 })), '');
  t.equal(digitsIn(dtmf('123', { levelDbm0: -30 }), 160, { minLevelDbm0: -25 }), '');
  t.equal(digitsIn(dtmf('123', { levelDbm0: -20 }), 160, { minLevelDbm0: -25 }), '123');
  t.equal(digitsIn(dtmf('123', { levelDbm0: 0 })), '123', 'loud digits too');
  t.end();
});

t.test('white noise at 15 dB SNR: the digit string still comes through exactly', (t) => {
  for (const level of [-30, -15]) {
    const x = dtmf('13800138000#', { levelDbm0: level });
    const sigma = Math.sqrt((2 * dbm0ToPower(level)) / 10 ** 1.5);
    for (const seed of [1, 2, 3]) {
      t.equal(digitsIn(addNoise(x, sigma, seed)), '13800138000#', `tones at ${level} dBm0, noise seed ${seed}`);
    }
  }
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

t.test('second-harmonic and relative-peak checks reject a pair with extra components', (t) => {
  const a = dbm0ToAmplitude(-15);
  const pair = (extra: readonly (readonly [number, number])[]): Int16Array =>
    concat([sines([[697, a], [1209, a], ...extra], 800), silence(800)]);
  t.equal(digitsIn(pair([])), '1', 'clean pair');
  t.equal(digitsIn(pair([[2418, a * 0.1]])), '1', 'column harmonic 20 dB down is tolerated');
  t.equal(digitsIn(pair([[2418, a * 0.5]])), '', 'column harmonic 6 dB down is rejected');
  t.equal(digitsIn(pair([[1394, a * 0.1]])), '1', 'row harmonic 20 dB down is tolerated');
  t.equal(digitsIn(pair([[1394, a * 0.7]])), '', 'row harmonic 3 dB down is rejected');
  // Relative peak: a second tone of the same group.
  t.equal(digitsIn(pair([[770, a * 0.1]])), '1', 'second row tone 20 dB down is tolerated');
  t.equal(digitsIn(pair([[770, a * 0.7]])), '', 'second row tone 3 dB down is rejected');
  t.equal(digitsIn(pair([[1477, a * 0.7]])), '', 'second column tone 3 dB down is rejected');
  t.end();
});

t.test('reset() forgets a half-seen digit', (t) => {
  const half = dtmf('3', { onMs: 20, offMs: 0 });
  const seen: string[] = [];
  const d = new DtmfDetector({ onDigit: (digit) => seen.push(digit) });
  d.process(half);
  d.reset();
  d.process(half);
  d.process(silence(800));
  t.same(seen, [], 'two 20 ms halves split by reset');
  d.process(half);
  d.process(half);
  t.equal(d.activeDigit, '3', 'without reset they make a 40 ms digit');
  t.same(seen, ['3']);
  d.reset();
  t.equal(d.activeDigit, null);
  t.end();
});

const espeak = ((): boolean => {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

t.test('talk-off: synthetic speech (espeak-ng) produces no digits', { skip: espeak ? false : 'espeak-ng not installed' }, (t) => {
  const texts = [
    'Thank you for calling. For sales press one, for support press two, or stay on the line.',
    'The quick brown fox jumps over the lazy dog, seven eight nine zero.',
    'Aaaah eeeee ooooo uuuuu mmmmm nnnnn',
  ];
  for (const voice of ['en', 'en+f3', 'cmn']) {
    for (const text of texts) {
      const wav = parseWav(execFileSync('espeak-ng', ['-v', voice, '--stdout', text]));
      const speech = resampleTo8k(wav.samples, wav.sampleRate);
      t.ok(speech.length > 8000, `${voice}: ${speech.length} samples of speech`);
      t.equal(digitsIn(speech), '', `${voice}: "${text.slice(0, 30)}…"`);
    }
  }
  t.end();
});

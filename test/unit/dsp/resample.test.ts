import t from 'tap';
import { loadWavAs8k, resample, resampleTo8k } from '../../../hal/src/dsp/resample.js';
import { chunk, fmtBody, fmtExtensibleBody, riff, rmsOf, sines, toneAmplitude, zeroCrossingFreq } from './fixtures/signals.js';

const db = (ratio: number): number => 20 * Math.log10(ratio);

/** 1 s of a sine at `rate`, resampled to 8 kHz; measured away from the edges. */
function through(rate: number, freq: number, amplitude = 10000): Int16Array {
  const y = resampleTo8k(sines([[freq, amplitude]], rate, rate), rate);
  return y.subarray(400, y.length - 400);
}

t.test('44100 → 8000: a 1 kHz sine keeps its frequency and amplitude', (t) => {
  const x = sines([[1000, 10000]], 44100, 44100);
  const y = resampleTo8k(x, 44100);
  t.equal(y.length, 8000);
  const mid = y.subarray(400, 7600);
  const f = zeroCrossingFreq(mid);
  t.ok(Math.abs(f - 1000) < 0.1, `frequency ${f.toFixed(3)} Hz`);
  const gain = db(toneAmplitude(mid, 1000) / 10000);
  t.ok(Math.abs(gain) < 0.05, `gain ${gain.toFixed(3)} dB`);
  // And the waveform itself matches an 8 kHz sine of the same phase, sample by sample.
  const ref = sines([[1000, 10000]], 8000);
  let worst = 0;
  for (let i = 400; i < 7600; i++) worst = Math.max(worst, Math.abs((y[i] as number) - (ref[i] as number)));
  t.ok(worst <= 3, `largest deviation from the ideal sine ${worst}`);
  t.end();
});

t.test('44100 → 8000: a 6 kHz sine (would alias to 2 kHz) is removed', (t) => {
  const y = through(44100, 6000);
  t.ok(db(rmsOf(y) / (10000 / Math.SQRT2)) < -70, `residual ${db(rmsOf(y) / 7071).toFixed(1)} dB`);
  t.ok(toneAmplitude(y, 2000) < 1, 'nothing at the alias frequency');
  t.end();
});

t.test('pass band, cutoff and stop band at every common rate', (t) => {
  for (const rate of [16000, 22050, 32000, 44100, 48000, 96000, 11025, 44101]) {
    const gain = (f: number): number => db(toneAmplitude(through(rate, f), f) / 10000);
    const passband = [300, 1000, 3000, 3400].map(gain);
    t.ok(
      passband.every((g) => Math.abs(g) < 0.1),
      `${rate} Hz: flat to 3.4 kHz (${passband.map((g) => g.toFixed(2)).join(', ')} dB)`,
    );
    const atCutoff = gain(3600);
    t.ok(atCutoff < -4 && atCutoff > -8, `${rate} Hz: ${atCutoff.toFixed(1)} dB at 3.6 kHz`);
    for (const f of [4100, 5000, 7000].filter((v) => v < rate / 2)) {
      const residual = db(rmsOf(through(rate, f)) / 7071);
      t.ok(residual < -60, `${rate} Hz: ${f} Hz down ${residual.toFixed(0)} dB`);
    }
  }
  t.end();
});

t.test('lengths, copies and upsampling', (t) => {
  const x = sines([[440, 8000]], 800);
  const same = resampleTo8k(x, 8000);
  t.not(same, x, 'a copy, not the same array');
  t.same([...same], [...x]);
  t.equal(resampleTo8k(new Int16Array(16000), 16000).length, 8000);
  t.equal(resampleTo8k(new Int16Array(44100 * 3), 44100).length, 24000);
  t.equal(resampleTo8k(new Int16Array(441), 44100).length, 80);
  t.equal(resampleTo8k(new Int16Array(1), 48000).length, 1);
  t.equal(resampleTo8k(new Int16Array(0), 48000).length, 0);
  // Upsampling from 4 kHz and 6 kHz: frequency and level kept.
  for (const rate of [4000, 6000]) {
    const y = through(rate, 1000);
    t.ok(Math.abs(zeroCrossingFreq(y) - 1000) < 0.1, `${rate} Hz → 8 kHz keeps 1 kHz`);
    t.ok(Math.abs(db(toneAmplitude(y, 1000) / 10000)) < 0.05);
  }
  // DC stays DC, full scale does not wrap.
  const dc = resampleTo8k(new Int16Array(4410).fill(32767), 44100);
  t.ok(
    dc.subarray(50, 750).every((v) => v === 32767),
    'DC gain 1 away from the 6 ms edges',
  );
  const neg = resampleTo8k(new Int16Array(4410).fill(-32768), 44100);
  t.ok(neg.subarray(50, 750).every((v) => v === -32768));
  t.throws(() => resampleTo8k(x, 0), RangeError);
  t.throws(() => resampleTo8k(x, 44100.5), RangeError);
  t.throws(() => resample(x, 8000, -1), RangeError);
  t.end();
});

t.test('loadWavAs8k: parse, downmix, resample', (t) => {
  // 0.5 s stereo 48 kHz 24-bit extensible: 1 kHz on the left, 6 kHz on the right.
  const n = 24000;
  const left = sines([[1000, 16000]], n, 48000);
  const right = sines([[6000, 16000]], n, 48000);
  const body = Buffer.alloc(n * 6);
  for (let i = 0; i < n; i++) {
    body.writeIntLE((left[i] as number) * 256, i * 6, 3);
    body.writeIntLE((right[i] as number) * 256, i * 6 + 3, 3);
  }
  const y = loadWavAs8k(riff([chunk('fmt ', fmtExtensibleBody(1, 2, 48000, 24)), chunk('data', body)]));
  t.equal(y.length, 4000);
  const mid = y.subarray(200, 3800);
  t.ok(Math.abs(db(toneAmplitude(mid, 1000) / 8000)) < 0.05, 'left channel 1 kHz at half amplitude (mean of channels)');
  t.ok(rmsOf(mid) < 8000 / Math.SQRT2 + 5, 'right channel 6 kHz filtered out');
  // And a plain 8 kHz file passes straight through.
  const pcm = Buffer.alloc(320);
  for (let i = 0; i < 160; i++) pcm.writeInt16LE(i * 10, i * 2);
  const plain = riff([chunk('fmt ', fmtBody(1, 1, 8000, 16)), chunk('data', pcm)]);
  t.same(
    [...loadWavAs8k(plain)],
    Array.from({ length: 160 }, (_, i) => i * 10),
  );
  t.end();
});

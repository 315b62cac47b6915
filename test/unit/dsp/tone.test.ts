import t from 'tap';
import { frameEnergyDbm0 } from '../../../hal/src/dsp/level.js';
import { ToneGenerator } from '../../../hal/src/dsp/tone.js';
import { TONE_PRESETS, tonePreset } from '../../../hal/src/dsp/tone-presets.js';
import { renderSource, toneAmplitude, zeroCrossingFreq } from './fixtures/signals.js';

/** Which 10 ms slices of the signal carry sound: '1' on, '0' silent. */
function onOffPattern(x: Int16Array, sliceMs = 10): string {
  const n = sliceMs * 8;
  let s = '';
  for (let i = 0; i + n <= x.length; i += n) s += x.subarray(i, i + n).some((v) => v !== 0) ? '1' : '0';
  return s;
}

/** Lengths in samples of the alternating runs of sound and silence. */
function runs(x: Int16Array): { on: boolean; length: number }[] {
  // A sine crosses zero, so "on" is any sample within 2 samples of a non-zero one.
  const on = Array.from(x, (_, i) => x[i] !== 0 || x[i - 1] !== 0 || x[i + 1] !== 0);
  const out: { on: boolean; length: number }[] = [];
  for (const v of on) {
    const last = out[out.length - 1];
    if (last && last.on === v) last.length++;
    else out.push({ on: v, length: 1 });
  }
  return out;
}

t.test('single tone: frequency and level', (t) => {
  const x = renderSource(new ToneGenerator({ freqs: [450], levelDbm0: -10 }), 8000);
  t.equal(x.length, 8000);
  const f = zeroCrossingFreq(x);
  t.ok(Math.abs(f - 450) < 0.5, `zero crossings give ${f.toFixed(2)} Hz`);
  t.ok(Math.abs(frameEnergyDbm0(x) + 10) < 0.05, `level ${frameEnergyDbm0(x).toFixed(2)} dBm0`);
  const a450 = toneAmplitude(x, 450);
  t.ok(Math.abs(a450 - 7208) < 40, `Goertzel amplitude at 450 Hz ${a450.toFixed(0)}`);
  t.ok(toneAmplitude(x, 600) < 30, 'nothing at 600 Hz');
  t.end();
});

t.test('dual tone: both components at their levels, nothing between', (t) => {
  const x = renderSource(new ToneGenerator({ freqs: [350, 440], levelDbm0: [-13, -19] }), 8000);
  const a350 = toneAmplitude(x, 350);
  const a440 = toneAmplitude(x, 440);
  t.ok(Math.abs(20 * Math.log10(a350 / 22793) + 13) < 0.1, `350 Hz at ${(20 * Math.log10(a350 / 22793)).toFixed(2)} dBm0`);
  t.ok(Math.abs(20 * Math.log10(a440 / 22793) + 19) < 0.1, `440 Hz at ${(20 * Math.log10(a440 / 22793)).toFixed(2)} dBm0`);
  t.ok(toneAmplitude(x, 395) < 0.01 * a350, 'no energy at 395 Hz');
  t.ok(toneAmplitude(x, 700) < 0.01 * a350, 'no energy at 700 Hz');
  t.end();
});

t.test('phase-continuous: output does not depend on how it is read', (t) => {
  const spec = { freqs: [480, 620], levelDbm0: -10, cadenceMs: [250, 250] };
  const byFrames = renderSource(new ToneGenerator(spec), 16000);
  const byOdd = renderSource(new ToneGenerator(spec), 16000, 37);
  t.same([...byOdd.subarray(0, 16000)], [...byFrames]);
  // No jumps bigger than the steepest slope of the summed sines inside a burst.
  const maxStep = ((2 * Math.PI * (480 + 620)) / 8000) * 7208 + 2;
  let worst = 0;
  for (let i = 1; i < 2000; i++) worst = Math.max(worst, Math.abs((byFrames[i] as number) - (byFrames[i - 1] as number)));
  t.ok(worst <= maxStep, `largest sample step ${worst} within a burst`);
  t.end();
});

t.test('China busy: 350 ms on / 350 ms off, sample-exact, repeating', (t) => {
  const x = renderSource(new ToneGenerator(tonePreset('cn', 'busy')), 8000 * 3);
  const r = runs(x);
  t.same(
    r.slice(0, 8).map((v) => [v.on, v.length]),
    [
      [true, 2800],
      [false, 2800],
      [true, 2800],
      [false, 2800],
      [true, 2800],
      [false, 2800],
      [true, 2800],
      [false, 2800],
    ].map(([on, len]) => [on, on ? (len as number) + 1 : (len as number) - 1]),
    'runs of 2800 samples (±1 for the sine starting at zero)',
  );
  t.ok(Math.abs(zeroCrossingFreq(x.subarray(10, 2790)) - 450) < 1);
  t.end();
});

t.test('cadences of the presets', (t) => {
  const pattern = (spec: Parameters<typeof tonePreset>, seconds: number): string =>
    onOffPattern(renderSource(new ToneGenerator(tonePreset(...spec)), 8000 * seconds), 50);
  const rep = (on: number, off: number, total: number): string => ('1'.repeat(on) + '0'.repeat(off)).repeat(total);
  t.equal(pattern(['cn', 'ringback'], 10), rep(20, 80, 2));
  t.equal(pattern(['cn', 'congestion'], 2.8), rep(14, 14, 2));
  t.equal(pattern(['us', 'ringback'], 12), rep(40, 80, 2));
  t.equal(pattern(['us', 'busy'], 2), rep(10, 10, 2));
  t.equal(pattern(['us', 'reorder'], 1), rep(5, 5, 2));
  t.equal(pattern(['etsi', 'ringback'], 5), rep(20, 80, 1));
  t.equal(pattern(['etsi', 'busy'], 2), rep(10, 10, 2));
  t.equal(pattern(['cn', 'dial'], 2), '1'.repeat(40));
  t.end();
});

t.test('preset data', (t) => {
  t.same(TONE_PRESETS.cn.dial?.freqs, [450]);
  t.same(TONE_PRESETS.us.dial?.freqs, [350, 440]);
  t.same(TONE_PRESETS.us.ringback?.freqs, [440, 480]);
  t.same(TONE_PRESETS.us.busy?.freqs, [480, 620]);
  t.same(TONE_PRESETS.us.congestion, TONE_PRESETS.us.reorder);
  t.same(TONE_PRESETS.etsi.dial?.freqs, [425]);
  t.same(tonePreset('etsi', 'congestion').cadenceMs, [200, 200], 'CEPT congestion 200/200 ms');
  t.throws(() => tonePreset('etsi', 'reorder'), /no reorder tone preset for region etsi/);
  for (const [region, plan] of Object.entries(TONE_PRESETS)) {
    for (const [name, spec] of Object.entries(plan)) {
      const f = zeroCrossingFreq(renderSource(new ToneGenerator(spec), 400));
      t.ok(f > 300 && f < 700, `${region} ${name} renders (${f.toFixed(0)} Hz)`);
    }
  }
  t.end();
});

t.test('non-repeating cadence ends; read returns false afterwards', (t) => {
  const g = new ToneGenerator({ freqs: [1000], levelDbm0: -10, cadenceMs: [30, 10, 20], repeat: false });
  const frame = new Int16Array(160);
  t.equal(g.read(frame), true, '60 ms: the first 20 ms frame');
  t.equal(g.read(frame), true);
  t.equal(g.read(frame), true, 'the third frame ends exactly at 60 ms');
  t.ok(g.finished);
  t.equal(g.read(frame), false);
  t.ok(
    frame.every((v) => v === 0),
    'exhausted read zeroes the frame',
  );
  g.reset();
  const x = renderSource(g);
  t.equal(x.length, 480);
  t.same(
    runs(x).map((r) => r.on),
    [true, false, true],
  );
  t.end();
});

t.test('durationMs limits any tone; the last frame is padded with silence', (t) => {
  const x = renderSource(new ToneGenerator({ freqs: [425], levelDbm0: -10 }, { durationMs: 250 }));
  t.equal(x.length, 2080, '13 frames');
  t.ok(x.subarray(0, 1990).some((v) => v !== 0));
  t.ok(x.subarray(2000).every((v) => v === 0));
  const none = new ToneGenerator({ freqs: [425], levelDbm0: -10 }, { durationMs: 0 });
  t.equal(none.read(new Int16Array(160)), false);
  t.end();
});

t.test('bad specs are refused', (t) => {
  t.throws(() => new ToneGenerator({ freqs: [], levelDbm0: -10 }), RangeError);
  t.throws(() => new ToneGenerator({ freqs: [1, 2, 3], levelDbm0: -10 }), RangeError);
  t.throws(() => new ToneGenerator({ freqs: [4500], levelDbm0: -10 }), RangeError);
  t.throws(() => new ToneGenerator({ freqs: [400, 500], levelDbm0: [-10] }), RangeError);
  t.throws(() => new ToneGenerator({ freqs: [400], levelDbm0: 6 }), RangeError);
  t.throws(() => new ToneGenerator({ freqs: [400], levelDbm0: -10, cadenceMs: [0, 0] }), RangeError);
  t.throws(() => new ToneGenerator({ freqs: [400], levelDbm0: -10, cadenceMs: [-5, 5] }), RangeError);
  t.end();
});

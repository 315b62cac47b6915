import t from 'tap';
import {
  DBM0_SINE_PEAK,
  dbm0ToAmplitude,
  dbm0ToPower,
  frameEnergyDbm0,
  isSilent,
  LEVEL_FLOOR_DBM0,
  rms,
} from '../../../hal/src/dsp/level.js';
import { rng, sines } from './fixtures/signals.js';

t.test('rms of known signals', (t) => {
  t.equal(rms(new Int16Array(0)), 0);
  t.equal(rms(new Int16Array(160)), 0);
  t.equal(rms(new Int16Array(160).fill(-1000)), 1000);
  t.equal(rms(Int16Array.from([3, -4, 3, -4])), Math.sqrt(12.5));
  // A whole number of periods of a sine: peak / √2.
  t.ok(Math.abs(rms(sines([[1000, 10000]], 160)) - 10000 / Math.SQRT2) < 1);
  t.end();
});

t.test('dBm0 reference: 0 dBm0 sine peaks at 22793, full scale is about +3.15 dBm0', (t) => {
  t.equal(DBM0_SINE_PEAK, 22793);
  t.ok(Math.abs(frameEnergyDbm0(sines([[1000, 22793]], 160))) < 0.01);
  const full = frameEnergyDbm0(sines([[1000, 32767]], 160));
  t.ok(full > 3.1 && full < 3.2, `full scale at ${full.toFixed(3)} dBm0`);
  for (const level of [-40, -20, -10, -3]) {
    const x = sines([[1000, dbm0ToAmplitude(level)]], 160);
    t.ok(Math.abs(frameEnergyDbm0(x) - level) < 0.05, `sine generated at ${level} dBm0 measures ${frameEnergyDbm0(x).toFixed(3)}`);
  }
  // Two tones of -10 dBm0 each add up to -6.99 dBm0.
  const two = sines(
    [
      [700, dbm0ToAmplitude(-10)],
      [1200, dbm0ToAmplitude(-10)],
    ],
    8000,
  );
  t.ok(Math.abs(frameEnergyDbm0(two) + 6.99) < 0.05);
  t.ok(Math.abs(dbm0ToPower(-10) - dbm0ToAmplitude(-10) ** 2 / 2) < 1e-6);
  t.end();
});

t.test('digital silence reports the floor, not -Infinity', (t) => {
  t.equal(frameEnergyDbm0(new Int16Array(160)), LEVEL_FLOOR_DBM0);
  t.equal(frameEnergyDbm0(new Int16Array(0)), LEVEL_FLOOR_DBM0);
  const lsb = new Int16Array(160).fill(1);
  t.ok(frameEnergyDbm0(lsb) > LEVEL_FLOOR_DBM0 && frameEnergyDbm0(lsb) < -80);
  t.end();
});

t.test('isSilent around its threshold', (t) => {
  t.ok(isSilent(new Int16Array(160)));
  t.ok(isSilent(new Int16Array(0)));
  t.ok(isSilent(sines([[1000, dbm0ToAmplitude(-50)]], 160)));
  t.notOk(isSilent(sines([[1000, dbm0ToAmplitude(-40)]], 160)));
  t.ok(isSilent(sines([[1000, dbm0ToAmplitude(-40)]], 160), -30));
  t.notOk(isSilent(sines([[1000, dbm0ToAmplitude(-25)]], 160), -30));
  // White noise of RMS 50 (≈ -50 dBm0) is silent at the default -45.
  const r = rng(7);
  const noise = Int16Array.from({ length: 160 }, () => Math.round(50 * r.gauss()));
  t.ok(isSilent(noise));
  t.notOk(isSilent(noise, -55));
  t.end();
});

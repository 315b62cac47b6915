import t from 'tap';
import {
  alawToLinear,
  decodeAlaw,
  decodeUlaw,
  encodeAlaw,
  encodeUlaw,
  linearToAlaw,
  linearToUlaw,
  ulawToLinear,
} from '../../../hal/src/dsp/g711.js';
import { frameEnergyDbm0 } from '../../../hal/src/dsp/level.js';
import { sines } from './fixtures/signals.js';

// Independent closed-form decoders (the classic CCITT/Sun formulation) to cross-check the tables.
function refUlawDecode(u: number): number {
  const v = ~u & 0xff;
  const t = (((v & 0x0f) << 3) + 0x84) << ((v & 0x70) >> 4);
  return v & 0x80 ? 0x84 - t : t - 0x84;
}
function refAlawDecode(a: number): number {
  const v = a ^ 0x55;
  let t = (v & 0x0f) << 4;
  const seg = (v & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return v & 0x80 ? t : -t;
}

t.test('µ-law known values', (t) => {
  t.equal(linearToUlaw(0), 0xff);
  t.equal(ulawToLinear(0xff), 0);
  t.equal(ulawToLinear(0x7f), 0, 'negative zero decodes to 0');
  t.equal(linearToUlaw(-1), 0x7f, "one's complement: -1 is negative zero");
  t.equal(ulawToLinear(0x80), 32124);
  t.equal(ulawToLinear(0x00), -32124);
  t.equal(linearToUlaw(32767), 0x80);
  t.equal(linearToUlaw(-32768), 0x00);
  t.equal(linearToUlaw(1000), 0xce);
  t.equal(linearToUlaw(-1000), 0x4e);
  // First entries of the well-known µ-law decode table.
  t.same([0, 1, 2, 15, 16, 17].map(ulawToLinear), [-32124, -31100, -30076, -16764, -15996, -15484]);
  t.end();
});

t.test('A-law known values', (t) => {
  t.equal(linearToAlaw(0), 0xd5);
  t.equal(alawToLinear(0xd5), 8);
  t.equal(alawToLinear(0x55), -8);
  t.equal(linearToAlaw(-1), 0x55);
  t.equal(alawToLinear(0xaa), 32256);
  t.equal(alawToLinear(0x2a), -32256);
  t.equal(linearToAlaw(32767), 0xaa);
  t.equal(linearToAlaw(-32768), 0x2a);
  t.equal(linearToAlaw(1000), 0xfa);
  t.equal(alawToLinear(0xfa), 1008);
  t.same([0, 1, 2, 3, 4].map(alawToLinear), [-5504, -5248, -6016, -5760, -4480]);
  t.end();
});

t.test('decode tables match the closed-form reference for all 256 codes', (t) => {
  let bad = 0;
  for (let c = 0; c < 256; c++) {
    if (ulawToLinear(c) !== refUlawDecode(c)) bad++;
    if (alawToLinear(c) !== refAlawDecode(c)) bad++;
  }
  t.equal(bad, 0);
  t.end();
});

t.test('every code survives decode → encode (but µ-law negative zero)', (t) => {
  const badU: number[] = [];
  const badA: number[] = [];
  for (let c = 0; c < 256; c++) {
    if (c !== 0x7f && linearToUlaw(ulawToLinear(c)) !== c) badU.push(c);
    if (linearToAlaw(alawToLinear(c)) !== c) badA.push(c);
  }
  t.same(badU, []);
  t.same(badA, []);
  t.equal(linearToUlaw(ulawToLinear(0x7f)), 0xff);
  t.end();
});

t.test('round-trip error bounds and monotonicity over every int16 value', (t) => {
  let worstU = 0;
  let worstA = 0;
  let nonMonotonic = 0;
  let prevU = -Infinity;
  let prevA = -Infinity;
  for (let s = -32768; s <= 32767; s++) {
    const u = ulawToLinear(linearToUlaw(s));
    const a = alawToLinear(linearToAlaw(s));
    if (u < prevU || a < prevA) nonMonotonic++;
    prevU = u;
    prevA = a;
    // Within the coding range the error is at most half a quantisation step: 8 in the finest
    // segments, then 4.2 % (µ-law) / 3.2 % (A-law) of the value.
    if (Math.abs(s) <= 32124) worstU = Math.max(worstU, Math.abs(u - s) / Math.max(8, 0.0422 * Math.abs(s)));
    if (Math.abs(s) <= 32256) worstA = Math.max(worstA, Math.abs(a - s) / Math.max(8, 0.0313 * Math.abs(s)));
  }
  t.equal(nonMonotonic, 0);
  t.ok(worstU <= 1, `µ-law error within bound (worst ratio ${worstU.toFixed(3)})`);
  t.ok(worstA <= 1, `A-law error within bound (worst ratio ${worstA.toFixed(3)})`);
  // Beyond the largest level both saturate to it.
  t.equal(ulawToLinear(linearToUlaw(32767)), 32124);
  t.equal(alawToLinear(linearToAlaw(-32768)), -32256);
  t.end();
});

t.test('the digital milliwatt decodes to a 1 kHz sine at 0 dBm0', (t) => {
  const ulaw = Uint8Array.from([0x1e, 0x0b, 0x0b, 0x1e, 0x9e, 0x8b, 0x8b, 0x9e]);
  const alaw = Uint8Array.from([0x34, 0x21, 0x21, 0x34, 0xb4, 0xa1, 0xa1, 0xb4]);
  const pu = new Int16Array(8);
  const pa = new Int16Array(8);
  decodeUlaw(ulaw, pu);
  decodeAlaw(alaw, pa);
  t.same([...pu], [-8828, -20860, -20860, -8828, 8828, 20860, 20860, 8828]);
  t.ok(Math.abs(frameEnergyDbm0(pu)) < 0.1, `µ-law DMW at ${frameEnergyDbm0(pu).toFixed(3)} dBm0`);
  t.ok(Math.abs(frameEnergyDbm0(pa)) < 0.1, `A-law DMW at ${frameEnergyDbm0(pa).toFixed(3)} dBm0`);
  // And a 0 dBm0 1 kHz sine sampled at the same phases encodes back to the same bytes.
  const sine = Int16Array.from({ length: 8 }, (_, i) => Math.round(-22793 * Math.sin((Math.PI / 4) * (i + 0.5))));
  const eu = new Uint8Array(8);
  encodeUlaw(sine, eu);
  t.same([...eu], [...ulaw]);
  t.end();
});

t.test('buffer variants agree with the scalar functions, and SQNR stays 33-40 dB from -30 to 0 dBm0', (t) => {
  for (const amp of [721, 7208, 22793]) {
    const x = sines([[1020, amp]], 8000);
    const u = new Uint8Array(x.length);
    const a = new Uint8Array(x.length);
    t.equal(encodeUlaw(x, u), x.length);
    t.equal(encodeAlaw(x, a), x.length);
    const yu = new Int16Array(x.length);
    const ya = new Int16Array(x.length);
    t.equal(decodeUlaw(u, yu), x.length);
    t.equal(decodeAlaw(a, ya), x.length);
    let mismatch = 0;
    let sig = 0;
    let errU = 0;
    let errA = 0;
    for (let i = 0; i < x.length; i++) {
      const s = x[i] as number;
      if (u[i] !== linearToUlaw(s) || a[i] !== linearToAlaw(s)) mismatch++;
      if (yu[i] !== ulawToLinear(u[i] as number) || ya[i] !== alawToLinear(a[i] as number)) mismatch++;
      sig += s * s;
      errU += (s - (yu[i] as number)) ** 2;
      errA += (s - (ya[i] as number)) ** 2;
    }
    t.equal(mismatch, 0);
    const sqnrU = 10 * Math.log10(sig / errU);
    const sqnrA = 10 * Math.log10(sig / errA);
    t.ok(sqnrU > 33 && sqnrU < 40, `µ-law SQNR ${sqnrU.toFixed(1)} dB at amplitude ${amp}`);
    t.ok(sqnrA > 33 && sqnrA < 40, `A-law SQNR ${sqnrA.toFixed(1)} dB at amplitude ${amp}`);
  }
  t.end();
});

t.test('buffer variants refuse an output that is too short; scalars clamp out-of-range input', (t) => {
  t.throws(() => encodeUlaw(new Int16Array(10), new Uint8Array(9)), RangeError);
  t.throws(() => decodeAlaw(new Uint8Array(10), new Int16Array(9)), RangeError);
  t.equal(linearToUlaw(100000), 0x80);
  t.equal(linearToAlaw(-100000), 0x2a);
  t.end();
});

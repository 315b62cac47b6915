// The Mitel CM7291 test-tape procedures, synthesized the way SpanDSP's dtmf_rx_tests.c describes
// them (side 1: decode check, recognition bandwidth, twist, dynamic range, guard time, noise),
// every signal through A-law and back, one long-lived detector per test. SpanDSP's own pass
// criteria are checked, and on top of them the Q.24 limits this detector promises.
import t from 'tap';
import { DTMF_DIGITS } from '../../../hal/src/dsp/dtmf-tables.js';
import { DBM0_REF_RMS } from '../../../hal/src/dsp/level.js';
import { alawMunge, collector, dtmf } from './fixtures/dtmf.js';
import { rng } from './fixtures/signals.js';

/** One 50 ms burst + 50 ms gap (or as given), A-law munged: the unit of every Mitel test. */
const burst = (digit: string, opts: Parameters<typeof dtmf>[1]): Int16Array => alawMunge(dtmf(digit, { onMs: 50, offMs: 50, ...opts }));

t.test('test 2, decode check: every digit 10 times at -4 dBm0, 50 ms on / 50 ms off', (t) => {
  const c = collector();
  const wrong: string[] = [];
  for (const digit of DTMF_DIGITS) {
    const x = burst(digit, { levelDbm0: -4 });
    for (let i = 0; i < 10; i++) {
      c.detector.process(x);
      const got = c.take();
      if (got !== digit) wrong.push(`${digit}#${i}: ${JSON.stringify(got)}`);
    }
  }
  t.same(wrong, [], '160 bursts, 160 digits');
  t.end();
});

t.test('test 3, recognition bandwidth: one tone swept ±0.1 … ±6 % at -17 dBm0', (t) => {
  const c = collector();
  for (const digit of '159D') {
    for (const key of ['rowDeviationPct', 'colDeviationPct'] as const) {
      const accepted = { plus: [] as number[], minus: [] as number[] };
      for (const sign of [1, -1]) {
        for (let i = 1; i <= 60; i++) {
          c.detector.process(burst(digit, { levelDbm0: -17, [key]: (sign * i) / 10 }));
          const got = c.take();
          if (got === digit) (sign > 0 ? accepted.plus : accepted.minus).push(i / 10);
          else t.equal(got, '', `${digit} ${key} ${(sign * i) / 10} %: nothing else reported`);
        }
      }
      const nPlus = accepted.plus.length;
      const nMinus = accepted.minus.length;
      const rrb = (nPlus + nMinus) / 10;
      const rcfo = (nPlus - nMinus) / 20;
      t.comment(
        `${digit} ${key === 'rowDeviationPct' ? 'low ' : 'high'}: RRB ${rrb.toFixed(1)} %, RCFO ${rcfo.toFixed(2)} %, +${nPlus / 10} / -${nMinus / 10} %`,
      );
      t.ok(rrb >= 3 + rcfo && rrb < 15 + rcfo, `SpanDSP criterion: 3 + RCFO <= RRB (${rrb}) < 15 + RCFO`);
      for (const [side, list] of Object.entries(accepted)) {
        const n = list.length;
        t.same(
          Array.from({ length: 15 }, (_, k) => (k + 1) / 10).filter((d) => !list.includes(d)),
          [],
          `${digit} ${key} ${side}: every deviation up to 1.5 % accepted`,
        );
        t.same(
          list.filter((d) => d >= 3.5),
          [],
          `${digit} ${key} ${side}: none from 3.5 % on`,
        );
        t.ok(n >= 15 && n < 35, `${digit} ${key} ${side}: ${n} accepted (Q.24: 15 <= N < 35)`);
      }
    }
  }
  t.end();
});

t.test('test 4, twist: one tone at -3 dBm0, the other attenuated in 0.1 dB steps to 20 dB below', (t) => {
  const c = collector();
  for (const digit of '159D') {
    const counts = { normal: 0, reverse: 0 };
    for (const kind of ['normal', 'reverse'] as const) {
      for (let i = 0; i <= 200; i++) {
        const down = i / 10;
        // Normal twist: the low tone is the weaker one (twistDb > 0 means high louder).
        const opts = kind === 'normal' ? { levelDbm0: -3 - down, twistDb: down } : { levelDbm0: -3, twistDb: -down };
        c.detector.process(burst(digit, opts));
        if (c.take() === digit) counts[kind]++;
      }
    }
    const normalDb = (counts.normal - 1) / 10;
    const reverseDb = (counts.reverse - 1) / 10;
    t.comment(`${digit}: normal twist accepted to ${normalDb} dB, reverse to ${reverseDb} dB`);
    t.ok(counts.normal >= 80 && counts.reverse >= 40, 'SpanDSP criterion: >= 8 dB normal, >= 4 dB reverse');
    t.ok(normalDb >= 8 && normalDb < 9, `normal twist limit ${normalDb} dB in [8, 9)`);
    t.ok(reverseDb >= 4 && reverseDb < 5, `reverse twist limit ${reverseDb} dB in [4, 5)`);
  }
  t.end();
});

t.test('test 5, dynamic range: digit 1 from +3 down to -50 dBm0 per tone in 1 dB steps', (t) => {
  const c = collector();
  const detected: number[] = [];
  for (let level = 3; level >= -50; level--) {
    c.detector.process(burst('1', { levelDbm0: level }));
    if (c.take() === '1') detected.push(level);
  }
  t.comment(`dynamic range ${detected.length} dB (${detected[0]} to ${detected[detected.length - 1]} dBm0)`);
  t.ok(detected.length >= 35, 'SpanDSP criterion: at least 35 dB');
  const want = Array.from({ length: 37 }, (_, k) => -k);
  t.same(
    want.filter((l) => !detected.includes(l)),
    [],
    'every level from 0 to -36 dBm0 detected',
  );
  t.same(
    detected.filter((l) => l < -41),
    [],
    'nothing below the -40 dBm0 floor (1 dB margin for A-law)',
  );
  t.end();
});

t.test('test 6, guard time: digit 1 at -3 dBm0, bursts from 49 ms down to 10 ms in 0.1 ms steps', (t) => {
  const c = collector();
  let responses = 0;
  const wrong: string[] = [];
  for (let i = 490; i >= 100; i--) {
    const ms = i / 10;
    c.detector.process(burst('1', { levelDbm0: -3, onMs: ms }));
    const got = c.take();
    if (got === '1') responses++;
    if (ms >= 40 && got !== '1') wrong.push(`${ms} ms missed`);
    if (ms < 23 && got !== '') wrong.push(`${ms} ms gave ${got}`);
  }
  t.comment(`guard time (Mitel: (500 - responses) / 10) = ${((500 - responses) / 10).toFixed(1)} ms`);
  t.same(wrong, [], 'every burst of 40 ms or more detected, none under 23 ms');
  t.end();
});

t.test('test 7, signal to noise: 1000 bursts of digit 1 at -4 dBm0 per tone in white noise', (t) => {
  const x = burst('1', { levelDbm0: -4 });
  const r = rng(1234567);
  const noisy = new Int16Array(x.length);
  /** How many of 1000 bursts come out as exactly "1" with noise at `noiseDbm0`. */
  const run = (noiseDbm0: number): number => {
    const c = collector();
    const sigma = DBM0_REF_RMS * 10 ** (noiseDbm0 / 20);
    let ok = 0;
    for (let i = 0; i < 1000; i++) {
      for (let k = 0; k < x.length; k++) noisy[k] = Math.max(-32768, Math.min(32767, Math.round((x[k] as number) + sigma * r.gauss())));
      c.detector.process(alawMunge(noisy));
      if (c.take() === '1') ok++;
    }
    return ok;
  };
  // SpanDSP's sweep: noise from -13 dBm0 down until all 1000 bursts pass; S/N = -4 - noise level.
  let acceptable = Number.NaN;
  for (let noise = -13; noise > -50; noise--) {
    if (run(noise) === 1000) {
      acceptable = -4 - noise;
      break;
    }
  }
  t.comment(`acceptable S/N (per tone, Mitel definition): ${acceptable} dB`);
  t.ok(acceptable <= 26, 'SpanDSP criterion: <= 26 dB');
  t.ok(acceptable <= 15, 'Q.24 as this detector promises: 15 dB is enough');
  t.end();
});

// Every ITU-T Q.24 limit the DTMF detector promises, tested on both sides of the threshold:
// frequency ±1.5 % accepted / ±3.5 % rejected (both tones, and each tone alone), twist 8 dB
// normal / 4 dB reverse, duration 40 ms accepted / under 23 ms rejected, 10 ms dropouts bridged,
// -36 dBm0 per tone, 15 dB signal-to-noise.
import t from 'tap';
import type { DtmfGeneratorOptions } from '../../../hal/src/dsp/dtmf-gen.js';
import { DTMF_DIGITS } from '../../../hal/src/dsp/dtmf-tables.js';
import { dbm0ToPower } from '../../../hal/src/dsp/level.js';
import { digitsIn, dtmf } from './fixtures/dtmf.js';
import { addNoise, concat, silence } from './fixtures/signals.js';

/** Every digit alone, at a few block alignments: how many came out as exactly that digit. */
function score(opts: DtmfGeneratorOptions, alignments = [0, 33, 71]): { ok: number; total: number; wrong: string[] } {
  let ok = 0;
  let total = 0;
  const wrong: string[] = [];
  for (const digit of DTMF_DIGITS) {
    for (const lead of alignments) {
      total++;
      const got = digitsIn(dtmf(digit, { onMs: 60, ...opts }, lead));
      if (got === digit) ok++;
      else if (got !== '') wrong.push(`${digit}->${got}`);
    }
  }
  return { ok, total, wrong };
}

t.test('frequency: ±1.5 % on both tones or on either one is accepted', (t) => {
  for (const dev of [-1.5, 1.5]) {
    for (const [what, opts] of [
      ['both tones', { freqDeviationPct: dev }],
      ['low tone only', { rowDeviationPct: dev }],
      ['high tone only', { colDeviationPct: dev }],
      ['tones apart', { rowDeviationPct: dev, colDeviationPct: -dev }],
    ] as const) {
      const r = score({ levelDbm0: -20, ...opts });
      t.equal(r.ok, r.total, `${what} ${dev} %: ${r.ok}/${r.total}`);
    }
  }
  t.end();
});

t.test('frequency: ±3.5 % on both tones or on only ONE of them is rejected', (t) => {
  for (const dev of [-3.5, 3.5, -5, 5]) {
    for (const [what, opts] of [
      ['both tones', { freqDeviationPct: dev }],
      ['low tone only', { rowDeviationPct: dev }],
      ['high tone only', { colDeviationPct: dev }],
    ] as const) {
      const r = score({ levelDbm0: -20, ...opts });
      t.equal(r.ok, 0, `${what} ${dev} %: ${r.ok}/${r.total} accepted`);
      t.same(r.wrong, [], 'and nothing else reported instead');
    }
  }
  t.end();
});

t.test('frequency: the detector decides at 2.5 %, halfway between the two limits', (t) => {
  for (const [dev, want] of [
    [2.2, true],
    [-2.2, true],
    [2.8, false],
    [-2.8, false],
  ] as const) {
    for (const key of ['rowDeviationPct', 'colDeviationPct'] as const) {
      const r = score({ levelDbm0: -20, [key]: dev }, [0, 50]);
      t.equal(r.ok, want ? r.total : 0, `${key} ${dev} %: ${r.ok}/${r.total}`);
    }
  }
  t.end();
});

t.test('twist: 8 dB normal and 4 dB reverse accepted; 9 dB normal and 5 dB reverse rejected', (t) => {
  for (const [twistDb, want] of [
    [8, true],
    [6, true],
    [-4, true],
    [-3, true],
    [9, false],
    [12, false],
    [-5, false],
    [-8, false],
  ] as const) {
    // The weaker tone at -25 dBm0, so both stay well above the level floor.
    const levelDbm0 = twistDb > 0 ? -25 : -25 - twistDb;
    const r = score({ levelDbm0, twistDb });
    t.equal(r.ok, want ? r.total : 0, `twist ${twistDb} dB: ${r.ok}/${r.total}`);
  }
  t.end();
});

t.test('duration: 40 ms accepted and under 23 ms rejected, in every block alignment', (t) => {
  for (const [onMs, want] of [
    [40, true],
    [45, true],
    [22.9, false],
    [20, false],
    [10, false],
  ] as const) {
    const wrong: string[] = [];
    for (const digit of '19#D*0') {
      for (let lead = 0; lead < 102; lead++) {
        const got = digitsIn(dtmf(digit, { onMs, levelDbm0: -20 }, lead));
        if (got !== (want ? digit : '')) wrong.push(`${digit}@${lead}: ${JSON.stringify(got)}`);
      }
    }
    t.same(wrong.slice(0, 5), [], `${onMs} ms tones ${want ? 'accepted' : 'rejected'} (${wrong.length} wrong of 612)`);
  }
  t.end();
});

t.test('dropouts of 10 ms or less are bridged; a 40 ms pause splits the digit', (t) => {
  const tone = dtmf('8', { onMs: 300, offMs: 0, levelDbm0: -20 });
  const gap = (ms: number, at: number): Int16Array => {
    const x = tone.slice();
    x.fill(0, at, at + ms * 8);
    return x;
  };
  for (const ms of [5, 10]) {
    const wrong: number[] = [];
    for (let at = 800; at < 800 + 102; at += 3) if (digitsIn(gap(ms, at)) !== '8') wrong.push(at);
    t.same(wrong, [], `a ${ms} ms dropout at every alignment: one 8`);
  }
  const wrong: number[] = [];
  for (let lead = 0; lead < 102; lead += 3) {
    const x = concat([silence(lead), dtmf('8', { onMs: 60, offMs: 40 }), dtmf('8', { onMs: 60, offMs: 0 })]);
    if (digitsIn(x) !== '88') wrong.push(lead);
  }
  t.same(wrong, [], 'two 8s across every alignment of a 40 ms pause');
  t.end();
});

t.test('level: every digit at -36 dBm0 per tone (also 1.5 % off), none at -42; minLevelDbm0 moves the floor', (t) => {
  for (const opts of [{ levelDbm0: -36 }, { levelDbm0: -36, freqDeviationPct: 1.5 }, { levelDbm0: -36, twistDb: 4 }]) {
    const r = score(opts);
    t.equal(r.ok, r.total, `${JSON.stringify(opts)}: ${r.ok}/${r.total}`);
  }
  t.equal(score({ levelDbm0: -42 }).ok, 0, '-42 dBm0 is below the default floor of -40');
  t.equal(score({ levelDbm0: -45, twistDb: 4 }).ok, 0, '-45/-41 dBm0: the weaker tone decides');
  t.equal(digitsIn(dtmf('123', { levelDbm0: -30 }), 160, { minLevelDbm0: -25 }), '');
  t.equal(digitsIn(dtmf('123', { levelDbm0: -20 }), 160, { minLevelDbm0: -25 }), '123');
  t.equal(digitsIn(dtmf('123', { levelDbm0: 0 })), '123', 'loud digits (clipped at full scale) too');
  t.end();
});

t.test('15 dB signal-to-noise (both tones together over white noise): every digit, exactly', (t) => {
  const digits = DTMF_DIGITS.repeat(4);
  for (const level of [-36, -20, -4]) {
    const x = dtmf(digits, { levelDbm0: level, onMs: 50, offMs: 50 });
    const sigma = Math.sqrt((2 * dbm0ToPower(level)) / 10 ** 1.5);
    for (const seed of [1, 2]) {
      t.equal(digitsIn(addNoise(x, sigma, seed)), digits, `tones at ${level} dBm0, noise seed ${seed}`);
    }
  }
  // And at 1.5 % off-tune, 6 dB twist, -30 dBm0: the limits together.
  const x = dtmf(digits, { levelDbm0: -30, twistDb: 6, freqDeviationPct: -1.5, onMs: 50, offMs: 50 });
  const sigma = Math.sqrt((dbm0ToPower(-30) + dbm0ToPower(-24)) / 10 ** 1.5);
  t.equal(digitsIn(addNoise(x, sigma, 9)), digits, 'limits combined');
  t.end();
});

// Talk-off: speech (espeak-ng, English and Mandarin) and music-like signals must give zero digits,
// while real digits under speech must still come through (talk-down).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { decodeUlaw, encodeUlaw } from '../../../hal/src/dsp/g711.js';
import { dbm0ToPower } from '../../../hal/src/dsp/level.js';
import { applyGain } from '../../../hal/src/dsp/mix.js';
import { loadWavAs8k } from '../../../hal/src/dsp/resample.js';
import { digitsIn, dtmf } from './fixtures/dtmf.js';
import { musicPieces, renderMusic, type Timbre } from './fixtures/music.js';
import { addNoise, concat } from './fixtures/signals.js';

const has = (cmd: string, arg = '--version'): boolean => {
  try {
    execFileSync(cmd, [arg], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const EN = [
  'Thank you for calling. For sales press one, for support press two, or stay on the line.',
  'The quick brown fox jumps over the lazy dog. Seven, eight, nine, zero, star, pound.',
  'Aaaah eeeee ooooo uuuuu mmmmm nnnnn, la la la la, hmmmmm.',
  'She sells sea shells by the sea shore; Peter Piper picked a peck of pickled peppers.',
];
const ZH = [
  '您好，欢迎致电。销售请按一，客服请按二，查询订单请按三，人工服务请按零。',
  '今天天气很好，我们去公园散步吧。一二三四五六七八九十。',
  '啊啊啊，嗯嗯嗯，喂？喂？听得见吗？请稍等，我帮您转接。',
];

function speech(voice: string, text: string, pitch: number, speed: number): Int16Array {
  return loadWavAs8k(execFileSync('espeak-ng', ['-v', voice, '-p', String(pitch), '-s', String(speed), '--stdout', text]));
}

const espeak = has('espeak-ng');

t.test('talk-off: espeak-ng speech in English and Mandarin gives no digits', { skip: !espeak && 'espeak-ng not installed' }, (t) => {
  let seconds = 0;
  const hits: string[] = [];
  for (const [voice, texts] of [
    ['en', EN],
    ['en-us+f3', EN],
    ['en+m3', EN],
    ['cmn', ZH],
    ['cmn+f2', ZH],
    ['cmn+m1', [...ZH, EN[0] as string]],
  ] as const) {
    for (const pitch of [20, 60, 99]) {
      for (const text of texts) {
        const x = speech(voice, text, pitch, pitch === 60 ? 175 : 140);
        seconds += x.length / 8000;
        const got = digitsIn(x);
        if (got) hits.push(`${voice} p${pitch} "${text.slice(0, 16)}": ${got}`);
      }
    }
  }
  t.ok(seconds > 300, `${seconds.toFixed(0)} s of speech`);
  t.same(hits, [], 'zero false digits');
  t.end();
});

t.test(
  'talk-off: speech loud, quiet, µ-law coded and in line noise gives no digits',
  { skip: !espeak && 'espeak-ng not installed' },
  (t) => {
    const x = concat([
      speech('en', EN[0] as string, 50, 160),
      speech('cmn', ZH[0] as string, 50, 160),
      speech('en+f3', EN[2] as string, 80, 150),
    ]);
    const bytes = new Uint8Array(x.length);
    for (const gainDb of [-20, -10, 0, 6]) {
      const y = applyGain(x, gainDb, new Int16Array(x.length));
      t.equal(digitsIn(y), '', `gain ${gainDb} dB`);
      encodeUlaw(y, bytes);
      decodeUlaw(bytes, y);
      t.equal(digitsIn(addNoise(y, 300, gainDb + 100)), '', `gain ${gainDb} dB, µ-law, noise`);
    }
    t.end();
  },
);

t.test('talk-off: music-like signals give no digits', (t) => {
  let seconds = 0;
  const hits: string[] = [];
  for (const timbre of ['sine', 'organ', 'strings', 'clarinet', 'brass', 'piano', 'flute'] as Timbre[]) {
    for (const piece of musicPieces()) {
      for (const [levelDbm0, vibratoPct] of [
        [-12, 0],
        [-24, 0.8],
      ] as const) {
        const x = renderMusic(piece.events, { timbre, levelDbm0, vibratoPct });
        seconds += x.length / 8000;
        const got = digitsIn(x);
        if (got) hits.push(`${timbre} ${piece.name} ${levelDbm0} dBm0: ${got}`);
      }
    }
  }
  t.ok(seconds > 200, `${seconds.toFixed(0)} s of music`);
  t.same(hits, [], 'zero false digits');
  t.end();
});

t.test('talk-off: sox-synthesized chords and sweeps give no digits', { skip: !has('sox') && 'sox not installed' }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dtmf-talkoff-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const hits: string[] = [];
  // sox note names are semitones from A4 (%0); chords of three or more notes, several waveforms.
  const chords = ['%-9 %-5 %-2 %3', '%-4 %0 %3 %7', '%1 %5 %8 %13', '%3 %7 %10 %14', '%-7 %-4 %0 %5'];
  for (const wave of ['sine', 'square', 'triangle', 'sawtooth', 'pluck']) {
    for (const chord of chords) {
      const file = join(dir, `${wave}.wav`);
      const synth = chord.split(' ').flatMap((n) => [wave, n]);
      execFileSync('sox', ['-n', '-r', '8000', '-b', '16', file, 'synth', '1.5', ...synth, 'vol', '0.3']);
      const got = digitsIn(loadWavAs8k(readFileSync(file)));
      if (got) hits.push(`${wave} ${chord}: ${got}`);
    }
    if (wave === 'pluck') continue; // sox cannot sweep a plucked string
    const file = join(dir, `${wave}-sweep.wav`);
    execFileSync('sox', ['-n', '-r', '8000', '-b', '16', file, 'synth', '4', wave, '300-3400', 'vol', '0.3']);
    const got = digitsIn(loadWavAs8k(readFileSync(file)));
    if (got) hits.push(`${wave} sweep: ${got}`);
  }
  t.same(hits, [], 'zero false digits');
  t.end();
});

t.test('a pure two-note chord that IS a DTMF pair within tolerance is reported (no receiver can tell)', (t) => {
  // F5 (698.5 Hz, +0.2 %) with E6 (1318.5 Hz, -1.3 %) is key 2 to any Q.24 receiver.
  t.equal(digitsIn(renderMusic([{ notes: ['F5', 'E6'], ms: 400 }], { timbre: 'sine' })), '2');
  // The same notes with a real instrument's harmonics are not DTMF.
  for (const timbre of ['flute', 'clarinet', 'organ'] as Timbre[]) {
    t.equal(digitsIn(renderMusic([{ notes: ['F5', 'E6'], ms: 400 }], { timbre })), '', timbre);
  }
  t.end();
});

t.test('talk-down: digits at -10 dBm0 still come through speech 15 dB below them', { skip: !espeak && 'espeak-ng not installed' }, (t) => {
  const talk = speech('en', EN[0] as string, 50, 175);
  const digits = '1357924680*#';
  const tones = dtmf(digits, { levelDbm0: -10, onMs: 80, offMs: 120 });
  // Scale speech to 15 dB below the two tones together.
  let p = 0;
  for (const v of talk) p += v * v;
  const gain = Math.sqrt((2 * dbm0ToPower(-10)) / 10 ** 1.5 / (p / talk.length));
  const mixed = Int16Array.from(tones, (v, i) =>
    Math.max(-32768, Math.min(32767, v + Math.round(gain * (talk[i % talk.length] as number)))),
  );
  t.equal(digitsIn(mixed), digits);
  t.end();
});

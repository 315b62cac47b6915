// Cross-check against multimon-ng (Debian package; it wants 22050 Hz raw input) on the same DTMF
// files. multimon-ng is a peer, not an oracle: each file's known digits decide. The test reports
// every difference, requires our detector to get every file right, and to beat or tie the peer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { dbm0ToPower } from '../../../hal/src/dsp/level.js';
import { loadWavAs8k } from '../../../hal/src/dsp/resample.js';
import { encodeWav16 } from '../../../hal/src/dsp/wav.js';
import { digitsIn, dtmf } from './fixtures/dtmf.js';
import { addNoise, concat, silence } from './fixtures/signals.js';

const has = (cmd: string, args: string[]): boolean => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const ready = has('multimon-ng', ['-h']) || has('sh', ['-c', 'command -v multimon-ng']);
const skip = !ready ? 'multimon-ng not installed' : !has('sox', ['--version']) ? 'sox not installed' : false;

/** Digits multimon-ng reports for an 8 kHz WAV file (converted by sox to 22050 Hz raw). */
function multimon(wavFile: string): string {
  const raw = wavFile.replace(/\.wav$/, '.raw');
  execFileSync('sox', [wavFile, '-t', 'raw', '-r', '22050', '-e', 'signed-integer', '-b', '16', '-c', '1', raw]);
  const out = execFileSync('multimon-ng', ['-q', '-c', '-a', 'DTMF', '-t', 'raw', raw]).toString();
  return Array.from(out.matchAll(/^DTMF: (.)$/gm), (m) => m[1]).join('');
}

/** A file made by sox alone: each digit as two summed sines, joined with silences. */
function soxDigits(dir: string, name: string, digits: string, onS: number, offS: number, vol: number): string {
  const pairs: Record<string, [number, number]> = {};
  '123A456B789C*0#D'.split('').forEach((d, i) => {
    pairs[d] = [[697, 770, 852, 941][i >> 2] as number, [1209, 1336, 1477, 1633][i & 3] as number];
  });
  const parts: string[] = [];
  digits.split('').forEach((d, i) => {
    const [lo, hi] = pairs[d] as [number, number];
    const on = join(dir, `${name}-${i}.wav`);
    const off = join(dir, `${name}-${i}-gap.wav`);
    execFileSync('sox', [
      '-n',
      '-r',
      '8000',
      '-b',
      '16',
      on,
      'synth',
      String(onS),
      'sine',
      String(lo),
      'sine',
      String(hi),
      'remix',
      '1,2',
      'vol',
      String(vol),
    ]);
    execFileSync('sox', ['-n', '-r', '8000', '-b', '16', '-c', '1', off, 'trim', '0', String(offS)]);
    parts.push(on, off);
  });
  const file = join(dir, `${name}.wav`);
  execFileSync('sox', [...parts, file]);
  return file;
}

t.test('multimon-ng and this detector on the same files; the known digits decide', { skip }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dtmf-multimon-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const all = '123A456B789C*0#D';
  const noisy = (x: Int16Array, level: number, snrDb: number, seed: number): Int16Array =>
    addNoise(x, Math.sqrt((2 * dbm0ToPower(level)) / 10 ** (snrDb / 10)), seed);
  const gappy = (x: Int16Array): Int16Array => {
    // 8 ms dropouts every 150 ms: a flaky line that Q.24 says to bridge.
    const y = x.slice();
    for (let i = 600; i < y.length; i += 1200) y.fill(0, i, i + 64);
    return y;
  };
  const files: { name: string; digits: string; x?: Int16Array; file?: string }[] = [
    { name: 'clean, 80/80 ms, -10 dBm0', digits: all, x: dtmf(all, { onMs: 80, offMs: 80 }) },
    { name: 'long presses (1.5 s) with 8 ms dropouts', digits: '5090', x: gappy(dtmf('5090', { onMs: 1500, offMs: 300, levelDbm0: -15 })) },
    { name: 'weak, -36 dBm0 at 18 dB SNR', digits: '13800138000', x: noisy(dtmf('13800138000', { levelDbm0: -36 }), -36, 18, 1) },
    { name: '15 dB SNR, -20 dBm0, 50/50 ms', digits: all, x: noisy(dtmf(all, { levelDbm0: -20, onMs: 50, offMs: 50 }), -20, 15, 2) },
    { name: 'fast: 40 ms on / 40 ms off', digits: '0123456789', x: dtmf('0123456789', { onMs: 40, offMs: 40, levelDbm0: -15 }) },
    { name: 'twist +8 dB, 1.5 % off-tune', digits: '2580*#', x: dtmf('2580*#', { twistDb: 8, freqDeviationPct: 1.5, levelDbm0: -25 }) },
    { name: 'weak low tone: -36 dBm0, twist +8 dB', digits: '13800138000', x: dtmf('13800138000', { levelDbm0: -36, twistDb: 8 }) },
    { name: 'low tone 1.5 % high', digits: '13800138000', x: dtmf('13800138000', { levelDbm0: -20, rowDeviationPct: 1.5 }) },
    { name: 'high tone 1.5 % low', digits: '13800138000', x: dtmf('13800138000', { levelDbm0: -20, colDeviationPct: -1.5 }) },
    {
      name: 'long presses (2 s), 1 % off-tune',
      digits: '5090',
      x: dtmf('5090', { onMs: 2000, offMs: 300, levelDbm0: -15, freqDeviationPct: 1 }),
    },
    { name: 'too short: 20 ms bursts (not digits)', digits: '', x: dtmf('1234', { onMs: 20, offMs: 80, levelDbm0: -10 }) },
    { name: 'one tone 3.5 % off (not digits)', digits: '', x: dtmf('1470', { colDeviationPct: 3.5, levelDbm0: -15 }) },
    { name: 'sox-made, 100/100 ms', digits: '13579#', file: soxDigits(dir, 'sox1', '13579#', 0.1, 0.1, 0.4) },
    { name: 'sox-made, 45/45 ms, quiet', digits: '2468*0', file: soxDigits(dir, 'sox2', '2468*0', 0.045, 0.045, 0.03) },
  ];
  if (has('espeak-ng', ['--version'])) {
    const speech = loadWavAs8k(
      execFileSync('espeak-ng', ['-v', 'en', '--stdout', 'For sales press one, for support press two. 您好，请按一。']),
    );
    files.push({ name: 'speech alone (talk-off)', digits: '', x: speech });
    const tones = dtmf('147', { onMs: 120, offMs: 400, levelDbm0: -8 });
    files.push({
      name: 'digits over speech 15 dB down',
      digits: '147',
      x: concat([Int16Array.from(tones, (v, i) => v + Math.round(0.1 * (speech[i] ?? 0))), silence(800)]),
    });
  }
  let oursRight = 0;
  let peerRight = 0;
  const rows: string[] = [];
  for (const f of files) {
    let file = f.file;
    if (!file) {
      file = join(dir, `${f.name.replace(/[^a-z0-9]+/gi, '-')}.wav`);
      writeFileSync(file, encodeWav16(f.x as Int16Array, 8000));
    }
    const ours = digitsIn(loadWavAs8k(Buffer.from(execFileSync('cat', [file]))));
    const peer = multimon(file);
    if (ours === f.digits) oursRight++;
    if (peer === f.digits) peerRight++;
    rows.push(
      `${f.name}: known ${JSON.stringify(f.digits)}, ours ${JSON.stringify(ours)}, multimon-ng ${JSON.stringify(peer)}${peer === f.digits ? '' : '  <- differs'}`,
    );
    t.equal(ours, f.digits, `ours on "${f.name}"`);
  }
  for (const row of rows) t.comment(row);
  t.comment(`right: ours ${oursRight}/${files.length}, multimon-ng ${peerRight}/${files.length}`);
  t.ok(oursRight >= peerRight, 'at least as many files right as multimon-ng');
  t.ok(peerRight > 0, 'multimon-ng ran and decoded something (the comparison is real)');
  t.end();
});

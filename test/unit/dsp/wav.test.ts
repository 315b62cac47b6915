import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { encodeAlaw, encodeUlaw } from '../../../hal/src/dsp/g711.js';
import { encodeWav16, parseWav, WavFormatError } from '../../../hal/src/dsp/wav.js';
import { chunk, fmtBody, fmtExtensibleBody, riff } from './fixtures/signals.js';

/** The reference signal every format encodes: a ramp of 16-bit values across the range. */
const REF = Int16Array.from([0, 1000, -1000, 32767, -32768, 12345, -12345, 256, -256, 77]);

function pcmBytes(bits: number, samples: Int16Array, channels = 1): Buffer {
  const bps = bits / 8;
  const b = Buffer.alloc(samples.length * bps * channels);
  samples.forEach((s, i) => {
    for (let c = 0; c < channels; c++) {
      const at = (i * channels + c) * bps;
      const v = c === 0 ? s : 0; // extra channels silent
      if (bits === 8) b.writeUInt8((v >> 8) + 128, at);
      else if (bits === 16) b.writeInt16LE(v, at);
      // Lower bits just under half an int16 step: they must round away.
      else if (bits === 24) b.writeIntLE(v * 256 + 0x7f, at, 3);
      else b.writeInt32LE(v * 65536 + 0x7fff, at);
    }
  });
  return b;
}

function floatBytes(samples: Int16Array): Buffer {
  const b = Buffer.alloc(samples.length * 4);
  samples.forEach((s, i) => {
    b.writeFloatLE(s / 32768, i * 4);
  });
  return b;
}

t.test('PCM 16, 24 and 32-bit read back exactly; 8-bit to its precision', (t) => {
  for (const bits of [16, 24, 32]) {
    const wav = parseWav(riff([chunk('fmt ', fmtBody(1, 1, 8000, bits)), chunk('data', pcmBytes(bits, REF))]));
    t.same({ rate: wav.sampleRate, ch: wav.channels, bits: wav.bitsPerSample, fmt: wav.format }, { rate: 8000, ch: 1, bits, fmt: 'pcm' });
    t.same([...wav.samples], [...REF], `${bits}-bit samples`);
  }
  const w8 = parseWav(riff([chunk('fmt ', fmtBody(1, 1, 11025, 8)), chunk('data', pcmBytes(8, REF))]));
  t.equal(w8.sampleRate, 11025);
  t.same(
    [...w8.samples],
    [...REF].map((v) => (v >> 8) * 256),
  );
  t.end();
});

t.test('IEEE float 32, µ-law and A-law', (t) => {
  const f = parseWav(riff([chunk('fmt ', fmtBody(3, 1, 16000, 32, true)), chunk('data', floatBytes(REF))]));
  t.equal(f.format, 'float');
  t.same([...f.samples], [...REF]);
  const over = Buffer.alloc(8);
  over.writeFloatLE(1.5, 0);
  over.writeFloatLE(-2, 4);
  t.same([...parseWav(riff([chunk('fmt ', fmtBody(3, 1, 8000, 32)), chunk('data', over)])).samples], [32767, -32768]);

  const u = new Uint8Array(REF.length);
  encodeUlaw(REF, u);
  const wu = parseWav(riff([chunk('fmt ', fmtBody(7, 1, 8000, 8, true)), chunk('data', Buffer.from(u))]));
  t.equal(wu.format, 'ulaw');
  t.same([...wu.samples].slice(0, 3), [0, 988, -988]);
  const a = new Uint8Array(REF.length);
  encodeAlaw(REF, a);
  const wa = parseWav(riff([chunk('fmt ', fmtBody(6, 1, 8000, 8, true)), chunk('data', Buffer.from(a))]));
  t.equal(wa.format, 'alaw');
  t.same([...wa.samples].slice(0, 3), [8, 1008, -1008]);
  t.end();
});

t.test('WAVE_FORMAT_EXTENSIBLE with PCM and float sub-formats', (t) => {
  const p = parseWav(riff([chunk('fmt ', fmtExtensibleBody(1, 1, 48000, 24)), chunk('data', pcmBytes(24, REF))]));
  t.same([p.format, p.bitsPerSample, p.sampleRate], ['pcm', 24, 48000]);
  t.same([...p.samples], [...REF]);
  const f = parseWav(riff([chunk('fmt ', fmtExtensibleBody(3, 1, 48000, 32)), chunk('data', floatBytes(REF))]));
  t.equal(f.format, 'float');
  t.same([...f.samples], [...REF]);
  const bad = fmtExtensibleBody(1, 1, 48000, 16);
  bad[30] = 0x99; // corrupt the GUID
  t.throws(() => parseWav(riff([chunk('fmt ', bad), chunk('data', pcmBytes(16, REF))])), /sub-format GUID/);
  t.end();
});

t.test('stereo: downmixed to mono by default, or one channel', (t) => {
  const body = Buffer.alloc(8);
  body.writeInt16LE(1000, 0); // L
  body.writeInt16LE(3000, 2); // R
  body.writeInt16LE(-32768, 4);
  body.writeInt16LE(-32768, 6);
  const file = riff([chunk('fmt ', fmtBody(1, 2, 8000, 16)), chunk('data', body)]);
  const mixed = parseWav(file);
  t.equal(mixed.channels, 2);
  t.same([...mixed.samples], [2000, -32768]);
  t.same([...parseWav(file, { channel: 1 }).samples], [3000, -32768]);
  t.throws(() => parseWav(file, { channel: 2 }), /channel 2 asked for, file has 2/);
  t.end();
});

t.test('odd-sized chunks with pad bytes and LIST chunks before data are skipped', (t) => {
  const list = chunk('LIST', Buffer.concat([Buffer.from('INFOISFT'), Buffer.from([5, 0, 0, 0]), Buffer.from('sox\0\0')]));
  const odd = chunk('junk', Buffer.from([1, 2, 3])); // 3 bytes + pad byte
  t.equal(odd.length, 12);
  const file = riff([odd, chunk('fmt ', fmtBody(1, 1, 8000, 16)), list, chunk('fact', Buffer.alloc(4)), chunk('data', pcmBytes(16, REF))]);
  t.same([...parseWav(file).samples], [...REF]);
  // Data chunk of odd size (8-bit mono, 3 samples) followed by a trailing chunk.
  const d8 = chunk('data', Buffer.from([128, 255, 0]));
  const w = parseWav(riff([chunk('fmt ', fmtBody(1, 1, 8000, 8)), d8, chunk('LIST', Buffer.from('INFO'))]));
  t.same([...w.samples], [0, 127 * 256, -32768]);
  t.end();
});

t.test('a data chunk longer than the file (streamed WAV) is read to the end', (t) => {
  const file = riff([chunk('fmt ', fmtBody(1, 1, 8000, 16)), chunk('data', pcmBytes(16, REF))]);
  file.writeUInt32LE(0xffffffff, 40);
  t.same([...parseWav(file).samples], [...REF]);
  // A trailing odd byte (half a sample) is ignored.
  t.same([...parseWav(Buffer.concat([file, Buffer.from([7])])).samples], [...REF]);
  t.end();
});

t.test('strict: a truncated file is refused, a streamed one (size 0xFFFFFFFF) is not', (t) => {
  const whole = encodeWav16(
    Int16Array.from({ length: 800 }, (_, i) => i),
    8000,
  );
  t.equal(parseWav(whole, { strict: true }).samples.length, 800, 'a whole file passes');
  t.throws(() => parseWav(whole.subarray(0, 1000), { strict: true }), /file truncated: data chunk declares 1600 bytes, only 956 present/);
  t.equal(parseWav(whole.subarray(0, 1000)).samples.length, 478, 'lenient by default');
  t.throws(() => parseWav(whole.subarray(0, 44 + 601), { strict: true }), /truncated/);
  const odd = Buffer.from(whole);
  odd.writeUInt32LE(1599, 40);
  t.throws(() => parseWav(odd.subarray(0, 44 + 1599), { strict: true }), /data ends inside a sample/);
  const streamed = Buffer.from(whole);
  streamed.writeUInt32LE(0xffffffff, 40);
  t.equal(parseWav(streamed, { strict: true }).samples.length, 800, 'streamed size is fine');
  t.end();
});

t.test('bad input throws a WavFormatError naming the problem', (t) => {
  const fmt = chunk('fmt ', fmtBody(1, 1, 8000, 16));
  const data = chunk('data', pcmBytes(16, REF));
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /too short/],
    ['not RIFF', Buffer.from('OggS\0\0\0\0WAVEfmt '), /not a RIFF file/],
    ['not WAVE', riff([fmt, data], 'AVI '), /not WAVE/],
    ['no fmt', riff([data]), /no fmt chunk/],
    ['no data', riff([fmt]), /no data chunk/],
    ['MP3', riff([chunk('fmt ', fmtBody(0x55, 1, 8000, 0)), data]), /unsupported format code 0x0055 \(MPEG Layer 3\)/],
    ['ADPCM', riff([chunk('fmt ', fmtBody(0x11, 1, 8000, 4)), data]), /unsupported format code 0x0011/],
    ['12-bit PCM', riff([chunk('fmt ', fmtBody(1, 1, 8000, 12)), data]), /unsupported PCM bits per sample 12/],
    ['16-bit float', riff([chunk('fmt ', fmtBody(3, 1, 8000, 16)), data]), /unsupported float bits per sample 16/],
    ['16-bit µ-law', riff([chunk('fmt ', fmtBody(7, 1, 8000, 16)), data]), /unsupported ulaw bits per sample 16/],
    ['0 channels', riff([chunk('fmt ', fmtBody(1, 0, 8000, 16)), data]), /0 channels/],
    ['rate 0', riff([chunk('fmt ', fmtBody(1, 1, 0, 16)), data]), /sample rate 0/],
    ['short fmt', riff([chunk('fmt ', Buffer.alloc(12)), data]), /fmt chunk is 12 bytes/],
    ['truncated fmt', riff([fmt]).subarray(0, 30), /chunk "fmt " at byte 12 declares 16 bytes, only 10 left/],
  ];
  for (const [name, buf, re] of cases) {
    t.throws(() => parseWav(buf), re, name);
    t.throws(() => parseWav(buf), WavFormatError, `${name} is a WavFormatError`);
  }
  t.end();
});

t.test('encodeWav16 writes a canonical file that parses back', (t) => {
  const x = Int16Array.from({ length: 1001 }, (_, i) => Math.round(20000 * Math.sin(i / 7)));
  const buf = encodeWav16(x, 16000);
  t.equal(buf.length, 44 + 2002);
  t.equal(buf.toString('ascii', 0, 4), 'RIFF');
  t.equal(buf.readUInt32LE(4), 36 + 2002);
  t.equal(buf.readUInt32LE(28), 32000, 'byte rate');
  const back = parseWav(buf);
  t.same([back.sampleRate, back.channels, back.bitsPerSample, back.format], [16000, 1, 16, 'pcm']);
  t.same([...back.samples], [...x]);
  t.same([...parseWav(new Uint8Array(buf)).samples], [...x], 'plain Uint8Array input too');
  t.throws(() => encodeWav16(x, 0), RangeError);
  t.end();
});

const sox = existsSync('/usr/bin/sox') ? '/usr/bin/sox' : '';

t.test('files written by sox parse, and sox reads ours', { skip: sox ? false : 'sox not installed' }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dsp-wav-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const cases: [string[], string][] = [
    [['-b', '16', '-e', 'signed-integer'], 'pcm'],
    [['-b', '24', '-e', 'signed-integer'], 'pcm'],
    [['-b', '32', '-e', 'floating-point'], 'float'],
    [['-b', '8', '-e', 'u-law'], 'ulaw'],
    [['-b', '8', '-e', 'a-law'], 'alaw'],
  ];
  for (const [enc, format] of cases) {
    const file = join(dir, `${format}-${enc[1]}.wav`);
    execFileSync(sox, ['-n', '-r', '8000', '-c', '2', ...enc, file, 'synth', '0.5', 'sine', '1000', 'vol', '0.5']);
    const wav = parseWav(readFileSync(file));
    t.same([wav.format, wav.channels, wav.sampleRate, wav.samples.length], [format, 2, 8000, 4000], `sox ${enc.join(' ')}`);
    let peak = 0;
    for (const v of wav.samples) peak = Math.max(peak, Math.abs(v));
    t.ok(Math.abs(peak - 16384) < 600, `peak ${peak} ≈ half scale`);
  }
  const ours = join(dir, 'ours.wav');
  writeFileSync(ours, encodeWav16(new Int16Array(8000), 8000));
  const info = execFileSync(sox, ['--i', ours]).toString();
  t.match(info, /Sample Rate\s*:\s*8000/);
  t.match(info, /Duration\s*:\s*00:00:01\.00/);
  t.end();
});

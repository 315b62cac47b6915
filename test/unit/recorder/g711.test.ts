// µ-law and A-law recordings: WAVE_FORMAT_MULAW (7) / ALAW (6), 8-bit, decode back within G.711 error.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { FRAME_SAMPLES } from '../../../hal/src/audio.js';
import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from '../../../hal/src/dsp/g711.js';
import { clampSum, concat, feed, readWav, rig, toneFrames, tonePower } from './fixtures/helpers.js';

const FRAMES = 55;
const T0 = Date.UTC(2026, 2, 3, 12, 0, 0);

/** G.711 quantisation: the error stays within half a step, a step being at most 1/16 of the level. */
function withinG711(x: number, y: number): boolean {
  return Math.abs(x - y) <= Math.abs(x) / 16 + 16;
}

function snrDb(ref: Int16Array, got: Int16Array): number {
  let sig = 0;
  let err = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i] as number;
    sig += r * r;
    err += (r - (got[i] as number)) ** 2;
  }
  return 10 * Math.log10(sig / Math.max(err, 1e-9));
}

for (const law of ['ulaw', 'alaw'] as const) {
  const roundTrip = law === 'ulaw' ? (s: number) => ulawToLinear(linearToUlaw(s)) : (s: number) => alawToLinear(linearToAlaw(s));
  const code = law === 'ulaw' ? 7 : 6;

  t.test(`${law} mono: format code ${code}, 8 bits, mixed tones decode within G.711 error`, async (t) => {
    const r = rig(t, { format: law, channels: 'mixed' });
    const caller = toneFrames(1000, 9000, FRAMES);
    const agent = toneFrames(500, 7000, FRAMES);
    const rec = r.recorder.start({ callId: `${law}-m`, queue: null, startedAt: T0 });
    if (!rec) return t.fail('not recording');
    feed(rec, caller, agent);
    await rec.stop(T0 + 1100);
    const file = r.recorder.filePath(rec.id) as string;
    const bytes = readFileSync(file);
    t.equal(bytes.readUInt16LE(20), code, 'fmt format code');
    t.equal(bytes.readUInt16LE(34), 8, 'bits per sample');
    t.equal(bytes.toString('ascii', 38, 42), 'fact', 'fact chunk for a non-PCM format');
    t.equal(bytes.readUInt32LE(46), FRAMES * FRAME_SAMPLES, 'fact: sample frames');
    t.equal(bytes.readUInt32LE(54), FRAMES * FRAME_SAMPLES, 'data size: one byte per sample');
    t.equal(bytes.readUInt32LE(4), bytes.length - 8, 'RIFF size');

    const wav = readWav(file);
    t.match(wav, { sampleRate: 8000, channels: 1, bitsPerSample: 8, format: law });
    const c = concat(caller);
    const a = concat(agent);
    const mixed = c.map((v, i) => clampSum(v, a[i] as number));
    let exact = 0;
    let bad = 0;
    for (let i = 0; i < mixed.length; i++) {
      const x = mixed[i] as number;
      const y = wav.samples[i] as number;
      if (y === roundTrip(x)) exact++;
      if (!withinG711(x, y)) bad++;
    }
    t.equal(exact, mixed.length, 'every byte is the G.711 code of the mixed sample');
    t.equal(bad, 0, 'every sample within G.711 quantisation error');
    const snr = snrDb(mixed, wav.samples);
    t.ok(snr > 30, `SNR ${snr.toFixed(1)} dB`);
    t.match(r.recorder.get(rec.id), { format: law, channels: 1, durationMs: 1100, bytes: bytes.length });
  });

  t.test(`${law} stereo: each side on its own channel`, async (t) => {
    const r = rig(t, { format: law, channels: 'stereo' });
    const caller = toneFrames(1000, 9000, FRAMES);
    const agent = toneFrames(500, 7000, FRAMES);
    const rec = r.recorder.start({ callId: `${law}-s`, queue: null, startedAt: T0 });
    if (!rec) return t.fail('not recording');
    feed(rec, caller, agent);
    await rec.stop(T0 + 1100);
    const file = r.recorder.filePath(rec.id) as string;
    const left = readWav(file, 0);
    const right = readWav(file, 1);
    t.match(left, { channels: 2, bitsPerSample: 8, format: law });
    t.equal(left.samples.length, FRAMES * FRAME_SAMPLES);
    t.ok(snrDb(concat(caller), left.samples) > 30, 'left decodes to the caller');
    t.ok(snrDb(concat(agent), right.samples) > 30, 'right decodes to the agent');
    t.ok(tonePower(left.samples, 500) < tonePower(left.samples, 1000) / 1000, 'no agent tone on the left');
    t.ok(tonePower(right.samples, 1000) < tonePower(right.samples, 500) / 1000, 'no caller tone on the right');
  });
}

// compress 'opus': ffmpeg turns the finished WAV into Ogg/Opus (ffmpeg is in the Makefile's TEST_DEBS);
// without ffmpeg the WAV is kept and the reason logged.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { parseWav } from '../../../hal/src/dsp/wav.js';
import { feed, rig, toneFrames, tonePower } from './fixtures/helpers.js';

const T0 = Date.UTC(2026, 0, 4, 16, 0, 0);

t.test('opus with ffmpeg: the row points at the .opus file, the WAV is gone, the audio survives', async (t) => {
  const r = rig(t, { compress: 'opus', channels: 'stereo' });
  const rec = r.recorder.start({ callId: 'z1', queue: null, startedAt: T0 });
  if (!rec) return t.fail('not recording');
  feed(rec, toneFrames(1000, 8000, 100), toneFrames(500, 8000, 100));
  await rec.stop(T0 + 2000);
  const wavFile = r.recorder.filePath(rec.id) as string;
  const wavBytes = statSync(wavFile).size;
  await r.recorder.drain();

  const info = r.recorder.get(rec.id);
  t.match(info, { format: 'opus', channels: 2, durationMs: 2000, state: 'complete', path: `2026-01-04/${rec.id}.opus` });
  const opusFile = r.recorder.filePath(rec.id) as string;
  t.equal(opusFile, path.join(r.dir, '2026-01-04', `${rec.id}.opus`));
  t.notOk(existsSync(wavFile), 'the WAV is deleted');
  t.notOk(existsSync(`${opusFile}.part`));
  const bytes = readFileSync(opusFile);
  t.equal(bytes.toString('ascii', 0, 4), 'OggS', 'an Ogg file');
  t.equal(info?.bytes, bytes.length);
  t.ok(bytes.length < wavBytes / 4, `smaller: ${bytes.length} vs ${wavBytes} bytes`);

  // Decode it back: the caller's 1 kHz is still on the left, the agent's 500 Hz on the right.
  const decoded = execFileSync('ffmpeg', [
    '-nostdin',
    '-loglevel',
    'error',
    '-i',
    opusFile,
    '-ar',
    '8000',
    '-c:a',
    'pcm_s16le',
    '-f',
    'wav',
    '-',
  ]);
  const left = parseWav(decoded, { channel: 0 }).samples.subarray(2000, 14000);
  const right = parseWav(decoded, { channel: 1 }).samples.subarray(2000, 14000);
  t.ok(tonePower(left, 1000) > 100 * tonePower(left, 500), 'left: 1 kHz');
  t.ok(tonePower(right, 500) > 100 * tonePower(right, 1000), 'right: 500 Hz');
  t.ok(r.lines.some((l) => l.msg === 'recording compressed to Opus'));
});

t.test('opus without ffmpeg: the WAV is kept, and why is logged once', async (t) => {
  const r = rig(t, { compress: 'opus' }, { ffmpeg: '/nonexistent/ffmpeg' });
  for (const callId of ['n1', 'n2']) {
    const rec = r.recorder.start({ callId, queue: null, startedAt: T0 });
    if (!rec) return t.fail('not recording');
    feed(rec, toneFrames(1000, 8000, 10), []);
    await rec.stop(T0 + 200);
    await r.recorder.drain();
    t.match(r.recorder.get(rec.id), { format: 'pcm16', path: /\.wav$/ });
    t.ok(existsSync(r.recorder.filePath(rec.id) as string));
  }
  const told = r.lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('recording kept as WAV'));
  t.equal(told.length, 2);
  t.match(told[0], { level: 40, reason: /not installed/ }, 'a warning the first time');
  t.match(told[1], { level: 20 }, 'debug afterwards');
});

t.test('compress none, or a recording on legal hold: no conversion', async (t) => {
  const r = rig(t, { compress: 'none' });
  const rec = r.recorder.start({ callId: 'k1', queue: null, startedAt: T0 });
  feed(rec as NonNullable<typeof rec>, toneFrames(1000, 8000, 10), []);
  await rec?.stop(T0 + 200);
  await r.recorder.drain();
  t.match(r.recorder.get(rec?.id ?? ''), { format: 'pcm16' });
  t.notOk(r.lines.some((l) => String(l.msg).includes('Opus') || String(l.msg).includes('kept as WAV')));

  const h = rig(t, { compress: 'opus' });
  const held = h.recorder.start({ callId: 'k2', queue: null, startedAt: T0 });
  if (!held) return t.fail('not recording');
  feed(held, toneFrames(1000, 8000, 10), []);
  await held.stop(T0 + 200);
  h.recorder.setLegalHold(held.id, true); // before the queued conversion runs
  await h.recorder.drain();
  t.match(h.recorder.get(held.id), { format: 'pcm16', legalHold: true }, 'a held recording is kept exactly as recorded');
});

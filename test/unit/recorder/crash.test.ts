// kill -9 mid-recording: a real child process is SIGKILLed; repairOnStart turns what reached the
// disk into a valid WAV whose sample count is exactly what was flushed. Also: a torn last write,
// a destroyed header, a missing file.
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, statSync, truncateSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import t from 'tap';
import { FRAME_SAMPLES } from '../../../hal/src/audio.js';
import { FileRecording } from '../../../firmware/src/recorder/recording.js';
import { clampSum, feed, readWav, rig, toneFrames } from './fixtures/helpers.js';

const CHILD_SRC = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));
const T0 = Date.UTC(2026, 0, 7, 15, 0, 0);

/** Bundle the child once per test into the test's folder (node_modules still resolve from there). */
async function bundleChild(dir: string): Promise<string> {
  const outfile = path.join(dir, 'crash-child.mjs');
  await build({
    entryPoints: [CHILD_SRC],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

interface ChildReport {
  id: string;
  written: number;
  error: string | null;
}

/** Start the child, wait for its report, SIGKILL it, wait for it to die. */
function recordAndKill(script: string, args: string[]): Promise<{ report: ChildReport; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let report: ChildReport | null = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child gave no report in 20 s: ${err}`));
    }, 20_000);
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0 && report === null) {
        report = JSON.parse(out.slice(0, nl)) as ChildReport;
        child.kill('SIGKILL');
      }
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (report === null) reject(new Error(`child exited (${code}/${signal}) without a report: ${err}`));
      else resolve({ report, signal });
    });
  });
}

for (const [format, channels] of [
  ['pcm16', 'mixed'],
  ['ulaw', 'stereo'],
] as const) {
  t.test(`kill -9 mid-recording (${format}, ${channels}), then repairOnStart`, async (t) => {
    const r = rig(t, { format, channels });
    const script = await bundleChild(path.dirname(r.dbFile));
    const { report, signal } = await recordAndKill(script, [r.dbFile, r.dir, format, channels, String(T0)]);
    t.equal(signal, 'SIGKILL', 'the child was killed');
    t.equal(report.error, null);
    const block = (format === 'pcm16' ? 2 : 1) * (channels === 'stereo' ? 2 : 1);
    t.equal(report.written, 100 * FRAME_SAMPLES * block, 'two 1 s chunks reached the file before the kill');

    t.match(r.recorder.get(report.id), { state: 'recording', endedAt: null }, 'the row was left recording');
    const file = r.recorder.filePath(report.id) as string;
    const before = readFileSync(file);
    const header = format === 'pcm16' ? 44 : 58;
    t.equal(before.length, header + report.written, 'the file holds the header and the flushed audio');
    t.equal(before.readUInt32LE(header - 4), 0xffffffff, 'the data size is still the placeholder');

    t.same(await r.recorder.repairOnStart(), { repaired: 1, missing: 0 });
    const samples = report.written / block;
    const bytes = readFileSync(file);
    t.equal(bytes.readUInt32LE(4), bytes.length - 8, 'RIFF size patched');
    t.equal(bytes.readUInt32LE(header - 4), report.written, 'data size patched');
    t.match(r.recorder.get(report.id), {
      state: 'repaired',
      durationMs: (samples / 8000) * 1000,
      endedAt: new Date(T0 + (samples / 8000) * 1000).toISOString(),
      bytes: bytes.length,
    });
    const caller = toneFrames(1000, 8000, 100);
    const agent = toneFrames(500, 6000, 100);
    if (channels === 'mixed') {
      const wav = readWav(file);
      t.match(wav, { format: 'pcm', channels: 1 });
      t.equal(wav.samples.length, samples, 'sample count = what was flushed');
      const first = caller[0] as Int16Array;
      const second = agent[0] as Int16Array;
      t.same([...wav.samples.subarray(0, 160)], [...first.map((v, i) => clampSum(v, second[i] as number))], 'the audio is intact');
    } else {
      const left = readWav(file, 0);
      t.match(left, { format: 'ulaw', channels: 2 });
      t.equal(left.samples.length, samples, 'sample count = what was flushed');
    }
    t.same(await r.recorder.repairOnStart(), { repaired: 0, missing: 0 }, 'nothing left to repair');
  });
}

t.test('repair cuts a torn last write to whole sample frames, and rebuilds a destroyed header', async (t) => {
  const r = rig(t, { format: 'pcm16', channels: 'stereo' });
  const a = r.recorder.start({ callId: 'torn', queue: null, startedAt: T0 }) as FileRecording;
  const b = r.recorder.start({ callId: 'header', queue: null, startedAt: T0 + 1 }) as FileRecording;
  t.type(a, FileRecording);
  feed(a, toneFrames(1000, 5000, 50), toneFrames(500, 5000, 50));
  feed(b, toneFrames(1000, 5000, 50), toneFrames(500, 5000, 50));
  t.equal(await a.whenWritten(), 50 * FRAME_SAMPLES * 4);
  t.equal(await b.whenWritten(), 50 * FRAME_SAMPLES * 4);
  // The process "dies" here: no stop(). A new recorder on the same folder and database repairs.
  const fa = r.recorder.filePath(a.id) as string;
  const fb = r.recorder.filePath(b.id) as string;
  appendFileSync(fa, Buffer.from([1, 2, 3])); // half a sample frame
  const rb = readFileSync(fb);
  rb.fill(0, 0, 44); // header gone (the audio after it is intact)
  truncateSync(fb, 0);
  appendFileSync(fb, rb);

  const restarted = r.reopen();
  t.same(await restarted.repairOnStart(), { repaired: 2, missing: 0 });
  t.equal(statSync(fa).size, 44 + 50 * FRAME_SAMPLES * 4, 'torn bytes cut off');
  for (const f of [fa, fb]) {
    const wav = readWav(f, 0);
    t.match(wav, { channels: 2, format: 'pcm', bitsPerSample: 16 });
    t.equal(wav.samples.length, 50 * FRAME_SAMPLES);
  }
  t.match(restarted.get(b.id), { state: 'repaired', durationMs: 1000 });
  await Promise.all([a.stop(T0 + 2000), b.stop(T0 + 2000)]); // close the "dead" process's files
});

t.test('a row whose file is gone is marked missing and logged; a live recording is left alone', async (t) => {
  const r = rig(t);
  const gone = r.recorder.start({ callId: 'gone', queue: null, startedAt: T0 }) as FileRecording;
  await gone.whenWritten();
  unlinkSync(r.recorder.filePath(gone.id) as string);
  const live = r.recorder.start({ callId: 'live', queue: null, startedAt: T0 + 5 });
  if (!live) return t.fail('not recording');
  feed(live, toneFrames(1000, 5000, 10), []);
  // In this process, `gone` is still active: only a restarted recorder sees it as crashed.
  t.same(await r.recorder.repairOnStart(), { repaired: 0, missing: 0 }, 'active recordings are not repaired');
  const restarted = r.reopen();
  t.same(await restarted.repairOnStart(), { repaired: 1, missing: 1 }, 'after a restart: `live` repaired too');
  t.match(restarted.get(gone.id), { state: 'missing', bytes: 0 });
  t.ok(r.lines.some((l) => l.msg.includes('has no file') && l.recording === gone.id && l.level === 40));
  await Promise.all([gone.stop(T0 + 2000), live.stop(T0 + 2000)]);
});

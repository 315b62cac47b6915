// Crash safety, as the recorder's: kill -9 in the middle of a message (a real child process), then
// repairOnStart keeps it with its trailing silence cut. Also: a crashed message too short to keep,
// a row whose file is gone, a torn last write, and a live message left alone.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import t from 'tap';
import { wavHeader } from '../../../firmware/src/recorder/wav-header.js';
import { caller, concat, events, FRAMES_BEFORE_RECORDING, noise, readWav, rig, type Rig, speech, T0 } from './fixtures/helpers.js';

const CHILD_SRC = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));

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
  phase: string;
  written: number;
}

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

/** A message file as a crash leaves it (placeholder sizes) and its 'recording' row. */
function crashed(r: Rig, id: string, samples: Int16Array, extra: Buffer = Buffer.alloc(0)): string {
  const rel = `2026-03-03/${id}.wav`;
  const file = path.join(r.dataDir, 'voicemail', rel);
  mkdirSync(path.dirname(file), { recursive: true });
  const audio = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  writeFileSync(file, Buffer.concat([wavHeader({ format: 'pcm16', channels: 1 }, null), audio, extra]));
  r.db
    .prepare(
      "INSERT INTO voicemails (id, call_id, box, caller_id, created_at, duration_ms, path, state) VALUES (?, ?, 'shop', NULL, ?, 0, ?, 'recording')",
    )
    .run(id, `call-${id}`, T0, rel);
  return file;
}

t.test('kill -9 mid-message, then repairOnStart keeps it, trailing silence cut', async (t) => {
  const r = rig(t);
  const script = await bundleChild(r.dataDir);
  const { report, signal } = await recordAndKill(script, [r.dataDir, r.dbFile]);
  t.equal(signal, 'SIGKILL', 'the child was killed');
  t.equal(report.phase, 'recording', 'killed while the caller was still speaking');
  t.equal(report.written, 3 * 16_000, 'three 1 s chunks reached the file');
  t.match(r.db.prepare('SELECT state FROM voicemails WHERE id = ?').get(report.id), { state: 'recording' });
  t.equal(r.vm.get(report.id), null, 'not a voicemail yet');
  const file = path.join(r.dataDir, 'voicemail', (r.db.prepare('SELECT path FROM voicemails').get() as { path: string }).path);
  t.equal(readFileSync(file).readUInt32LE(40), 0xffffffff, 'the data size is still the placeholder');

  const restarted = r.reopen();
  t.same(await restarted.repairOnStart(), { saved: 1, discarded: 0, missing: 0 });
  t.match(restarted.get(report.id), { state: 'new', durationMs: 2000, callId: 'crash', callerId: '13800000009' });
  const bytes = readFileSync(file);
  t.equal(bytes.readUInt32LE(4), bytes.length - 8, 'RIFF size patched');
  t.equal(bytes.readUInt32LE(40), 2 * 16_000, 'data size: the speech only');
  t.same([...readWav(file).samples], [...concat(speech(100))], 'the 2 s said before the silence, intact');
  t.same(
    events(r.db).filter((e) => e.type === 'voicemail.saved'),
    [{ type: 'voicemail.saved', call_id: null, data: { box: 'shop', voicemailId: report.id, durationMs: 2000 } }],
  );
  t.same(await restarted.repairOnStart(), { saved: 0, discarded: 0, missing: 0 }, 'nothing left to repair');
});

t.test('repair discards a crashed message with too little speech, and a row whose file is gone', async (t) => {
  const r = rig(t);
  const short = crashed(r, 'short', concat([...noise(10), ...speech(30), ...noise(40)]));
  const silent = crashed(r, 'silent', concat(noise(80)));
  r.db
    .prepare(
      "INSERT INTO voicemails (id, call_id, box, created_at, path, state) VALUES ('gone', 'c', 'shop', ?, '2026-03-03/gone.wav', 'recording')",
    )
    .run(T0);
  t.same(await r.vm.repairOnStart(), { saved: 0, discarded: 2, missing: 1 });
  t.notOk(existsSync(short));
  t.notOk(existsSync(silent));
  t.equal((r.db.prepare('SELECT COUNT(*) AS n FROM voicemails').get() as { n: number }).n, 0, 'rows deleted');
  t.same(
    events(r.db).map((e) => e.data),
    [
      { box: 'shop', reason: 'missing' },
      { box: 'shop', reason: 'tooShort' },
      { box: 'shop', reason: 'noMessage' },
    ],
    'oldest first (same time: by id)',
  );
  t.ok(r.lines.some((l) => l.msg.includes('has no file') && l.voicemail === 'gone' && l.level === 40));
});

t.test('repair cuts a torn last write to whole samples', async (t) => {
  const r = rig(t);
  const file = crashed(r, 'torn', concat([...speech(70), ...noise(5)]), Buffer.from([1, 2, 3]));
  t.same(await r.vm.repairOnStart(), { saved: 1, discarded: 0, missing: 0 });
  t.equal(readFileSync(file).length, 44 + 70 * 320);
  t.match(r.vm.get('torn'), { durationMs: 1400 });
});

t.test('a message being recorded in this process is not repaired', async (t) => {
  const r = rig(t);
  const c = await caller(r);
  c.party.say([...noise(FRAMES_BEFORE_RECORDING), ...speech(80)]);
  c.tick(FRAMES_BEFORE_RECORDING + 80);
  t.equal(c.session.phase, 'recording');
  t.same(await r.vm.repairOnStart(), { saved: 0, discarded: 0, missing: 0 });
  c.session.callerGone();
  t.match(await c.session.finished, { reason: 'saved' });
  t.match(r.vm.get(c.session.voicemailId as string), { durationMs: 1600 });
});

// The crash-consistency harness (scripts/chaos-crash.mjs, `make chaos`) in small: 5 kill -9 trials
// of the production bundle under REST traffic and SMS both ways through the fake AT modem on a
// socat pty, each restarted and checked. Kills fall 4-5 s into the traffic, when calls are bridged
// and being recorded, so recordings get repaired too, and texts keep arriving while the box is down.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t from 'tap';
import { runScript } from './fixtures/run-script.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HARNESS = join(ROOT, 'scripts', 'chaos-crash.mjs');

interface Report {
  trials: number;
  acknowledged: string[];
  found: string[];
  lost: string[];
  problems: number;
  byKind: Record<string, number>;
  recordings: Record<string, number>;
  sms: {
    networkSent: number;
    inFound: number;
    inLost: number;
    inNotArrived: number;
    inDuplicates: number;
    leftOnSim: number;
    outAcknowledged: number;
    outSent: number;
    outNotSent: number;
    lost: unknown[];
    duplicates: unknown[];
  };
}

t.test('5 kill -9 trials under traffic: every acknowledged record found, every check passes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'chaos-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const reportPath = join(dir, 'chaos-report.json');
  const { code, out } = await runScript(HARNESS, {
    TRIALS: '5',
    CHAOS_REPORT: reportPath,
    CHAOS_KILL_MIN_MS: '4000',
    CHAOS_KILL_MAX_MS: '5000',
  });
  t.equal(code, 0, out);
  t.equal(out.trim().split('\n').at(-1), 'crash trials: 5, records lost: 0');
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
  t.equal(report.trials, 5);
  t.same(report.lost, []);
  t.equal(report.problems, 0);
  t.equal(report.found.length, report.acknowledged.length);
  for (const kind of ['customer', 'ticket', 'order', 'call', 'smsIn', 'smsOut'])
    t.ok((report.byKind[kind] ?? 0) > 0, `${kind}s were acknowledged`);
  const sms = report.sms;
  t.ok(sms.networkSent > 0, `the network sent ${sms.networkSent} SMS`);
  t.equal(
    sms.inFound,
    sms.networkSent,
    `every SMS the network sent is in the database; first lost: ${JSON.stringify(sms.lost.slice(0, 3))}`,
  );
  t.same([sms.inLost, sms.inNotArrived, sms.inDuplicates, sms.leftOnSim], [0, 0, 0, 0], 'none lost, none twice, none left on the SIM');
  t.same(sms.duplicates, []);
  t.ok(sms.outAcknowledged > 0, `${sms.outAcknowledged} SMS out acknowledged`);
  t.equal(sms.outSent, sms.outAcknowledged, 'every SMS out acknowledged was sent');
  t.ok(
    (report.recordings.repaired ?? 0) + (report.recordings.complete ?? 0) > 0,
    `recordings checked: ${JSON.stringify(report.recordings)}`,
  );
});

t.test('the WAV check of the harness refuses a header a crash left unrepaired', async (t) => {
  const checks = (await import(pathToFileURL(join(ROOT, 'scripts', 'chaos', 'checks.mjs')).href)) as {
    wavProblems(path: string): string[];
  };
  const dir = mkdtempSync(join(tmpdir(), 'chaos-wav-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const wav = (riffSize: number, dataSize: number, data: number): Buffer => {
    const h = Buffer.alloc(44 + data);
    h.write('RIFF', 0, 'ascii');
    h.writeUInt32LE(riffSize, 4);
    h.write('WAVEfmt ', 8, 'ascii');
    h.writeUInt32LE(16, 16);
    h.writeUInt16LE(1, 20);
    h.writeUInt16LE(1, 22);
    h.writeUInt32LE(8000, 24);
    h.writeUInt32LE(16000, 28);
    h.writeUInt16LE(2, 32);
    h.writeUInt16LE(16, 34);
    h.write('data', 36, 'ascii');
    h.writeUInt32LE(dataSize, 40);
    return h;
  };
  const good = join(dir, 'good.wav');
  writeFileSync(good, wav(36 + 320, 320, 320));
  t.same(checks.wavProblems(good), []);
  const open = join(dir, 'open.wav');
  writeFileSync(open, wav(0xffffffff, 0xffffffff, 320));
  const placeholders = checks.wavProblems(open).join('; ');
  t.match(placeholders, /RIFF size 4294967295/, 'the RIFF placeholder is reported');
  t.match(placeholders, /data chunk says 4294967295 bytes, the file holds 320/, 'the data placeholder is reported');
  const odd = join(dir, 'odd.wav');
  writeFileSync(odd, wav(36 + 321, 321, 321));
  t.match(checks.wavProblems(odd).join(), /whole number/);
  const junk = join(dir, 'junk.wav');
  writeFileSync(junk, Buffer.alloc(100, 1));
  t.same(checks.wavProblems(junk), ['not a RIFF/WAVE file']);
});

// The power-loss harness (scripts/powerloss.mjs, `make powerloss`) in small: 15 s of traffic under
// strace, 60 cuts, each checked in three modes. Every acknowledged record and config change is
// kept, and the control (the same cuts counting only SQLite's own fsyncs, as a box that answered
// before syncing) loses records: the check can fail.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { runScript } from './fixtures/run-script.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HARNESS = join(ROOT, 'scripts', 'powerloss.mjs');
const hasStrace = spawnSync('strace', ['-V']).status === 0;

interface Report {
  trials: number;
  checks: number;
  acknowledgedChecked: number;
  records: { acknowledged: number; answeredInTrace: number };
  configChanges: { sent: number; acknowledged: number; answeredInTrace: number };
  trace: { walSyncs: number };
  lost: unknown[];
  problems: unknown[];
  control: { lost: number; cutsLosing: number };
}

t.test('60 power cuts of a traced run: nothing acknowledged is lost', { skip: hasStrace ? false : 'no strace' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'powerloss-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const reportPath = join(dir, 'report.json');
  const { code, out } = await runScript(HARNESS, { TRIALS: '60', POWERLOSS_SECONDS: '15', POWERLOSS_REPORT: reportPath });
  t.equal(code, 0, out);
  t.match(out, /power-loss trials: 60, records lost: 0\n/);
  const r = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
  t.equal(r.checks, 180, 'each cut in three modes');
  t.same(r.lost, []);
  t.same(r.problems, []);
  t.ok(r.records.acknowledged > 50, `records acknowledged: ${r.records.acknowledged}`);
  t.equal(r.records.answeredInTrace, r.records.acknowledged, 'each one placed in the trace by its answer');
  t.ok(r.configChanges.acknowledged > 0 && r.configChanges.answeredInTrace === r.configChanges.acknowledged, 'config changes too');
  t.ok(r.acknowledgedChecked > 1000, `record checks: ${r.acknowledgedChecked}`);
  t.ok(r.trace.walSyncs > 10, 'the box fsynced its WAL before answering');
  t.ok(r.control.lost > 0 && r.control.cutsLosing > 10, `control: ${r.control.lost} lost at ${r.control.cutsLosing} cuts`);
});

// `callbox hw selftest`: the --sim walk on the simulated bench passes every check (ring, China
// cadence, caller ID, answer, DTMF, polarity disconnect on each line; lift, DTMF, flash, hang up
// on each phone; audio); a technician who skips a step makes that check fail with what the driver
// saw; bad command lines and a config without the HAT are refused with their exit codes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { VirtualClock } from '../../hal/src/clock.js';
import { SimBench } from '../../hal/src/drivers/pihat/bench-sim.js';
import { runSelftest, type SelftestStep } from '../../hal/src/drivers/pihat/selftest.js';
import { defaultConfig } from '../../firmware/src/config/schema.js';
import { runHw } from '../../images/cli/hw.js';

async function hw(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runHw(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
  });
  return { code, stdout, stderr };
}

t.test('--sim: every port passes, in a moment', async (t) => {
  const started = Date.now();
  const r = await hw(['selftest', '--sim']);
  t.equal(r.code, 0, r.stdout);
  t.match(r.stdout, /» fxo1: call the shop line/);
  t.match(r.stdout, /ok {3}fxo1 cadence: measured 980\/4020 ms/);
  t.match(r.stdout, /ok {3}fxo2 callerId: caller ID 13800138000/);
  t.match(r.stdout, /ok {3}fxs2 flash: hook flash/);
  t.match(r.stdout, /21 checks, 0 failed/);
  t.ok(Date.now() - started < 10_000, 'virtual time');
  const j = await hw(['selftest', '--sim', '--port', 'fxs1', '--digits', '*0#', '--json']);
  t.equal(j.code, 0);
  const doc = JSON.parse(j.stdout) as { ok: boolean; steps: SelftestStep[] };
  t.equal(doc.ok, true);
  t.same(
    doc.steps.map((s) => `${s.port} ${s.step}`),
    ['fxs1 offHook', 'fxs1 digits', 'fxs1 flash', 'fxs1 onHook', 'plughw:CARD=callboxhat,DEV=0 audio'],
  );
  t.match(doc.steps[1], { detail: 'heard "*0#"' });
});

t.test('a step the technician does not do fails, saying what the driver saw', async (t) => {
  const clock = new VirtualClock();
  const bench = new SimBench(clock);
  await bench.driver.start();
  let done = false;
  const walk = runSelftest(bench.driver, {
    clock,
    ports: ['fxo1', 'fxs1'],
    stepTimeoutMs: 10_000,
    io: {
      prompt: (action, port, _text, digits) => {
        if (action === 'flashHook' || action === 'hangUpCaller') return; // skipped
        if (action === 'pressDigits') bench.act(action, port, '15');
        else bench.act(action, port, digits);
      },
      result: () => {},
    },
  }).finally(() => {
    done = true;
  });
  while (!done) await clock.run(100);
  const steps = await walk;
  bench.dispose();
  await bench.driver.stop();
  const failed = steps.filter((s) => !s.ok).map((s) => `${s.port} ${s.step}: ${s.detail}`);
  t.same(failed, [
    'fxo1 digits: heard "15"',
    'fxo1 disconnect: no polarity reversal or busy tone heard; the box hangs up',
    'fxs1 flash: hook flash',
  ]);
  t.equal(bench.gpio.level(27), null, 'pins closed after the walk');
});

t.test('refusals', async (t) => {
  t.equal((await hw(['selftest', '--digits', 'abc'])).code, 64);
  t.equal((await hw(['selftest', '--timeout', '1'])).code, 64);
  t.equal((await hw(['selftest', '--port', 'gsm1'])).code, 64);
  t.equal((await hw(['frobnicate'])).code, 64);
  const dir = mkdtempSync(join(tmpdir(), 'callbox-hw-'));
  t.teardown(() => rmSync(dir, { recursive: true }));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(defaultConfig()));
  const r = await hw(['selftest', '--data-dir', dir]);
  t.equal(r.code, 78);
  t.match(r.stderr, /no hardware\.pihat/);
  const none = await hw(['selftest'], { CALLBOX_DATA_DIR: join(dir, 'missing') });
  t.equal(none.code, 78);
  t.match(none.stderr, /ENOENT.*config\.json/);
});

t.test('the callbox entry routes `hw` to the selftest (regression: a CLI rewrite dropped the command)', async (t) => {
  const { execFile } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        // the entry from source, loaded by tsx like the tests (ts-node took 10 s a run)
        ['--import=tsx', 'images/cli/callbox.ts', ...args],
        { cwd: root, timeout: 120_000 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  const r = await run(['hw', 'selftest', '--sim', '--port', 'fxs2']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /ok {3}fxs2 onHook: on hook/);
  t.match(r.stdout, /5 checks, 0 failed/);
  const help = await run(['help']);
  t.match(help.stdout, /callbox hw selftest/);
});

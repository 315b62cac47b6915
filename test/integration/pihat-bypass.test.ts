// The power-fail bypass after a crash: the box on the pihat driver in its own process (GPIO in
// memory, outputs mirrored into a sysfs-like tree) under `callbox hw bypass guard`; kill -9 the box
// and the guard puts the bypass relay's sysfs value to released within a bound, the heartbeat of
// the HAT's hardware watchdog stops (an emulated watchdog chip drops the relay after its timeout);
// the guard restarts the box, which energises the relay again once its lines are up; SIGTERM stops
// both cleanly. `hw bypass release` (systemd ExecStopPost=) on its own, and its refusals.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { exampleHat } from '../../hal/src/drivers/pihat/example-hat.js';
import { defaultConfig } from '../../firmware/src/config/schema.js';
import { runHw } from '../../images/cli/hw.js';
import { ROOT } from '../helpers/box.js';

const BASE = 512;
const RELAY = 26; // gpio538
const HEARTBEAT = 4; // gpio516
const HB_PERIOD_MS = 100;
/** The emulated watchdog chip drops the relay this long after the last heartbeat edge. */
const CHIP_TIMEOUT_MS = 400;

function rig(t: Test, hat: Partial<ReturnType<typeof exampleHat>> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-bypass-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data');
  const root = join(dir, 'sys', 'class', 'gpio');
  mkdirSync(dataDir, { recursive: true });
  const chip = join(root, `gpiochip${BASE}`);
  mkdirSync(chip, { recursive: true });
  writeFileSync(join(chip, 'label'), 'pinctrl-bcm2711\n');
  writeFileSync(join(chip, 'base'), `${BASE}\n`);
  writeFileSync(join(chip, 'ngpio'), '58\n');
  writeFileSync(join(root, 'export'), '');
  const config = defaultConfig();
  config.hardware.driver = 'pihat';
  config.hardware.pihat = { ...exampleHat(), bypassHeartbeat: { line: HEARTBEAT, periodMs: HB_PERIOD_MS }, ...hat };
  config.lines = [
    { channel: 'fxo1', name: '主线 1', ivr: 'main', answerAfterRings: 2 },
    { channel: 'fxo2', name: '主线 2', ivr: 'main', answerAfterRings: 2 },
  ];
  config.agents = config.agents.slice(0, 2);
  config.queues[0] = { ...(config.queues[0] as (typeof config.queues)[number]), members: ['a1', 'a2'] };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config));
  const value = (line: number): string | null => {
    const f = join(root, `gpio${BASE + line}`, 'value');
    return existsSync(f) ? readFileSync(f, 'utf8').trim() : null;
  };
  return { dir, dataDir, root, value };
}

async function until(what: string, ok: () => boolean, ms: number): Promise<number> {
  const start = Date.now();
  while (!ok()) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - start;
}

async function hw(args: string[]) {
  let stderr = '';
  const code = await runHw(args, { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, env: {} });
  return { code, stderr };
}

t.test('kill -9 of the box: the guard releases the relay, the heartbeat stops; a restart takes the line back', async (t) => {
  const r = rig(t);
  const cli = join(ROOT, 'images', 'cli', 'callbox.ts');
  const fixture = join(ROOT, 'test', 'integration', 'fixtures', 'hat-box-process.ts');
  const tsx = ['--import', 'tsx'];
  const guard: ChildProcess = spawn(
    process.execPath,
    [...tsx, cli, 'hw', 'bypass', 'guard', '--data-dir', r.dataDir, '--gpio-root', r.root, '--restart-after', '0.5', '--'].concat(
      process.execPath,
      ...tsx,
      fixture,
      r.dataDir,
      r.root,
      String(BASE),
    ),
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  guard.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  guard.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((res) => guard.once('exit', (code) => res(code)));
  t.teardown(() => {
    if (guard.exitCode === null) guard.kill('SIGKILL');
  });
  // The emulated watchdog chip: it sees every heartbeat edge (the file is polled every 5 ms).
  let lastBeat = Date.now();
  let beats = 0;
  let prev = r.value(HEARTBEAT);
  const chip = setInterval(() => {
    const v = r.value(HEARTBEAT);
    if (v !== prev) {
      prev = v;
      lastBeat = Date.now();
      beats++;
    }
  }, 5);
  t.teardown(() => clearInterval(chip));
  const pids = () => [...err.matchAll(/child (\d+) started/g)].map((m) => Number(m[1]));

  await until('the box to start', () => out.includes('"ready":true'), 60_000);
  t.equal(r.value(RELAY), '1', 'the box energised the bypass relay once its lines were up');
  await until('heartbeats', () => beats >= 3, 2000);
  t.pass('the heartbeat toggles while the box runs');
  const first = pids()[0] as number;
  t.ok(first > 0, 'the guard named its child');

  process.kill(first, 'SIGKILL');
  const killedAt = Date.now();
  const released = await until('the relay released', () => r.value(RELAY) === '0', 2000);
  t.ok(released < 1000, `relay released ${released} ms after kill -9 (bound 1000 ms)`);
  await new Promise((res) => setTimeout(res, CHIP_TIMEOUT_MS + 100));
  const chipDrop = lastBeat + CHIP_TIMEOUT_MS - killedAt;
  t.ok(Date.now() - lastBeat > CHIP_TIMEOUT_MS, 'no heartbeat since the kill: the watchdog chip drops the relay');
  t.ok(chipDrop < CHIP_TIMEOUT_MS + 100, `the chip drops it ${chipDrop} ms after the kill (timeout ${CHIP_TIMEOUT_MS} ms)`);
  t.match(err, /bypass relay released: GPIO 26 \(sysfs gpio538\) at level 0/);
  t.match(err, new RegExp(`child ${first} exited \\(SIGKILL\\)`));

  await until('the restarted box', () => pids().length === 2 && (out.match(/"ready":true/g) ?? []).length === 2, 60_000);
  t.equal(r.value(RELAY), '1', 'the restarted box took the line back once its lines were up');
  const beatsBefore = beats;
  await until('heartbeats again', () => beats >= beatsBefore + 3, 2000);
  t.pass('the heartbeat runs again');

  guard.kill('SIGTERM');
  t.equal(await exited, 0, 'a clean stop: the box exits 0 and so does the guard');
  t.equal(r.value(RELAY), '0', 'released after the clean stop');
  t.match(err, /exited \(code 0\)/);
});

t.test('hw bypass release: writes the released level, active low too; refusals', async (t) => {
  const r = rig(t);
  const dir = join(r.root, `gpio${BASE + RELAY}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'value'), '1');
  const ok = await hw(['bypass', 'release', '--data-dir', r.dataDir, '--gpio-root', r.root]);
  t.equal(ok.code, 0, ok.stderr);
  t.equal(r.value(RELAY), '0');

  // An active-low relay as onoff leaves it (active_low = 1, logical value file): released is physical 1 = logical 0.
  const low = rig(t, { bypassRelay: { line: RELAY, activeLow: true } });
  const lowDir = join(low.root, `gpio${BASE + RELAY}`);
  mkdirSync(lowDir);
  writeFileSync(join(lowDir, 'value'), '1');
  writeFileSync(join(lowDir, 'active_low'), '1');
  t.equal((await hw(['bypass', 'release', '--data-dir', low.dataDir, '--gpio-root', low.root])).code, 0);
  t.equal(low.value(RELAY), '0', 'logical 0 with active_low set is the physical high that releases it');

  const none = rig(t, { bypassRelay: undefined });
  const n = await hw(['bypass', 'release', '--data-dir', none.dataDir, '--gpio-root', none.root]);
  t.equal(n.code, 78);
  t.match(n.stderr, /no bypass relay GPIO \(its hardware watchdog releases it/);
  const bad = await hw(['bypass', 'guard', '--data-dir', r.dataDir]);
  t.equal(bad.code, 64);
  t.match(bad.stderr, /guard needs the command to run after --/);
  t.equal((await hw(['bypass', 'guard', '--restart-after', '0', '--', 'true'])).code, 64);
  const gone = await hw(['bypass', 'release', '--data-dir', r.dataDir, '--gpio-root', join(r.dir, 'nothing')]);
  t.equal(gone.code, 1);
  t.match(gone.stderr, /releasing the relay failed: no GPIO sysfs at/);
});

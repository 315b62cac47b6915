// The ALSA tools failing in the two ways a card missing does not show (issue 11's fault suite): the
// whole box on the pihat driver, fxo2/fxs2 on a second card `usbhat` through the box's own audio
// factory, the tools found on PATH, which the test sets (fixtures/usb-card.ts).
// 1. A card that opens but sends no audio: an `arecord` that stays alive and writes nothing. The
//    ports go out of service with the reason, the stuck arecord is ended and started again with
//    backoff; once it delivers frames the alarm clears (and /metrics follows /healthz).
// 2. alsa-utils not installed: PATH without arecord/aplay (spawn ENOENT). The alarm names the tool
//    and the package, the box keeps trying on the backoff, and the tools installed meanwhile are
//    taken without a restart.
// 3. A card that takes no audio: an `aplay` that stays alive and never reads (the device alone,
//    AlsaDevice, with a short stall and pipe bound; its fault reaches the ports as in 1).
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { AlsaDevice } from '../../hal/src/drivers/pihat/alsa-device.js';
import { sleep, until } from '../helpers/wait.js';
import { openUsbCardBox } from './fixtures/usb-card.js';

/** A folder for the tools, put first on PATH (or alone: `only`) until the test's end. */
function toolsDir(t: Test, only: boolean): { bin: string; spawns: string; install: (tool: string, body: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-faults-tools-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const path = process.env.PATH;
  process.env.PATH = only ? bin : `${bin}:${path}`;
  // Registered before the box's, so it runs after the box has stopped (tap runs teardowns last first).
  t.teardown(() => {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  });
  const spawns = join(dir, 'spawns.log');
  /** A script as the tool (a new file renamed in place: a running one is never rewritten); each start logged with its time and pid. */
  const install = (tool: string, body: string) => {
    const tmp = join(dir, `${tool}.new`);
    writeFileSync(tmp, `#!/bin/sh\nPATH=/usr/bin:/bin\necho "$(date +%s%3N) $$ ${tool}" >> ${spawns}\n${body}\n`, { mode: 0o755 });
    renameSync(tmp, join(bin, tool));
  };
  return { bin, spawns, install };
}

/** arecord on a card that works: a 20 ms block of both channels (2 × 160 samples S16_LE) every 20 ms. */
const FLOWING = 'while :; do head -c 640 /dev/zero; sleep 0.02; done';
const APLAY = 'exec cat >/dev/null';

function starts(spawns: string, tool: string): { at: number; pid: number }[] {
  let text = '';
  try {
    text = readFileSync(spawns, 'utf8');
  } catch {}
  return text
    .split('\n')
    .filter((l) => l.endsWith(` ${tool}`))
    .map((l) => ({ at: Number(l.split(' ')[0]), pid: Number(l.split(' ')[1]) }));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

t.test('a card that opens but sends no audio: out of service with the reason, retried with backoff, back when audio flows', async (t) => {
  const tools = toolsDir(t, false);
  tools.install('arecord', 'exec sleep 600'); // the card opened, no sample ever comes
  tools.install('aplay', APLAY);
  const logs: string[] = [];
  const retries: unknown[] = [];
  const { box, usbAlarms, usbStates, alarmMetrics } = await openUsbCardBox(t, 'callbox-faults-silent-', (msg, data) => {
    logs.push(msg);
    if (msg === 'ALSA process stopped; restarting' && data?.role === 'capture') retries.push(data.retryInMs);
  });
  const t0 = Date.now();

  await until('fxo2 and fxs2 alarms', () => usbAlarms().length === 2, 6000);
  t.pass(`alarms ${Date.now() - t0} ms after the start`);
  for (const a of usbAlarms()) {
    t.match(
      a,
      { code: 'CHANNEL_ERROR', severity: 'error', message: /^audio device usbhat: arecord runs but the sound card sends no audio/ },
      `${a.subject}: ${a.message}`,
    );
  }
  t.equal(box.service.health().status, 'degraded');
  t.same(
    alarmMetrics(),
    [
      'callbox_alarms_active 2',
      'callbox_alarm_active{code="CHANNEL_ERROR",severity="error",subject="fxo2"} 1',
      'callbox_alarm_active{code="CHANNEL_ERROR",severity="error",subject="fxs2"} 1',
    ],
    '/metrics shows both',
  );

  // The stuck arecord is ended and started again, one at a time, each wait longer than the last.
  await until('arecord started a second time', () => starts(tools.spawns, 'arecord').length >= 2, 5000);
  const [first] = starts(tools.spawns, 'arecord');
  await until('the first arecord ended', () => !alive(first?.pid as number), 2000);
  t.pass('the silent arecord was ended');
  t.equal(usbAlarms().length, 2, 'still out of service while the next one is silent too');
  tools.install('arecord', FLOWING); // the card sends audio again from the next start on
  await until('arecord started a third time', () => starts(tools.spawns, 'arecord').length >= 3, 8000);
  const at = starts(tools.spawns, 'arecord');
  const gaps = at.slice(1).map((s, i) => s.at - (at[i]?.at as number));
  t.ok(gaps[0] !== undefined && gaps[0] >= 3000, `waited for audio at least 3 s before ending it (gap ${gaps[0]} ms)`);
  t.ok((gaps[1] as number) >= 3000, `and again (gaps ${gaps.join(', ')} ms)`);
  t.same(retries.slice(0, 2), [500, 1000], 'started again on the backoff: 0.5 s, then 1 s');
  t.notOk(alive(at[1]?.pid as number), 'the second silent arecord ended too');

  await until('alarms cleared', () => usbAlarms().length === 0, 5000);
  t.pass(`back in service ${Date.now() - t0} ms after the start`);
  t.equal(box.service.health().status, 'ok');
  t.same(usbStates(), ['idle', 'idle'], 'fxo2 and fxs2 idle');
  t.same(alarmMetrics(), ['callbox_alarms_active 0'], "/metrics: the alarms' series are gone");
  t.ok(logs.includes('ALSA device failing') && logs.includes('ALSA device works again'), 'logged');
  // Audio flows: no further restart (a real card delivers a period every 20 ms, the fake every ~20-30 ms).
  const n = starts(tools.spawns, 'arecord').length;
  await sleep(3500);
  t.equal(starts(tools.spawns, 'arecord').length, n, 'a card that sends audio is left running');
});

t.test('alsa-utils not installed: the alarm names it, the box keeps trying, the tools installed are taken without a restart', async (t) => {
  const tools = toolsDir(t, true); // PATH holds nothing but the empty folder: no arecord, no aplay
  const retries: { role: unknown; why: unknown; retryInMs: unknown }[] = [];
  const { box, usbAlarms, alarmMetrics } = await openUsbCardBox(t, 'callbox-faults-noalsa-', (msg, data) => {
    if (msg === 'ALSA process stopped; restarting') retries.push({ role: data?.role, why: data?.why, retryInMs: data?.retryInMs });
  });
  const t0 = Date.now();

  await until('fxo2 and fxs2 alarms', () => usbAlarms().length === 2, 3000);
  for (const a of usbAlarms()) {
    t.match(
      a,
      {
        code: 'CHANNEL_ERROR',
        severity: 'error',
        message: /^audio device usbhat: arecord not found: install the Debian package alsa-utils \(spawn arecord ENOENT\)$/,
      },
      `${a.subject}: ${a.message}`,
    );
  }
  t.equal(box.service.health().status, 'degraded');
  t.match(alarmMetrics(), ['callbox_alarms_active 2'], '/metrics counts them');

  // Retried on the backoff, both tools: 0.5, 1, 2 s ...
  // Each role's retries run on their own timers: wait for both (CI at 47ed3d8 read capture's third a moment early).
  const counted = (role: string) => retries.filter((r) => r.role === role).length;
  await until('three retries of each', () => counted('capture') >= 3 && counted('playback') >= 3, 6000);
  for (const role of ['capture', 'playback']) {
    t.same(
      retries
        .filter((r) => r.role === role)
        .slice(0, 3)
        .map((r) => r.retryInMs),
      [500, 1000, 2000],
      `${role}: retried after 0.5, 1, 2 s`,
    );
  }

  // A technician installs alsa-utils (here: the two tools, arecord on a card that sends audio).
  tools.install('aplay', APLAY);
  tools.install('arecord', FLOWING);
  await until('alarms cleared', () => usbAlarms().length === 0, 10_000);
  t.pass(`back in service ${Date.now() - t0} ms after the start, no restart`);
  t.equal(box.service.health().status, 'ok');
  t.same(alarmMetrics(), ['callbox_alarms_active 0']);
  t.equal(starts(tools.spawns, 'arecord').length, 1, 'arecord started once it was there');
  t.equal(starts(tools.spawns, 'aplay').length, 1, 'aplay started once it was there');
});

t.test(
  'a card that takes no audio: aplay failed with the reason, memory bounded, ended and started again; cleared once one plays',
  async (t) => {
    const tools = toolsDir(t, false);
    tools.install('arecord', 'while :; do head -c 6400 /dev/zero; sleep 0.2; done'); // 2 channels, 10 frames every 0.2 s
    tools.install('aplay', 'exec sleep 600'); // blocked on a card that plays nothing: never reads its pipe
    const faults: (string | null)[] = [];
    const retries: unknown[] = [];
    const dev = new AlsaDevice({
      device: 'usbhat',
      channels: 2,
      arecord: join(tools.bin, 'arecord'),
      aplay: join(tools.bin, 'aplay'),
      stallMs: 1000,
      pipeMaxBytes: 160 * 1024, // more than this machine's pipe (64 KiB) holds
      log: (msg, data) => {
        if (msg === 'ALSA process stopped; restarting' && data?.role === 'playback') retries.push(data.retryInMs);
      },
    });
    t.teardown(() => dev.stop());
    let queuedMaxMs = 0;
    const watch = setInterval(() => {
      queuedMaxMs = Math.max(queuedMaxMs, dev.stats().playbackQueuedMs);
    }, 10);
    t.teardown(() => clearInterval(watch));
    await dev.start(
      () => {},
      (f) => faults.push(f),
    );
    const t0 = Date.now();

    await until('the playback fault', () => faults.length > 0, 8000);
    t.match(faults, [/\/aplay runs but the sound card takes no audio \(1 s of it waiting\)$/], `${Date.now() - t0} ms: ${faults[0]}`);
    tools.install('aplay', APLAY); // the card plays again from the next start on
    const [stuck] = starts(tools.spawns, 'aplay');
    await until('the stuck aplay ended', () => !alive(stuck?.pid as number), 3000);
    await until('aplay started again', () => starts(tools.spawns, 'aplay').length === 2, 3000);
    const restartedAt = Date.now();
    t.same(retries[0], 500, 'started again on the backoff');
    await sleep(1500);
    t.equal(dev.stats().fault, faults[0], 'not cleared by running 1 s: a blocked aplay runs too');
    await until('cleared', () => faults.length === 2, 10_000);
    t.same(faults.slice(1), [null], `cleared ${Date.now() - restartedAt} ms after the restart, once aplay took more than a pipe holds`);
    t.ok(queuedMaxMs <= 1000, `audio waiting for aplay bounded: at most ${queuedMaxMs} ms`);
    t.equal(starts(tools.spawns, 'aplay').length, 2, 'the working aplay left running');
  },
);

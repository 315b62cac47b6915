// An ALSA device missing (issue 11's fault suite): the whole box on the pihat driver, GPIO in
// memory, virtual time for the box. fxo1/fxs1 sit on an in-memory codec; fxo2/fxs2 on a second
// card, `usbhat`, opened through the box's own audio factory — the real arecord/aplay, with an
// asoundrc that does not define the PCM (a card unplugged: arecord's "audio open error: No such
// file or directory"). Checked: the box stays up and fxo1 takes a call to the phone on fxs1 (never
// the dead fxs2); fxo2 is not answered; /healthz shows CHANNEL_ERROR on fxo2 and fxs2 naming the
// device and arecord's reason; the tools are retried with backoff (spawns counted by a wrapper on
// PATH); once the asoundrc defines the PCM (capture from a FIFO the test paces, playback into a
// file) the alarm clears and a call on fxo2 is answered, its caller's DTMF heard through arecord
// routes it, and its greeting reaches aplay.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FRAME_SAMPLES } from '../../hal/src/audio.js';
import { DtmfGenerator } from '../../hal/src/dsp/dtmf-gen.js';
import { sleep, until } from '../helpers/wait.js';
import { openUsbCardBox } from './fixtures/usb-card.js';

const haveArecord = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v arecord && command -v aplay']);
    return true;
  } catch {
    return false;
  }
})();

const PIN = { fxo2Ring: 23, fxo2Hook: 24, fxs1Ring: 16, fxs2Ring: 21 };

t.test(
  'a missing ALSA card: its ports out of service with the reason, retried with backoff, back when it appears',
  { skip: haveArecord ? false : 'alsa-utils needed' },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'callbox-faults-alsa-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const spawns = join(dir, 'spawns.log');
    for (const tool of ['arecord', 'aplay']) {
      const real = execFileSync('sh', ['-c', `command -v ${tool}`])
        .toString()
        .trim();
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "$(date +%s%3N) ${tool}" >> ${spawns}\nexec ${real} "$@"\n`, { mode: 0o755 });
    }
    const asoundrc = join(dir, 'asoundrc');
    writeFileSync(asoundrc, '# the USB card is unplugged: no pcm.usbhat\n');
    const fifo = join(dir, 'capture.fifo');
    const played = join(dir, 'played.raw');
    const env = { PATH: process.env.PATH, ALSA_CONFIG_PATH: process.env.ALSA_CONFIG_PATH };
    process.env.PATH = `${bin}:${process.env.PATH}`;
    process.env.ALSA_CONFIG_PATH = `/usr/share/alsa/alsa.conf:${asoundrc}`;
    let fd: number | null = null;
    let feeder: NodeJS.Timeout | null = null;
    // Registered first, so it runs after the box has stopped (tap runs teardowns last first).
    t.teardown(() => {
      if (feeder) clearInterval(feeder);
      if (fd !== null) closeSync(fd);
      process.env.PATH = env.PATH;
      if (env.ALSA_CONFIG_PATH === undefined) delete process.env.ALSA_CONFIG_PATH;
      else process.env.ALSA_CONFIG_PATH = env.ALSA_CONFIG_PATH;
      rmSync(dir, { recursive: true, force: true });
    });
    const logs: string[] = [];
    const retryInMs: Record<string, unknown[]> = { capture: [], playback: [] };
    const t0 = Date.now();
    const { box, bench, clock, usbAlarms, usbStates } = await openUsbCardBox(t, 'callbox-faults-alsa-box-', (msg, data) => {
      logs.push(msg);
      if (msg === 'ALSA process stopped; restarting') retryInMs[String(data?.role)]?.push(data?.retryInMs);
    });
    const fxs2Rings: number[] = [];
    bench.gpio.onOutput = (line, level) => {
      if (line === PIN.fxs2Ring && level === 1) fxs2Rings.push(clock.now());
    };
    const health = () => box.service.health();
    const latest = () => box.service.calls.list({ limit: 1 })[0];

    // 1. The card is missing: its ports are out of service, with arecord's own reason.
    await until('fxo2 and fxs2 alarms', () => usbAlarms().length === 2, 5000);
    for (const a of usbAlarms()) {
      t.match(
        a,
        {
          code: 'CHANNEL_ERROR',
          severity: 'error',
          message: /^audio device usbhat: (arecord|aplay) exit 1: .*audio open error: No such file or directory/,
        },
        `${a.subject}: ${a.message}`,
      );
    }
    t.equal(health().status, 'degraded');
    t.same(
      health().alarms.filter((a) => a.subject !== 'fxo2' && a.subject !== 'fxs2'),
      [],
      'no other alarm',
    );
    t.ok(
      health().modules.every((m) => m.state !== 'failed'),
      'every module runs',
    );

    // 2. The box goes on: fxo1 takes a call through the IVR to the phone on fxs1, never to the dead fxs2.
    bench.act('callLine', 'fxo1');
    await clock.runUntil(() => latest()?.state === 'ivr', 15_000);
    await clock.run(1500);
    bench.act('pressDigits', 'fxo1', '1');
    await clock.runUntil(() => bench.gpio.level(PIN.fxs1Ring) === 1, 10_000);
    bench.act('liftPhone', 'fxs1');
    await clock.runUntil(() => latest()?.state === 'talking', 10_000);
    await clock.run(3000);
    bench.act('hangUpCaller', 'fxo1');
    await clock.runUntil(() => latest()?.state === 'ended', 10_000);
    bench.act('hangUpPhone', 'fxs1');
    await clock.run(2000);
    t.match(latest(), { callerId: '13800138000', outcome: 'answered', ivrPath: '1' }, 'fxo1 answered and routed while the card is missing');
    t.same(
      latest()?.legs.map((l) => l.channel),
      ['fxo1', 'fxs1'],
    );
    t.same(fxs2Rings, [], 'the dead phone fxs2 was never rung');

    // fxo2 rings: the box leaves the dead line alone (no answer, no call).
    const calls = box.service.calls.list({ limit: 100 }).length;
    for (let burst = 0; burst < 3; burst++) await ringBurst(1000, 4000);
    t.equal(bench.gpio.level(PIN.fxo2Hook), 0, 'fxo2 not seized');
    t.equal(box.service.calls.list({ limit: 100 }).length, calls, 'no call on fxo2');

    // 3. Retried with backoff: the spawns in the first 4 s of the fault (a fixed 500 ms: 8 or more).
    await sleep(Math.max(0, t0 + 4500 - Date.now()));
    const times = (tool: string) => {
      const all = readFileSync(spawns, 'utf8')
        .split('\n')
        .filter((l) => l.endsWith(` ${tool}`))
        .map((l) => Number(l.split(' ')[0]));
      return all.filter((x) => x < (all[0] as number) + 4000);
    };
    for (const tool of ['arecord', 'aplay']) {
      const at = times(tool);
      const gaps = at.slice(1).map((x, i) => x - (at[i] as number));
      t.ok(at.length >= 3 && at.length <= 5, `${tool} started ${at.length} times in 4 s (gaps ${gaps.join(', ')} ms)`);
    }
    // The waits the device chose (the gaps above also hold each run of the tool and, for the first, the box's start-up).
    for (const role of ['capture', 'playback'])
      t.same(retryInMs[role]?.slice(0, 3), [500, 1000, 2000], `${role}: retried after 0.5, 1, 2 s`);
    t.equal(health().status, 'degraded', 'still degraded, still answering');

    // 4. The card comes back: capture from a FIFO the test feeds every 20 ms, playback into a file.
    execFileSync('mkfifo', [fifo]);
    fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK); // never EOF: arecord waits for our frames
    const queued: Int16Array[] = [];
    feeder = setInterval(() => {
      const block = new Int16Array(FRAME_SAMPLES * 2);
      const f = queued.shift();
      if (f) for (let i = 0; i < FRAME_SAMPLES; i++) block[i * 2] = f[i] as number; // channel 0: fxo2
      try {
        writeSync(fd as number, Buffer.from(block.buffer));
      } catch {} // EAGAIN: arecord is not reading yet, the pipe is full
    }, 20);
    writeFileSync(
      asoundrc,
      `pcm.usbhat {\n  type asym\n  capture.pcm { type file slave.pcm "null" file "/dev/null" infile "${fifo}" format "raw" }\n  playback.pcm { type file slave.pcm "null" file "${played}" format "raw" }\n}\n`,
    );
    await until('alarms cleared', () => usbAlarms().length === 0, 12_000);
    t.pass(`fxo2 and fxs2 back in service ${Date.now() - t0} ms after the start`);
    t.equal(health().status, 'ok');
    t.same(usbStates(), ['idle', 'idle'], 'fxo2 and fxs2 idle');
    t.ok(logs.includes('ALSA device failing') && logs.includes('ALSA device works again'), 'logged');

    // A call on fxo2: answered on the 2nd ring, its caller's "1" heard through arecord routes it.
    for (let burst = 0; burst < 4 && bench.gpio.level(PIN.fxo2Hook) !== 1; burst++) await ringBurst(1000, 4000);
    await clock.runUntil(() => latest()?.state === 'ivr', 5000);
    const call = latest()?.id as string;
    t.equal(box.channels().find((c) => c.id === 'fxo2')?.state, 'active', 'fxo2 answered');
    // The box's time at the pace of the card's frames now.
    for (let i = 0; i < 50; i++) await clock.run(20).then(() => sleep(20));
    const tone = new DtmfGenerator('1', { onMs: 120, offMs: 100 });
    for (let i = 0; i < 11; i++) {
      const f = new Int16Array(FRAME_SAMPLES);
      tone.read(f);
      queued.push(f);
    }
    for (let i = 0; i < 150 && box.service.calls.get(call)?.ivrPath !== '1'; i++) await clock.run(20).then(() => sleep(20));
    t.equal(box.service.calls.get(call)?.ivrPath, '1', 'the caller pressed 1 and the box heard it through arecord');
    await clock.runUntil(() => bench.gpio.level(PIN.fxs1Ring) === 1 || fxs2Rings.length > 0, 10_000);
    t.pass('the queue rings an agent phone for the fxo2 call');
    const out = readFileSync(played);
    let loud = 0;
    for (let i = 0; i + 3 < out.length; i += 4) if (Math.abs(out.readInt16LE(i)) > 500) loud++;
    t.ok(loud > 800, `the greeting reached aplay: ${loud} loud samples on fxo2's channel (${out.length} bytes played)`);
    bench.act('hangUpCaller', 'fxo2'); // polarity reversal
    await clock.runUntil(() => box.service.calls.get(call)?.state === 'ended', 10_000);
    t.equal(bench.gpio.level(PIN.fxo2Hook), 0, 'fxo2 released when the caller hung up');

    /** The exchange rings fxo2: ring-detect pulses at 25 Hz (active low) for onMs, then offMs quiet. */
    async function ringBurst(onMs: number, offMs: number): Promise<void> {
      for (let ms = 0; ms < onMs && bench.gpio.level(PIN.fxo2Hook) !== 1; ms += 40) {
        bench.gpio.drive(PIN.fxo2Ring, 0);
        await clock.run(20);
        bench.gpio.drive(PIN.fxo2Ring, 1);
        await clock.run(20);
      }
      if (bench.gpio.level(PIN.fxo2Hook) !== 1) await clock.run(offMs);
    }
  },
);

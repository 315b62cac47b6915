// Pulse (rotary) dialling on the HAT, GPIO in memory, virtual time. FXS: hook breaks of a rotary
// dial (10 pps, 61/39 ms, 700 ms between digits) become `digit` events (source 'pulse') where DTMF
// digits go; the edges exactly: a break of 19 ms is a bounce, 20 ms (the debounce) a pulse, 90 ms
// (pulseBreakMaxMs) a pulse, 91-99 ms neither, 100 ms (flashMinMs) a flash; a make of 199 ms
// keeps the digit, 200 ms (pulseDigitGapMs) ends it; a bouncy hook contact decodes the same;
// more than 10 pulses is no digit; hanging up mid-digit drops it. FXO: a 'pulse' line dials on
// the hook relay (break/make/inter-digit from the profile), which the FXS decoder reads back.
import t from 'tap';
import type { ChannelEvents } from '../../../hal/src/channel.js';
import type { FxoPort } from '../../../hal/src/drivers/pihat/fxo-port.js';
import type { FxsPort } from '../../../hal/src/drivers/pihat/fxs-port.js';
import { HatRig, PINS, rigHat } from './fixtures/hat-rig.js';

const HOOK = PINS.fxs1.hook;

async function lifted(rig = new HatRig()) {
  await rig.start();
  const fxs = rig.driver.port('fxs1') as FxsPort;
  const log: string[] = [];
  const digits: ChannelEvents['digit'][] = [];
  fxs.events.on('digit', (d) => {
    digits.push(d);
    log.push(`digit ${d.digit}`);
  });
  fxs.events.on('flash', () => log.push('flash'));
  fxs.events.on('onHook', () => log.push('onHook'));
  fxs.events.on('offHook', () => log.push('offHook'));
  rig.gpio.drive(HOOK, 1);
  await rig.clock.run(500);
  return { rig, fxs, log, digits };
}

/** Break the loop for breakMs then make it for makeMs; with `bounce`, each edge chatters first (1-3 ms). */
async function pulse(rig: HatRig, breakMs: number, makeMs: number, bounce = false) {
  const edge = async (level: 0 | 1, ms: number) => {
    let used = 0;
    if (bounce) {
      for (const b of [2, 1, 3]) {
        rig.gpio.drive(HOOK, level);
        await rig.clock.run(b);
        rig.gpio.drive(HOOK, (1 - level) as 0 | 1);
        await rig.clock.run(1);
        used += b + 1;
      }
    }
    rig.gpio.drive(HOOK, level);
    await rig.clock.run(ms - used);
  };
  await edge(0, breakMs);
  await edge(1, makeMs);
}

async function rotary(rig: HatRig, digits: string, o: { breakMs?: number; makeMs?: number; bounce?: boolean } = {}) {
  for (const d of digits) {
    const n = d === '0' ? 10 : Number(d);
    for (let k = 0; k < n; k++) await pulse(rig, o.breakMs ?? 61, o.makeMs ?? 39, o.bounce);
    await rig.clock.run(700);
  }
}

t.test('a rotary phone dials 1590: four digits, source pulse, where DTMF digits go', async (t) => {
  const { rig, log, digits } = await lifted();
  t.same(log, ['offHook']);
  await rotary(rig, '1590');
  t.same(log, ['offHook', 'digit 1', 'digit 5', 'digit 9', 'digit 0']);
  t.same(
    digits.map((d) => d.source),
    ['pulse', 'pulse', 'pulse', 'pulse'],
  );
  t.equal(digits[3]?.durationMs, 10 * 100 - 39, '0 is ten pulses: first break to last make');
  // A slow dial (8 pps, 75/50) and a fast one (12 pps, 50/33) still decode.
  await rotary(rig, '37', { breakMs: 75, makeMs: 50 });
  await rotary(rig, '82', { breakMs: 50, makeMs: 33 });
  t.same(log.slice(-4), ['digit 3', 'digit 7', 'digit 8', 'digit 2']);
  await rig.driver.stop();
});

t.test('break edges: 19 ms bounce, 20 and 90 ms pulses, 91 and 99 ms neither, 100 ms a flash', async (t) => {
  const { rig, log } = await lifted();
  const one = async (breakMs: number) => {
    log.length = 0;
    await pulse(rig, breakMs, 39);
    await rig.clock.run(1000);
    return log.join(',');
  };
  t.equal(await one(19), '', '19 ms: shorter than the debounce, ignored');
  t.equal(await one(20), 'digit 1', '20 ms: one pulse');
  t.equal(await one(90), 'digit 1', '90 ms (pulseBreakMaxMs): one pulse');
  t.equal(await one(91), '', '91 ms: too long for a pulse, too short for a flash');
  t.equal(await one(99), '', '99 ms: neither');
  t.equal(await one(100), 'flash', '100 ms (flashMinMs): a hook flash, no digit');
  t.equal(await one(1200), 'flash', '1200 ms: still a flash');
  // Three pulses then a 95 ms break: the digit in progress is dropped.
  log.length = 0;
  for (let k = 0; k < 3; k++) await pulse(rig, 61, 39);
  await pulse(rig, 95, 39);
  await rig.clock.run(1000);
  t.equal(log.join(','), '', 'a break of neither length drops the digit in progress');
  await rig.driver.stop();
});

t.test('make edges: 199 ms between pulses is the same digit, 200 ms (pulseDigitGapMs) a new one', async (t) => {
  const { rig, log } = await lifted();
  log.length = 0;
  await pulse(rig, 61, 39);
  await pulse(rig, 61, 199);
  await pulse(rig, 61, 700);
  t.same(log, ['digit 3'], '199 ms make: one digit of 3 pulses');
  log.length = 0;
  await pulse(rig, 61, 39);
  await pulse(rig, 61, 200);
  await pulse(rig, 61, 700);
  t.same(log, ['digit 2', 'digit 1'], '200 ms make: 2 then 1');
  log.length = 0;
  for (let k = 0; k < 11; k++) await pulse(rig, 61, 39);
  await rig.clock.run(700);
  t.same(log, [], 'eleven pulses are no digit');
  await rig.driver.stop();
});

t.test('a bouncy hook contact decodes the same; glitches while talking are nothing', async (t) => {
  const { rig, log } = await lifted();
  log.length = 0;
  await rotary(rig, '4706', { bounce: true });
  t.same(log, ['digit 4', 'digit 7', 'digit 0', 'digit 6']);
  log.length = 0;
  for (let k = 0; k < 50; k++) {
    rig.gpio.drive(HOOK, 0);
    await rig.clock.run(1 + (k % 15));
    rig.gpio.drive(HOOK, 1);
    await rig.clock.run(37 + ((k * 7) % 200));
  }
  await rig.clock.run(1000);
  t.same(log, [], 'line noise under 20 ms never becomes a pulse');
  await rig.driver.stop();
});

t.test('hanging up mid-digit drops it; on hook is reported after flashMaxMs', async (t) => {
  const { rig, log } = await lifted();
  log.length = 0;
  for (let k = 0; k < 3; k++) await pulse(rig, 61, 39);
  rig.gpio.drive(HOOK, 0);
  await rig.clock.run(3000);
  t.same(log, ['onHook']);
  await rig.driver.stop();
});

t.test('an FXO line that dials in pulses: break/make on the hook relay, read back by the FXS decoder', async (t) => {
  const hat = rigHat();
  hat.profile = { dialMode: 'pulse' };
  const rig = new HatRig(hat);
  const trace: [number, 0 | 1][] = [];
  rig.gpio.onOutput = (line, level) => {
    if (line === PINS.fxo1.hook) trace.push([rig.clock.now(), level]);
  };
  await rig.start();
  const fxo = rig.driver.port('fxo1') as FxoPort;
  t.equal(fxo.dialMode, 'pulse');
  await t.rejects(fxo.dial('12#'), /a pulse-dialling line cannot dial \* or #/);
  const t0 = rig.clock.now();
  await fxo.dial('105');
  await rig.clock.run(1000 + 16 * 100 + 2 * 800 + 500); // seize, dial tone, 16 pulses, 2 pauses
  t.equal(fxo.state, 'dialing');
  t.equal(rig.gpio.level(PINS.fxo1.hook), 1, 'line held after the last digit');
  const rel = trace.map(([at, l]) => [at - t0, l]);
  t.same(rel.slice(0, 4), [
    [0, 1],
    [1000, 0],
    [1061, 1],
    [1061 + 800, 0],
  ]);
  t.equal(trace.filter(([, l]) => l === 0).length, 16, '1 + 10 + 5 breaks');
  const widths = new Set<number>();
  for (let i = 1; i < trace.length; i++) {
    const [at, l] = trace[i] as [number, 0 | 1];
    if (l === 1) widths.add(at - (trace[i - 1] as [number, 0 | 1])[0]);
  }
  t.same([...widths], [61], 'every break is the profile cn 61 ms');

  // Read the relay trace back through the FXS decoder (the same timing on a phone's hook).
  const { rig: phone, log } = await lifted();
  log.length = 0;
  let now = trace[1]?.[0] as number;
  for (const [at, l] of trace.slice(1)) {
    await phone.clock.run(at - now);
    now = at;
    phone.gpio.drive(HOOK, l);
  }
  await phone.clock.run(1000);
  t.same(log, ['digit 1', 'digit 0', 'digit 5']);
  await fxo.hangup();
  t.equal(rig.gpio.level(PINS.fxo1.hook), 0);
  await rig.driver.stop();
  await phone.driver.stop();
});

t.test('one line pulses while the profile says DTMF; hanging up mid-dial stops the pulses', async (t) => {
  const hat = rigHat();
  (hat.ports[1] as { dialMode?: 'pulse' }).dialMode = 'pulse';
  const rig = new HatRig(hat);
  await rig.start();
  const fxo1 = rig.driver.port('fxo1') as FxoPort;
  const fxo2 = rig.driver.port('fxo2') as FxoPort;
  t.equal(fxo1.dialMode, 'dtmf');
  t.equal(fxo2.dialMode, 'pulse');
  let edges = 0;
  rig.gpio.onOutput = (line) => {
    if (line === PINS.fxo2.hook) edges++;
  };
  await fxo2.dial('999');
  await rig.clock.run(1000 + 250);
  await fxo2.hangup();
  const after = edges;
  await rig.clock.run(5000);
  t.equal(edges, after, 'no pulse after the hang-up');
  t.equal(rig.gpio.level(PINS.fxo2.hook), 0, 'line released');
  await rig.driver.stop();
});

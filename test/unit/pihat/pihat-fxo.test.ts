// The pihat driver's FXO ports on GPIO and audio in memory, in virtual time: ring detect pulses
// at 25 Hz become ring bursts (64 ms debounce, clicks ignored), the China cadence is measured,
// caller ID FSK between the first and second ring is decoded, the caller giving up ends the
// ringing; answering seizes the line; DTMF heard, busy tone and polarity reversal end the call;
// dialling plays the digits after the dial-tone wait; the bypass relay follows the driver.
import t from 'tap';
import { CallerIdGenerator } from '../../../hal/src/dsp/cid-gen.js';
import { DtmfDetector } from '../../../hal/src/dsp/dtmf-detect.js';
import { DtmfGenerator } from '../../../hal/src/dsp/dtmf-gen.js';
import { ToneGenerator } from '../../../hal/src/dsp/tone.js';
import { tonePreset } from '../../../hal/src/dsp/tone-presets.js';
import type { FxoPort } from '../../../hal/src/drivers/pihat/fxo-port.js';
import { PiHatDriver } from '../../../hal/src/drivers/pihat/pihat-driver.js';
import { VirtualClock } from '../../../hal/src/clock.js';
import { MemoryGpio } from '../../../hal/src/gpio-memory.js';
import { HatRig, PINS, rigHat } from './fixtures/hat-rig.js';

const render = (src: { read(out: Int16Array): boolean }, ms: number) => {
  const out = new Int16Array((ms / 20) * 160);
  for (let i = 0; i < out.length; i += 160) src.read(out.subarray(i, i + 160));
  return out;
};

async function started() {
  const rig = new HatRig();
  await rig.start();
  const fxo = rig.driver.port('fxo1') as FxoPort;
  const log: string[] = [];
  fxo.events.on('ring', (e) => log.push(`ring ${e.count}@${rig.clock.now() - t0}`));
  fxo.events.on('callerId', (e) => log.push(`cid ${e.number}`));
  fxo.events.on('ringStopped', () => log.push(`stopped@${rig.clock.now() - t0}`));
  fxo.events.on('digit', (e) => log.push(`digit ${e.digit}`));
  fxo.events.on('busyTone', () => log.push('busy'));
  fxo.events.on('polarityReversal', () => log.push('polarity'));
  fxo.events.on('hangup', (e) => log.push(`hangup ${e.reason}`));
  fxo.events.on('answered', () => log.push('answered'));
  const t0 = rig.clock.now();
  return { rig, fxo, log, t0 };
}

t.test('ringing in the China cadence with caller ID between the rings, then the caller gives up', async (t) => {
  const { rig, fxo, log } = await started();
  await rig.ringBurst(PINS.fxo1.ring, 1000);
  t.equal(fxo.state, 'ringing');
  // Caller ID (Bell 202 MDMF) 700 ms into the pause, as the exchange sends it.
  await rig.clock.run(700);
  rig.audio?.feed(0, new CallerIdGenerator({ number: '13812345678', name: '张三' }).samples);
  await rig.clock.run(3300);
  await rig.ringBurst(PINS.fxo1.ring, 1000);
  await rig.clock.run(4000);
  await rig.ringBurst(PINS.fxo1.ring, 1000);
  t.match(log.slice(0, 3), ['ring 1@160', 'cid 13812345678', /^ring 2@51[0-9]{2}$/]);
  const cadence = fxo.ringCadence();
  t.ok(cadence.matches, `cadence ${cadence.measured.join('/')} is China's 1 s on / 4 s off`);
  t.equal(rig.gpio.level(PINS.fxo1.led), 1, 'the LED is lit while ringing');
  await rig.clock.run(5900);
  t.equal(fxo.state, 'ringing', 'a normal pause does not end the ringing');
  await rig.clock.run(200);
  t.equal(fxo.state, 'idle', 'no ring for 1.5 pauses: the caller gave up');
  t.match(log.at(-1), /^stopped@/);
  t.equal(rig.gpio.level(PINS.fxo1.led), 0);
  await rig.driver.stop();
});

t.test('clicks and short bursts are not rings (64 ms debounce, 150 ms minimum)', async (t) => {
  const { rig, fxo, log } = await started();
  rig.gpio.drive(PINS.fxo1.ring, 0);
  await rig.clock.run(10);
  rig.gpio.drive(PINS.fxo1.ring, 1);
  await rig.clock.run(500);
  await rig.ringBurst(PINS.fxo1.ring, 120);
  await rig.clock.run(8000);
  t.same(log, [], 'nothing reported');
  t.equal(fxo.state, 'idle');
  // Pulses 60 ms apart are bridged by the 64 ms debounce: still one burst.
  for (let i = 0; i < 10; i++) {
    rig.gpio.drive(PINS.fxo1.ring, 0);
    await rig.clock.run(1);
    rig.gpio.drive(PINS.fxo1.ring, 1);
    await rig.clock.run(59);
  }
  await rig.clock.run(100);
  t.same(log, ['ring 1@8810'], 'one ring from pulses 60 ms apart');
  t.same(fxo.ringCadence().measured, [541], 'one burst of 541 ms');
  await rig.driver.stop();
});

t.test('answer, digits, busy tone ends the call; polarity reversal ends the next one', async (t) => {
  const { rig, fxo, log } = await started();
  await rig.ringBurst(PINS.fxo1.ring, 400);
  await fxo.answer();
  t.equal(rig.gpio.level(PINS.fxo1.hook), 1, 'the hook relay seizes the line');
  t.equal(fxo.state, 'active');
  rig.audio?.feed(0, render(new DtmfGenerator('12#', { onMs: 80, offMs: 80 }), 600));
  await rig.clock.run(800);
  t.same(
    log.filter((l) => l.startsWith('digit')),
    ['digit 1', 'digit 2', 'digit #'],
  );
  rig.audio?.feed(0, render(new ToneGenerator(tonePreset('cn', 'busy')), 3000));
  await rig.clock.run(3000);
  t.same(log.slice(-2), ['busy', 'hangup busyTone']);
  t.equal(rig.gpio.level(PINS.fxo1.hook), 0, 'line released');
  t.equal(fxo.state, 'idle');

  await rig.clock.run(10_000);
  await rig.ringBurst(PINS.fxo1.ring, 400);
  await fxo.answer();
  rig.gpio.drive(PINS.fxo1.polarity, 1);
  await rig.clock.run(10);
  rig.gpio.drive(PINS.fxo1.polarity, 0);
  await rig.clock.run(50);
  t.equal(fxo.state, 'active', 'a 10 ms glitch is not a reversal');
  rig.gpio.drive(PINS.fxo1.polarity, 1);
  await rig.clock.run(50);
  t.same(log.slice(-2), ['polarity', 'hangup polarity']);
  t.equal(rig.gpio.level(PINS.fxo1.hook), 0);
  await rig.driver.stop();
});

t.test('dialling: seize, wait for dial tone, DTMF on the line; polarity reversal is the answer', async (t) => {
  const { rig, fxo, log } = await started();
  await t.rejects(fxo.dial('138-0000'), /cannot dial/);
  await fxo.dial('13800138000');
  t.equal(rig.gpio.level(PINS.fxo1.hook), 1);
  t.equal(fxo.state, 'dialing');
  await rig.clock.run(950);
  t.equal(
    rig.takePlayed(0).some((s) => s !== 0),
    false,
    'silent while waiting for dial tone',
  );
  await rig.clock.run(11 * 200 + 200);
  const heard: string[] = [];
  const det = new DtmfDetector({ onDigit: (d) => heard.push(d) });
  det.process(rig.takePlayed(0));
  t.equal(heard.join(''), '13800138000', 'the digits went out as DTMF');
  rig.gpio.drive(PINS.fxo1.polarity, 1);
  await rig.clock.run(50);
  t.same(log.slice(-2), ['polarity', 'answered']);
  t.equal(fxo.state, 'active');
  await fxo.hangup();
  t.equal(rig.gpio.level(PINS.fxo1.hook), 0);
  await rig.driver.stop();
});

t.test('the bypass relay: energised while the driver runs, released when it stops', async (t) => {
  const rig = new HatRig();
  t.equal(rig.gpio.level(PINS.bypass), null);
  await rig.start();
  t.equal(rig.gpio.level(PINS.bypass), 1, 'box in the line path');
  await rig.driver.setInLine(false);
  t.equal(rig.gpio.level(PINS.bypass), 0);
  await rig.driver.setInLine(true);
  await rig.driver.stop();
  t.equal(rig.gpio.level(PINS.bypass), null, 'pin closed');
  t.same(rig.gpio.openLines(), [], 'every pin closed');
});

t.test('a bad description is refused naming the problem', async (t) => {
  const hat = rigHat();
  const fxs = hat.ports[2];
  if (fxs?.kind === 'fxs') fxs.hookDetect = { line: PINS.fxo1.ring };
  t.throws(() => new PiHatDriver({ hat, clock: new VirtualClock(), gpio: new MemoryGpio(), audio: () => undefined as never }), {
    message: /\/ports\/2\/hookDetect GPIO 17 is already used by \/ports\/0\/ringDetect/,
  });
});

// The power-fail bypass in the driver, virtual time: the relay is energised only after every
// port's pins are open and the audio runs (the lines are up); the hardware watchdog's heartbeat
// toggles every periodMs while the driver runs and stops with it; a heartbeat-only HAT (no relay
// GPIO) works; a heartbeat line used twice is refused.
import t from 'tap';
import type { Gpio } from '../../../hal/src/gpio.js';
import { PiHatDriver } from '../../../hal/src/drivers/pihat/pihat-driver.js';
import { MemoryAudioDevice } from '../../../hal/src/drivers/pihat/memory-audio.js';
import { HatRig, PINS, rigHat } from './fixtures/hat-rig.js';

const HB = 4;

t.test('relay after the lines are up; heartbeat every 100 ms while running, none after stop', async (t) => {
  const rig = new HatRig({ ...rigHat(), bypassHeartbeat: { line: HB } });
  const opened: string[] = [];
  const output = rig.gpio.output.bind(rig.gpio);
  rig.gpio.output = async (line, o) => {
    opened.push(`${line}${rig.audio ? '+audio' : ''}`);
    return output(line, o);
  };
  const edges: number[] = [];
  rig.gpio.onOutput = (line, level) => {
    if (line === HB) edges.push(level);
  };
  await rig.start();
  t.equal(opened.at(-1), `${PINS.bypass}+audio`, 'the relay is the last pin opened, with the audio running');
  t.equal(opened.at(-2), `${HB}+audio`, 'the heartbeat starts with the lines up');
  t.equal(rig.gpio.level(PINS.bypass), 1);
  await rig.clock.run(1000);
  t.same(edges, [1, 0, 1, 0, 1, 0, 1, 0, 1, 0], '10 edges a second (100 ms period)');
  await rig.driver.stop();
  edges.length = 0;
  await rig.clock.run(1000);
  t.same(edges, [], 'no heartbeat after stop: the watchdog chip releases the relay');
  t.same(rig.gpio.openLines(), [], 'every pin closed');
});

t.test('a HAT with a heartbeat and no relay GPIO; a line used twice is refused', async (t) => {
  const rig = new HatRig({ ...rigHat(), bypassRelay: undefined, bypassHeartbeat: { line: HB, periodMs: 250, activeLow: true } });
  const levels: number[] = [];
  rig.gpio.onOutput = (line, level) => {
    if (line === HB) levels.push(level);
  };
  await rig.start();
  await rig.clock.run(1000);
  t.same(levels, [0, 1, 0, 1], 'physical levels of an active-low heartbeat, every 250 ms');
  await t.rejects(rig.driver.setInLine(false), /no bypass relay/);
  await rig.driver.stop();
  const gpio = {} as Gpio;
  t.throws(
    () =>
      new PiHatDriver({
        hat: { ...rigHat(), bypassHeartbeat: { line: PINS.bypass } },
        clock: rig.clock,
        gpio,
        audio: (o) => new MemoryAudioDevice(o.device, o.channels, rig.clock),
      }),
    /\/bypassHeartbeat GPIO 26 is already used by \/bypassRelay/,
  );
});

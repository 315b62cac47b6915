// The pihat ports while their audio device fails (a card unplugged: the ALSA tool's reason), in
// virtual time on the memory twin: idle ports go out of service ('error' with the device and the
// reason) and ignore the line ringing and the phone lifted; a call in progress goes on and the
// port is out of service once it ends; when the device works again the ports are idle, and a
// phone lifted meanwhile is off hook as if lifted now.
import t from 'tap';
import type { FxoPort } from '../../../hal/src/drivers/pihat/fxo-port.js';
import type { FxsPort } from '../../../hal/src/drivers/pihat/fxs-port.js';
import { HatRig, PINS } from './fixtures/hat-rig.js';

const REASON = 'arecord exit 1: arecord: main:831: audio open error: No such file or directory';

async function started() {
  const rig = new HatRig();
  await rig.start();
  const fxo = rig.driver.port('fxo1') as FxoPort;
  const fxs = rig.driver.port('fxs1') as FxsPort;
  const events: string[] = [];
  fxo.events.on('ring', () => events.push('fxo1 ring'));
  fxs.events.on('offHook', () => events.push('fxs1 offHook'));
  fxs.events.on('onHook', () => events.push('fxs1 onHook'));
  return { rig, fxo, fxs, events, card: rig.audio as NonNullable<typeof rig.audio> };
}

t.test('idle ports go out of service with the reason, ignore the line and the phone, and come back', async (t) => {
  const { rig, fxo, fxs, events, card } = await started();
  card.fault(REASON);
  t.same(
    rig.driver.ports.map((p) => [p.id, p.state, p.reason]),
    ['fxo1', 'fxo2', 'fxs1', 'fxs2'].map((id) => [id, 'error', `audio device hw:0: ${REASON}`]),
    'every port of the card: error, naming the device and the reason',
  );
  await rig.ringBurst(PINS.fxo1.ring, 1000);
  await rig.clock.run(4000);
  await rig.ringBurst(PINS.fxo1.ring, 1000);
  t.equal(fxo.state, 'error', 'the ringing line stays out of service');
  await t.rejects(fxo.dial('10086'), /line busy \(state error: audio device hw:0: arecord exit 1/);
  await t.rejects(fxs.ring({ cadence: { pattern: [1000, 4000] } }), /phone busy \(state error: audio device hw:0/);
  rig.gpio.drive(PINS.fxs1.hook, 1); // lifted while the card is gone
  await rig.clock.run(500);
  t.equal(fxs.state, 'error');
  t.same(events, [], 'no ring, no off hook while out of service');
  t.equal(rig.gpio.level(PINS.fxs1.led), 0, 'LED off');

  card.fault(null);
  t.same(
    rig.driver.ports.map((p) => [p.id, p.state, p.reason]),
    [
      ['fxo1', 'idle', null],
      ['fxo2', 'idle', null],
      ['fxs1', 'active', null],
      ['fxs2', 'idle', null],
    ],
    'back in service; the phone lifted meanwhile is off hook',
  );
  t.same(events, ['fxs1 offHook']);
  rig.gpio.drive(PINS.fxs1.hook, 0);
  await rig.clock.run(2000);
  t.equal(fxs.state, 'idle');
  await rig.ringBurst(PINS.fxo1.ring, 1000);
  t.equal(fxo.state, 'ringing', 'the line rings into the box again');
});

t.test('a call in progress goes on; the port is out of service once it ends', async (t) => {
  const { rig, fxo, fxs, events, card } = await started();
  await rig.ringBurst(PINS.fxo1.ring, 1000);
  await fxo.answer();
  rig.gpio.drive(PINS.fxs1.hook, 1);
  await rig.clock.run(500);
  t.same([fxo.state, fxs.state], ['active', 'active']);
  card.fault(REASON);
  t.same([fxo.state, fxs.state], ['active', 'active'], 'the call goes on (the card may come back)');
  await fxo.hangup();
  t.equal(fxo.state, 'error', 'the line released: out of service');
  t.equal(rig.gpio.level(PINS.fxo1.hook), 0, 'hook relay released');
  rig.gpio.drive(PINS.fxs1.hook, 0);
  await rig.clock.run(2000);
  t.equal(fxs.state, 'error', 'the phone put down: out of service');
  t.same(events, ['fxo1 ring', 'fxs1 offHook', 'fxs1 onHook'], 'the put-down is reported once');
  rig.gpio.drive(PINS.fxo1.polarity, 1); // a polarity reversal on the dead line
  await rig.clock.run(500);
  t.equal(fxo.state, 'error');
  card.fault(null);
  t.same([fxo.state, fxs.state], ['idle', 'idle']);
});

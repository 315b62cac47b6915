// The pihat driver's FXS ports on GPIO and audio in memory, in virtual time: the ring generator
// follows the China cadence (1 s on / 4 s off), caller ID (Bell 202) plays in the first pause and
// decodes; lifting the phone stops the ringing at once; hook flash (100–1250 ms) against hanging
// up, debounced contact bounce; busy tone when the box hangs up on a phone still off hook.
import t from 'tap';
import type { CallerIdMessage } from '../../../hal/src/dsp/cid-message.js';
import { CallerIdReceiver } from '../../../hal/src/dsp/cid-receive.js';
import { CallProgressDetector } from '../../../hal/src/dsp/progress-detect.js';
import type { FxsPort } from '../../../hal/src/drivers/pihat/fxs-port.js';
import { HatRig, PINS } from './fixtures/hat-rig.js';

async function started() {
  const rig = new HatRig();
  await rig.start();
  const fxs = rig.driver.port('fxs1') as FxsPort;
  const log: string[] = [];
  const t0 = rig.clock.now();
  for (const e of ['offHook', 'onHook', 'flash'] as const) fxs.events.on(e, () => log.push(`${e}@${rig.clock.now() - t0}`));
  return { rig, fxs, log, t0 };
}

t.test('ringing in the cadence with caller ID in the first pause; lifting the phone stops it', async (t) => {
  const { rig, fxs, log, t0 } = await started();
  const edges: string[] = [];
  rig.gpio.onOutput = (line, level) => {
    if (line === PINS.fxs1.ring) edges.push(`${level}@${rig.clock.now() - t0}`);
  };
  await fxs.ring({ cadence: { pattern: [1000, 4000] }, callerId: { number: '13912345678', name: '李四' } });
  t.equal(fxs.state, 'ringing');
  t.equal(rig.gpio.level(PINS.fxs1.led), 1);
  await rig.clock.run(10_500);
  t.same(edges, ['1@0', '0@1000', '1@5000', '0@6000', '1@10000'], 'ring generator 1 s on, 4 s off');
  const messages: CallerIdMessage[] = [];
  const rx = new CallerIdReceiver({ onMessage: (m) => messages.push(m) });
  rx.process(rig.takePlayed(2));
  rx.flush();
  t.equal(messages.length, 1, 'one caller ID message played');
  t.match(messages[0], { number: '13912345678', name: '李四', checksumOk: true, standard: 'bell202' });
  t.ok(
    (messages[0]?.startMs ?? 0) >= 1600 && (messages[0]?.startMs ?? 0) < 2000,
    `caller ID in the first pause (at ${messages[0]?.startMs} ms)`,
  );

  rig.gpio.drive(PINS.fxs1.hook, 1);
  await rig.clock.run(100);
  t.same(log, ['offHook@10520'], 'lifted after the 20 ms debounce');
  t.equal(rig.gpio.level(PINS.fxs1.ring), 0, 'ringing stopped at once');
  t.equal(fxs.state, 'active');
  await rig.clock.run(6000);
  t.same(edges.length, 6, 'no more rings');
  await rig.driver.stop();
});

t.test('hook flash, contact bounce, hanging up', async (t) => {
  const { rig, fxs, log } = await started();
  // Lifting with contact bounce: one off-hook.
  for (let i = 0; i < 5; i++) {
    rig.gpio.drive(PINS.fxs2.hook, 0);
    rig.gpio.drive(PINS.fxs1.hook, i % 2 === 0 ? 1 : 0);
    await rig.clock.run(3);
  }
  rig.gpio.drive(PINS.fxs1.hook, 1);
  await rig.clock.run(200);
  t.same(log, ['offHook@32'], 'one off-hook from the bounces');
  t.equal(fxs.state, 'active', 'an idle phone lifted is active (the engine plays dial tone)');

  const brk = async (ms: number) => {
    rig.gpio.drive(PINS.fxs1.hook, 0);
    await rig.clock.run(ms);
    rig.gpio.drive(PINS.fxs1.hook, 1);
    await rig.clock.run(2000);
  };
  await brk(500);
  t.same(log.slice(1), ['flash@735'], 'a 500 ms break is a flash');
  await brk(60);
  t.same(log.slice(2), [], 'a 60 ms break is neither (under the 100 ms flash minimum)');
  await brk(1200);
  t.same(log.slice(2), ['flash@5995'], 'a 1200 ms break is still a flash');
  rig.gpio.drive(PINS.fxs1.hook, 0);
  await rig.clock.run(1240);
  t.equal(fxs.state, 'active', 'not hung up before 1250 ms');
  await rig.clock.run(100);
  t.same(log.slice(3), ['onHook@9225'], 'on hook 1250 ms after the break began');
  t.equal(fxs.state, 'idle');
  t.equal(rig.gpio.level(PINS.fxs1.led), 0);
  await rig.driver.stop();
});

t.test('the box hangs up on a phone still off hook: busy tone until it is put down', async (t) => {
  const { rig, fxs, log } = await started();
  rig.gpio.drive(PINS.fxs1.hook, 1);
  await rig.clock.run(100);
  await fxs.hangup();
  rig.takePlayed(2);
  await rig.clock.run(3000);
  const tones: string[] = [];
  const det = new CallProgressDetector({ profile: 'cn', onEvent: (e) => tones.push(e.tone) });
  det.process(rig.takePlayed(2));
  t.ok(tones.includes('busy'), `the phone hears busy tone (${tones.join(',')})`);
  rig.gpio.drive(PINS.fxs1.hook, 0);
  await rig.clock.run(1400);
  t.same(log, ['offHook@20', 'onHook@4350']);
  rig.takePlayed(2);
  await rig.clock.run(500);
  t.notOk(
    rig.takePlayed(2).some((s) => s !== 0),
    'silent once on hook',
  );
  await t.rejects(fxs.dial('123'), /does not dial/);
  rig.gpio.drive(PINS.fxs1.hook, 1);
  await rig.clock.run(100);
  await t.rejects(fxs.ring({ cadence: { pattern: [1000, 4000] } }), /phone busy/, 'an off-hook phone cannot be rung');
  await rig.driver.stop();
});

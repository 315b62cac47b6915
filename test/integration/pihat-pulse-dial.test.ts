// Pulse (rotary) dialling on an idle phone through the whole box on the pihat driver (reference
// wiring, GPIO and audio in memory, virtual time): the agent lifts the rotary phone on fxs1, dials
// "2" with hook breaks on the loop-current GPIO (10 pps, 61/39 ms); after the dial plan's 4 s pause
// the box rings fxs2 for an internal call, as it would for a DTMF "2" (calls/phone-dial.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { VirtualClock } from '../../hal/src/clock.js';
import { SimBench } from '../../hal/src/drivers/pihat/bench-sim.js';
import { exampleHat } from '../../hal/src/drivers/pihat/example-hat.js';
import { defaultConfig } from '../../firmware/src/config/schema.js';
import { Box } from '../../firmware/src/box.js';
import { silentLogger } from '../../firmware/src/log.js';
import { PROMPTS_DIR } from '../helpers/box.js';

const FXS1_HOOK = 12;
const FXS2_RING = 21;

t.test('lift an idle rotary phone on fxs1, pulse-dial "2": after the pause the box rings fxs2 (internal call)', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-pulse-dial-'));
  const config = defaultConfig();
  config.hardware.driver = 'pihat';
  config.hardware.pihat = exampleHat();
  config.lines = [
    { channel: 'fxo1', name: '主线 1', ivr: 'main', answerAfterRings: 2 },
    { channel: 'fxo2', name: '主线 2', ivr: 'main', answerAfterRings: 2 },
  ];
  config.agents = config.agents.slice(0, 2);
  config.queues[0] = { ...(config.queues[0] as (typeof config.queues)[number]), members: ['a1'] };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config));
  const clock = new VirtualClock();
  const bench = new SimBench(clock);
  const box = await Box.open({
    dataDir,
    clock,
    log: silentLogger(),
    version: 'test',
    promptsDir: PROMPTS_DIR,
    adminPassword: 'test-password-1',
    hatIo: { gpio: bench.gpio, audio: bench.audio },
    env: {},
  });
  await box.start();
  t.teardown(async () => {
    bench.dispose();
    await box.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const fxs1 = box.channels().find((c) => c.id === 'fxs1');
  const digits: string[] = [];
  fxs1?.events.on('digit', (d) => digits.push(`${d.digit}/${d.source}`));

  bench.act('liftPhone', 'fxs1'); // off hook 1.5 s from now
  await clock.runUntil(() => fxs1?.state === 'active', 5_000);
  await clock.run(1500);
  // the rotary dial: "2" = two breaks of 61 ms, makes of 39 ms
  for (let k = 0; k < 2; k++) {
    bench.gpio.drive(FXS1_HOOK, 0);
    await clock.run(61);
    bench.gpio.drive(FXS1_HOOK, 1);
    await clock.run(39);
  }
  await clock.run(3000);
  t.same(digits, ['2/pulse'], 'one pulse-dialled digit');
  t.equal(bench.gpio.level(FXS2_RING), 0, 'nothing rings before the 4 s pause');
  await clock.runUntil(() => bench.gpio.level(FXS2_RING) === 1, 5_000);
  t.pass('fxs2 rings');
  const call = box.service.calls.list({ limit: 1 })[0];
  t.match(call, { direction: 'internal', callerId: '1', state: 'connecting' });
  t.same(
    call?.legs.map((l) => [l.channel, l.role]),
    [
      ['fxs1', 'caller'],
      ['fxs2', 'agent'],
    ],
  );
});

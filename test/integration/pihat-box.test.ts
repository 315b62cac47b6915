// The whole box on the pihat driver (hardware.driver "pihat" with the reference wiring), GPIO and
// audio in memory, virtual time: the exchange rings fxo1 with caller ID between the rings, the box
// answers on the 2nd ring, the caller presses 1 (DTMF audio), the queue rings the agent's phone on
// fxs1 (ring-control GPIO), the agent lifts it, they talk, the caller hangs up (polarity reversal),
// the agent's phone hears busy tone and is put down: one call record with the caller's number —
// nothing above hal/ knows the HAT.
import t from 'tap';
import { BENCH_CALLER } from '../../hal/src/drivers/pihat/bench-sim.js';
import { openPihatBenchBox } from './fixtures/pihat-bench-box.js';

t.test('a call from fxo1 through the IVR and the queue to the phone on fxs1', async (t) => {
  const { box, bench, clock } = await openPihatBenchBox(t, { prefix: 'callbox-pihat-', members: ['a1', 'a2'] });
  t.same(
    box.channels().map((c) => `${c.id}:${c.constructor.name}`),
    ['fxo1:FxoPort', 'fxo2:FxoPort', 'fxs1:FxsPort', 'fxs2:FxsPort'],
  );
  t.equal(bench.gpio.level(26), 1, 'bypass relay energised: the box is in the line');
  const call = () => box.service.calls.list({ limit: 1 })[0];

  bench.act('callLine', 'fxo1');
  await clock.runUntil(() => call()?.state === 'ivr', 15_000);
  t.equal(bench.gpio.level(27), 1, 'the box seized the line (hook relay)');
  t.equal(call()?.callerId, BENCH_CALLER.number, 'caller ID decoded between the rings');
  await clock.run(1500);
  bench.act('pressDigits', 'fxo1', '1');
  await clock.runUntil(() => bench.gpio.level(16) === 1, 10_000);
  t.pass('the agent phone on fxs1 rings (ring control)');
  bench.act('liftPhone', 'fxs1');
  await clock.runUntil(() => call()?.state === 'talking', 10_000);
  t.equal(bench.gpio.level(16), 0, 'ringing stopped when lifted');
  await clock.run(5000);
  bench.act('hangUpCaller', 'fxo1');
  await clock.runUntil(() => call()?.state === 'ended', 10_000);
  t.equal(bench.gpio.level(27), 0, 'line released');
  bench.act('hangUpPhone', 'fxs1');
  await clock.run(2000);
  t.match(call(), { callerId: '13800138000', direction: 'inbound', outcome: 'answered', ivrPath: '1', queue: 'main' });
  t.same(
    call()?.legs.map((l) => l.channel),
    ['fxo1', 'fxs1'],
  );
  t.equal(box.channels().find((c) => c.id === 'fxs1')?.state, 'idle');
});

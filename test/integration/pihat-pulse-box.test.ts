// Pulse (rotary) dialling through the whole box on the pihat driver (reference wiring, GPIO and
// audio in memory, virtual time): a caller on fxo1 reaches the agent on fxs1; the agent's rotary
// phone flashes and pulse-dials "2" (hook breaks on the loop-current GPIO, 10 pps 61/39 ms) and the
// box rings the phone on fxs2 for a consultation, exactly as with a DTMF "2" — the digits go where
// DTMF digits go.
import t from 'tap';
import { openPihatBenchBox, rotaryDial } from './fixtures/pihat-bench-box.js';

const FXS1_HOOK = 12;
const FXS2_RING = 21;

t.test('flash, then the rotary dial "2" on fxs1: the box rings fxs2 (consultation)', async (t) => {
  const { box, bench, clock } = await openPihatBenchBox(t, { prefix: 'callbox-pulse-', members: ['a1'] });
  const call = () => box.service.calls.list({ limit: 1 })[0];
  const fxs1 = box.channels().find((c) => c.id === 'fxs1');
  const digits: string[] = [];
  fxs1?.events.on('digit', (d) => digits.push(`${d.digit}/${d.source}`));

  bench.act('callLine', 'fxo1');
  await clock.runUntil(() => call()?.state === 'ivr', 15_000);
  await clock.run(1500);
  bench.act('pressDigits', 'fxo1', '1');
  await clock.runUntil(() => bench.gpio.level(16) === 1, 10_000);
  bench.act('liftPhone', 'fxs1');
  await clock.runUntil(() => call()?.state === 'talking', 10_000);
  await clock.run(3000);

  // Hook flash (500 ms break), then the rotary dial: "2" = two breaks of 61 ms, makes of 39 ms.
  bench.gpio.drive(FXS1_HOOK, 0);
  await clock.run(500);
  bench.gpio.drive(FXS1_HOOK, 1);
  await clock.run(1500);
  t.equal(bench.gpio.level(FXS2_RING), 0, 'nothing rings before the digit');
  await rotaryDial(bench, clock, FXS1_HOOK, 2);
  await clock.runUntil(() => bench.gpio.level(FXS2_RING) === 1, 10_000);
  t.same(digits, ['2/pulse'], 'one pulse-dialled digit');
  t.pass('the box rings fxs2 for the consultation');
  t.equal(call()?.state, 'talking');
});

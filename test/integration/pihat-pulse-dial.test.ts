// Pulse (rotary) dialling on an idle phone through the whole box on the pihat driver (reference
// wiring, GPIO and audio in memory, virtual time): the agent lifts the rotary phone on fxs1, dials
// "2" with hook breaks on the loop-current GPIO (10 pps, 61/39 ms); after the dial plan's 4 s pause
// the box rings fxs2 for an internal call, as it would for a DTMF "2" (calls/phone-dial.ts).
import t from 'tap';
import { openPihatBenchBox, rotaryDial } from './fixtures/pihat-bench-box.js';

const FXS1_HOOK = 12;
const FXS2_RING = 21;

t.test('lift an idle rotary phone on fxs1, pulse-dial "2": after the pause the box rings fxs2 (internal call)', async (t) => {
  const { box, bench, clock } = await openPihatBenchBox(t, { prefix: 'callbox-pulse-dial-', members: ['a1'] });
  const fxs1 = box.channels().find((c) => c.id === 'fxs1');
  const digits: string[] = [];
  fxs1?.events.on('digit', (d) => digits.push(`${d.digit}/${d.source}`));

  bench.act('liftPhone', 'fxs1'); // off hook 1.5 s from now
  await clock.runUntil(() => fxs1?.state === 'active', 5_000);
  await clock.run(1500);
  // the rotary dial: "2" = two breaks of 61 ms, makes of 39 ms
  await rotaryDial(bench, clock, FXS1_HOOK, 2);
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

// The simulated caller's keypad: keys pressed while an earlier key still sounds are pressed after
// it, with the quiet gap between them, so the box hears every key (regression: a second press
// used to replace the first mid-tone and two presses of one key sounded as one long key).
import t, { type Test } from 'tap';
import type { Channel } from '../../../hal/src/channel.js';
import { VirtualClock } from '../../../hal/src/clock.js';
import { SimHat } from '../../../hal/src/drivers/sim/sim-hat.js';

async function answeredLine(t: Test): Promise<{ hat: SimHat; clock: VirtualClock; line: Channel; digits: string[] }> {
  const clock = new VirtualClock(Date.UTC(2026, 10, 27, 2));
  const hat = new SimHat({ fxo: 1, fxs: 0, gsm: 0, clock, agents: { answerAfterS: 1, talkS: 30 }, callerSpeech: null, agentSpeech: null });
  await hat.start();
  t.teardown(() => hat.stop());
  const line = hat.channels()[0] as Channel;
  const digits: string[] = [];
  line.events.on('digit', (d) => digits.push(d.digit));
  line.events.on('ring', () => {
    if (line.state === 'ringing') line.answer().catch(() => {});
  });
  hat.placeInboundCall({ channel: line.id, callerId: '13800000001', hangupAfterS: 60 });
  await clock.runUntil(() => line.state === 'active', 10_000);
  return { hat, clock, line, digits };
}

t.test('the same key pressed twice in a row is heard twice', async (t) => {
  const { hat, clock, line, digits } = await answeredLine(t);
  hat.callerPresses(line.id, '1');
  await clock.run(40); // the first tone is sounding
  hat.callerPresses(line.id, '1');
  await clock.run(1000);
  t.same(digits, ['1', '1']);
});

t.test('keys pressed during earlier keys keep their order', async (t) => {
  const { hat, clock, line, digits } = await answeredLine(t);
  hat.callerPresses(line.id, '12');
  await clock.run(60);
  hat.callerPresses(line.id, '2#');
  await clock.run(2000);
  t.same(digits, ['1', '2', '2', '#']);
});

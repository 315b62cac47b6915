// CallMedia.listen, the hook voicemail records through: every caller frame while not bridged,
// before playback answers it; never while bridged; gone after detach. Playback and the bridge tap
// behave as before.
import t from 'tap';
import { FRAME_SAMPLES } from '../../../hal/src/audio.js';
import { VirtualClock } from '../../../hal/src/clock.js';
import { SimChannel } from '../../../hal/src/drivers/sim/sim-channel.js';
import { CallMedia } from '../../../firmware/src/media/leg-media.js';
import { ClipSource } from '../../../firmware/src/media/clip.js';
import { ScriptedCaller, speech } from './fixtures/helpers.js';

async function line() {
  const clock = new VirtualClock();
  const ch = new SimChannel('fxo1', 'fxo', clock, () => {});
  const party = new ScriptedCaller();
  ch.party = party;
  ch.partyCalls({ pattern: [1000, 4000] }, { number: null }, 100_000);
  await ch.answer();
  const phone = new SimChannel('fxs1', 'fxs', clock, () => {});
  const agent = new ScriptedCaller();
  phone.party = agent;
  await phone.ring({ cadence: { pattern: [1000, 4000] } });
  phone.partyOffHook();
  return { ch, party, phone, agent, media: new CallMedia(ch) };
}

t.test('listen gets each caller frame while not bridged, before playback, and not while bridged', async (t) => {
  const { ch, party, phone, agent, media } = await line();
  const frames = speech(6);
  party.say(frames);
  agent.say(speech(6, 0, 300));
  const got: [string, number][] = [];
  media.listen = (f) => got.push(['listen', f[10] as number]);
  const order: string[] = [];
  media.play(
    {
      read: (out) => {
        order.push(`play after ${got.length}`);
        out.fill(7);
        return true;
      },
    },
    () => {},
  );
  ch.tick();
  ch.tick();
  t.same(
    got.map((g) => g[1]),
    [frames[0]?.[10], frames[1]?.[10]],
    'the caller’s frames',
  );
  t.same(order, ['play after 1', 'play after 2'], 'listen runs before the source is read');
  t.same([...(party.heard[1] ?? [])].slice(0, 3), [7, 7, 7], 'playback still reaches the caller');

  const tapped: number[] = [];
  media.tap = (c) => tapped.push(c[10] as number);
  media.bridge(phone);
  phone.tick();
  ch.tick();
  ch.tick();
  t.equal(got.length, 2, 'not called while bridged');
  t.same(tapped, [frames[2]?.[10], frames[3]?.[10]], 'the tap sees the bridged frames as before');
  phone.tick();
  t.same(agent.heard.at(-1)?.[10], frames[3]?.[10], 'the agent hears the caller');

  media.unbridge();
  ch.tick();
  t.equal(got.length, 3, 'called again once unbridged');
  media.detach();
  t.equal(media.listen, null, 'detach clears it');
  ch.tick();
  t.equal(got.length, 3);
});

t.test('without a listener, playback and onDone are unchanged', async (t) => {
  const { ch, party, media } = await line();
  let done = 0;
  media.play(new ClipSource(new Int16Array(FRAME_SAMPLES + 10).fill(3)), () => done++);
  ch.tick();
  ch.tick();
  t.equal(done, 0);
  ch.tick();
  t.equal(done, 1, 'onDone on the first frame after the clip');
  t.same([...(party.heard[2] ?? [])].slice(8, 12), [3, 3, 0, 0], 'the last frame padded with silence');
  t.equal(media.listen, null);
});

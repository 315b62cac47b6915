// The conference mixer on its own: N-1 mixing (each leg hears the others' tones, never its own),
// listen and whisper modes, and clipping protection (three full-scale talkers are limited, never
// hard-clipped).
import t from 'tap';
import { FRAME_SAMPLES } from '../../../hal/src/audio.js';
import type { Channel, FrameSink } from '../../../hal/src/channel.js';
import { ConferenceMix, LIMIT } from '../../../firmware/src/media/conference-mix.js';
import { Collector, Sine, toneDbm0 } from '../../helpers/tone-meter.js';

class Leg {
  sink: FrameSink | null = null;
  readonly heard = new Collector();
  readonly ch: Channel;
  constructor(id: string) {
    this.ch = {
      id,
      kind: 'fxs',
      state: 'active',
      write: (f: Int16Array) => this.heard.add(f),
      setFrameSink: (s: FrameSink | null) => {
        this.sink = s;
      },
    } as unknown as Channel;
  }
}

/** Runs `ticks` 20 ms ticks: every leg with a tone sends a frame, then the caller's frame clocks the mix. */
function run(
  mix: ConferenceMix,
  caller: { tone: Sine | null },
  legs: { leg: Leg; tone: Sine | null }[],
  ticks: number,
  record?: Collector,
) {
  const f = new Int16Array(FRAME_SAMPLES);
  for (let i = 0; i < ticks; i++) {
    for (const l of legs) {
      if (l.tone) l.tone.next(f);
      else f.fill(0);
      l.leg.sink?.(f);
    }
    if (caller.tone) caller.tone.next(f);
    else f.fill(0);
    const others = mix.fromCaller(f);
    record?.add(others);
  }
}

const HEARD = -20; // a -10 dBm0 tone arrives at about -10
const NOT_HEARD = -50;

t.test('three-way: each party hears the other two and not itself', (t) => {
  const caller = new Leg('fxo1');
  const agent = new Leg('fxs1');
  const third = new Leg('fxs2');
  const mix = new ConferenceMix(caller.ch);
  mix.add(agent.ch, 'talk', true);
  mix.add(third.ch, 'talk', true);
  const amp = 22793 * 10 ** (-10 / 20);
  const rec = new Collector();
  run(
    mix,
    { tone: new Sine(440, amp) },
    [
      { leg: agent, tone: new Sine(1000, amp) },
      { leg: third, tone: new Sine(1700, amp) },
    ],
    100,
    rec,
  );
  const levels = (l: Leg) => {
    const s = l.heard.samples();
    return { f440: toneDbm0(s, 440), f1000: toneDbm0(s, 1000), f1700: toneDbm0(s, 1700) };
  };
  const c = levels(caller);
  t.ok(c.f1000 > HEARD && c.f1700 > HEARD, `caller hears agent and third party ${JSON.stringify(c)}`);
  t.ok(c.f440 < NOT_HEARD, 'caller does not hear itself');
  const a = levels(agent);
  t.ok(a.f440 > HEARD && a.f1700 > HEARD && a.f1000 < NOT_HEARD, `agent hears the other two, not itself ${JSON.stringify(a)}`);
  const x = levels(third);
  t.ok(x.f440 > HEARD && x.f1000 > HEARD && x.f1700 < NOT_HEARD, `third hears the other two, not itself ${JSON.stringify(x)}`);
  const r = rec.samples();
  t.ok(
    toneDbm0(r, 1000) > HEARD && toneDbm0(r, 1700) > HEARD && toneDbm0(r, 440) < NOT_HEARD,
    'the recording keeps everyone but the caller on its second channel',
  );
  t.end();
});

t.test('listen and whisper', (t) => {
  const caller = new Leg('fxo1');
  const agent = new Leg('fxs1');
  const sup = new Leg('fxs3');
  const mix = new ConferenceMix(caller.ch);
  mix.add(agent.ch, 'talk', true);
  mix.add(sup.ch, 'listen', false);
  const amp = 7000;
  const tones = () => [
    { leg: agent, tone: new Sine(1000, amp) },
    { leg: sup, tone: new Sine(1700, amp) },
  ];
  const rec = new Collector();
  run(mix, { tone: new Sine(440, amp) }, tones(), 50, rec);
  t.ok(toneDbm0(sup.heard.samples(), 440) > HEARD && toneDbm0(sup.heard.samples(), 1000) > HEARD, 'listen: the supervisor hears both');
  t.ok(toneDbm0(caller.heard.samples(), 1700) < NOT_HEARD, 'listen: the caller does not hear the supervisor');
  t.ok(toneDbm0(agent.heard.samples(), 1700) < NOT_HEARD, 'listen: the agent does not hear the supervisor');
  t.ok(toneDbm0(rec.samples(), 1700) < NOT_HEARD, 'listen: not recorded');

  for (const l of [caller, agent, sup]) l.heard.clear();
  rec.clear();
  mix.setMode(sup.ch, 'whisper');
  t.equal(mix.modeOf(sup.ch), 'whisper');
  run(mix, { tone: new Sine(440, amp) }, tones(), 50, rec);
  t.ok(toneDbm0(agent.heard.samples(), 1700) > HEARD, 'whisper: the agent hears the supervisor');
  t.ok(toneDbm0(agent.heard.samples(), 440) > HEARD, 'whisper: the agent still hears the caller');
  t.ok(toneDbm0(caller.heard.samples(), 1700) < NOT_HEARD, 'whisper: the caller does not hear the supervisor');
  t.ok(toneDbm0(sup.heard.samples(), 1700) < NOT_HEARD, 'whisper: the supervisor does not hear itself');
  t.ok(toneDbm0(rec.samples(), 1700) < NOT_HEARD, 'whisper: not recorded');

  for (const l of [caller, agent, sup]) l.heard.clear();
  rec.clear();
  mix.setMode(sup.ch, 'talk');
  run(mix, { tone: new Sine(440, amp) }, tones(), 50, rec);
  t.ok(toneDbm0(caller.heard.samples(), 1700) > HEARD, 'barge: the caller hears the supervisor');
  t.ok(toneDbm0(rec.samples(), 1700) > HEARD, 'barge: recorded');

  mix.remove(sup.ch);
  t.equal(sup.sink, null, 'a removed leg sends nowhere');
  t.equal(mix.size, 1);
  t.end();
});

t.test('clipping protection: full-scale talkers are limited, not clipped', (t) => {
  const caller = new Leg('fxo1');
  const legs = [new Leg('a'), new Leg('b'), new Leg('c'), new Leg('d')];
  const mix = new ConferenceMix(caller.ch);
  for (const l of legs) mix.add(l.ch, 'talk', true);
  // the same phase everywhere: the worst case, the sum is 4x full scale
  run(
    mix,
    { tone: new Sine(500, 30000) },
    legs.map((leg) => ({ leg, tone: new Sine(500, 30000) })),
    50,
  );
  const s = caller.heard.samples();
  let peak = 0;
  let atRail = 0;
  for (const v of s) {
    peak = Math.max(peak, Math.abs(v));
    if (v >= 32767 || v <= -32768) atRail++;
  }
  t.ok(peak <= LIMIT, `peak ${peak} within the limit`);
  t.equal(atRail, 0, 'no sample at the rails');
  t.ok(toneDbm0(s, 500) > 0, 'still loud');
  // quiet again: the gain comes back up
  for (const l of legs) l.heard.clear();
  run(
    mix,
    { tone: null },
    legs.map((leg, i) => ({ leg, tone: i === 0 ? new Sine(700, 3000) : null })),
    150,
  );
  const back = legs[1]!.heard.samples().subarray(-8000);
  t.ok(
    Math.abs(
      toneDbm0(back, 700) -
        toneDbm0(new Int16Array(Array.from({ length: 8000 }, (_, i) => Math.round(3000 * Math.sin((2 * Math.PI * 700 * i) / 8000)))), 700),
    ) < 1,
    'gain recovered',
  );
  t.end();
});

t.test('listeners hear the talking legs, caller included', (t) => {
  const caller = new Leg('fxo1');
  const agent = new Leg('fxs1');
  const mix = new ConferenceMix(caller.ch);
  mix.add(agent.ch, 'talk', true);
  const heard = new Collector();
  const off = mix.listen((f) => heard.add(f));
  t.equal(mix.listening, 1);
  run(mix, { tone: new Sine(440, 7000) }, [{ leg: agent, tone: new Sine(1000, 7000) }], 50);
  const s = heard.samples();
  t.ok(toneDbm0(s, 440) > HEARD && toneDbm0(s, 1000) > HEARD);
  off();
  t.equal(mix.listening, 0);
  mix.detach();
  t.equal(agent.sink, null);
  t.end();
});

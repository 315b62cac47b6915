// What a queued caller hears: hold music, then position and estimated-wait announcements.
import t from 'tap';
import { FRAME_SAMPLES, type FrameSource } from '../../../hal/src/audio.js';
import { VirtualClock } from '../../../hal/src/clock.js';
import { Acd } from '../../../firmware/src/acd/acd.js';
import type { QueueDef } from '../../../firmware/src/acd/types.js';
import { WaitingRoom } from '../../../firmware/src/calls/waiting.js';
import type { CallMedia } from '../../../firmware/src/media/leg-media.js';
import { announcementPrompts, estimateWaitS, numberPrompts, QueueAudio } from '../../../firmware/src/media/queue-audio.js';
import { LoopSource } from '../../../firmware/src/media/sequence.js';

t.test('numbers and announcement texts', (t) => {
  t.same(numberPrompts(3), ['num-3']);
  t.same(numberPrompts(20), ['num-20']);
  t.same(numberPrompts(23), ['num-20', 'num-3']);
  t.same(numberPrompts(40), ['num-40']);
  t.same(numberPrompts(500), ['num-60', 'num-9'], 'capped at what the prompt set can say');
  t.same(announcementPrompts(2, 3.4), [
    'queue-position-before',
    'num-2',
    'queue-position-after',
    'queue-wait-before',
    'num-3',
    'queue-wait-after',
  ]);
  t.same(announcementPrompts(1, 0.2).slice(-2), ['num-1', 'queue-wait-after'], 'under a minute still says one minute');
  t.equal(estimateWaitS(3, 120, 2), 180);
  t.equal(estimateWaitS(3, 120, 0), Number.POSITIVE_INFINITY);
  t.end();
});

t.test('queue audio: an announcement interrupts the music, which then resumes where it was', (t) => {
  const music = new Int16Array(1000).map((_, i) => i + 1);
  const qa = new QueueAudio(new LoopSource(music));
  const out = new Int16Array(FRAME_SAMPLES);
  qa.read(out);
  t.equal(out[0], 1);
  qa.announce([new Int16Array(FRAME_SAMPLES).fill(-7)]);
  qa.read(out);
  t.equal(out[0], -7, 'announcement');
  qa.read(out);
  t.equal(out[0], 161, 'music resumes at the next sample');
  t.end();
});

t.test('the waiting room announces position and EWT periodically, and stops when the caller leaves', (t) => {
  const clock = new VirtualClock(0);
  const queue: QueueDef = {
    id: 'q',
    name: 'Q',
    strategy: 'linear',
    members: ['a1', 'a2'],
    ringTimeoutS: 60,
    maxWaitS: 3600,
    wrapUpS: 0,
    announceEveryS: 30,
  };
  const acd = new Acd({
    clock,
    queues: [queue],
    agents: [
      { id: 'a1', name: 'A1', extension: 'fxs1' },
      { id: 'a2', name: 'A2', extension: 'fxs2' },
    ],
    port: { offer: () => true, withdraw: () => {}, expire: () => {}, record: () => {} },
  });
  acd.start();
  acd.seedHandleTimes(new Map([['q', [240_000, 120_000]]])); // AHT 180 s
  // both agents busy with earlier calls
  for (const c of ['x1', 'x2']) acd.enqueue(c, 'q');
  acd.answered('x1', 'a1');
  acd.answered('x2', 'a2');
  const asked: string[] = [];
  let playing: FrameSource | null = null;
  const media = { play: (src: FrameSource) => (playing = src) } as unknown as CallMedia;
  const room = new WaitingRoom({
    clock,
    acd,
    holdMusic: () => new LoopSource(new Int16Array(800).fill(5)),
    ringback: () => new LoopSource(new Int16Array(800).fill(9)),
    prompt: (name) => {
      asked.push(name);
      return new Int16Array(160);
    },
  });
  acd.enqueue('c1', 'q');
  acd.enqueue('c2', 'q');
  room.enter('c2', media, queue, 'zh-CN');
  const out = new Int16Array(FRAME_SAMPLES);
  (playing as FrameSource | null)?.read(out);
  t.equal(out[0], 5, 'hold music');
  clock.advance(2000);
  t.same(
    asked.splice(0),
    ['queue-position-before', 'num-2', 'queue-position-after', 'queue-wait-before', 'num-3', 'queue-wait-after'],
    'second in line, 2 x 180 s / 2 agents = 3 min',
  );
  acd.leave('c1');
  clock.advance(30_000);
  t.same(asked.splice(0).slice(0, 3), ['queue-position-before', 'num-1', 'queue-position-after'], 'moved up');
  room.leave('c2');
  clock.advance(120_000);
  t.same(asked, [], 'no more announcements after leaving');
  t.end();
});

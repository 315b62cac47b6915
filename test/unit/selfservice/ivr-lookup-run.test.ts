// The IVR's number collection and lookup node in virtual time: exact timeouts, barge-in, terminator
// choices, retries, the answer's options (repeat, agent, hang up), give-up paths.
import t from 'tap';
import type { FrameSource } from '../../../hal/src/audio.js';
import { FRAME_SAMPLES } from '../../../hal/src/audio.js';
import { VirtualClock } from '../../../hal/src/clock.js';
import { type CollectResult, DigitCollector, resolveCollect } from '../../../firmware/src/ivr/digit-collector.js';
import { type LookupAction, type LookupAnswer, type LookupEnd, LookupRun } from '../../../firmware/src/ivr/lookup-run.js';

/** Plays sources at 20 ms a frame; every prompt is 1 s; records the prompt names asked for. */
function player(clock: VirtualClock) {
  const asked: string[] = [];
  let playing: { src: FrameSource; done: () => void } | null = null;
  const frame = new Int16Array(FRAME_SAMPLES);
  clock.setInterval(() => {
    if (playing && !playing.src.read(frame)) {
      const p = playing;
      playing = null;
      p.done();
    }
  }, 20);
  return {
    asked,
    play: (src: FrameSource, done: () => void) => {
      playing = { src, done };
    },
    stopPlayback: () => {
      playing = null;
    },
    prompt: (name: string) => {
      asked.push(name);
      return new Int16Array(8000);
    },
    get playing() {
      return playing !== null;
    },
  };
}

t.test('collector: the first-digit timeout runs from the end of the prompt', async (t) => {
  const clock = new VirtualClock(0);
  const p = player(clock);
  let result: CollectResult | null = null;
  const c = new DigitCollector(
    resolveCollect({ minDigits: 2, maxDigits: 4, firstDigitTimeoutS: 5 }, { minDigits: 1, maxDigits: 1, prompt: 'x' }),
    clock,
    {
      play: p.play,
      stopPlayback: p.stopPlayback,
      result: (r) => {
        result = r;
      },
    },
  );
  c.start([p.prompt('enter')]);
  await clock.run(5900);
  t.equal(result, null, 'the 1 s prompt + 4.9 s: still waiting');
  await clock.run(200);
  t.same(result, { ok: false, why: 'timeout', digits: '' });
});

t.test('collector: barge-in, inter-digit timeout, max, terminator choices', async (t) => {
  const clock = new VirtualClock(0);
  const run = (spec: Parameters<typeof resolveCollect>[0], keys: string, waitMs = 0) => {
    const p = player(clock);
    let result: CollectResult | null = null;
    const c = new DigitCollector(resolveCollect(spec, { minDigits: 1, maxDigits: 1, prompt: 'x' }), clock, {
      play: p.play,
      stopPlayback: p.stopPlayback,
      result: (r) => {
        result = r;
      },
    });
    c.start([p.prompt('enter')]);
    for (const k of keys) c.digit(k);
    return {
      p,
      get result() {
        return result;
      },
      wait: () => clock.run(waitMs),
    };
  };
  const barge = run({ minDigits: 2, maxDigits: 4 }, '1');
  t.notOk(barge.p.playing, 'a key stops the prompt');
  const inter = run({ minDigits: 2, maxDigits: 6, interDigitTimeoutS: 3 }, '123');
  await clock.run(2900);
  t.equal(inter.result, null);
  await clock.run(200);
  t.same(inter.result, { ok: true, digits: '123', end: 'interDigitTimeout' });
  t.same(run({ minDigits: 2, maxDigits: 3 }, '1234').result, { ok: true, digits: '123', end: 'max' }, 'max ends it; later keys ignored');
  t.same(run({ minDigits: 2, maxDigits: 8, terminator: '*' }, '12*').result, { ok: true, digits: '12', end: 'terminator' });
  t.same(
    run({ minDigits: 2, maxDigits: 8, terminator: '*' }, '12#').result,
    { ok: false, why: 'invalid', digits: '12' },
    '# is a wrong key when * ends',
  );
  t.same(run({ minDigits: 2, maxDigits: 8, terminator: 'none' }, '12#').result, { ok: false, why: 'invalid', digits: '12' });
  t.same(run({ minDigits: 3, maxDigits: 8 }, '12#').result, { ok: false, why: 'invalid', digits: '12' }, 'too few before #');
});

function lookupHarness(action: LookupAction, answers: LookupAnswer[]) {
  const clock = new VirtualClock(0);
  const p = player(clock);
  const collects: CollectResult[] = [];
  const outcomes: string[] = [];
  const keys: string[] = [];
  const asked: string[] = [];
  let end: { end: LookupEnd; reason: string } | null = null;
  const run = new LookupRun(action, clock, {
    play: p.play,
    stopPlayback: p.stopPlayback,
    prompt: p.prompt,
    answer: (kind, digits) => {
      asked.push(`${kind}:${digits}`);
      return answers.shift() ?? { outcome: 'none', clips: [], next: 'fail' };
    },
    onCollect: (r) => collects.push(r),
    onLookup: (o) => outcomes.push(o),
    onKey: (d) => keys.push(d),
    done: (e, reason) => {
      end = { end: e, reason };
    },
  });
  return {
    clock,
    p,
    run,
    collects,
    outcomes,
    keys,
    asked,
    get end() {
      return end;
    },
  };
}

const found: LookupAnswer = { outcome: 'found:shipped', clips: [new Int16Array(8000)], next: 'options' };
const notFound: LookupAnswer = { outcome: 'notFound', clips: [new Int16Array(4000)], next: 'retry' };
const ORDER: LookupAction = {
  action: 'lookup',
  lookup: 'orderStatus',
  queue: 'main',
  collect: { minDigits: 4, maxDigits: 10, retries: 1 },
};

t.test('lookup: not found is a failed try; then found; 1 repeats, an unknown key re-offers, 0 goes to the queue', async (t) => {
  const h = lookupHarness(ORDER, [notFound, found]);
  h.run.start();
  t.same(h.p.asked, ['enter-order-number']);
  for (const d of '1234#') h.run.digit(d);
  await h.clock.run(100);
  for (const d of '5678#') h.run.digit(d);
  t.same(h.asked, ['orderStatus:1234', 'orderStatus:5678']);
  t.same(h.outcomes, ['notFound', 'found:shipped']);
  await h.clock.run(3000);
  h.run.digit('1');
  h.run.digit('5');
  t.equal(h.p.asked.at(-2), 'invalid');
  h.run.digit('0');
  t.same(h.keys, ['1', '0']);
  t.same(h.end, { end: { action: 'queue', queue: 'main' }, reason: 'selected' });
});

t.test('lookup: 9 says goodbye, then hangs up', async (t) => {
  const h = lookupHarness(ORDER, [found]);
  h.run.start();
  for (const d of '1234#') h.run.digit(d);
  h.run.digit('9');
  t.equal(h.end, null, 'not before the goodbye');
  await h.clock.run(1100);
  t.same(h.end, { end: { action: 'hangup' }, reason: 'selected' });
  t.equal(h.p.asked.at(-1), 'goodbye');
});

t.test('lookup: tries run out → the queue, or hang up with onFail', async (t) => {
  const h = lookupHarness(ORDER, [notFound, notFound]);
  h.run.start();
  for (const d of '1234#') h.run.digit(d);
  for (const d of '4321#') h.run.digit(d);
  t.equal(h.end, null, 'the not-found prompt plays first');
  await h.clock.run(600);
  t.same(h.end, { end: { action: 'queue', queue: 'main' }, reason: 'invalid' });

  const g = lookupHarness({ ...ORDER, onFail: 'hangup', collect: { minDigits: 4, maxDigits: 10, retries: 0, firstDigitTimeoutS: 2 } }, []);
  g.run.start();
  await g.clock.run(3000 + 1100);
  t.same(g.collects, [{ ok: false, why: 'timeout', digits: '' }]);
  t.same(g.end, { end: { action: 'hangup' }, reason: 'timeout' });
});

t.test('lookup: an unavailable answer gives up at once; where-to-buy needs no digits', async (t) => {
  const h = lookupHarness(ORDER, [{ outcome: 'unavailable', clips: [], next: 'fail' }]);
  h.run.start();
  for (const d of '1234#') h.run.digit(d);
  t.same(h.end, { end: { action: 'queue', queue: 'main' }, reason: 'invalid' });

  const w = lookupHarness({ action: 'lookup', lookup: 'whereToBuy', queue: 'main' }, [
    { outcome: 'message', clips: [new Int16Array(800)], next: 'options' },
  ]);
  w.run.start();
  t.same(w.asked, ['whereToBuy:']);
  t.equal(w.run.node, 'lookup:whereToBuy');
  // no key: the options are offered 3 times, then the box hangs up
  await w.clock.run(3 * (1000 + 6000) + 1000);
  t.same(w.end, { end: { action: 'hangup' }, reason: 'timeout' });
  t.equal(w.p.asked.filter((n) => n === 'lookup-options').length, 3);
});

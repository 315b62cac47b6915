// Wrap-up and the hold for a required call result (acd/wrap-up-hold.ts), on the ACD alone in
// virtual time: a queue with dispositionRequired keeps its agent in wrap-up past wrapUpS until the
// result is set, at most DISPOSITION_HOLD_MAX_S more (then onTimeout); a handset lifted in wrap-up
// keeps wrap-up, and wrap-up ending with the handset off hook makes the agent busy, not available.
import t from 'tap';
import { VirtualClock } from '../../../hal/src/clock.js';
import { Acd } from '../../../firmware/src/acd/acd.js';
import type { AcdPort, QueueDef } from '../../../firmware/src/acd/types.js';
import { DISPOSITION_HOLD_MAX_S } from '../../../firmware/src/acd/wrap-up-hold.js';

function setup(required: boolean) {
  const clock = new VirtualClock(0);
  const offers: string[] = [];
  const port: AcdPort = {
    offer: (callId, agent) => {
      offers.push(`${callId} ${agent.id}`);
      return true;
    },
    withdraw: () => {},
    expire: () => {},
    record: () => {},
  };
  const queue: QueueDef = { id: 'q', name: 'Q', strategy: 'linear', members: ['a1'], ringTimeoutS: 10, maxWaitS: 600, wrapUpS: 5 };
  if (required) queue.dispositionRequired = true;
  const acd = new Acd({ queues: [queue], agents: [{ id: 'a1', name: 'A1', extension: 'fxs1' }], clock, port });
  acd.start();
  const timeouts: string[] = [];
  acd.wrapUps.onTimeout = (a) => timeouts.push(a);
  const state = () => acd.agentsView()[0]?.state;
  const talk = (callId: string) => {
    acd.enqueue(callId, 'q');
    acd.answered(callId, 'a1');
    clock.advance(30_000);
    acd.completed(callId, 'agent');
    acd.phoneIdle('a1');
  };
  return { clock, acd, offers, timeouts, state, talk };
}

t.test('not required: wrap-up ends after wrapUpS', (t) => {
  const { clock, state, talk } = setup(false);
  talk('c1');
  t.equal(state(), 'wrapUp');
  clock.advance(5000);
  t.equal(state(), 'available');
  t.end();
});

t.test('required: held until the result is set, then the next caller is offered at once', (t) => {
  const { clock, acd, offers, state, talk, timeouts } = setup(true);
  talk('c1');
  acd.enqueue('c2', 'q');
  clock.advance(60_000);
  t.equal(state(), 'wrapUp', 'held past wrapUpS');
  t.same(offers, ['c1 a1'], 'no call offered while held');
  acd.wrapUps.settle('a1');
  t.equal(state(), 'ringing', 'set: available and offered the waiting caller');
  t.same(offers, ['c1 a1', 'c2 a1']);
  t.same(timeouts, []);
  t.end();
});

t.test('required, set during the call: plain wrap-up', (t) => {
  const { clock, acd, state } = setup(true);
  acd.enqueue('c1', 'q');
  acd.answered('c1', 'a1');
  acd.wrapUps.settle('a1');
  acd.completed('c1', 'agent');
  acd.phoneIdle('a1');
  clock.advance(5000);
  t.equal(state(), 'available');
  t.end();
});

t.test('required, never set: onTimeout after the hold limit, then available', (t) => {
  const { clock, state, talk, timeouts } = setup(true);
  talk('c1');
  clock.advance(5000 + DISPOSITION_HOLD_MAX_S * 1000 - 1);
  t.equal(state(), 'wrapUp');
  clock.advance(1);
  t.same(timeouts, ['a1']);
  t.equal(state(), 'available');
  t.end();
});

t.test('a handset lifted in wrap-up keeps wrap-up; wrap-up ending off hook is busy, not available', (t) => {
  const { clock, acd, state, talk } = setup(false);
  talk('c1');
  acd.phoneBusy('a1');
  t.equal(state(), 'wrapUp');
  clock.advance(5000);
  t.match(acd.agentsView()[0], { state: 'onCall', reason: 'offHook' });
  acd.phoneIdle('a1');
  t.equal(state(), 'available', 'back on hook');
  talk('c2');
  acd.phoneBusy('a1');
  acd.phoneIdle('a1');
  clock.advance(5000);
  t.equal(state(), 'available', 'lifted and put down within wrap-up: wrap-up ends as usual');
  t.end();
});

// The ACD on its own, in virtual time, with a recording port in place of the call engine.
import t from 'tap';
import { VirtualClock } from '../../../hal/src/clock.js';
import { Acd } from '../../../firmware/src/acd/acd.js';
import type { AcdPort, AgentDef, QueueDef } from '../../../firmware/src/acd/types.js';

const agents: AgentDef[] = [1, 2, 3].map((n) => ({ id: `a${n}`, name: `Agent ${n}`, extension: `fxs${n}` }));

function setup(strategy: QueueDef['strategy'], over: Partial<QueueDef> = {}) {
  const clock = new VirtualClock(0);
  const log: string[] = [];
  const refuse = new Set<string>();
  const port: AcdPort = {
    offer: (callId, agent) => {
      if (refuse.has(agent.id)) return false;
      log.push(`offer ${callId} ${agent.id}`);
      return true;
    },
    withdraw: (callId, agent) => {
      log.push(`withdraw ${callId} ${agent.id}`);
    },
    expire: (callId) => {
      log.push(`expire ${callId}`);
    },
  };
  const queue: QueueDef = {
    id: 'q',
    name: 'Q',
    strategy,
    members: ['a1', 'a2', 'a3'],
    ringTimeoutS: 10,
    maxWaitS: 120,
    wrapUpS: 5,
    ...over,
  };
  const acd = new Acd({ queues: [queue], agents, clock, port });
  return { clock, acd, log, refuse };
}

t.test('longest idle: the agent idle longest is offered first; ring timeout moves on', (t) => {
  const { clock, acd, log } = setup('longestIdle');
  // make a2 the longest idle: a1 and a3 take and finish calls first
  acd.enqueue('x', 'q');
  acd.answered('x', 'a1');
  clock.advance(1000);
  acd.phoneIdle('a1', 0);
  t.same(log.splice(0), ['offer x a1']);
  acd.enqueue('c1', 'q');
  t.same(log.splice(0), ['offer c1 a2'], 'a2 has been idle since the start, longer than a1');
  clock.advance(10_000);
  t.same(log.splice(0), ['withdraw c1 a2', 'offer c1 a3'], 'no answer in ringTimeoutS: next agent');
  acd.answered('c1', 'a3');
  t.equal(acd.agentsView().find((a) => a.id === 'a3')?.status, 'busy');
  t.end();
});

t.test('round robin remembers where it left off', (t) => {
  const { acd, log } = setup('roundRobin');
  for (const id of ['c1', 'c2', 'c3', 'c4']) {
    acd.enqueue(id, 'q');
    const offered = (log.at(-1) ?? '').split(' ')[2] as string;
    acd.answered(id, offered);
    acd.phoneIdle(offered, 0);
  }
  t.same(
    log.map((l) => l.split(' ')[2]),
    ['a1', 'a2', 'a3', 'a1'],
  );
  t.end();
});

t.test('ring all: every idle member rings; the first to answer wins, the rest are withdrawn', (t) => {
  const { acd, log } = setup('ringAll');
  acd.enqueue('c1', 'q');
  t.same(log.splice(0), ['offer c1 a1', 'offer c1 a2', 'offer c1 a3']);
  acd.answered('c1', 'a2');
  t.same(log.splice(0).sort(), ['withdraw c1 a1', 'withdraw c1 a3']);
  t.same(
    acd.agentsView().map((a) => a.status),
    ['idle', 'busy', 'idle'],
  );
  t.end();
});

t.test('wrap-up holds the agent back, then the waiting call is offered', (t) => {
  const { clock, acd, log } = setup('longestIdle', { members: ['a1'] });
  acd.enqueue('c1', 'q');
  acd.answered('c1', 'a1');
  acd.enqueue('c2', 'q');
  t.same(log.splice(0), ['offer c1 a1'], 'a1 is busy: c2 waits');
  acd.phoneIdle('a1', 5);
  t.equal(acd.agentsView()[0]?.status, 'wrapUp');
  clock.advance(4999);
  t.same(log, [], 'still wrapping up');
  clock.advance(1);
  t.same(log.splice(0), ['offer c2 a1']);
  t.end();
});

t.test('callers wait in arrival order and give up after maxWaitS', (t) => {
  const { clock, acd, log } = setup('longestIdle', { members: ['a1'], maxWaitS: 30 });
  acd.enqueue('c1', 'q');
  acd.answered('c1', 'a1');
  acd.enqueue('c2', 'q');
  clock.advance(1000);
  acd.enqueue('c3', 'q');
  t.same(
    acd.queuesView().map((q) => [q.waiting, q.oldestEnqueuedAt]),
    [[2, 0]],
  );
  clock.advance(29_000);
  t.same(log.splice(1), ['expire c2'], 'c2 waited 30 s');
  acd.phoneIdle('a1', 0);
  t.same(log.splice(1), ['offer c3 a1'], 'c3 is next');
  t.end();
});

t.test('a caller who hangs up leaves the queue and the ringing agent is withdrawn', (t) => {
  const { acd, log } = setup('longestIdle');
  acd.enqueue('c1', 'q');
  acd.leave('c1');
  t.same(log, ['offer c1 a1', 'withdraw c1 a1']);
  t.equal(acd.queuesView()[0]?.waiting, 0);
  t.equal(acd.agentsView()[0]?.status, 'idle');
  t.end();
});

t.test('an agent whose phone cannot ring is skipped until it is back on hook', (t) => {
  const { acd, log, refuse } = setup('longestIdle');
  refuse.add('a1');
  acd.enqueue('c1', 'q');
  t.same(log, ['offer c1 a2']);
  t.equal(acd.agentsView()[0]?.status, 'busy');
  t.throws(() => acd.enqueue('c2', 'nope'), /unknown queue nope/);
  t.throws(() => acd.enqueue('c1', 'q'), /already queued/);
  t.end();
});

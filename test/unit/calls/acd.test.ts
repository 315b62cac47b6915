// The ACD on its own, in virtual time, with a recording port in place of the call engine.
import t from 'tap';
import { VirtualClock } from '../../../hal/src/clock.js';
import { Acd } from '../../../firmware/src/acd/acd.js';
import type { AcdPort, AgentDef, QueueDef } from '../../../firmware/src/acd/types.js';

const AGENTS: AgentDef[] = [
  { id: 'a1', name: 'Agent 1', extension: 'fxs1', skills: { zh: 5 } },
  { id: 'a2', name: 'Agent 2', extension: 'fxs2', skills: { zh: 9, returns: 3 } },
  { id: 'a3', name: 'Agent 3', extension: 'fxs3', skills: { en: 7 } },
];

function setup(strategy: QueueDef['strategy'], over: Partial<QueueDef> = {}, extraQueues: QueueDef[] = [], agents = AGENTS) {
  const clock = new VirtualClock(0);
  const log: string[] = [];
  const events: { type: string; callId: string | null; data: Record<string, unknown> }[] = [];
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
    record: (type, callId, data) => {
      events.push({ type, callId, data: data as unknown as Record<string, unknown> });
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
  const acd = new Acd({ queues: [queue, ...extraQueues], agents, clock, port, pauseReasons: [{ code: '1', name: 'lunch', maxS: 1800 }] });
  acd.start();
  const states = () => acd.agentsView().map((a) => a.state);
  /** Offer, answer and finish one call; the agent is available again right after (wrap-up 0 helpers). */
  const serve = (callId: string, talkMs: number) => {
    acd.enqueue(callId, 'q');
    const agent = (log.at(-1) ?? '').split(' ')[2] as string;
    acd.answered(callId, agent);
    clock.advance(talkMs);
    acd.completed(callId, 'caller');
    acd.phoneIdle(agent);
    return agent;
  };
  return { clock, acd, log, events, refuse, states, serve };
}

t.test('agents log in at start, each change an agent.state event', (t) => {
  const { states, events } = setup('longestIdle');
  t.same(states(), ['available', 'available', 'available']);
  t.same(
    events.map((e) => [e.type, e.data.agent, e.data.prev, e.data.state]),
    ['a1', 'a2', 'a3'].map((a) => ['agent.state', a, 'loggedOut', 'available']),
  );
  t.end();
});

t.test('longest idle: the agent idle longest is offered first; ring timeout moves on and is logged', (t) => {
  const { clock, acd, log, events } = setup('longestIdle', { wrapUpS: 0 });
  acd.enqueue('x', 'q');
  acd.answered('x', 'a1');
  clock.advance(1000);
  acd.completed('x', 'agent');
  acd.phoneIdle('a1');
  t.same(log.splice(0), ['offer x a1']);
  acd.enqueue('c1', 'q');
  t.same(log.splice(0), ['offer c1 a2'], 'a2 has been idle since the start, longer than a1');
  clock.advance(10_000);
  t.same(log.splice(0), ['withdraw c1 a2', 'offer c1 a3'], 'no answer in ringTimeoutS: next agent');
  const rna = events.find((e) => e.type === 'queue.ringNoAnswer');
  t.same(rna?.data, { queue: 'q', agent: 'a2', ringMs: 10_000, why: 'timeout' });
  acd.answered('c1', 'a3');
  t.equal(acd.agentsView()[2]?.state, 'onCall');
  const connect = events.filter((e) => e.type === 'queue.connect').at(-1);
  t.same(connect?.data, { queue: 'q', agent: 'a3', waitMs: 10_000, ringMs: 0 });
  t.end();
});

t.test('every strategy ranks as documented', (t) => {
  const order = (strategy: QueueDef['strategy'], over: Partial<QueueDef> = {}, prep?: (h: ReturnType<typeof setup>) => void) => {
    const h = setup(strategy, { wrapUpS: 0, ...over });
    prep?.(h);
    h.log.splice(0);
    h.acd.enqueue('probe', 'q');
    return h.log.map((l) => l.split(' ')[2]);
  };
  t.same(order('linear', { members: ['a3', 'a1', 'a2'] }), ['a3'], 'linear: fixed member order');
  t.same(order('ringAll'), ['a1', 'a2', 'a3'], 'ring all: everyone at once');
  t.same(
    order('fewestCalls', {}, (h) => {
      h.serve('c1', 1000); // a1
      h.serve('c2', 1000); // a2
    }),
    ['a3'],
    'fewest calls today',
  );
  t.same(
    order('leastTalkTime', {}, (h) => {
      h.acd.enqueue('c1', 'q');
      h.acd.answered('c1', 'a1');
      h.acd.enqueue('c2', 'q');
      h.acd.answered('c2', 'a2');
      h.acd.enqueue('c3', 'q');
      h.acd.answered('c3', 'a3');
      h.clock.advance(1000);
      h.acd.completed('c2', 'caller');
      h.clock.advance(5000);
      h.acd.completed('c1', 'caller');
      h.acd.completed('c3', 'caller');
      for (const a of ['a1', 'a2', 'a3']) h.acd.phoneIdle(a);
    }),
    ['a2'],
    'least talk time today (a2 talked 1 s, the others 6 s)',
  );
  t.same(order('skillsWeighted', { skills: ['zh'] }), ['a2'], 'skills weighted: highest level of the required skills');
  t.same(order('longestIdle', { skills: ['en'] }), ['a3'], 'required skills filter the members');
  const r1 = order('random');
  const r2 = order('random');
  t.same(r1, r2, 'random is seeded: runs repeat');
  t.end();
});

t.test('round robin remembers where it left off', (t) => {
  const { serve } = setup('roundRobin', { wrapUpS: 0 });
  t.same(
    ['c1', 'c2', 'c3', 'c4'].map((c) => serve(c, 1000)),
    ['a1', 'a2', 'a3', 'a1'],
  );
  t.end();
});

t.test('ring all: the first to answer wins, the rest are withdrawn as takenByOther', (t) => {
  const { acd, log, events, states } = setup('ringAll');
  acd.enqueue('c1', 'q');
  t.same(log.splice(0), ['offer c1 a1', 'offer c1 a2', 'offer c1 a3']);
  acd.answered('c1', 'a2');
  t.same(log.splice(0).sort(), ['withdraw c1 a1', 'withdraw c1 a3']);
  t.same(
    events.filter((e) => e.type === 'queue.ringNoAnswer').map((e) => [e.data.agent, e.data.why]),
    [
      ['a1', 'takenByOther'],
      ['a3', 'takenByOther'],
    ],
  );
  t.same(states(), ['available', 'onCall', 'available']);
  t.end();
});

t.test('wrap-up is honoured across queues: the agent in two queues is not offered the other queue', (t) => {
  const other: QueueDef = { id: 'q2', name: 'Q2', strategy: 'longestIdle', members: ['a1'], ringTimeoutS: 10, maxWaitS: 120, wrapUpS: 0 };
  const { clock, acd, log, states } = setup('longestIdle', { members: ['a1'], wrapUpS: 30 }, [other]);
  acd.enqueue('c1', 'q');
  acd.answered('c1', 'a1');
  acd.completed('c1', 'caller');
  acd.phoneIdle('a1');
  t.same(states()[0], 'wrapUp');
  acd.enqueue('c2', 'q2');
  clock.advance(29_999);
  t.same(log, ['offer c1 a1'], 'not offered q2 during the q wrap-up');
  clock.advance(1);
  t.same(log, ['offer c1 a1', 'offer c2 a1']);
  t.end();
});

t.test('an agent whose phone is off hook is never offered a call', (t) => {
  const { acd, log, refuse, states } = setup('linear');
  acd.phoneBusy('a1');
  t.equal(states()[0], 'onCall');
  refuse.add('a2'); // the engine finds a2's phone off hook at offer time
  acd.enqueue('c1', 'q');
  t.same(log, ['offer c1 a3']);
  t.same(states(), ['onCall', 'onCall', 'ringing']);
  acd.phoneIdle('a1');
  t.equal(states()[0], 'available', 'back on hook: available (no wrap-up owed for an off-hook spell)');
  t.end();
});

t.test('auto-pause after N missed offers in a row, with an event', (t) => {
  const { clock, acd, states, events } = setup('linear', { members: ['a1'], autoPauseAfterMisses: 2, ringTimeoutS: 5, maxWaitS: 600 });
  acd.enqueue('c1', 'q');
  clock.advance(5000);
  t.equal(states()[0], 'ringing', 'missed once: offered again');
  clock.advance(5000);
  t.equal(states()[0], 'paused');
  t.equal(acd.agentsView()[0]?.reason, 'autoPause');
  t.ok(events.some((e) => e.type === 'agent.state' && e.data.state === 'paused' && e.data.reason === 'autoPause'));
  t.end();
});

t.test('pause with a reason and a maximum duration; logout withdraws a ringing offer', (t) => {
  const { clock, acd, states, log } = setup('linear', { members: ['a1', 'a2'] });
  acd.pause('a1', '1');
  t.equal(acd.agentsView()[0]?.reason, 'lunch');
  clock.advance(1_800_000);
  t.equal(states()[0], 'available', 'lunch is over after maxS');
  acd.enqueue('c1', 'q');
  t.same(log.splice(0), ['offer c1 a1']);
  acd.logout('a1');
  t.same(log.splice(0), ['withdraw c1 a1'], 'a logged-out agent stops ringing');
  t.throws(() => acd.pause('a1', null), /logged out/);
  t.end();
});

t.test('priority callers go ahead; callers give up after maxWaitS; overflow to another queue', (t) => {
  const overflow: QueueDef = {
    id: 'backup',
    name: 'Backup',
    strategy: 'linear',
    members: ['a3'],
    ringTimeoutS: 10,
    maxWaitS: 60,
    wrapUpS: 0,
  };
  const { clock, acd, log, events } = setup('linear', { members: ['a1'], maxWaitS: 30, overflowQueue: 'backup' }, [overflow]);
  acd.pause('a3', null);
  acd.enqueue('c1', 'q');
  acd.answered('c1', 'a1');
  acd.enqueue('c2', 'q');
  acd.enqueue('vip', 'q', 5);
  t.equal(acd.positionOf('vip'), 1, 'priority 5 waits ahead of priority 0');
  t.equal(acd.positionOf('c2'), 2);
  clock.advance(30_000);
  const exits = events.filter((e) => e.type === 'queue.exitTimeout').map((e) => e.callId);
  t.same(exits.sort(), ['c2', 'vip']);
  t.same(
    events.filter((e) => e.type === 'queue.enter' && e.data.queue === 'backup').map((e) => e.callId).length,
    2,
    'both overflowed into backup',
  );
  clock.advance(60_000);
  t.same(log.filter((l) => l.startsWith('expire')).sort(), ['expire c2', 'expire vip'], 'nobody in backup either: given up');
  t.end();
});

t.test('no member logged in: the caller overflows or is given up at once; overflow loops are bounded', (t) => {
  const a: QueueDef = {
    id: 'qa',
    name: 'A',
    strategy: 'linear',
    members: ['a1'],
    ringTimeoutS: 10,
    maxWaitS: 60,
    wrapUpS: 0,
    overflowQueue: 'qb',
  };
  const b: QueueDef = {
    id: 'qb',
    name: 'B',
    strategy: 'linear',
    members: ['a1'],
    ringTimeoutS: 10,
    maxWaitS: 60,
    wrapUpS: 0,
    overflowQueue: 'qa',
  };
  const { acd, log } = setup('linear', {}, [a, b], [{ id: 'a1', name: 'A1', extension: 'fxs1', loggedInAtStart: false }]);
  acd.enqueue('c1', 'qa');
  t.same(log, ['expire c1'], 'ping-pong between two empty queues ends');
  t.end();
});

t.test('a caller who hangs up while ringing an agent: ringNoAnswer(callerLeft) then ABANDON with positions', (t) => {
  const { clock, acd, events, states } = setup('linear');
  acd.enqueue('c1', 'q');
  clock.advance(3000);
  acd.leave('c1');
  t.same(
    events
      .filter((e) => e.type.startsWith('queue.'))
      .slice(-2)
      .map((e) => [e.type, e.data]),
    [
      ['queue.ringNoAnswer', { queue: 'q', agent: 'a1', ringMs: 3000, why: 'callerLeft' }],
      ['queue.abandon', { queue: 'q', position: 1, origPosition: 1, waitMs: 3000 }],
    ],
  );
  t.same(states(), ['available', 'available', 'available']);
  t.end();
});

t.test('today counters: seeded from the log and reset at local midnight', (t) => {
  const { acd, clock } = setup('fewestCalls');
  acd.agents.seedCounters(new Map([['a1', { calls: 7, talkMs: 70_000 }]]));
  t.same(acd.agentsView()[0]?.callsToday, 7);
  t.same(acd.agentsView()[0]?.talkTodayS, 70);
  clock.advance(24 * 3_600_000);
  t.same(acd.agentsView()[0]?.callsToday, 0, 'a new day');
  t.end();
});

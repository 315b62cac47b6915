// The ACD's overflow rules (queue, mobile, voicemail in order) and abandoned-call resume, on their
// own in virtual time with a recording port in place of the call engine.
import t from 'tap';
import { VirtualClock } from '../../../hal/src/clock.js';
import { Acd } from '../../../firmware/src/acd/acd.js';
import type { PortOverflowRule } from '../../../firmware/src/acd/overflow.js';
import type { AcdPort, AgentDef, QueueDef } from '../../../firmware/src/acd/types.js';

const AGENTS: AgentDef[] = [
  { id: 'a1', name: 'Agent 1', extension: 'fxs1' },
  { id: 'a2', name: 'Agent 2', extension: 'fxs2' },
];

function q(id: string, over: Partial<QueueDef> = {}): QueueDef {
  return { id, name: id, strategy: 'linear', members: ['a1'], ringTimeoutS: 10, maxWaitS: 60, wrapUpS: 0, ...over };
}

function setup(queues: QueueDef[], opts: { usable?: (rule: PortOverflowRule) => boolean; callers?: Record<string, string> } = {}) {
  const clock = new VirtualClock(0);
  const log: string[] = [];
  const events: { type: string; callId: string | null; data: Record<string, unknown> }[] = [];
  const port: AcdPort = {
    offer: (callId, agent) => {
      log.push(`offer ${callId} ${agent.id}`);
      return true;
    },
    withdraw: () => {},
    expire: (callId, queueId) => {
      log.push(`expire ${callId} ${queueId}`);
    },
    overflow: (callId, queue, rule) => {
      const ok = opts.usable?.(rule) ?? true;
      log.push(`${rule.action} ${callId} ${queue.id} ${ok ? 'ok' : 'unusable'}`);
      return ok;
    },
    record: (type, callId, data) => {
      events.push({ type, callId, data: data as unknown as Record<string, unknown> });
    },
  };
  const acd = new Acd({ queues, agents: AGENTS, clock, port, callerOf: (id) => opts.callers?.[id] ?? null });
  acd.start();
  return { clock, acd, log, events };
}

t.test('rules in order: an unusable mobile passes at once to voicemail', (t) => {
  const { clock, acd, log, events } = setup(
    [q('main', { overflow: [{ action: 'mobile', number: '13700001111' }, { action: 'voicemail' }] })],
    {
      usable: (r) => r.action !== 'mobile',
    },
  );
  acd.pause('a1', null);
  acd.enqueue('c1', 'main');
  clock.advance(60_000);
  t.same(log, ['mobile c1 main unusable', 'voicemail c1 main ok']);
  t.same(
    events.filter((e) => e.type.startsWith('queue.')).map((e) => e.type),
    ['queue.enter', 'queue.exitTimeout'],
  );
  t.end();
});

t.test('a mobile that comes to nothing later goes on with the next rule; after the last, expire', (t) => {
  const { clock, acd, log } = setup([
    q('main', {
      overflow: [
        { action: 'mobile', number: '13700001111' },
        { action: 'queue', queue: 'backup' },
      ],
    }),
    q('backup', { members: ['a2'], maxWaitS: 30 }),
  ]);
  acd.pause('a1', null);
  acd.pause('a2', null);
  acd.enqueue('c1', 'main');
  clock.advance(60_000);
  t.same(log.splice(0), ['mobile c1 main ok']);
  acd.overflowFailed('c1');
  t.equal(acd.positionOf('c1'), 1, 'in the backup queue');
  acd.overflowFailed('c1');
  t.same(log.splice(0), [], 'a second report is ignored');
  clock.advance(30_000);
  t.same(log.splice(0), ['expire c1 backup'], 'backup has no rules: the queue gives up');
  t.end();
});

t.test('overflowDone forgets the caller: a later failure report does nothing', (t) => {
  const { clock, acd, log } = setup([q('main', { overflow: [{ action: 'mobile', number: '13700001111' }] })]);
  acd.pause('a1', null);
  acd.enqueue('c1', 'main');
  clock.advance(60_000);
  acd.overflowDone('c1');
  acd.overflowFailed('c1');
  t.same(log, ['mobile c1 main ok']);
  t.end();
});

t.test('nobody logged in: the rules apply at once', (t) => {
  const { acd, log } = setup([q('main', { overflow: [{ action: 'voicemail', box: 'shop' }] })]);
  acd.logout('a1');
  acd.enqueue('c1', 'main');
  t.same(log, ['voicemail c1 main ok']);
  t.end();
});

t.test('overflowQueue still works when no rules are set (same as before)', (t) => {
  const { clock, acd, log } = setup([q('main', { overflowQueue: 'backup' }), q('backup', { members: ['a2'] })]);
  acd.pause('a1', null);
  acd.enqueue('c1', 'main');
  clock.advance(60_000);
  t.same(log, ['offer c1 a2']);
  t.end();
});

t.test('resume: back within the window, ahead of a newer caller; the window is kept per queue', (t) => {
  const callers = { a1st: '139', b: '136', a2nd: '139', late: '139' };
  const { clock, acd, events } = setup([q('main', { resume: { windowMin: 5 }, maxWaitS: 3600 })], { callers });
  acd.pause('a1', null);
  acd.enqueue('a1st', 'main');
  clock.advance(10_000);
  acd.enqueue('b', 'main');
  clock.advance(10_000);
  acd.leave('a1st');
  clock.advance(60_000);
  acd.enqueue('a2nd', 'main');
  t.equal(acd.positionOf('a2nd'), 1, 'ahead of b');
  t.equal(acd.positionOf('b'), 2);
  const resume = events.find((e) => e.type === 'queue.resume');
  t.same(resume, {
    type: 'queue.resume',
    callId: 'a2nd',
    data: { queue: 'main', abandonedCallId: 'a1st', abandonedAgoMs: 60_000, firstEnteredAgoMs: 80_000, position: 1 },
  });
  // resumed twice: the first entry's place carries over
  acd.leave('a2nd');
  clock.advance(5 * 60_000 + 1);
  acd.enqueue('late', 'main');
  t.equal(acd.positionOf('late'), 2, 'outside the window: at the back');
  t.equal(events.filter((e) => e.type === 'queue.resume').length, 1);
  t.end();
});

t.test('resume keeps a carried-over place across a second abandon, and never without a caller number', (t) => {
  const callers: Record<string, string> = { x1: '139', y: '136', x2: '139', x3: '139' };
  const { clock, acd } = setup([q('main', { resume: {}, maxWaitS: 3600 })], { callers });
  acd.pause('a1', null);
  acd.enqueue('x1', 'main');
  clock.advance(1000);
  acd.enqueue('y', 'main');
  acd.enqueue('anon', 'main');
  acd.leave('x1');
  acd.enqueue('x2', 'main');
  acd.leave('x2');
  clock.advance(9 * 60_000);
  acd.enqueue('x3', 'main');
  t.equal(acd.positionOf('x3'), 1, 'the default window is 10 minutes and the first place carries over');
  acd.leave('anon');
  acd.enqueue('anon2', 'main');
  t.equal(acd.positionOf('anon2'), 3, 'no number: no resume');
  t.same(acd.resumeTarget('139'), null, 'no skipIvr: the IVR runs as usual');
  t.end();
});

t.test('resumeTarget: a queue with skipIvr names itself for a returning caller, inside the window only', (t) => {
  const { clock, acd } = setup([q('main', { resume: { windowMin: 2, skipIvr: true } })], { callers: { c1: '139' } });
  acd.pause('a1', null);
  acd.enqueue('c1', 'main', 3);
  acd.leave('c1');
  t.same(acd.resumeTarget('139'), { queue: 'main', priority: 3 });
  t.equal(acd.resumeTarget('138'), null);
  t.equal(acd.resumeTarget(null), null);
  clock.advance(2 * 60_000 + 1);
  t.equal(acd.resumeTarget('139'), null, 'the window is over');
  t.end();
});

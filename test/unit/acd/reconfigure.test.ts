// reconfigureAcd (a live config change): agents kept keep their state and counters, new ones log in,
// removed ones stop ringing and log out; a caller already waiting keeps the queue settings they
// entered with, the next caller gets the new ones.
import t from 'tap';
import { VirtualClock } from '../../../hal/src/clock.js';
import { Acd } from '../../../firmware/src/acd/acd.js';
import { reconfigureAcd } from '../../../firmware/src/acd/reconfigure.js';
import type { AcdPort, AgentDef, QueueDef } from '../../../firmware/src/acd/types.js';

function rig() {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1, 2));
  const offers: string[] = [];
  const withdrawn: string[] = [];
  const expired: string[] = [];
  const states: string[] = [];
  const port: AcdPort = {
    offer: (callId, agent) => {
      offers.push(`${callId}>${agent.id}`);
      return true;
    },
    withdraw: (callId, agent) => withdrawn.push(`${callId}>${agent.id}`),
    expire: (callId) => expired.push(callId),
    record: (type, _callId, data) => {
      if (type === 'agent.state') {
        const d = data as { agent: string; state: string; reason?: string };
        states.push(`${d.agent}:${d.state}${d.reason ? `:${d.reason}` : ''}`);
      }
    },
  };
  const queue: QueueDef = {
    id: 'main',
    name: 'main',
    strategy: 'linear',
    members: ['a1', 'a2'],
    ringTimeoutS: 20,
    maxWaitS: 60,
    wrapUpS: 0,
  };
  const agents: AgentDef[] = [
    { id: 'a1', name: 'A1', extension: 'fxs1' },
    { id: 'a2', name: 'A2', extension: 'fxs2' },
  ];
  const acd = new Acd({ queues: [queue], agents, clock, port });
  acd.start();
  return { clock, acd, offers, withdrawn, expired, states, queue, agents };
}

t.test('agents: kept, added (logged in), removed (offer withdrawn, logged out)', async (t) => {
  const r = rig();
  r.acd.pause('a2', null);
  r.acd.enqueue('c1', 'main');
  t.same(r.offers, ['c1>a1']);
  reconfigureAcd(r.acd, {
    queues: [{ ...r.queue, members: ['a2', 'a3'] }],
    agents: [
      { id: 'a2', name: 'A2 renamed', extension: 'fxs2' },
      { id: 'a3', name: 'A3', extension: 'fxs3' },
    ],
  });
  t.same(r.withdrawn, ['c1>a1'], 'the removed agent stops ringing');
  t.ok(r.states.includes('a1:loggedOut:removed'));
  t.same(
    r.acd.agentsView().map((a) => [a.id, a.name, a.state]),
    [
      ['a2', 'A2 renamed', 'paused'],
      ['a3', 'A3', 'available'],
    ],
    'a2 keeps its pause; a3 logs in',
  );
  t.same(r.offers, ['c1>a1'], 'c1 waits in the queue it entered (members a1, a2): a3 is not its member');
  r.acd.enqueue('c2', 'main');
  t.same(r.offers, ['c1>a1', 'c2>a3'], 'the next caller gets the new members');
});

t.test('queues: the next caller joins the new settings; a removed queue takes no new callers', async (t) => {
  const r = rig();
  r.acd.logout('a1');
  r.acd.logout('a2');
  reconfigureAcd(r.acd, {
    queues: [
      { ...r.queue, id: 'main', maxWaitS: 10 },
      { ...r.queue, id: 'sales' },
    ],
    agents: r.agents,
  });
  r.acd.login('a1');
  r.acd.pause('a1', null);
  r.acd.enqueue('c1', 'sales');
  r.acd.enqueue('c2', 'main');
  await r.clock.advance(11_000);
  t.same(r.expired, ['c2'], 'main gives up after the new maxWaitS (10 s)');
  reconfigureAcd(r.acd, { queues: [{ ...r.queue, id: 'main' }], agents: r.agents });
  t.throws(() => r.acd.enqueue('c3', 'sales'), /unknown queue sales/);
  t.equal(r.acd.positionOf('c1'), 1, 'c1 still waits in sales');
  t.same(
    r.acd.queuesView().map((q) => q.id),
    ['main'],
  );
});

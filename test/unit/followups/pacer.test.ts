// When the follow-up dialer runs its pass (pacer.ts): at once on an agent becoming available (the
// ACD's `agent.state`), a call ending, a skip, items added; the events of one turn make one pass;
// an offer not taken goes to the next agent the moment it expires; the 5 s pass stays as the
// safety net; a stopped dialer hears nothing. Virtual time: "at once" is 0 ms on the clock.
import t from 'tap';
import { SYSTEM_ACTOR } from '../../../firmware/src/backoffice/common/types.js';
import { OFFER_TTL_MS, TICK_MS } from '../../../firmware/src/backoffice/followups/desk.js';
import type { OfferNotice } from '../../../firmware/src/backoffice/followups/types.js';
import type { EventCatalog } from '../../../firmware/src/events/catalog.js';
import { ScriptedPort } from './fixtures/port.js';
import { world } from './fixtures/world.js';

const A = SYSTEM_ACTOR;

function setup() {
  const w = world();
  const f = w.bo.followups;
  const port = new ScriptedPort();
  port.agents = [];
  const notices: OfferNotice[] = [];
  f.onOffer((n) => notices.push(n));
  f.attachDialer(port);
  const list = f.createList(A, { name: '回访', purpose: 'return_visit' });
  const add = (phone = '13800000001') => f.addItem(A, list.id, { phone, dueAt: w.clock.now() });
  // the kicks of attach and add run: nobody is free yet
  w.clock.advance(0);
  const state = (agent: string, s: EventCatalog['agent.state']['state'], prev: EventCatalog['agent.state']['prev']) =>
    w.engineEvents.emit('event', { type: 'agent.state', callId: null, data: { agent, state: s, prev }, ts: w.clock.now() });
  return { ...w, f, port, list, add, notices, state };
}

t.test('an agent becoming available is offered the due item at once; the events of one turn make one pass', async (t) => {
  const s = setup();
  const item = s.add();
  s.clock.advance(1); // just after the dialer's own pass time: the 5 s pass is 4999 ms away
  const passes = s.port.asked;
  s.port.agents = ['a1', 'a2'];
  s.state('a1', 'available', 'wrapUp'); // wrap-up over
  s.state('a2', 'available', 'loggedOut'); // logged in
  s.engineEvents.emit('event', { type: 'call.ended', callId: 'c1', data: {} as never, ts: s.clock.now() });
  t.equal(s.port.asked, passes, 'no pass inside the emitting code (the engine may be mid-change)');
  s.clock.advance(0);
  t.equal(s.port.asked - passes, 1, 'three events in one turn: one pass');
  t.equal(s.f.offerFor(A, 'a1')?.item.id, item.id, 'offered with no time passing');
  t.match(s.notices, [{ agent: 'a1', itemId: item.id, change: 'offered', at: new Date(s.clock.now()).toISOString() }]);
});

t.test('events that cannot free an agent make no pass', async (t) => {
  const s = setup();
  s.add();
  s.clock.advance(1);
  const passes = s.port.asked;
  s.port.agents = ['a1'];
  s.state('a1', 'paused', 'available');
  s.state('a1', 'ringing', 'available');
  s.engineEvents.emit('event', { type: 'queue.enter', callId: 'c1', data: {} as never, ts: s.clock.now() });
  s.clock.advance(TICK_MS - 2);
  t.equal(s.port.asked, passes, 'nothing until the 5 s pass');
  t.equal(s.f.offerFor(A, 'a1'), null);
  s.clock.advance(1);
  t.ok(s.f.offerFor(A, 'a1'), 'the safety net: the 5 s pass finds what no event said (a phone hung up)');
});

t.test('items added, a skip, an outcome: the next offer at once', async (t) => {
  const s = setup();
  s.port.agents = ['a1'];
  const first = s.add('13800000001');
  s.clock.advance(0);
  t.equal(s.f.offerFor(A, 'a1')?.item.id, first.id, 'added while a1 is free: offered at once');
  const second = s.add('13800000002');
  s.f.skip(A, 'a1', first.id, '客户在开会');
  s.clock.advance(0);
  t.equal(s.f.offerFor(A, 'a1')?.item.id, second.id, 'skipped: the next item at once');
  s.f.accept(A, 'a1', second.id);
  const third = s.add('13800000003');
  s.clock.advance(0);
  t.equal(s.f.offerFor(A, 'a1')?.item.id, second.id, 'a1 still holds the item being called');
  s.f.recordOutcome(A, second.id, { outcome: 'reached' });
  s.clock.advance(0);
  t.equal(s.f.offerFor(A, 'a1')?.item.id, third.id, 'outcome recorded: the next at once');
  const listOff = s.f.createList(A, { name: '暂停的', purpose: 'satisfaction', active: false });
  const waiting = s.f.addItem(A, listOff.id, { phone: '13800000004', dueAt: s.clock.now() });
  s.port.agents = ['a1', 'a2'];
  s.clock.advance(1);
  s.f.updateList(A, listOff.id, { active: true });
  s.clock.advance(0);
  t.equal(s.f.offerFor(A, 'a2')?.item.id, waiting.id, 'a list started: offered at once');
});

t.test('an offer not taken goes to the next agent when it expires, not at the next 5 s pass', async (t) => {
  const s = setup();
  s.port.agents = ['a1'];
  const item = s.add();
  s.clock.advance(1);
  const offeredAt = s.clock.now() - 1;
  t.equal(s.f.offerFor(A, 'a1')?.item.id, item.id);
  s.port.agents = ['a2']; // a1 went to lunch without a word (their state change is not the point here)
  s.clock.advance(OFFER_TTL_MS - 1);
  t.equal(s.f.offerFor(A, 'a1')?.item.id, item.id, "still a1's until the minute is over");
  s.clock.advance(1);
  t.equal(s.f.offerFor(A, 'a2')?.item.id, item.id, 'to a2 the moment it expired');
  t.same(
    s.notices.map((n) => [n.agent, n.change, Date.parse(n.at) - offeredAt]),
    [
      ['a1', 'offered', 0],
      ['a1', 'expired', OFFER_TTL_MS + 1],
      ['a2', 'offered', OFFER_TTL_MS + 1],
    ],
  );
});

t.test('a stopped dialer runs no passes; notices stop with the unsubscribe', async (t) => {
  const s = setup();
  s.add();
  s.f.attachDialer(null);
  const passes = s.port.asked;
  s.port.agents = ['a1'];
  s.state('a1', 'available', 'paused');
  s.clock.advance(TICK_MS * 3);
  t.equal(s.port.asked, passes, 'no pass, no timer');
  const port = new ScriptedPort();
  const seen: OfferNotice[] = [];
  const off = s.f.onOffer((n) => seen.push(n));
  s.f.onOffer(() => {
    throw new Error('a listener that throws');
  });
  s.f.attachDialer(port);
  s.clock.advance(0);
  t.equal(seen.length, 1, 'attached again: a pass at once, its offer told (a throwing listener kept away)');
  off();
  s.add('13800000002');
  port.agents = ['a2'];
  s.clock.advance(0);
  t.equal(seen.length, 1, 'unsubscribed');
  t.equal(s.f.offerFor(A, 'a2')?.item.state, 'offered');
  s.f.attachDialer(null);
});

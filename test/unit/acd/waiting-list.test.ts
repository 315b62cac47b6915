// The waiting list's order: priority, then `since`; positions counted per queue.
import t from 'tap';
import type { Entry } from '../../../firmware/src/acd/entry.js';
import type { QueueDef } from '../../../firmware/src/acd/types.js';
import { WaitingList } from '../../../firmware/src/acd/waiting-list.js';

const queue = (id: string): QueueDef => ({ id, name: id, strategy: 'linear', members: [], ringTimeoutS: 10, maxWaitS: 60, wrapUpS: 0 });
const Q = { a: queue('a'), b: queue('b') };

function entry(callId: string, q: QueueDef, since: number, priority = 0): Entry {
  return {
    callId,
    queue: q,
    enqueuedAt: since,
    since,
    priority,
    origPosition: 0,
    onlyAgent: null,
    caller: null,
    offers: new Map(),
    tried: new Set(),
    expiry: null,
    callback: false,
  };
}

t.test('priority first, then since; equal keys in arrival order', (t) => {
  const l = new WaitingList();
  l.insert(entry('c1', Q.a, 100));
  l.insert(entry('c2', Q.b, 200));
  l.insert(entry('c3', Q.a, 300));
  l.insert(entry('vip', Q.a, 400, 5));
  l.insert(entry('resumed', Q.a, 150)); // first came at 150: after c1, before c2 and c3
  l.insert(entry('same', Q.a, 300));
  t.same(
    l.entries.map((e) => e.callId),
    ['vip', 'c1', 'resumed', 'c2', 'c3', 'same'],
  );
  t.same(
    ['vip', 'c1', 'resumed', 'c2', 'c3', 'same'].map((id) => l.position(l.find(id) as Entry)),
    [1, 2, 3, 1, 4, 5],
    'positions per queue',
  );
  t.ok(l.remove(l.find('c1') as Entry));
  t.notOk(l.remove(entry('nope', Q.a, 0)));
  t.equal(l.position(l.find('resumed') as Entry), 2);
  l.first(entry('cb', Q.b, 999, 10));
  t.equal(l.entries[0]?.callId, 'cb');
  t.equal(l.clear().length, 6);
  t.same(l.entries, []);
  t.end();
});

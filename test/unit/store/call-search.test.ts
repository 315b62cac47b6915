// The call history's filters (通话记录 page): time range, queue, agent, outcomes, caller digits and
// paging, on a real SQLite store; LIKE wildcards in the number are taken literally.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { CallListQuery, CallOutcome, CallRecord } from '../../../firmware/src/service/types.js';
import { CallStore } from '../../../firmware/src/store/call-store.js';
import { openDatabase } from '../../../firmware/src/store/db.js';

const T0 = Date.UTC(2026, 10, 26, 0, 0);
const OUTCOMES: CallOutcome[] = ['answered', 'missed', 'abandoned', 'noAgent'];

function call(i: number): CallRecord {
  const at = new Date(T0 + i * 3_600_000).toISOString(); // one an hour
  return {
    id: `c${String(i).padStart(2, '0')}`,
    direction: 'inbound',
    state: 'ended',
    callerId: i === 7 ? null : `13800${String(i).padStart(6, '0')}`,
    callerName: null,
    startedAt: at,
    answeredAt: at,
    endedAt: at,
    outcome: OUTCOMES[i % 4] as CallOutcome,
    ivrPath: '1',
    queue: i % 2 === 0 ? 'main' : 'sales',
    agent: i % 3 === 0 ? 'a1' : 'a2',
    legs: [
      { channel: 'fxo1', kind: 'fxo', role: 'caller', startedAt: at, answeredAt: at, endedAt: at },
      { channel: 'fxs1', kind: 'fxs', role: 'agent', startedAt: at, answeredAt: at, endedAt: at },
    ],
    disposition: null,
    holdSeconds: 0, // the store always gives the time on hold (schema step 25)
  };
}

t.test('filters and paging', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-search-'));
  const db = openDatabase(join(dir, 'callbox.db'));
  t.teardown(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = new CallStore(db);
  const all = Array.from({ length: 48 }, (_, i) => call(i));
  for (const c of all) store.saveCall(c, { type: 'call.ended', ts: Date.parse(c.startedAt) });
  const ids = (q: CallListQuery) => store.searchCalls(q).map((c) => c.id);
  const expect = (pred: (c: CallRecord, i: number) => boolean, limit = 500) =>
    all
      .filter((c, i) => pred(c, i))
      .map((c) => c.id)
      .reverse()
      .slice(0, limit);

  t.same(
    ids({ limit: 500 }),
    expect(() => true),
    'no filter: all, newest first',
  );
  t.same(
    ids({ limit: 500, from: T0 + 10 * 3_600_000, to: T0 + 20 * 3_600_000 }),
    expect((_, i) => i >= 10 && i < 20),
    'from inclusive, to exclusive',
  );
  t.same(
    ids({ limit: 500, queue: 'sales' }),
    expect((c) => c.queue === 'sales'),
    'queue',
  );
  t.same(
    ids({ limit: 500, agent: 'a1', queue: 'main' }),
    expect((c) => c.agent === 'a1' && c.queue === 'main'),
    'agent and queue',
  );
  t.same(
    ids({ limit: 500, outcomes: ['missed', 'noAgent'] }),
    expect((c) => c.outcome === 'missed' || c.outcome === 'noAgent'),
    'outcomes',
  );
  t.same(ids({ limit: 500, number: '000012' }), ['c12'], 'digits anywhere in the caller ID');
  t.same(
    ids({ limit: 500, number: '1380000004' }),
    expect((_, i) => i >= 40),
    'a prefix',
  );
  t.same(ids({ limit: 500, number: '0012', numberAtEnd: true }), ['c12'], 'at the end');
  t.same(ids({ limit: 500, number: '1380', numberAtEnd: true }), [], 'the start is not the end');
  t.same(ids({ limit: 500, number: '%' }), [], 'a LIKE wildcard is literal');
  t.same(ids({ limit: 500, number: '%', numberAtEnd: true }), [], 'also at the end');
  t.same(ids({ limit: 500, number: '_' }), [], 'so is _');

  const page1 = ids({ limit: 10, queue: 'main' });
  const page2 = ids({ limit: 10, offset: 10, queue: 'main' });
  const page3 = ids({ limit: 10, offset: 20, queue: 'main' });
  t.same(
    [...page1, ...page2, ...page3],
    expect((c) => c.queue === 'main'),
    'pages cover the matches once each',
  );
  t.equal(page3.length, 4, 'the last page is short');
  t.same(ids({ limit: 10, offset: 400 }), [], 'past the end: empty');

  const one = store.searchCalls({ limit: 1, number: '000012' })[0];
  t.same(one, all[12], 'the record comes back whole, legs in order');
  t.equal(store.searchCalls({ limit: 0 }).length, 1, 'limit clamped to at least 1');
  t.equal(store.searchCalls({ limit: 9999 }).length, 48, 'and at most 500');
  t.end();
});

// The owner's missed/abandoned list: listCalls filtered by outcome, newest first, legs included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { CallOutcome, CallRecord } from '../../../firmware/src/service/types.js';
import { CallStore } from '../../../firmware/src/store/call-store.js';
import { openDatabase } from '../../../firmware/src/store/db.js';

function call(i: number, outcome: CallOutcome): CallRecord {
  const at = new Date(Date.UTC(2026, 10, 26, 8, i)).toISOString();
  return {
    id: `c${i}`,
    direction: 'inbound',
    state: 'ended',
    callerId: `1380000000${i}`,
    callerName: null,
    startedAt: at,
    answeredAt: null,
    endedAt: at,
    outcome,
    ivrPath: '',
    queue: null,
    agent: null,
    legs: [{ channel: 'fxo1', kind: 'fxo', role: 'caller', startedAt: at, answeredAt: null, endedAt: at }],
  };
}

t.test('filter by outcome', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-store-'));
  const db = openDatabase(join(dir, 'callbox.db'));
  t.teardown(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = new CallStore(db);
  const outcomes: CallOutcome[] = ['answered', 'missed', 'abandoned', 'answered', 'missed', 'noAgent'];
  for (const [i, o] of outcomes.entries()) store.saveCall(call(i, o), { type: 'call.ended', ts: i });
  t.same(
    store.listCalls(10, ['missed', 'abandoned']).map((c) => [c.id, c.outcome, c.legs.length]),
    [
      ['c4', 'missed', 1],
      ['c2', 'abandoned', 1],
      ['c1', 'missed', 1],
    ],
  );
  t.same(
    store.listCalls(1, ['missed']).map((c) => c.id),
    ['c4'],
    'limit applies',
  );
  t.same(store.listCalls(10, []), [], 'an empty filter matches nothing');
  t.equal(store.listCalls(10).length, 6, 'no filter: all');
  t.end();
});

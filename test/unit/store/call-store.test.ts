import path from 'node:path';
import t, { type Test } from 'tap';
import type { CallRecord } from '../../../firmware/src/service/types.js';
import { CallStore } from '../../../firmware/src/store/call-store.js';
import { type Database, openDatabase } from '../../../firmware/src/store/db.js';

const T0 = Date.UTC(2026, 0, 1, 9, 0, 0);
const at = (s: number): string => new Date(T0 + s * 1000).toISOString();

function fullCall(id = 'c1', startS = 0): CallRecord {
  return {
    id,
    direction: 'inbound',
    state: 'ended',
    callerId: '13800138000',
    callerName: '张三',
    startedAt: at(startS),
    answeredAt: at(startS + 12),
    endedAt: at(startS + 95),
    outcome: 'answered',
    ivrPath: '1',
    queue: 'main',
    agent: 'a2',
    legs: [
      { channel: 'fxo1', kind: 'fxo', role: 'caller', startedAt: at(startS), answeredAt: at(startS + 2), endedAt: at(startS + 95) },
      { channel: 'fxs2', kind: 'fxs', role: 'agent', startedAt: at(startS + 8), answeredAt: at(startS + 12), endedAt: at(startS + 95) },
    ],
    disposition: null,
    holdSeconds: 0, // the store always gives the time on hold (schema step 25)
  };
}

function ringing(id: string, startS: number): CallRecord {
  return {
    ...fullCall(id, startS),
    state: 'ringing',
    answeredAt: null,
    endedAt: null,
    outcome: null,
    ivrPath: '',
    queue: null,
    agent: null,
    callerName: null,
    legs: [{ channel: 'fxo2', kind: 'fxo', role: 'caller', startedAt: at(startS), answeredAt: null, endedAt: null }],
  };
}

function setup(t: Test): { db: Database; store: CallStore } {
  const db = openDatabase(path.join(t.testdir({}), 'box.db'));
  t.teardown(() => db.close());
  return { db, store: new CallStore(db) };
}

t.test('a full call with two legs round-trips through get and list', (t) => {
  const { store } = setup(t);
  const call = fullCall();
  store.saveCall(call, { type: 'call.ended', ts: T0 + 95_000, data: { outcome: 'answered' } });
  t.same(store.getCall('c1'), call);
  t.same(store.listCalls(10), [call]);
  t.equal(store.getCall('nope'), null);
  t.same(store.events.tail(10), [{ seq: 1, ts: T0 + 95_000, type: 'call.ended', callId: 'c1', data: { outcome: 'answered' } }]);
  t.end();
});

t.test('saveCall updates the row and its legs on later saves', (t) => {
  const { store } = setup(t);
  const first = ringing('c1', 0);
  store.saveCall(first, { type: 'call.ringing', ts: T0 });
  t.same(store.getCall('c1'), first);
  const done = fullCall('c1', 0);
  store.saveCall(done, { type: 'call.ended', ts: T0 + 95_000 });
  t.same(store.getCall('c1'), done);
  const fewer = { ...done, legs: done.legs.slice(0, 1) };
  store.saveCall(fewer, { type: 'call.fixed', ts: T0 + 96_000 });
  t.same(store.getCall('c1')?.legs, fewer.legs);
  t.same(
    store.events.tail(10).map((e) => [e.type, e.callId, e.data]),
    [
      ['call.ringing', 'c1', null],
      ['call.ended', 'c1', null],
      ['call.fixed', 'c1', null],
    ],
  );
  t.equal(store.countCalls(), 1);
  t.end();
});

t.test('saveCall is atomic: a failing event insert leaves the call and legs unchanged', (t) => {
  const { db, store } = setup(t);
  const first = ringing('c1', 0);
  store.saveCall(first, { type: 'call.ringing', ts: T0 });
  db.exec("CREATE TRIGGER test_fail BEFORE INSERT ON event_log BEGIN SELECT RAISE(ABORT, 'event insert failed'); END");
  t.throws(() => store.saveCall(fullCall('c1', 0), { type: 'call.ended', ts: T0 + 95_000 }), /event insert failed/);
  t.same(store.getCall('c1'), first, 'the call row and legs did not change');
  t.throws(() => store.saveCall(fullCall('c2', 5), { type: 'call.ended', ts: T0 }), /event insert failed/);
  t.equal(store.getCall('c2'), null, 'a new call is not written either');
  db.exec('DROP TRIGGER test_fail');
  t.throws(() => store.saveCall(fullCall('c3', 5), { type: 'x', ts: T0, data: { big: 1n } }), 'unserialisable data');
  t.equal(store.getCall('c3'), null);
  t.equal(store.events.tail(10).length, 1);
  t.end();
});

t.test('an invalid timestamp is refused before anything is written', (t) => {
  const { store } = setup(t);
  t.throws(() => store.saveCall({ ...fullCall(), startedAt: 'yesterday' }, { type: 'x', ts: T0 }), {
    code: 'VALIDATION_FAILED',
    message: /call c1: startedAt is not a valid time/,
  });
  t.equal(store.countCalls(), 0);
  t.end();
});

t.test('listCalls is newest first and clamps its limit', (t) => {
  const { store } = setup(t);
  for (let i = 0; i < 7; i++) store.saveCall(fullCall(`c${i}`, i * 60), { type: 'call.ended', ts: T0 + i });
  t.same(
    store.listCalls(3).map((c) => c.id),
    ['c6', 'c5', 'c4'],
  );
  t.same(
    store.listCalls(3).map((c) => c.legs.length),
    [2, 2, 2],
  );
  t.equal(store.listCalls(0).length, 1);
  t.equal(store.listCalls(-5).length, 1);
  t.equal(store.listCalls(Number.NaN).length, 1);
  t.equal(store.listCalls(10_000).length, 7);
  t.end();
});

t.test('listCalls never returns more than 500', (t) => {
  const { db, store } = setup(t);
  db.transaction(() => {
    for (let i = 0; i < 520; i++) store.saveCall(ringing(`c${i}`, i), { type: 'call.ringing', ts: T0 + i });
  })();
  t.equal(store.listCalls(1_000).length, 500);
  t.equal(store.listCalls(1_000)[0]?.id, 'c519');
  t.end();
});

t.test('closeDanglingCalls ends unfinished calls as failed with an event each', (t) => {
  const { store } = setup(t);
  store.saveCall(fullCall('done', 0), { type: 'call.ended', ts: T0 });
  store.saveCall(ringing('r1', 10), { type: 'call.ringing', ts: T0 + 10_000 });
  store.saveCall({ ...ringing('q1', 20), state: 'queued' }, { type: 'call.queued', ts: T0 + 20_000 });
  const ts = T0 + 3_600_000;
  t.equal(store.closeDanglingCalls(ts), 2);
  for (const id of ['r1', 'q1']) {
    const c = store.getCall(id);
    t.match(c, { state: 'ended', outcome: 'failed', endedAt: new Date(ts).toISOString() });
    t.equal(c?.legs[0]?.endedAt, new Date(ts).toISOString());
  }
  t.same(store.getCall('done'), fullCall('done', 0), 'ended calls are untouched');
  const events = store.events.since(3, 10);
  t.same(
    events.map((e) => [e.type, e.callId, e.ts]),
    [
      ['call.ended', 'r1', ts],
      ['call.ended', 'q1', ts],
    ],
  );
  t.match(events[0]?.data, { outcome: 'failed', previousState: 'ringing' });
  t.equal(store.closeDanglingCalls(ts + 1), 0, 'nothing left to close');
  t.same(store.countByOutcome(), { answered: 1, failed: 2 });
  t.equal(store.countCalls(), 3);
  t.end();
});

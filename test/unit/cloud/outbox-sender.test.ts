// The outbox sender over a real SQLite outbox: batches (≤100 records, ≤64 KB, a big record alone),
// the in-flight window, acks (clamped to what was sent), resend after a reconnect or an overdue
// ack, the outbox alarm; and the calls stream written by CallStore.saveCall for ended calls only.
import path from 'node:path';
import pino from 'pino';
import t, { type Test } from 'tap';
import { Outbox, type OutboxStream } from '../../../firmware/src/backoffice/common/outbox.js';
import { BATCH_MAX_BYTES, buildBatch, OutboxSender } from '../../../firmware/src/cloud/outbox-sender.js';
import type { CallRecord } from '../../../firmware/src/service/types.js';
import { CallStore } from '../../../firmware/src/store/call-store.js';
import { type Database, openDatabase } from '../../../firmware/src/store/db.js';

interface Sent {
  stream: OutboxStream;
  seq: number;
  ids: string[];
  bytes: number;
}

function setup(t: Test, o: { window?: number; ackTimeoutMs?: number; alarmRows?: number } = {}) {
  const db: Database = openDatabase(path.join(t.testdir({}), 'box.db'));
  t.teardown(() => db.close());
  let now = 1_000_000;
  const outbox = new Outbox(db, () => now);
  const sent: Sent[] = [];
  let online = true;
  const sender = new OutboxSender({
    outbox,
    log: pino({ level: 'silent' }),
    now: () => now,
    alarmRows: o.alarmRows ?? 1000,
    ...(o.window ? { window: o.window } : {}),
    ...(o.ackTimeoutMs ? { ackTimeoutMs: o.ackTimeoutMs } : {}),
    publish: (stream, payload) => {
      if (!online) return false;
      const b = JSON.parse(payload.toString('utf8')) as { seq: number; records: { id: string }[] };
      sent.push({ stream, seq: b.seq, ids: b.records.map((r) => r.id), bytes: payload.length });
      return true;
    },
  });
  const counts = new Map<string, number>();
  const put = (stream: OutboxStream, n: number, size = 10) => {
    for (let i = 0; i < n; i++) {
      const k = counts.get(stream) ?? 0;
      counts.set(stream, k + 1);
      outbox.put(stream, `${stream}-${String(k).padStart(5, '0')}`, 1, { pad: 'x'.repeat(size) });
    }
  };
  return {
    db,
    outbox,
    sender,
    sent,
    put,
    advance: (ms: number) => {
      now += ms;
    },
    setOnline: (v: boolean) => {
      online = v;
    },
  };
}

t.test('batches of at most 100 records, seq = the last row, window of in-flight batches', (t) => {
  const s = setup(t, { window: 2 });
  s.put('tickets', 250);
  s.sender.onConnect();
  t.same(
    s.sent.map((b) => b.ids.length),
    [100, 100],
    'two batches in flight, the third waits',
  );
  t.equal(s.sent[0]?.seq, 100);
  s.sender.onAck('tickets', 100);
  t.same(
    s.sent.map((b) => b.ids.length),
    [100, 100, 50],
  );
  s.sender.onAck('tickets', 250);
  t.equal(s.outbox.depth(), 0);
  t.ok(s.sender.lastSyncAt);
  t.end();
});

t.test('a batch stays under 64 KB; a record bigger than that travels alone', (t) => {
  const s = setup(t);
  s.put('orders', 30, 3000); // ~3 KB each: about 21 per batch
  s.put('orders', 1, 100_000);
  s.put('orders', 2, 10);
  s.sender.onConnect();
  t.ok(
    s.sent.every((b) => b.bytes <= BATCH_MAX_BYTES || b.ids.length === 1),
    'each batch ≤ 64 KB unless it is one record',
  );
  t.same(
    s.sent.flatMap((b) => b.ids),
    Array.from({ length: 33 }, (_, i) => `orders-${String(i).padStart(5, '0')}`),
    'in order, each once',
  );
  t.ok(
    s.sent.some((b) => b.ids.length === 1 && b.bytes > BATCH_MAX_BYTES),
    'the big one alone',
  );
  const direct = buildBatch(s.outbox.pending('orders', 100));
  t.equal(direct.seq, s.sent[0]?.seq);
  t.end();
});

t.test('an ack above anything sent is clamped: unsent rows are never marked done', (t) => {
  const s = setup(t);
  s.put('calls', 5);
  s.sender.onConnect();
  s.setOnline(false);
  s.put('calls', 5);
  s.sender.onAck('calls', 999);
  t.equal(s.outbox.depth(), 5, 'only the 5 sent rows are done');
  t.end();
});

t.test('reconnect and overdue acks resend from the first unacked row', (t) => {
  const s = setup(t, { ackTimeoutMs: 1000 });
  s.put('customers', 3);
  s.sender.onConnect();
  t.equal(s.sent.length, 1);
  s.sender.tick();
  t.equal(s.sent.length, 1, 'not yet overdue');
  s.advance(1500);
  s.sender.tick();
  t.equal(s.sent.length, 2, 'overdue: sent again');
  s.sender.onDisconnect();
  s.sender.onConnect();
  t.equal(s.sent.length, 3, 'reconnect: sent again');
  t.same(
    s.sent.map((b) => b.seq),
    [3, 3, 3],
  );
  s.sender.onAck('customers', 3);
  s.sender.onDisconnect();
  s.sender.onConnect();
  t.equal(s.sent.length, 3, 'nothing left to send after the ack');
  t.end();
});

t.test('offline: nothing is sent, nothing is lost', (t) => {
  const s = setup(t);
  s.setOnline(false);
  s.put('tickets', 10);
  s.sender.onConnect();
  t.equal(s.sent.length, 0);
  s.setOnline(true);
  s.sender.tick();
  t.equal(s.sent.length, 1);
  t.end();
});

t.test('the alarm rises above the bound and clears below it; acked rows are pruned, pending never', (t) => {
  const s = setup(t, { alarmRows: 20 });
  s.put('tickets', 25);
  t.equal(s.sender.depth(true), 25);
  t.equal(s.sender.alarm, true);
  s.sender.onConnect();
  s.sender.onAck('tickets', 25);
  t.equal(s.sender.depth(true), 0);
  t.equal(s.sender.alarm, false);
  s.put('tickets', 3);
  s.advance(10);
  t.equal(s.outbox.prune(Number.MAX_SAFE_INTEGER), 25, 'acked rows pruned');
  t.equal(s.outbox.depth(), 3, 'pending rows kept');
  t.end();
});

function call(state: CallRecord['state']): CallRecord {
  return {
    id: 'c-1',
    direction: 'inbound',
    state,
    callerId: '13800138000',
    callerName: '张三',
    startedAt: new Date(0).toISOString(),
    answeredAt: null,
    endedAt: state === 'ended' ? new Date(60_000).toISOString() : null,
    outcome: state === 'ended' ? 'missed' : null,
    ivrPath: '',
    queue: null,
    agent: null,
    legs: [],
  };
}

t.test('saveCall queues a call record for the cloud when the call ends, not before', (t) => {
  const s = setup(t);
  const calls = new CallStore(s.db);
  calls.saveCall(call('ringing'), { type: 'call.ringing', ts: 0 });
  calls.saveCall(call('ivr'), { type: 'call.ivr', ts: 1000 });
  t.equal(s.outbox.depth(), 0);
  calls.saveCall(call('ended'), { type: 'call.ended', ts: 60_000 });
  const rows = s.outbox.pending('calls', 10);
  t.equal(rows.length, 1);
  t.match(rows[0], { id: 'c-1', version: 1, body: { id: 'c-1', state: 'ended', outcome: 'missed', callerName: '张三' } });
  t.end();
});

t.test('a call closed at start-up after a crash is queued for the cloud too', (t) => {
  const s = setup(t);
  const calls = new CallStore(s.db);
  calls.saveCall(call('talking'), { type: 'call.connected', ts: 1000 });
  t.equal(calls.closeDanglingCalls(90_000), 1);
  t.match(s.outbox.pending('calls', 10), [{ id: 'c-1', body: { state: 'ended', outcome: 'failed' } }]);
  t.end();
});

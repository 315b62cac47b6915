// Regression (found by test/slow/faults-broker-flap.test.ts under load): a batch the broker dropped
// while the consumer was away, followed by one it delivered, must not be acked over. Each batch says
// where it starts (`from`) and the consumer acks that batch alone ({seq, from}): the lost batch's rows
// stay pending and go again when their ack is overdue. Acks without `from` stay cumulative.
import path from 'node:path';
import pino from 'pino';
import t from 'tap';
import { Outbox, type OutboxStream } from '../../../firmware/src/backoffice/common/outbox.js';
import { SqliteFleetStore } from '../../../firmware/src/cloud/fleet/fleet-store.js';
import { OutboxSender } from '../../../firmware/src/cloud/outbox-sender.js';
import { openDatabase } from '../../../firmware/src/store/db.js';

interface Batch {
  seq: number;
  from?: number;
  records: { id: string; version: number; ts: string; body: unknown }[];
}

t.test('a dropped batch: the next one is refused, the resend after the overdue ack brings every record', async (t) => {
  const dir = t.testdir({});
  const db = openDatabase(path.join(dir, 'box.db'));
  const fleet = new SqliteFleetStore(path.join(dir, 'fleet.db'));
  t.teardown(() => {
    db.close();
    fleet.close();
  });
  let now = 1_000_000;
  const outbox = new Outbox(db, () => now);
  const acks: { seq: number; from?: number }[] = [];
  let dropNext = 0;
  const published: Batch[] = [];
  const sender: OutboxSender = new OutboxSender({
    outbox,
    log: pino({ level: 'silent' }),
    now: () => now,
    alarmRows: 10_000,
    window: 4,
    ackTimeoutMs: 30_000,
    publish: (_stream: OutboxStream, payload: Buffer) => {
      const b = JSON.parse(payload.toString('utf8')) as Batch;
      published.push(b);
      if (dropNext > 0) {
        dropNext--; // the broker lost it: the consumer never sees it
        return true;
      }
      fleet.applyBatch('shop-1', 'tickets', b.seq, b.records);
      acks.push({ seq: b.seq, from: b.from }); // the batch's own ack, after the commit
      return true;
    },
  });
  for (let i = 0; i < 250; i++) outbox.put('tickets', `t-${String(i).padStart(3, '0')}`, 1, { n: i });

  dropNext = 1;
  sender.onConnect();
  t.same(
    published.map((b) => b.from),
    [0, published[0]?.seq, published[1]?.seq],
    'each batch says where it starts: 0, then the seq of the batch before it',
  );
  t.equal(acks.length, 2, 'the first batch was lost, the second and third arrived');
  for (const a of acks.splice(0)) sender.onAck('tickets', a.seq, a.from);
  t.equal(outbox.depth(), 100, "only the arrived batches' rows are done: the lost batch's 100 stay pending");
  t.equal(fleet.records('shop-1').length, 150);

  now += 31_000;
  sender.tick(); // the lost batch's ack is overdue: resend what is pending
  for (const a of acks.splice(0)) sender.onAck('tickets', a.seq, a.from);
  t.same(published.at(-1)?.from, 0, 'the resend starts again from 0');
  t.equal(published.at(-1)?.records.length, 100, 'with the lost rows only');
  t.equal(outbox.depth(), 0, 'every row acked after the resend');
  t.equal(fleet.records('shop-1').length, 250, 'every record is in the fleet store');

  // an ack without from (an older consumer) is cumulative, as before
  for (let i = 0; i < 10; i++) outbox.put('tickets', `u-${i}`, 1, { n: i });
  dropNext = 1;
  sender.pumpAll();
  const last = published.at(-1);
  if (last) sender.onAck('tickets', last.seq);
  t.equal(outbox.depth(), 0, 'cumulative: every row up to seq');
  t.end();
});

t.test('the outbox: a batch ack marks its own rows only', (t) => {
  const db = openDatabase(path.join(t.testdir({}), 'box.db'));
  t.teardown(() => db.close());
  const outbox = new Outbox(db, () => 1);
  for (let i = 0; i < 6; i++) outbox.put('orders', `o${i}`, 1, {});
  const seqs = outbox.pending('orders', 10).map((r) => r.seq);
  t.equal(outbox.ackRange('orders', seqs[2] ?? 0, seqs[4] ?? 0), 2, 'rows 4 and 5 of 6');
  t.same(
    outbox.pending('orders', 10).map((r) => r.id),
    ['o0', 'o1', 'o2', 'o5'],
  );
  t.end();
});

t.test('in order: a batch after a lost one is refused, the box sends again from its first unacked row at once', (t) => {
  const dir = t.testdir({});
  const db = openDatabase(path.join(dir, 'box.db'));
  const fleet = new SqliteFleetStore(path.join(dir, 'fleet.db'));
  t.teardown(() => {
    db.close();
    fleet.close();
  });
  const outbox = new Outbox(db, () => 1);
  let drop = 1;
  const replies: (() => void)[] = [];
  const firstArrivals: string[] = [];
  const seen = new Set<string>();
  const sender: OutboxSender = new OutboxSender({
    outbox,
    log: pino({ level: 'silent' }),
    now: () => 1,
    alarmRows: 10_000,
    window: 4,
    publish: (_stream: OutboxStream, payload: Buffer) => {
      const b = JSON.parse(payload.toString('utf8')) as Batch;
      if (drop > 0) {
        drop--;
        return true;
      }
      const changed = fleet.applyBatch('shop-1', 'tickets', b.seq, b.records, b.from);
      if (changed !== null)
        for (const r of b.records)
          if (!seen.has(r.id)) {
            seen.add(r.id);
            firstArrivals.push(r.id);
          }
      // the consumer's answer, delivered after this publish returns
      replies.push(() => (changed === null ? sender.restart('tickets') : sender.onAck('tickets', b.seq, b.from)));
      return true;
    },
  });
  const ids = Array.from({ length: 250 }, (_, i) => `t-${String(i).padStart(3, '0')}`);
  for (const id of ids) outbox.put('tickets', id, 1, {});
  sender.onConnect();
  for (let i = 0; i < 50 && replies.length > 0; i++) replies.splice(0, 1)[0]?.();
  t.equal(outbox.depth(), 0, 'everything acked');
  t.same(firstArrivals, ids, 'first arrivals in the order the records were made');
  t.end();
});

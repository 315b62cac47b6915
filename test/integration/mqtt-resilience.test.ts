// Nothing lost, nothing twice: the broker goes away while the shop keeps working, the broker
// restarts, a consumer never acks, the outbox passes its bound. Real mosquitto, real SQLite.
import { join } from 'node:path';
import t from 'tap';
import type { FleetRecord } from '../../firmware/src/cloud/fleet/fleet-store.js';
import { FleetConsumer } from '../../firmware/src/cloud/fleet/fleet-consumer.js';
import { SqliteFleetStore } from '../../firmware/src/cloud/fleet/fleet-store.js';
import { cloudRig } from './fixtures/cloud-rig.js';
import { Broker, until } from './fixtures/mosquitto.js';

const STREAMS = ['calls', 'tickets', 'orders', 'customers'] as const;

/** First-arrival order of record ids per stream, and how often each id arrived. */
function arrivals() {
  const first = new Map<string, string[]>();
  const seen = new Map<string, number>();
  const onBatch = (_d: string, stream: string, _seq: number, records: FleetRecord[]) => {
    for (const r of records) {
      const n = seen.get(r.id) ?? 0;
      seen.set(r.id, n + 1);
      if (n === 0) {
        const list = first.get(stream) ?? [];
        list.push(r.id);
        first.set(stream, list);
      }
    }
  };
  return { first, seen, onBatch };
}

t.test('broker down during a day of traffic: every record arrives after it returns, in order, once in the store', async (t) => {
  const broker = await Broker.start();
  const dir = t.testdir({ box: {} });
  const store = new SqliteFleetStore(join(dir, 'fleet.db'));
  const a = arrivals();
  const fleet = new FleetConsumer({ url: broker.url, store, onBatch: a.onBatch });
  await fleet.start();
  // no broker persistence here: batches sent before the consumer is back are lost at the broker,
  // and the overdue ack (2 s here, 30 s by default) sends them again
  const rig = await cloudRig(join(dir, 'box'), broker.url, 'shop1', { ackTimeoutMs: 2000 });
  await rig.cloud.start();
  let written = 0;
  const write = (n: number) => {
    for (const s of STREAMS) rig.put(s, n, written);
    written += n;
  };
  write(50);
  t.ok(await until(() => store.records('shop1').length === 200 && rig.outbox.depth() === 0), 'online: 200 records, acked');
  await broker.down();
  t.ok(await until(() => !rig.cloud.status().connected), 'the box sees the broker gone');
  // a simulated day: 24 "hours" of records while the broker is away
  for (let h = 0; h < 24; h++) {
    write(40);
    await new Promise((r) => setTimeout(r, 20));
  }
  t.equal(rig.outbox.depth(), 24 * 40 * 4, 'everything waits in the outbox');
  t.equal(rig.cloud.status().outboxDepth >= 0, true);
  await broker.up();
  // the consumer (persistent session, but the broker forgot it: no persistence) reconnects itself
  t.ok(await until(() => rig.outbox.depth() === 0, 30_000), 'outbox drained after the broker returned');
  const total = written * STREAMS.length;
  t.equal(store.records('shop1').length, total, `${total} records in the store`);
  for (const s of STREAMS) {
    const ids = store.records('shop1', s).map((r) => r.id);
    t.equal(new Set(ids).size, written, `${s}: each record once`);
    const order = a.first.get(s) ?? [];
    t.same(order, [...order].sort(), `${s}: first arrivals in order`);
    t.equal(order.length, written, `${s}: all arrived`);
  }
  await rig.stop();
  await fleet.stop();
  store.close();
  await broker.stop();
});

t.test('a consumer that never acks: rows stay pending, and go again after a reconnect', async (t) => {
  const broker = await Broker.start();
  const dir = t.testdir({ box: {} });
  const silentStore = new SqliteFleetStore(join(dir, 'silent.db'));
  const silent = new FleetConsumer({ url: broker.url, store: silentStore, ack: false });
  await silent.start();
  const rig = await cloudRig(join(dir, 'box'), broker.url, 'shop2', { ackTimeoutMs: 60_000 });
  rig.put('tickets', 30);
  await rig.cloud.start();
  t.ok(await until(() => silentStore.records('shop2').length === 30), 'the records reached the consumer');
  await new Promise((r) => setTimeout(r, 500));
  t.equal(rig.outbox.depth(), 30, 'no ack: all 30 rows still pending');
  t.equal(silent.batches, 1, 'sent once while connected');
  await silent.stop();
  // the box restarts: resends from the first unacked row to a consumer that acks
  await rig.stop();
  const store = new SqliteFleetStore(join(dir, 'fleet.db'));
  const fleet = new FleetConsumer({ url: broker.url, store });
  await fleet.start();
  const rig2 = await cloudRig(join(dir, 'box'), broker.url, 'shop2');
  await rig2.cloud.start();
  t.ok(await until(() => rig2.outbox.depth() === 0), 'resent and acked');
  t.equal(store.records('shop2').length, 30);
  await rig2.stop();
  await fleet.stop();
  silentStore.close();
  store.close();
  await broker.stop();
});

t.test('an overdue ack makes the box resend from the last ack', async (t) => {
  const broker = await Broker.start();
  const dir = t.testdir({ box: {} });
  const store = new SqliteFleetStore(join(dir, 'fleet.db'));
  const fleet = new FleetConsumer({ url: broker.url, store, ack: false });
  await fleet.start();
  const rig = await cloudRig(join(dir, 'box'), broker.url, 'shop3', { ackTimeoutMs: 600 });
  rig.put('orders', 10);
  await rig.cloud.start();
  t.ok(await until(() => fleet.batches >= 2, 5000), 'the unacked batch went again');
  t.equal(store.records('shop3').length, 10, 'the duplicate changed nothing in the store');
  t.equal(rig.outbox.depth(), 10, 'still pending without an ack');
  await rig.stop();
  await fleet.stop();
  store.close();
  await broker.stop();
});

t.test('broker restart: the box reconnects, says online again, and keeps syncing', async (t) => {
  const broker = await Broker.start();
  const dir = t.testdir({ box: {} });
  const store = new SqliteFleetStore(join(dir, 'fleet.db'));
  const fleet = new FleetConsumer({ url: broker.url, store });
  await fleet.start();
  const rig = await cloudRig(join(dir, 'box'), broker.url, 'shop4', { ackTimeoutMs: 2000 });
  await rig.cloud.start();
  t.ok(await until(() => rig.cloud.status().connected));
  for (let i = 0; i < 3; i++) {
    await broker.down();
    rig.put('calls', 5, i * 5);
    await broker.up();
    t.ok(await until(() => rig.cloud.status().connected, 10_000), `reconnected after restart ${i + 1}`);
  }
  t.ok(await until(() => rig.outbox.depth() === 0, 10_000));
  t.equal(store.records('shop4', 'calls').length, 15);
  t.ok(await until(() => store.devices().some((d) => d.deviceId === 'shop4' && d.state === 'online')), 'the fleet sees it online');
  t.ok(rig.cloud.status().lastSyncAt);
  await rig.stop();
  await fleet.stop();
  store.close();
  await broker.stop();
});

t.test('the outbox bound raises an alarm, and records still queue', async (t) => {
  const dir = t.testdir({ box: {} });
  // no broker at all: offline is normal, start() does not fail
  const rig = await cloudRig(join(dir, 'box'), 'mqtt://127.0.0.1:1', 'shop5', { alarmRows: 100 });
  await rig.cloud.start();
  rig.put('customers', 99);
  t.equal(rig.cloud.sender.depth(true), 99);
  t.equal(rig.cloud.status().outboxAlarm, false, 'below the bound');
  rig.put('customers', 51, 99);
  t.equal(rig.cloud.sender.depth(true), 150, 'nothing dropped above the bound');
  t.equal(rig.cloud.status().outboxAlarm, true, 'alarm raised');
  t.equal(rig.cloud.status().connected, false);
  t.ok(await until(() => rig.cloud.status().lastError !== null), 'the reason is visible');
  await rig.stop();
});

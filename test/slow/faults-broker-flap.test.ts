// The MQTT broker down and flapping (a real mosquitto stopped and started three times) under the
// production bundle while calls, customers and tickets go on (issue 11's fault suite). The box
// stays up and keeps answering calls, /healthz shows CLOUD_OFFLINE and /metrics the disconnection,
// and afterwards every record reaches the fleet, tickets and customers in the order they were made,
// and the outbox drains. A batch published while the consumer was not yet resubscribed is lost at
// the broker; the consumer refuses the batch after it (`refused: "gap"`) and the box sends again from
// its first unacked record (the bug this test found under load, fixed in 8c2d7d7: docs/RELIABILITY.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FleetConsumer } from '../../firmware/src/cloud/fleet/fleet-consumer.js';
import { SqliteFleetStore } from '../../firmware/src/cloud/fleet/fleet-store.js';
import { startBox } from '../helpers/process.js';
import { Broker, until } from '../integration/fixtures/mosquitto.js';
import { health, shopWork, signIn, sleep, waitFor } from '../integration/fixtures/shop-work.js';

t.test('broker down and flapping: the box stays up, shows the alarm, and delivers everything in order after', async (t) => {
  const broker = await Broker.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-fault-mqtt-'));
  const store = new SqliteFleetStore(join(dataDir, 'fleet.db'));
  const first = new Map<string, string[]>();
  const fleet = new FleetConsumer({
    url: broker.url,
    store,
    onBatch: (_d, stream, _seq, records) => {
      const seen = first.get(stream) ?? [];
      for (const r of records) if (!seen.includes(r.id)) seen.push(r.id);
      first.set(stream, seen);
    },
  });
  await fleet.start();
  const box = await startBox(dataDir, [], { CALLBOX_MQTT_URL: broker.url, CALLBOX_DEVICE_ID: 'shop-flap' });
  t.teardown(async () => {
    await box.stop().catch(() => undefined);
    await fleet.stop();
    store.close();
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  t.ok(await waitFor(async () => (await health(box)).cloud?.connected === true, 15_000), 'connected at first');
  const work = shopWork(box, await signIn(box), 300);

  let sawAlarm = false;
  let sawMetric = false;
  for (let flap = 0; flap < 3; flap++) {
    await broker.down();
    const down = await waitFor(async () => {
      const h = await health(box);
      return h.cloud?.connected === false && h.alarms.some((a) => a.code === 'CLOUD_OFFLINE');
    }, 10_000);
    if (down) sawAlarm = true;
    if (/^callbox_cloud_connected 0$/m.test(await (await fetch(`${box.url}/metrics`)).text())) sawMetric = true;
    await sleep(1500);
    await broker.up();
    await sleep(1500);
  }
  t.ok(sawAlarm, '/healthz showed CLOUD_OFFLINE while the broker was down');
  t.ok(sawMetric, '/metrics showed callbox_cloud_connected 0');
  await work.stop();
  t.same(work.made.refused, [], 'the shop worked throughout: nothing refused');
  t.ok(work.made.calls.length >= 3, `calls answered during the flapping (${work.made.calls.length})`);

  t.ok(await waitFor(async () => (await health(box)).cloud?.connected === true, 30_000), 'reconnected');
  const ids = (stream: string) => new Set(store.records('shop-flap', stream).map((r) => r.id));
  const all = () => [...work.made.tickets, ...work.made.customers].every((id) => ids('tickets').has(id) || ids('customers').has(id));
  // (what is missing, if anything, is named per stream below)
  t.ok(await until(all, 90_000), 'every ticket and customer reached the fleet');
  // the depth shown is cached for up to 5 s
  t.ok(await waitFor(async () => (await health(box)).cloud?.outboxDepth === 0, 60_000), 'the outbox drained');
  const h = await health(box);
  t.equal(h.status, 'ok');
  t.same(
    h.alarms.filter((a) => a.subject === 'cloud'),
    [],
    'the cloud alarm cleared',
  );
  for (const kind of ['tickets', 'customers'] as const) {
    const got = ids(kind);
    t.same(
      work.made[kind].filter((id) => !got.has(id)),
      [],
      `${kind}: all ${work.made[kind].length} made reached the fleet`,
    );
    const order = (first.get(kind) ?? []).filter((id) => work.made[kind].includes(id));
    t.same(order, work.made[kind], `${kind}: first arrivals in the order they were made`);
  }
  t.ok(await until(() => work.made.calls.every((id) => ids('calls').has(id)), 30_000), 'every call record reached the fleet');
  t.ok(box.proc.exitCode === null, 'the box process never stopped');
});

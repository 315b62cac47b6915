// Scaling out the reference consumer: two instances in one shared-subscription group
// ($share/<group>/cb/v1/+/rec/#) split the records of three boxes; together they hold every record
// once and every box's outbox is fully acked.
import { join } from 'node:path';
import t from 'tap';
import { FleetConsumer } from '../../firmware/src/cloud/fleet/fleet-consumer.js';
import { SqliteFleetStore } from '../../firmware/src/cloud/fleet/fleet-store.js';
import { cloudRig } from './fixtures/cloud-rig.js';
import { Broker, until } from './fixtures/mosquitto.js';

t.test('two consumers in a group split the fleet, nothing lost', async (t) => {
  const broker = await Broker.start();
  const dir = t.testdir({ a: {}, b: {}, c: {} });
  const stores = [new SqliteFleetStore(join(dir, 'f1.db')), new SqliteFleetStore(join(dir, 'f2.db'))];
  const consumers = stores.map((store, i) => new FleetConsumer({ url: broker.url, store, group: 'g1', clientId: `fleet-${i}` }));
  for (const c of consumers) await c.start();
  const rigs = await Promise.all(['a', 'b', 'c'].map((d) => cloudRig(join(dir, d), broker.url, `shop-${d}`)));
  for (const r of rigs) {
    r.put('tickets', 300);
    r.put('orders', 200);
    r.cloud.start();
  }
  t.ok(await until(() => rigs.every((r) => r.outbox.depth() === 0), 20_000), 'every box drained');
  for (const d of ['a', 'b', 'c']) {
    const ids = stores.flatMap((s) => s.records(`shop-${d}`).map((r) => r.id));
    t.equal(new Set(ids).size, 500, `shop-${d}: 500 records across the group`);
  }
  t.ok(
    consumers.every((c) => c.batches > 0),
    `both consumers took a share (${consumers.map((c) => c.batches).join(' + ')} batches)`,
  );
  for (const r of rigs) await r.stop();
  for (const c of consumers) await c.stop();
  for (const s of stores) s.close();
  await broker.stop();
});

// A broker host name that does not resolve, injected into the production bundle while calls and
// tickets go on (issue 11's fault suite; the broker stopped and started again and again is in
// test/slow/faults-broker-flap.test.ts). The box stays up and keeps answering calls, /healthz shows
// the CLOUD_OFFLINE alarm with the resolver's error, records wait in the outbox, and once the name
// resolves every one of them reaches the fleet.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FleetConsumer } from '../../firmware/src/cloud/fleet/fleet-consumer.js';
import { SqliteFleetStore } from '../../firmware/src/cloud/fleet/fleet-store.js';
import { startBox } from '../helpers/process.js';
import { Broker } from './fixtures/mosquitto.js';
import { health, shopWork, signIn, sleep, waitFor } from './fixtures/shop-work.js';

t.test('a broker host name that does not resolve: calls go on, the alarm names the DNS error, records wait and go later', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-fault-dns-'));
  // .invalid never resolves (RFC 2606)
  let box = await startBox(dataDir, [], { CALLBOX_MQTT_URL: 'mqtt://broker.callbox.invalid:1883', CALLBOX_DEVICE_ID: 'shop-dns' });
  const broker = await Broker.start();
  const store = new SqliteFleetStore(join(dataDir, 'fleet.db'));
  const fleet = new FleetConsumer({ url: broker.url, store });
  t.teardown(async () => {
    await box.stop().catch(() => undefined);
    await fleet.stop();
    store.close();
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const work = shopWork(box, await signIn(box), 200);
  t.ok(
    await waitFor(
      async () => (await health(box)).alarms.some((a) => a.code === 'CLOUD_OFFLINE' && /ENOTFOUND|EAI_AGAIN/.test(a.message)),
      15_000,
    ),
    'CLOUD_OFFLINE with the resolver error',
  );
  await sleep(2500);
  await work.stop();
  t.same(work.made.refused, [], 'nothing refused');
  t.ok(work.made.calls.length >= 2, 'calls answered');
  const h = await health(box);
  t.equal(h.status, 'ok', 'no cloud is a warning: the box is not degraded');
  const waiting = work.made.tickets.length + work.made.customers.length;
  // the depth shown is cached for up to 5 s
  t.ok(await waitFor(async () => ((await health(box)).cloud?.outboxDepth ?? 0) >= waiting, 8000), 'the records wait in the outbox');

  // the fault goes: a name that resolves (the technician fixed DNS or the URL); the box restarts
  await fleet.start();
  await box.stop();
  box = await startBox(dataDir, [], { CALLBOX_MQTT_URL: `mqtt://localhost:${broker.port}`, CALLBOX_DEVICE_ID: 'shop-dns' });
  t.ok(await waitFor(async () => (await health(box)).cloud?.outboxDepth === 0, 60_000), 'drained once the name resolves');
  const got = new Set(store.records('shop-dns').map((r) => r.id));
  t.same(
    [...work.made.tickets, ...work.made.customers, ...work.made.calls].filter((id) => !got.has(id)),
    [],
    'every record made during the DNS failure reached the fleet',
  );
  t.same((await health(box)).alarms, [], 'no alarm left');
});

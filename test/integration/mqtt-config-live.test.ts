// A desired config through a real mosquitto applied live on a real box (sim driver, virtual time for
// the calls): the box reports `applied` on config/reported and the next simulated call follows the
// new IVR menu without a restart; a config with restart-only parts is `restart-required`; an invalid
// one is `rejected` with the field's path and the box keeps its last good flow. Every message the
// box sends fits the AsyncAPI schemas.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { FleetConsumer } from '../../firmware/src/cloud/fleet/fleet-consumer.js';
import { SqliteFleetStore } from '../../firmware/src/cloud/fleet/fleet-store.js';
import type { Config } from '../../firmware/src/config/schema.js';
import { virtualBox } from '../helpers/box.js';
import { Spy } from './fixtures/contract-check.js';
import { Broker, until } from './fixtures/mosquitto.js';

type Reported = { version: number | null; status: string; errors: { path: string }[]; restartRequired: string[] };

t.test('config/desired is applied live and reported', async (t) => {
  const broker = await Broker.start();
  const dir = t.testdir({ box: {} });
  const store = new SqliteFleetStore(join(dir, 'fleet.db'));
  const fleet = new FleetConsumer({ url: broker.url, store });
  await fleet.start();
  const spy = await Spy.start(broker.url, 'shop-live');
  const vb = await virtualBox({ dataDir: join(dir, 'box'), env: { CALLBOX_MQTT_URL: broker.url, CALLBOX_DEVICE_ID: 'shop-live' } });
  t.teardown(async () => {
    await vb.close();
    await spy.stop();
    await fleet.stop();
    store.close();
    await broker.stop();
  });
  t.ok(await until(() => vb.box.service.health().cloud?.connected === true), 'the box is connected');
  vb.box.service.sim!.setAgentSettings({ answerAfterS: 1, talkS: 3 });
  const reported = () => spy.on('config/reported').map((s) => s.body as Reported);
  const call = async (digits: string) => {
    const { callId } = await vb.box.service.sim!.placeCall({ channel: 'fxo1', callerId: '13800138000', digits, hangupAfterS: 60 });
    await vb.clock.runUntil(() => vb.box.service.calls.get(callId)?.state === 'ended', 180_000);
    return vb.box.service.calls.get(callId);
  };
  t.match(await call('1'), { outcome: 'answered', queue: 'main' }, 'before: 1 reaches the main queue');

  // the shop closes the hotline menu: 1 now plays "closed" and hangs up
  const desired = structuredClone(vb.box.config) as Config;
  desired.shop.name = '张记五金店';
  desired.ivr.menus.closed = {
    prompt: 'closed',
    timeoutS: 1,
    repeats: 0,
    options: {},
    onTimeout: { action: 'hangup' },
    onInvalid: { action: 'hangup' },
  };
  (desired.ivr.menus.main as Config['ivr']['menus'][string]).options['1'] = { action: 'menu', menu: 'closed' };
  await fleet.desired('shop-live', 1, desired);
  t.ok(await until(() => reported().some((r) => r.version === 1)), 'reported');
  t.match(reported().at(-1), { version: 1, status: 'applied', errors: [], restartRequired: [] });
  t.equal(vb.box.config.shop.name, '张记五金店', 'running without a restart');
  const after = await call('1');
  t.match(after, { outcome: 'ivrHangup', queue: null }, 'the next call follows the new menu');
  const onDisk = JSON.parse(readFileSync(join(dir, 'box', 'config.json'), 'utf8')) as Config;
  t.equal(onDisk.shop.name, '张记五金店', 'written to config.json');
  t.match(vb.box.service.audit.list({ entity: 'config', limit: 1 })[0], { actor: 'cloud', detail: { source: 'cloud' } });

  const bigger = structuredClone(desired) as Config;
  bigger.hardware.sim.fxo = 3;
  await fleet.desired('shop-live', 2, bigger);
  t.ok(await until(() => reported().some((r) => r.version === 2)));
  t.match(reported().at(-1), { version: 2, status: 'restart-required', restartRequired: ['/hardware'] });

  const bad = structuredClone(bigger) as Config;
  (bad.ivr.menus.main as Config['ivr']['menus'][string]).options['1'] = { action: 'queue', queue: 'nosuch' };
  await fleet.desired('shop-live', 3, bad);
  t.ok(await until(() => reported().some((r) => r.version === 3)));
  t.match(reported().at(-1), { version: 3, status: 'rejected', errors: [{ path: '/ivr/menus/main/options/1/queue' }] });
  t.match(await call('1'), { outcome: 'ivrHangup' }, 'the last good flow stays');
  await fleet.raw('cb/v1/shop-live/config/desired', '', { retain: true });
  t.same(spy.violations(), [], 'every message the box sent fits its schema');
});

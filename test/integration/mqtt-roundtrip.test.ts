// The cloud contract end to end through a real mosquitto: a box-side CloudModule (real SQLite outbox
// and ConfigStore) and the reference fleet consumer. Every topic makes its round trip, and every
// message the box sends is checked against the JSON Schemas of docs/asyncapi.yaml.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { FleetConsumer } from '../../firmware/src/cloud/fleet/fleet-consumer.js';
import { SqliteFleetStore } from '../../firmware/src/cloud/fleet/fleet-store.js';
import { defaultConfig } from '../../firmware/src/config/schema.js';
import { cloudRig, type Rig } from './fixtures/cloud-rig.js';
import { resultErrors, Spy } from './fixtures/contract-check.js';
import { Broker, until } from './fixtures/mosquitto.js';

const broker = await Broker.start();
const dir = t.testdir({ box: {}, box4: {}, fleet: {} });
const store = new SqliteFleetStore(join(dir, 'fleet', 'fleet.db'));
const fleet = new FleetConsumer({ url: broker.url, store });
await fleet.start();
const spy = await Spy.start(broker.url, 'box1');
let rig: Rig = await cloudRig(join(dir, 'box'), broker.url, 'box1');

t.teardown(async () => {
  await rig.stop().catch(() => undefined);
  await spy.stop();
  await fleet.stop();
  store.close();
  await broker.stop();
});

t.test('birth, records and acks', async (t) => {
  rig.put('tickets', 5);
  rig.put('calls', 3);
  await rig.cloud.start();
  t.ok(await until(() => spy.on('status').some((s) => (s.body as { state: string }).state === 'online')), 'birth seen');
  const birth = spy.on('status').at(-1)?.body as Record<string, unknown>;
  t.match(birth, { state: 'online', fw: '0.1.0-test', session: String, bootId: String });
  t.ok(await until(() => store.records('box1').length === 8 && rig.outbox.depth() === 0), 'all 8 records stored and acked');
  t.same(
    store.records('box1', 'tickets').map((r) => r.id),
    [0, 1, 2, 3, 4].map((k) => `r-tickets-00000${k}`),
  );
  t.match(store.records('box1', 'calls')[0]?.body, { stream: 'calls', 名称: '张三' }, 'UTF-8 body intact');
  t.equal(rig.cloud.status().connected, true);
  t.ok(rig.cloud.status().lastSyncAt, 'last sync time set');
  const devices = store.devices();
  t.match(devices, [{ deviceId: 'box1', state: 'online', records: 8 }]);
});

t.test('telemetry', async (t) => {
  t.ok(rig.cloud.publishTelemetry());
  t.ok(await until(() => spy.on('tel').length > 0));
  t.match(spy.on('tel')[0]?.body, { linesTotal: 2, linesBusy: 1, callsWaiting: 0, serviceLevel: 0.9, outboxDepth: 0, outboxAlarm: false });
});

t.test('commands: every built-in one, with results checked against their schemas', async (t) => {
  const insert = rig.db.prepare('INSERT INTO events (ts, type, call_id, data) VALUES (?, ?, ?, ?)');
  for (let i = 0; i < 450; i++) insert.run(Date.now(), 'call.ended', `c${i}`, JSON.stringify({ i }));
  for (const name of ['ping', 'diagnostics', 'selftest'] as const) {
    const [reply] = await fleet.command('box1', name);
    t.equal(reply?.ok, true, `${name} ok`);
    t.same(resultErrors(name, reply as { ok: boolean; result?: unknown }), [], `${name} result fits its schema`);
  }
  const logs = await fleet.command('box1', 'logs', { limit: 450 });
  t.equal(logs.length, 3, '450 lines in 3 chunks of ≤200');
  t.same(
    logs.map((r) => r.chunk),
    [0, 1, 2],
  );
  t.equal(logs.flatMap((r) => (r.result as { lines: unknown[] }).lines).length, 450);
  for (const r of logs) t.same(resultErrors('logs', r), []);

  const [ota] = await fleet.command('box1', 'ota-start', { url: 'https://example.com/fw.bin' });
  // OTA jobs need an OTA root (mqtt-ota.test.ts has one); this box has none
  t.match(ota, { ok: false, error: { code: 'UNAVAILABLE', message: /CALLBOX_OTA_ROOT/ } });
  const [unknown] = await fleet.command('box1', 'make-coffee');
  t.match(unknown, { ok: false, error: { code: 'NOT_FOUND' } });
  const [badArgs] = await fleet.command('box1', 'logs', { limit: -1 });
  t.match(badArgs, { ok: false, error: { code: 'VALIDATION_FAILED', message: /args\.limit/ } });

  const [reboot] = await fleet.command('box1', 'reboot', {}, { requestId: 'reboot-1' });
  t.match(reboot, { ok: true, result: { restarting: true, exitCode: 75 } });
  const [again] = await fleet.command('box1', 'reboot', {}, { requestId: 'reboot-1' });
  t.same(again, reboot, 'a redelivered request id gets the same reply');
  await new Promise((r) => setTimeout(r, 400));
  t.same(rig.restarts, ['cloud command reboot'], 'and runs once');

  const [noUser] = await fleet.command('box1', 'rotate-credentials', { password: 'n3w-s3cret-密码' });
  t.match(noUser, { ok: false, error: { code: 'VALIDATION_FAILED', message: /username/ } }, 'a password needs a user name');
  const [rot] = await fleet.command('box1', 'rotate-credentials', { username: 'box1', password: 'n3w-s3cret-密码' });
  t.match(rot, { ok: true, result: { rotated: true, persisted: false } });
  const [short] = await fleet.command('box1', 'rotate-credentials', { password: 'x' });
  t.match(short, { ok: false, error: { code: 'VALIDATION_FAILED', message: /password/ } });
  t.ok(
    await until(() => spy.on('status').filter((s) => (s.body as { state: string }).state === 'online').length >= 2),
    'reconnected after rotation',
  );
  const [ping] = await fleet.command('box1', 'ping');
  t.equal(ping?.ok, true, 'answers after the reconnect');
});

t.test('malformed, oversized and expired commands get an error envelope; nothing crashes', async (t) => {
  const replies = () => spy.on(/^res\//).map((s) => s.body as { requestId: string | null; ok: boolean; error?: { code: string } });
  const before = replies().length;
  await fleet.raw('cb/v1/box1/cmd/ping', '{"requestId": "m1", broken');
  await fleet.raw(
    'cb/v1/box1/cmd/ping',
    Buffer.concat([Buffer.from('{"requestId":"big","x":"'), Buffer.alloc(300 * 1024, 97), Buffer.from('"}')]),
  );
  await fleet.raw('cb/v1/box1/cmd/ping', Buffer.from([0xff, 0xfe, 0x00]));
  await fleet.raw('cb/v1/box1/cmd/ping', '[1,2,3]');
  await fleet.raw('cb/v1/box1/cmd/ping', '{"args":{}}');
  t.ok(await until(() => replies().length >= before + 5));
  const codes = replies()
    .slice(before)
    .map((r) => r.error?.code);
  t.same(codes, ['BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'BAD_REQUEST', 'BAD_REQUEST', 'VALIDATION_FAILED']);
  const [expired] = await fleet.command('box1', 'ping', {}, { expiresAt: new Date(Date.now() - 1000).toISOString() });
  t.match(expired, { ok: false, error: { code: 'BAD_REQUEST', message: /expired/ } });
  // malformed and unknown acks are ignored, a forged ack above anything sent cannot mark unsent rows
  await fleet.raw('cb/v1/box1/rec-ack/tickets', 'nope');
  await fleet.raw('cb/v1/box1/rec-ack/nosuch', '{"seq":1}');
  rig.put('tickets', 1, 100);
  await fleet.raw('cb/v1/box1/rec-ack/tickets', '{"seq":999999}');
  t.ok(await until(() => store.records('box1', 'tickets').length === 6), 'the new record still arrives');
  const [ping] = await fleet.command('box1', 'ping');
  t.equal(ping?.ok, true, 'still answering');
});

t.test('desired config: applied to the store; invalid refused with reasons, last good kept', async (t) => {
  const reported = () => spy.on('config/reported').map((s) => s.body as { version: number; status: string; errors: { path: string }[] });
  const good = { ...defaultConfig(), shop: { ...defaultConfig().shop, name: '张记五金店' } };
  await fleet.desired('box1', 1, good);
  t.ok(await until(() => reported().some((r) => r.version === 1)));
  t.match(reported().at(-1), { version: 1, status: 'restart-required', errors: [], restartRequired: ['/'] });
  const onDisk = () => JSON.parse(readFileSync(join(dir, 'box', 'config.json'), 'utf8')) as { shop: { name: string } };
  t.equal(onDisk().shop.name, '张记五金店', 'written through the ConfigStore');

  const bad = { ...good, shop: { ...good.shop, name: '' }, queues: [{ id: 'q' }] };
  await fleet.desired('box1', 2, bad);
  t.ok(await until(() => reported().some((r) => r.version === 2)));
  const r2 = reported().at(-1);
  t.equal(r2?.status, 'rejected');
  t.ok(
    r2?.errors.some((e) => e.path.startsWith('/shop/name')),
    'names the field',
  );
  t.equal(onDisk().shop.name, '张记五金店', 'the last good config stays');

  await fleet.raw('cb/v1/box1/config/desired', '{"version": 3, "config": [', { retain: true });
  t.ok(await until(() => reported().some((r) => r.version === null && r.status === 'rejected')), 'malformed JSON rejected');
  await fleet.desired('box1', 1, good);
  t.ok(await until(() => reported().filter((r) => r.version === 1).length === 2));
  t.match(reported().at(-1), { status: 'restart-required' }, 'the same version again: same answer, nothing rewritten');
  await fleet.raw('cb/v1/box1/config/desired', '', { retain: true });
});

t.test('MQTT 3.1.1 box: request id in the payload, reply on res/{name}', async (t) => {
  const spy4 = await Spy.start(broker.url, 'box4');
  const rig4 = await cloudRig(join(dir, 'box4'), broker.url, 'box4', { protocolVersion: 4 });
  await rig4.cloud.start();
  t.ok(await until(() => rig4.cloud.status().connected));
  const [reply] = await fleet.command('box4', 'ping', {}, { requestId: 'v311-1' });
  t.match(reply, { requestId: 'v311-1', ok: true, result: { pong: true } });
  t.ok(spy4.on('res/ping').length >= 1);
  t.same(spy4.violations(), []);
  await rig4.stop();
  await spy4.stop();
});

t.test('a command that expires while the box is offline is never run', async (t) => {
  await rig.stop();
  t.ok(await until(() => spy.on('status').some((s) => (s.body as { state: string }).state === 'offline')), 'clean stop says offline');
  fleet.publishCommand('box1', 'reboot', { requestId: 'exp-1' }, 'exp-1', 1);
  fleet.publishCommand('box1', 'ping', { requestId: 'keep-1' }, 'keep-1', 600);
  await new Promise((r) => setTimeout(r, 2200));
  rig = await cloudRig(join(dir, 'box'), broker.url, 'box1');
  await rig.cloud.start();
  t.ok(
    await until(() => spy.on(/^res\//).some((s) => (s.body as { requestId: string }).requestId === 'keep-1')),
    'the queued ping is answered',
  );
  await new Promise((r) => setTimeout(r, 300));
  t.notOk(
    spy.on(/^res\//).some((s) => (s.body as { requestId: string }).requestId === 'exp-1'),
    'the expired reboot never reached the box',
  );
  t.same(rig.restarts, []);
});

t.test('every message the box sent fits the AsyncAPI schemas', async (t) => {
  t.ok(spy.fromBox().length > 20, `${spy.fromBox().length} messages checked`);
  t.same(spy.violations(), []);
});

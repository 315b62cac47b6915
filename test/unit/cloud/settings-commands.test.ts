// Cloud settings (config + environment), the command dispatcher (request ids, dedup across a
// restart, response topics kept inside the device subtree, expiry, chunks) and the desired-config
// sync (versions, the local cloud section kept, restart on request), with a real ConfigStore.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IPublishPacket } from 'mqtt';
import pino from 'pino';
import t from 'tap';
import { Chunks, CommandDispatcher } from '../../../firmware/src/cloud/commands.js';
import { ConfigSync, type ConfigReport } from '../../../firmware/src/cloud/config-sync.js';
import { resolveCloudSettings } from '../../../firmware/src/cloud/settings.js';
import { CloudStateFile } from '../../../firmware/src/cloud/state-file.js';
import { deviceTopics, parseTopic } from '../../../firmware/src/cloud/topics.js';
import { ConfigStore } from '../../../firmware/src/config/config-store.js';
import { defaultConfig } from '../../../firmware/src/config/schema.js';
import { validateConfig } from '../../../firmware/src/config/validate.js';

const log = pino({ level: 'silent' });

t.test('settings: off by default, env overrides config, clear errors', (t) => {
  t.equal(resolveCloudSettings(undefined, {}), null);
  t.equal(resolveCloudSettings({ enabled: false, url: 'mqtt://a:1883', deviceId: 'x' }, {}), null);
  const s = resolveCloudSettings(
    { enabled: false, url: 'mqtt://a:1883', deviceId: 'shop1' },
    { CALLBOX_MQTT_URL: 'mqtt://127.0.0.1:1884' },
  );
  t.match(s, { url: 'mqtt://127.0.0.1:1884', deviceId: 'shop1', protocolVersion: 5, sessionExpiryS: 604800 });
  t.match(resolveCloudSettings({ enabled: true, url: 'mqtt://a:1883', deviceId: 'shop1' }, { CALLBOX_DEVICE_ID: 'shop2' }), {
    url: 'mqtt://a:1883',
    deviceId: 'shop2',
  });
  t.throws(() => resolveCloudSettings(undefined, { CALLBOX_MQTT_URL: 'mqtt://a:1' }), { code: 'CONFIG_INVALID', message: /device id/ });
  t.throws(() => resolveCloudSettings(undefined, { CALLBOX_MQTT_URL: 'mqtt://a:1', CALLBOX_DEVICE_ID: 'a/b' }), { code: 'CONFIG_INVALID' });
  t.throws(() => resolveCloudSettings(undefined, { CALLBOX_MQTT_URL: 'http://a', CALLBOX_DEVICE_ID: 'a' }), {
    code: 'CONFIG_INVALID',
    message: /mqtt:\/\//,
  });
  t.throws(() => resolveCloudSettings({ enabled: true, url: 'mqtt://a:1', deviceId: 'a', password: 'secret-1' }, {}), {
    message: /username/,
  });
  t.end();
});

t.test('the cloud section in config.json is validated like the rest', (t) => {
  const ok = validateConfig({ ...defaultConfig(), cloud: { enabled: true, url: 'mqtts://mqtt.example.cn:8883', deviceId: 'shop-hz-01' } });
  t.equal(ok.ok, true);
  const bad = validateConfig({ ...defaultConfig(), cloud: { enabled: true, url: 'ftp://x', deviceId: 'a b', colour: 1 } });
  t.equal(bad.ok, false);
  const paths = bad.ok ? [] : bad.errors.map((e) => e.path);
  t.ok(paths.includes('/cloud/url') && paths.includes('/cloud/deviceId'), paths.join(', '));
  t.end();
});

t.test('topics', (t) => {
  const d = deviceTopics('shop1');
  t.equal(d.rec('calls'), 'cb/v1/shop1/rec/calls');
  t.same(parseTopic('cb/v1/shop1/config/reported'), { deviceId: 'shop1', kind: 'config', name: 'reported' });
  t.equal(parseTopic('cb/v2/shop1/status'), null);
  t.end();
});

function packet(props: IPublishPacket['properties'] = {}): IPublishPacket {
  return { cmd: 'publish', topic: '', payload: Buffer.alloc(0), qos: 1, dup: false, retain: false, properties: props } as IPublishPacket;
}

t.test('dispatcher: response topic, dedup across a restart, chunks, expiry', async (t) => {
  const dir = t.testdir({});
  const file = path.join(dir, 'cloud-state.json');
  const out: { topic: string; body: { requestId: string; ok: boolean; result?: unknown; error?: { code: string }; chunk?: number } }[] = [];
  let runs = 0;
  const make = () =>
    new CommandDispatcher({
      topics: deviceTopics('shop1'),
      state: new CloudStateFile(file),
      log,
      now: () => Date.parse('2026-11-27T04:00:00Z'),
      publish: (topic, body, _c, done) => {
        out.push({ topic, body: body as (typeof out)[number]['body'] });
        done?.();
      },
      handlers: {
        count: () => ++runs,
        many: () => new Chunks([{ a: 1 }, { a: 2 }]),
      },
    });
  const d = make();
  const body = (o: unknown) => Buffer.from(JSON.stringify(o));
  await d.onCommand('count', body({ requestId: 'r1' }), packet({ responseTopic: 'cb/v1/shop1/res/fleet-a' }));
  t.match(out.at(-1), { topic: 'cb/v1/shop1/res/fleet-a', body: { requestId: 'r1', ok: true, result: 1 } });
  await d.onCommand('count', body({ requestId: 'r2' }), packet({ responseTopic: 'cb/v1/other/res/x' }));
  t.equal(out.at(-1)?.topic, 'cb/v1/shop1/res/count', 'a response topic outside the subtree is not used');
  await d.onCommand('count', body({}), packet({ correlationData: Buffer.from('corr-3') }));
  t.match(out.at(-1)?.body, { requestId: 'corr-3', ok: true, result: 3 }, 'request id from the correlation data');
  await d.onCommand('count', body({ requestId: 'r1' }), packet());
  t.match(out.at(-1)?.body, { requestId: 'r1', result: 1 }, 'redelivery answered from the cache');
  t.equal(runs, 3);
  const after = make(); // a restart: the cache is gone, the ids are not
  await after.onCommand('count', body({ requestId: 'r2' }), packet());
  t.match(out.at(-1)?.body, { requestId: 'r2', ok: true, result: { duplicate: true } });
  t.equal(runs, 3, 'not run again after the restart');
  t.ok(JSON.parse(readFileSync(file, 'utf8')).requestIds.includes('r2'));
  await after.onCommand('many', body({ requestId: 'm1' }), packet());
  t.same(
    out.slice(-2).map((o) => o.body.chunk),
    [0, 1],
  );
  await after.onCommand('count', body({ requestId: 'e1', expiresAt: '2026-11-27T03:59:59Z' }), packet());
  t.match(out.at(-1)?.body, { ok: false, error: { code: 'BAD_REQUEST' } });
  await after.onCommand('count', body({ requestId: 7 }), packet());
  t.match(out.at(-1)?.body, { requestId: null, ok: false, error: { code: 'VALIDATION_FAILED' } });
  t.equal(runs, 3);
});

t.test('desired config: versions, the local cloud section kept, restart on request', async (t) => {
  const dir = t.testdir({});
  const store = new ConfigStore({ path: path.join(dir, 'config.json') });
  await store.load();
  const local = { enabled: true, url: 'mqtt://127.0.0.1:1883', deviceId: 'shop1' };
  await store.update((c) => {
    c.cloud = local;
  });
  const reports: ConfigReport[] = [];
  const restarts: string[] = [];
  const state = new CloudStateFile(path.join(dir, 'cloud-state.json'));
  const sync = new ConfigSync({
    configStore: store,
    state,
    log,
    now: () => 0,
    report: (r) => reports.push(r),
    requestRestart: (r) => restarts.push(r),
  });
  const doc = (version: number, config: unknown, restart?: boolean) =>
    Buffer.from(JSON.stringify({ version, config, ...(restart ? { restart } : {}) }));
  const desired = {
    ...defaultConfig(),
    shop: { ...defaultConfig().shop, name: '李记' },
    cloud: { enabled: false, url: 'mqtt://evil:1', deviceId: 'x' },
  };
  await sync.onDesired(doc(5, desired, true));
  t.match(reports.at(-1), { version: 5, status: 'restart-required', restartRequired: ['/'] }, 'no live apply here: all at the next start');
  t.same(store.get().cloud, local, 'the local cloud section is kept');
  t.equal(store.get().shop.name, '李记');
  t.same(restarts, ['desired config version 5']);
  await sync.onDesired(doc(4, desired));
  t.match(reports.at(-1), { version: 4, status: 'rejected', errors: [{ path: '/version' }] });
  await sync.onDesired(Buffer.from('{"version":"6"}'));
  t.match(reports.at(-1), { version: null, status: 'rejected' });
  // after the restart, version 5 is what runs
  const state2 = new CloudStateFile(path.join(dir, 'cloud-state.json'));
  state2.promotePending();
  const sync2 = new ConfigSync({
    configStore: store,
    state: state2,
    log,
    now: () => 0,
    report: (r) => reports.push(r),
    requestRestart: null,
  });
  await sync2.onDesired(doc(5, desired));
  t.match(reports.at(-1), { version: 5, status: 'applied', restartRequired: [] });
});

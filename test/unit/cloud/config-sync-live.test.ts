// config/desired applied live (ConfigSync with the real ConfigControl over a real ConfigStore): a
// change the box can make live is `applied` at once; one with restart-only parts is
// `restart-required` naming them (and restarts only when asked and needed); an invalid one is
// `rejected` with each field's path, and nothing changes.
import path from 'node:path';
import pino from 'pino';
import t from 'tap';
import { type ConfigReport, ConfigSync } from '../../../firmware/src/cloud/config-sync.js';
import { CloudStateFile } from '../../../firmware/src/cloud/state-file.js';
import { ConfigStore } from '../../../firmware/src/config/config-store.js';
import { type Config, defaultConfig } from '../../../firmware/src/config/schema.js';
import { ConfigControl } from '../../../firmware/src/service/config-control.js';

const log = pino({ level: 'silent' });

t.test('applied live, restart-required, rejected', async (t) => {
  const dir = t.testdir({});
  const store = new ConfigStore({ path: path.join(dir, 'config.json') });
  const booted = await store.load();
  const live: Config[] = [];
  const audit: { actor: string; detail: unknown }[] = [];
  const control = new ConfigControl({
    store,
    booted,
    applyLive: (c) => live.push(c),
    audit: (actor, _a, _e, _id, detail) => audit.push({ actor, detail }),
    log,
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
    apply: (next) => control.replace(next, { actor: 'cloud', source: 'cloud' }),
  });
  const doc = (version: number, config: unknown, restart?: boolean) =>
    Buffer.from(JSON.stringify({ version, config, ...(restart ? { restart } : {}) }));

  const named = { ...defaultConfig(), shop: { ...defaultConfig().shop, name: '李记' } };
  await sync.onDesired(doc(1, named, true));
  t.match(reports.at(-1), { version: 1, status: 'applied', errors: [], restartRequired: [] });
  t.equal(live.at(-1)?.shop.name, '李记', 'made live');
  t.same(restarts, [], 'restart: true but nothing needs one');
  t.equal(state.get().appliedVersion, 1);
  t.match(audit.at(-1), { actor: 'cloud', detail: { source: 'cloud', applied: ['/shop/name'] } });

  const bigger = { ...named, hardware: { ...named.hardware, sim: { ...named.hardware.sim, fxo: 4 } } };
  await sync.onDesired(doc(2, bigger));
  t.match(reports.at(-1), { version: 2, status: 'restart-required', restartRequired: ['/hardware'] });
  t.same(restarts, [], 'not asked to restart');
  t.equal(store.get().hardware.sim.fxo, 4, 'written');
  await sync.onDesired(doc(2, bigger));
  t.match(reports.at(-1), { version: 2, status: 'restart-required', restartRequired: ['/hardware'] }, 'the same version: the same answer');
  await sync.onDesired(doc(3, bigger, true));
  t.same(restarts, ['desired config version 3'], 'asked and needed: restart');

  const bad = { ...named, queues: [{ ...named.queues[0], maxWaitS: 1 }] };
  await sync.onDesired(doc(4, bad));
  t.match(reports.at(-1), { version: 4, status: 'rejected', errors: [{ path: '/queues/0/maxWaitS' }], restartRequired: [] });
  t.equal(store.get().queues[0]?.maxWaitS, 300, 'the last good config stays');
  t.equal(live.length, 2, 'every accepted change (1, 2) became the running config; the rejected one did not');
});

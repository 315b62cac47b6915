import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { ConfigStore } from '../../../firmware/src/config/config-store.js';
import type { Migration } from '../../../firmware/src/config/migrations.js';
import { type Config, defaultConfig } from '../../../firmware/src/config/schema.js';
import { validateConfig } from '../../../firmware/src/config/validate.js';
import { CallboxError } from '../../../firmware/src/errors.js';

function fileWith(t: Test, content: string | null): string {
  const dir = t.testdir(content === null ? {} : { 'config.json': content });
  return path.join(dir, 'config.json');
}

async function refused(t: Test, p: Promise<unknown>): Promise<CallboxError> {
  try {
    await p;
  } catch (e) {
    t.type(e, CallboxError);
    t.equal((e as CallboxError).code, 'CONFIG_INVALID');
    return e as CallboxError;
  }
  t.fail('expected CONFIG_INVALID');
  throw new Error('not refused');
}

const good = (fn: (c: Config) => void = () => {}): string => {
  const c = defaultConfig();
  fn(c);
  return JSON.stringify(c, null, 2);
};

t.test('a missing file is created with defaults that validate', async (t) => {
  const file = path.join(t.testdir({}), 'sub', 'config.json');
  const store = new ConfigStore({ path: file });
  const loaded = await store.load();
  t.same(loaded, defaultConfig());
  t.ok(existsSync(file));
  const onDisk = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  t.ok(validateConfig(onDisk).ok);
  t.same(store.get(), defaultConfig());
  t.ok(Object.isFrozen(store.get().queues[0]), 'the loaded config is frozen');
});

t.test('get/update before a successful load refuse', async (t) => {
  const store = new ConfigStore({ path: fileWith(t, null) });
  t.throws(() => store.get(), { code: 'UNAVAILABLE' });
  await t.rejects(
    store.update(() => {}),
    { code: 'UNAVAILABLE' },
  );
});

t.test('broken JSON is refused with line and column, and the file is untouched', async (t) => {
  const text = '{\n  "version": 1,\n  "shop": {\n    "name": "x",\n  }\n}\n';
  const file = fileWith(t, text);
  const store = new ConfigStore({ path: file });
  const err = await refused(t, store.load());
  t.match(err.message, /config\.json: invalid JSON at line 5, column 3/);
  t.match(err.details, { line: 5, column: 3 });
  t.equal(readFileSync(file, 'utf8'), text);
  await t.rejects(
    store.update(() => {}),
    { code: 'UNAVAILABLE' },
    'a bad file cannot be overwritten later',
  );
  t.equal(readFileSync(file, 'utf8'), text);
});

t.test('a bad token without a V8 position is still located', async (t) => {
  const text = '{\n  "version": 1,\n  "shop": nope\n}';
  const err = await refused(t, new ConfigStore({ path: fileWith(t, text) }).load());
  t.match(err.message, /line 3, column 11/);
});

t.test('a wrong type is refused naming the field', async (t) => {
  const text = good((c) => ((c.queues[0] as { ringTimeoutS: unknown }).ringTimeoutS = 3));
  const file = fileWith(t, text);
  const err = await refused(t, new ConfigStore({ path: file }).load());
  t.match(err.message, 'config.json: /queues/0/ringTimeoutS must be an integer >= 5');
  t.match(err.details, { errors: [{ path: '/queues/0/ringTimeoutS' }] });
  t.equal(readFileSync(file, 'utf8'), text);
});

t.test('an unknown field is refused naming it', async (t) => {
  const text = good((c) => Object.assign(c.hardware.sim, { fxoo: 2 }));
  const err = await refused(t, new ConfigStore({ path: fileWith(t, text) }).load());
  t.match(err.message, '/hardware/sim/fxoo is not a known field');
});

t.test('a cross-reference error is refused naming the field', async (t) => {
  const text = good((c) => c.queues[0]?.members.push('a7'));
  const err = await refused(t, new ConfigStore({ path: fileWith(t, text) }).load());
  t.match(err.message, '/queues/0/members/4 no such agent "a7"');
});

t.test('update applies a valid change and writes it', async (t) => {
  const file = fileWith(t, good());
  const store = new ConfigStore({ path: file });
  await store.load();
  const next = await store.update((c) => {
    c.shop.name = '小王的店';
    (c.queues[0] as { wrapUpS: number }).wrapUpS = 30;
  });
  t.equal(next.shop.name, '小王的店');
  t.equal(store.get().queues[0]?.wrapUpS, 30);
  const onDisk = JSON.parse(readFileSync(file, 'utf8')) as Config;
  t.equal(onDisk.shop.name, '小王的店');
  t.equal(onDisk.queues[0]?.wrapUpS, 30);
  t.same(readdirSync(path.dirname(file)), ['config.json'], 'no temp file left behind');
});

t.test('update with an invalid mutation is refused and the file stays byte-identical', async (t) => {
  const text = good();
  const file = fileWith(t, text);
  const store = new ConfigStore({ path: file });
  await store.load();
  const err = await refused(
    t,
    store.update((c) => {
      c.agents.splice(0, 1);
    }),
  );
  t.match(err.message, /config update refused: \/queues\/0\/members\/0 no such agent "a1"/);
  t.equal(readFileSync(file, 'utf8'), text);
  t.equal(store.get().agents.length, 4, 'the in-memory config is unchanged');
  await refused(t, store.replace({ ...defaultConfig(), extra: true }));
  t.equal(readFileSync(file, 'utf8'), text);
  const replaced = await store.replace({ ...defaultConfig(), http: { metricsRequireAuth: false } });
  t.equal(replaced.http.metricsRequireAuth, false);
  t.equal((JSON.parse(readFileSync(file, 'utf8')) as Config).http.metricsRequireAuth, false);
});

t.test('a file newer than the firmware is refused and kept', async (t) => {
  const text = good((c) => ((c as { version: number }).version = 2));
  const file = fileWith(t, text);
  const err = await refused(t, new ConfigStore({ path: file }).load());
  t.match(err.message, /config version 2 is newer than this firmware supports \(1\)/);
  t.equal(readFileSync(file, 'utf8'), text);
});

t.test('a missing migration step is refused', async (t) => {
  const file = fileWith(t, good());
  const err = await refused(t, new ConfigStore({ path: file, currentVersion: 2, migrations: [] }).load());
  t.match(err.message, /no config migration from version 1 to 2/);
});

t.test('an older file is backed up, migrated and rewritten', async (t) => {
  const text = good();
  const file = fileWith(t, text);
  const v1to2: Migration = {
    from: 1,
    to: 2,
    migrate: (old) => {
      const o = old as Config;
      return { ...o, version: 2, shop: { ...o.shop, name: `${o.shop.name} (v2)` } };
    },
  };
  const store = new ConfigStore({ path: file, currentVersion: 2, migrations: [v1to2] });
  const loaded = await store.load();
  t.equal(loaded.version as number, 2);
  t.equal(loaded.shop.name, 'callbox (v2)');
  const backup = path.join(path.dirname(file), 'config.v1.bak.json');
  t.equal(readFileSync(backup, 'utf8'), text, 'the backup holds the original bytes');
  const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { version: number; shop: { name: string } };
  t.equal(onDisk.version, 2);
  t.equal(onDisk.shop.name, 'callbox (v2)');

  // A second, different v1 file never clobbers the first backup.
  writeFileSync(
    file,
    good((c) => (c.shop.name = 'other')),
  );
  await new ConfigStore({ path: file, currentVersion: 2, migrations: [v1to2] }).load();
  t.equal(readFileSync(backup, 'utf8'), text);
  t.ok(existsSync(path.join(path.dirname(file), 'config.v1.bak.2.json')));
});

t.test('a migration whose result is invalid writes nothing', async (t) => {
  const text = good();
  const file = fileWith(t, text);
  const broken: Migration = { from: 1, to: 2, migrate: (old) => ({ ...(old as object), version: 2, shop: null }) };
  const err = await refused(t, new ConfigStore({ path: file, currentVersion: 2, migrations: [broken] }).load());
  t.match(err.message, '/shop must be an object');
  t.equal(readFileSync(file, 'utf8'), text);
  t.same(readdirSync(path.dirname(file)), ['config.json'], 'no backup for a migration that was not written');
});

t.test('concurrent updates are applied one after the other', async (t) => {
  const store = new ConfigStore({ path: fileWith(t, good()) });
  await store.load();
  await Promise.all(
    [1, 2, 3].map((n) =>
      store.update((c) => {
        (c.queues[0] as { wrapUpS: number }).wrapUpS += n;
      }),
    ),
  );
  t.equal(store.get().queues[0]?.wrapUpS, 11);
});

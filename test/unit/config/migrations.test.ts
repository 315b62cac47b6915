import t from 'tap';
import { locateJsonError, scanForError } from '../../../firmware/src/config/json-position.js';
import { CONFIG_MIGRATIONS, CURRENT_CONFIG_VERSION, migrateConfig } from '../../../firmware/src/config/migrations.js';

t.test('production migrations step exactly one version to the current one', (t) => {
  t.equal(CURRENT_CONFIG_VERSION, 1);
  for (const m of CONFIG_MIGRATIONS) t.equal(m.to, m.from + 1);
  t.same(migrateConfig({ version: 1, a: 1 }, CONFIG_MIGRATIONS), { value: { version: 1, a: 1 }, fromVersion: 1, steps: 0 });
  t.end();
});

t.test('migrateConfig steps version by version and checks each result', (t) => {
  const steps = [
    { from: 2, to: 3, migrate: (o: unknown) => ({ ...(o as object), version: 3, three: true }) },
    { from: 1, to: 2, migrate: (o: unknown) => ({ ...(o as object), version: 2, two: true }) },
  ];
  const input = { version: 1 };
  t.same(migrateConfig(input, steps, 3), { value: { version: 3, two: true, three: true }, fromVersion: 1, steps: 2 });
  t.same(input, { version: 1 }, 'the input is not modified');
  t.throws(() => migrateConfig({ version: 1 }, steps.slice(0, 1), 3), /no config migration from version 1 to 2/);
  t.throws(() => migrateConfig({ version: 4 }, steps, 3), /config version 4 is newer than this firmware supports \(3\)/);
  t.throws(() => migrateConfig({ version: '1' }, steps, 3), { code: 'CONFIG_INVALID', message: /\/version must be/ });
  t.throws(() => migrateConfig([], steps, 3), { code: 'CONFIG_INVALID' });
  const liar = [{ from: 1, to: 2, migrate: (o: unknown) => o }];
  t.throws(() => migrateConfig({ version: 1 }, liar, 2), /produced version 1 instead of 2/);
  t.end();
});

t.test('JSON errors are located by line and column', (t) => {
  const cases: [string, number, number][] = [
    ['{"a": 1,}', 1, 9],
    ['{\n "a": 1\n "b": 2}', 3, 2],
    ['{\n  "a": x\n}', 2, 8],
    ['{"a": "b', 1, 9],
    ['', 1, 1],
    ['[1, 2] 3', 1, 8],
    ['{"a": "\\q"}', 1, 9],
  ];
  for (const [text, line, column] of cases) {
    let err: unknown;
    try {
      JSON.parse(text);
    } catch (e) {
      err = e;
    }
    t.match(locateJsonError(text, err), { line, column }, JSON.stringify(text));
    t.not(scanForError(text), -1, `scanner finds the error in ${JSON.stringify(text)}`);
  }
  for (const ok of ['{"a": [1, -2.5e3, true, null, "\\u00e9\\n"]}', ' 0 ', '"x"']) t.equal(scanForError(ok), -1, ok);
  t.end();
});

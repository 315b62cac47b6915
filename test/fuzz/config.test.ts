// Fuzz: config and IVR documents. validateConfig on random JSON and on the default config (and a
// full shop config with IVR menus) with one value replaced, removed or added anywhere: it returns
// ok or a list of errors with a JSON pointer and a message, never throws, never hangs. The config
// file's text: a JSON syntax error is located (line/column) for any text. Merge patches and
// migrations likewise; what validates is redacted and diffed without a crash.
import fc from 'fast-check';
import t from 'tap';
import { changedPaths, mergePatch, redactSecrets } from '../../firmware/src/config/config-changes.js';
import { locateJsonError } from '../../firmware/src/config/json-position.js';
import { CONFIG_MIGRATIONS, migrateConfig } from '../../firmware/src/config/migrations.js';
import { type Config, defaultConfig } from '../../firmware/src/config/schema.js';
import { validateConfig } from '../../firmware/src/config/validate.js';
import { isCallboxError } from '../../firmware/src/errors.js';
import { bounded, holds, mutationLoop, runs } from './fixtures/fuzz.js';
import { type Json, mutatedDoc, nastyValue } from './fixtures/json-mutate.js';

const base = defaultConfig() as unknown as Json;

function judge(doc: unknown): void {
  const r = validateConfig(doc);
  if (r.ok) {
    // a config that validates can be redacted and compared with the default
    redactSecrets(r.config);
    changedPaths(defaultConfig(), r.config);
    return;
  }
  if (!Array.isArray(r.errors) || r.errors.length === 0) throw new Error('refused without a reason');
  for (const e of r.errors) {
    if (typeof e.path !== 'string' || !e.path.startsWith('/') || typeof e.message !== 'string' || !e.message)
      throw new Error(`an error without a field or message: ${JSON.stringify(e)}`);
  }
}

t.test('validateConfig: random JSON and one-edit mutations of valid configs', (t) => {
  t.equal(validateConfig(base).ok, true, 'the default config is valid (the mutations start from a valid document)');
  holds(
    t,
    'random JSON',
    fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => bounded('validateConfig', v, () => judge(v))),
    300,
  );
  holds(
    t,
    'one edit of the default config',
    fc.property(mutatedDoc(base), (v) => bounded('validateConfig', v, () => judge(v))),
    600,
  );
  holds(
    t,
    'two edits of the default config (IVR menus, queues, lines)',
    fc.property(
      mutatedDoc(base).chain((d) => mutatedDoc(d)),
      (v) => bounded('validateConfig', v, () => judge(v)),
    ),
    300,
  );
  t.end();
});

t.test('merge patches and migrations: a result or a CallboxError', (t) => {
  holds(
    t,
    'mergePatch + validate',
    fc.property(
      fc.dictionary(fc.constantFrom('shop', 'ivr', 'queues', 'lines', 'agents', 'hours', 'cloud', 'recording', 'x'), nastyValue),
      (patch) => bounded('mergePatch', patch, () => judge(mergePatch(structuredClone(base), patch as Json) as unknown)),
    ),
    300,
  );
  holds(
    t,
    'migrateConfig',
    fc.property(fc.oneof(fc.jsonValue({ maxDepth: 2 }), mutatedDoc(base)), (v) =>
      bounded('migrateConfig', v, () => {
        try {
          migrateConfig(v, CONFIG_MIGRATIONS);
        } catch (e) {
          if (!isCallboxError(e)) throw e;
        }
      }),
    ),
    300,
  );
  t.end();
});

t.test('config.json text: any bytes give a parse result or a located syntax error', (t) => {
  const text = JSON.stringify(defaultConfig() satisfies Config, null, 2);
  mutationLoop(t, 'config text', [Buffer.from(text)], runs(400), (b) => {
    const s = Buffer.from(b).toString('utf8');
    try {
      judge(JSON.parse(s));
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      const at = locateJsonError(s, e);
      if (!(at.line >= 1 && at.column >= 1 && at.offset >= 0 && at.offset <= s.length))
        throw new Error(`bad location ${JSON.stringify(at)}`);
    }
  });
  t.end();
});

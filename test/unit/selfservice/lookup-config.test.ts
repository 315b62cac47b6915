// Config validation of the IVR's lookup action and its digit collection: bad configs are refused
// naming the field.
import t from 'tap';
import { type Config, defaultConfig } from '../../../firmware/src/config/schema.js';
import { validateConfig } from '../../../firmware/src/config/validate.js';

type Menu = Config['ivr']['menus'][string];
function withOption(option: unknown): unknown {
  const c = structuredClone(defaultConfig()) as Config;
  (c.ivr.menus.main as Menu).options['2'] = option as Menu['options'][string];
  return c;
}
function problems(option: unknown): Array<{ path: string; message: string }> {
  const v = validateConfig(withOption(option));
  return v.ok ? [] : v.errors;
}
const P = '/ivr/menus/main/options/2';

t.test('valid lookups pass', async (t) => {
  t.same(problems({ action: 'lookup', lookup: 'orderStatus', queue: 'main' }), []);
  t.same(
    problems({
      action: 'lookup',
      lookup: 'authenticity',
      queue: 'main',
      onFail: 'hangup',
      collect: {
        minDigits: 8,
        maxDigits: 16,
        terminator: 'none',
        firstDigitTimeoutS: 10,
        interDigitTimeoutS: 3,
        retries: 0,
        prompt: 'enter-code',
        invalidPrompt: 'invalid',
        timeoutPrompt: 'no-input',
      },
    }),
    [],
  );
  t.same(problems({ action: 'lookup', lookup: 'whereToBuy', queue: 'main' }), []);
});

t.test('bad lookups are refused naming the field', async (t) => {
  t.match(problems({ action: 'lookup', lookup: 'orderStatus', queue: 'nope' }), [{ path: `${P}/queue`, message: /no such queue "nope"/ }]);
  t.match(problems({ action: 'lookup', lookup: 'orderStatus', queue: 'main', collect: { minDigits: 8, maxDigits: 4 } }), [
    { path: `${P}/collect/minDigits`, message: /must not exceed maxDigits/ },
  ]);
  t.match(problems({ action: 'lookup', lookup: 'whereToBuy', queue: 'main', collect: { minDigits: 1, maxDigits: 4 } }), [
    { path: `${P}/collect`, message: /collects no digits/ },
  ]);
  const paths = (o: unknown) => problems(o).map((p) => p.path);
  t.ok(
    paths({ action: 'lookup', lookup: 'orderStatus', queue: 'main', collect: { minDigits: 0, maxDigits: 4 } }).some((p) => p.startsWith(P)),
    'minDigits 0',
  );
  t.ok(
    paths({ action: 'lookup', lookup: 'orderStatus', queue: 'main', collect: { minDigits: 1, maxDigits: 4, terminator: '1' } }).some((p) =>
      p.startsWith(P),
    ),
    'terminator 1',
  );
  t.ok(
    paths({ action: 'lookup', lookup: 'orderStatus', queue: 'main', collect: { minDigits: 1, maxDigits: 4, interDigitTimeoutS: 0 } }).some(
      (p) => p.startsWith(P),
    ),
  );
  t.ok(
    paths({ action: 'lookup', lookup: 'orderStatus', queue: 'main', collect: { minDigits: 1, maxDigits: 4, prompt: '../etc' } }).some((p) =>
      p.startsWith(P),
    ),
  );
  t.ok(
    paths({ action: 'lookup', lookup: 'weather', queue: 'main' }).some((p) => p.startsWith(P)),
    'unknown lookup',
  );
  t.ok(
    paths({ action: 'lookup', lookup: 'orderStatus' }).some((p) => p.startsWith(P)),
    'queue is required',
  );
  t.ok(
    paths({ action: 'lookup', lookup: 'orderStatus', queue: 'main', extra: 1 }).some((p) => p.startsWith(P)),
    'unknown field',
  );
});

t.test('an after-hours lookup is checked too', async (t) => {
  const c = structuredClone(defaultConfig()) as Config;
  c.hours = { weekly: {}, holidays: [], afterHours: { action: 'lookup', lookup: 'whereToBuy', queue: 'gone' } };
  const v = validateConfig(c);
  t.match(v.ok ? [] : v.errors, [{ path: '/hours/afterHours/queue' }]);
});

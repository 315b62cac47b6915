// The optional `voicemail` section and the IVR `voicemail` action: bounds, defaults, and the box a
// `voicemail` action names must exist.
import t from 'tap';
import { type Config, defaultConfig } from '../../../firmware/src/config/schema.js';
import { validateConfig } from '../../../firmware/src/config/validate.js';
import { boxSettings } from '../../../firmware/src/voicemail/voicemail-box.js';

function errorsOf(value: unknown): { path: string; message: string }[] {
  const r = validateConfig(value);
  return r.ok ? [] : r.errors;
}

function mutated(fn: (c: Config) => void): Config {
  const c = defaultConfig();
  fn(c);
  return c;
}

const menu = (c: Config) => c.ivr.menus.main as NonNullable<Config['ivr']['menus'][string]>;

t.test('optional; a box with only id and name takes the defaults', (t) => {
  t.equal(defaultConfig().voicemail, undefined);
  t.same(errorsOf(defaultConfig()), []);
  const c = mutated((c) => {
    c.voicemail = { boxes: [{ id: 'shop', name: '留言 Voicemail' }] };
    menu(c).options['9'] = { action: 'voicemail', box: 'shop' };
  });
  t.same(errorsOf(c), []);
  t.same(boxSettings(c.voicemail?.boxes[0]), { greeting: 'voicemail-greeting', maxLengthS: 120, silenceStopS: 5 });
  t.same(boxSettings({ id: 'x', name: 'X', greeting: 'closed', maxLengthS: 600, silenceStopS: 30 }), {
    greeting: 'closed',
    maxLengthS: 600,
    silenceStopS: 30,
  });
  t.end();
});

t.test('bounds and fields', (t) => {
  const box = (patch: Record<string, unknown>) =>
    errorsOf(mutated((c) => (c.voicemail = { boxes: [{ id: 'shop', name: 'Shop', ...patch } as never] })));
  t.same(box({ maxLengthS: 10, silenceStopS: 2 }), []);
  t.same(box({ maxLengthS: 600, silenceStopS: 30 }), []);
  t.same(box({ maxLengthS: 9 }), [{ path: '/voicemail/boxes/0/maxLengthS', message: 'must be an integer >= 10' }]);
  t.same(box({ maxLengthS: 601 }), [{ path: '/voicemail/boxes/0/maxLengthS', message: 'must be an integer <= 600' }]);
  t.same(box({ silenceStopS: 1 }), [{ path: '/voicemail/boxes/0/silenceStopS', message: 'must be an integer >= 2' }]);
  t.same(box({ silenceStopS: 31 }), [{ path: '/voicemail/boxes/0/silenceStopS', message: 'must be an integer <= 30' }]);
  t.match(box({ greeting: '../etc/passwd' }), [{ path: '/voicemail/boxes/0/greeting' }]);
  t.match(box({ id: 'Shop 1' }), [{ path: '/voicemail/boxes/0/id' }]);
  t.match(box({ extra: 1 }), [{ path: '/voicemail/boxes/0/extra' }]);
  t.match(errorsOf(mutated((c) => (c.voicemail = {} as never))), [{ path: '/voicemail/boxes' }]);
  t.end();
});

t.test('duplicate box ids, and voicemail actions to boxes that do not exist', (t) => {
  t.same(
    errorsOf(
      mutated((c) => {
        c.voicemail = {
          boxes: [
            { id: 'shop', name: 'A' },
            { id: 'shop', name: 'B' },
          ],
        };
      }),
    ),
    [{ path: '/voicemail/boxes/1/id', message: 'duplicate voicemail box id "shop" (first at /voicemail/boxes/0/id)' }],
  );
  t.same(
    errorsOf(mutated((c) => (menu(c).options['9'] = { action: 'voicemail', box: 'shop' }))),
    [{ path: '/ivr/menus/main/options/9/box', message: 'no such voicemail box "shop"' }],
    'no voicemail section at all',
  );
  t.same(
    errorsOf(
      mutated((c) => {
        c.voicemail = { boxes: [{ id: 'shop', name: 'Shop' }] };
        menu(c).onTimeout = { action: 'voicemail', box: 'sales' };
        c.hours = { weekly: {}, holidays: [], afterHours: { action: 'voicemail', box: 'after' } };
      }),
    ),
    [
      { path: '/ivr/menus/main/onTimeout/box', message: 'no such voicemail box "sales"' },
      { path: '/hours/afterHours/box', message: 'no such voicemail box "after"' },
    ],
  );
  t.match(errorsOf(mutated((c) => (menu(c).options['9'] = { action: 'voicemail' } as never))), [{ path: '/ivr/menus/main/options/9' }]);
  t.end();
});

// The queue's overflow rules and resume window in config.json: valid ones pass, bad ones are
// refused with the field named.
import t from 'tap';
import { type Config, defaultConfig } from '../../../firmware/src/config/schema.js';
import { validateConfig } from '../../../firmware/src/config/validate.js';

type Queue = Config['queues'][number];

function errorsOf(edit: (q: Queue, c: Config) => void): { path: string; message: string }[] {
  const c = structuredClone(defaultConfig()) as Config;
  edit(c.queues[0] as Queue, c);
  const r = validateConfig(c);
  return r.ok ? [] : r.errors.map((e) => ({ path: e.path, message: e.message }));
}

t.test('valid rules and resume pass', (t) => {
  t.same(
    errorsOf((q, c) => {
      c.voicemail = { boxes: [{ id: 'shop', name: 'Shop', maxLengthS: 60, silenceStopS: 5 }] };
      c.queues.push({ ...q, id: 'backup', name: 'Backup' });
      q.overflow = [
        { action: 'mobile', number: '+8613700001111', ringS: 20 },
        { action: 'queue', queue: 'backup' },
        { action: 'voicemail', box: 'shop' },
      ];
      q.resume = { windowMin: 15, skipIvr: true };
    }),
    [],
  );
  t.same(
    errorsOf((q) => {
      q.resume = {};
    }),
    [],
    'resume with the default window',
  );
  t.end();
});

t.test('bad rules name the field', (t) => {
  t.match(
    errorsOf((q) => {
      q.overflow = [{ action: 'mobile', number: 'owner' }];
    }),
    [{ path: '/queues/0/overflow/0/number' }],
  );
  t.match(
    errorsOf((q) => {
      q.overflow = [{ action: 'queue', queue: 'nope' }];
    }),
    [{ path: '/queues/0/overflow/0/queue', message: 'no such queue "nope"' }],
  );
  t.match(
    errorsOf((q) => {
      q.overflow = [{ action: 'queue', queue: q.id }];
    }),
    [{ path: '/queues/0/overflow/0/queue', message: 'a queue cannot overflow into itself' }],
  );
  t.match(
    errorsOf((q) => {
      q.overflow = [{ action: 'voicemail' }];
    }),
    [{ path: '/queues/0/overflow/0', message: /needs a box/ }],
  );
  t.match(
    errorsOf((q) => {
      q.overflow = [{ action: 'voicemail', box: 'ghost' }];
    }),
    [{ path: '/queues/0/overflow/0/box', message: 'no such voicemail box "ghost"' }],
  );
  t.match(
    errorsOf((q) => {
      q.overflow = [{ action: 'mobile', number: '13700001111', ringS: 5 }];
    }),
    [{ path: '/queues/0/overflow/0/ringS' }],
  );
  t.match(
    errorsOf((q) => {
      q.resume = { windowMin: 0 };
    }),
    [{ path: '/queues/0/resume/windowMin' }],
  );
  t.match(
    errorsOf((q) => {
      q.overflow = [];
    }),
    [{ path: '/queues/0/overflow' }],
    'an empty list is refused (omit it instead)',
  );
  t.end();
});

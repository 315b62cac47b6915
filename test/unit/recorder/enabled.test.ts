// Recording off in the config or for one queue: start() returns null and writes nothing.
import { existsSync } from 'node:fs';
import t from 'tap';
import { shouldRecord } from '../../../firmware/src/recorder/recorder.js';
import { defaultRecordingConfig } from '../../../firmware/src/config/schema.js';
import { rig } from './fixtures/helpers.js';

const T0 = Date.UTC(2026, 0, 2, 9, 0, 0);

t.test('recording disabled in the config: null, no row, no file', async (t) => {
  const r = rig(t, { enabled: false });
  t.equal(r.recorder.start({ callId: 'c1', queue: 'main', startedAt: T0 }), null);
  t.equal(r.recorder.start({ callId: 'c1', queue: null, startedAt: T0 }), null);
  t.same(r.recorder.list(), []);
  t.notOk(existsSync(r.dir), 'the folder was not even created');
});

t.test('per queue: `record` overrides `enabled` both ways; no override follows it', async (t) => {
  const r = rig(t, { enabled: true });
  r.queues = [{ id: 'sales', record: false }, { id: 'support', record: true }, { id: 'main' }];
  t.equal(r.recorder.start({ callId: 'c1', queue: 'sales', startedAt: T0 }), null, 'sales: record false');
  const support = r.recorder.start({ callId: 'c2', queue: 'support', startedAt: T0 });
  const main = r.recorder.start({ callId: 'c3', queue: 'main', startedAt: T0 });
  const direct = r.recorder.start({ callId: 'c4', queue: null, startedAt: T0 });
  const unknown = r.recorder.start({ callId: 'c5', queue: 'gone', startedAt: T0 });
  t.ok(support && main && direct && unknown, 'the others are recorded');

  r.cfg.enabled = false; // read at every start
  t.ok(r.recorder.start({ callId: 'c6', queue: 'support', startedAt: T0 }), 'support: record true wins over enabled false');
  t.equal(r.recorder.start({ callId: 'c7', queue: 'main', startedAt: T0 }), null, 'main follows enabled');
  t.equal(r.recorder.start({ callId: 'c8', queue: null, startedAt: T0 }), null, 'no queue follows enabled');
  t.same(
    r.recorder
      .list()
      .map((x) => x.callId)
      .sort(),
    ['c2', 'c3', 'c4', 'c5', 'c6'],
  );
  for (const rec of [support, main, direct, unknown]) await rec?.stop(T0 + 10);
  await r.recorder.drain();
});

t.test('shouldRecord', (t) => {
  const on = defaultRecordingConfig();
  const off = { ...on, enabled: false };
  t.equal(shouldRecord(on, [], null), true);
  t.equal(shouldRecord(off, [], 'q'), false);
  t.equal(shouldRecord(off, [{ id: 'q', record: true }], 'q'), true);
  t.equal(shouldRecord(on, [{ id: 'q', record: false }], 'q'), false);
  t.equal(shouldRecord(on, [{ id: 'q', record: false }], 'other'), true);
  t.equal(shouldRecord(on, [{ id: 'q', record: undefined }], 'q'), true);
  t.end();
});

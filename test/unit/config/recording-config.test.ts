// The `recording` section and the per-queue `record` override of the config schema.
import t from 'tap';
import { type Config, defaultConfig, defaultRecordingConfig } from '../../../firmware/src/config/schema.js';
import { validateConfig } from '../../../firmware/src/config/validate.js';

function errorsOf(value: unknown): { path: string; message: string }[] {
  const r = validateConfig(value);
  return r.ok ? [] : r.errors;
}

function mutated(fn: (c: Config) => void): Config {
  const c = defaultConfig();
  fn(c);
  return c;
}

t.test('the default recording section, and a config without one', (t) => {
  t.same(defaultConfig().recording, defaultRecordingConfig());
  t.same(defaultRecordingConfig(), {
    enabled: true,
    format: 'pcm16',
    channels: 'mixed',
    retentionDays: 180,
    quotaMB: 4096,
    compress: 'none',
  });
  const { recording: _, ...without } = defaultConfig();
  t.ok(validateConfig(without).ok, 'optional: a version 1 file written before recording existed stays valid');
  t.end();
});

t.test('every allowed value validates', (t) => {
  for (const format of ['pcm16', 'ulaw', 'alaw'] as const) {
    for (const channels of ['mixed', 'stereo'] as const) {
      for (const compress of ['none', 'opus'] as const) {
        const c = mutated((c) => {
          c.recording = { enabled: false, format, channels, retentionDays: 1, quotaMB: 10, compress };
        });
        t.same(errorsOf(c), [], `${format} ${channels} ${compress}`);
      }
    }
  }
  t.same(errorsOf(mutated((c) => (c.recording = { ...defaultRecordingConfig(), retentionDays: 3650, quotaMB: 1_000_000 }))), []);
  t.end();
});

t.test('bad values name the field', (t) => {
  const bad = (patch: Record<string, unknown>) =>
    errorsOf(mutated((c) => (c.recording = { ...defaultRecordingConfig(), ...patch } as never)));
  t.match(bad({ format: 'mp3' }), [{ path: '/recording/format' }]);
  t.match(bad({ channels: 'quad' }), [{ path: '/recording/channels' }]);
  t.match(bad({ compress: 'flac' }), [{ path: '/recording/compress' }]);
  t.same(bad({ retentionDays: 0 }), [{ path: '/recording/retentionDays', message: 'must be an integer >= 1' }]);
  t.same(bad({ retentionDays: 3651 }), [{ path: '/recording/retentionDays', message: 'must be an integer <= 3650' }]);
  t.match(bad({ retentionDays: 1.5 }), [{ path: '/recording/retentionDays' }]);
  t.same(bad({ quotaMB: 9 }), [{ path: '/recording/quotaMB', message: 'must be an integer >= 10' }]);
  t.same(bad({ quotaMB: 1_000_001 }), [{ path: '/recording/quotaMB', message: 'must be an integer <= 1000000' }]);
  t.match(bad({ enabled: 'yes' }), [{ path: '/recording/enabled' }]);
  t.match(bad({ extra: 1 }), [{ path: '/recording/extra' }]);
  t.match(
    errorsOf(
      mutated((c) => {
        const { quotaMB: _, ...rest } = defaultRecordingConfig();
        c.recording = rest as never;
      }),
    ),
    [{ path: '/recording/quotaMB' }],
  );
  t.end();
});

t.test('a queue may override recording with `record`', (t) => {
  t.same(errorsOf(mutated((c) => ((c.queues[0] as { record?: boolean }).record = false))), []);
  t.same(errorsOf(mutated((c) => ((c.queues[0] as { record?: boolean }).record = true))), []);
  t.match(errorsOf(mutated((c) => ((c.queues[0] as { record?: unknown }).record = 'no'))), [{ path: '/queues/0/record' }]);
  t.equal(defaultConfig().queues[0]?.record, undefined, 'the default queue follows recording.enabled');
  t.end();
});

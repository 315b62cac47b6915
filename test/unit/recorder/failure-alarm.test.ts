// The recorder's failure() feeds the health alarm RECORDING_FAILED: set at a recording's first
// failure (while the call still runs), kept while recordings keep failing, cleared by the next
// recording that completes.
import { rmSync, writeFileSync } from 'node:fs';
import t from 'tap';
import { currentAlarms } from '../../../firmware/src/service/alarms.js';
import { rig, toneFrames } from './fixtures/helpers.js';

const T0 = Date.UTC(2026, 0, 3, 11, 0, 0);

t.test('a failing recording raises the alarm at once; the next complete recording clears it', async (t) => {
  const r = rig(t);
  t.equal(r.recorder.failure(), null, 'no failure at first');
  writeFileSync(r.dir, 'a file where the folder should be');
  const bad = r.recorder.start({ callId: 'c1', queue: 'main', startedAt: T0 });
  if (!bad) return t.fail('recording is enabled');
  for (const f of toneFrames(1000, 8000, 20)) bad.frame(f, f);
  // the file open fails asynchronously (give a loaded machine up to 5 s)
  for (let i = 0; i < 500 && !r.recorder.failure(); i++) await new Promise((res) => setTimeout(res, 10));
  const f1 = r.recorder.failure();
  t.ok(f1, 'failure known while the call still runs');
  t.match(f1?.message, /cannot create/);
  await bad.stop(T0 + 1000);
  t.ok(r.recorder.failure(), 'still failed after the failed recording stopped');
  const alarms = currentAlarms({ channels: [], modules: [], recording: r.recorder.failure(), cloud: null });
  t.match(alarms, [{ code: 'RECORDING_FAILED', severity: 'error', subject: 'recordings' }]);

  rmSync(r.dir, { force: true });
  await r.recorder.repairOnStart(); // makes the folder again
  const good = r.recorder.start({ callId: 'c2', queue: 'main', startedAt: T0 + 2000 });
  if (!good) return t.fail('recording is enabled');
  for (const f of toneFrames(1000, 8000, 20)) good.frame(f, f);
  await good.stop(T0 + 3000);
  t.equal(good.error, null);
  t.equal(r.recorder.failure(), null, 'cleared by a complete recording');
});

t.test('alarms: channels, modules, cloud offline (warning) and backlog; errors degrade, warnings do not', async (t) => {
  const cloud = {
    enabled: true,
    connected: false,
    deviceId: 'shop1',
    outboxDepth: 12000,
    outboxAlarm: true,
    lastSyncAt: null,
    lastConnectedAt: null,
    lastError: 'getaddrinfo ENOTFOUND broker.invalid',
  };
  const a = currentAlarms({
    channels: [
      { id: 'gsm1', kind: 'gsm', state: 'error', reason: 'modem not answering' },
      { id: 'fxo1', kind: 'fxo', state: 'idle' },
    ],
    modules: [{ name: 'calls', state: 'failed', error: 'event log refuses writes' }],
    recording: null,
    cloud,
  });
  t.same(
    a.map((x) => [x.code, x.severity, x.subject]),
    [
      ['CHANNEL_ERROR', 'error', 'gsm1'],
      ['MODULE_FAILED', 'error', 'calls'],
      ['CLOUD_OFFLINE', 'warning', 'cloud'],
      ['CLOUD_OUTBOX_BACKLOG', 'warning', 'cloud'],
    ],
  );
  t.match(a[2]?.message, /ENOTFOUND/);
  const starting = currentAlarms({ channels: [], modules: [], recording: null, cloud: { ...cloud, lastError: null, outboxAlarm: false } });
  t.same(starting, [], 'not yet connected at start, no error yet: no alarm');
  const up = currentAlarms({ channels: [], modules: [], recording: null, cloud: { ...cloud, connected: true, outboxAlarm: false } });
  t.same(up, [], 'connected: no alarm');
});

t.test('regression (disk full): under recording.minFreeMB no recording starts, the room stays for the database', async (t) => {
  // a reserve larger than any test machine's free space; the slow suite fills a real tmpfs
  const r = rig(t, { minFreeMB: 100_000_000 >> 10 });
  await r.recorder.repairOnStart();
  const rec = r.recorder.start({ callId: 'c9', queue: 'main', startedAt: T0 });
  if (!rec) return t.fail('recording is enabled');
  await rec.stop(T0 + 1000);
  t.match(rec.error?.message, /MiB free .* below recording\.minFreeMB/);
  t.match(r.recorder.failure(), { cause: 'ENOSPC' });
  t.equal(r.recorder.get(rec.id), null, 'no index row, no file');
  const off = rig(t, { minFreeMB: 0 });
  await off.recorder.repairOnStart();
  const ok = off.recorder.start({ callId: 'c10', queue: 'main', startedAt: T0 });
  await ok?.stop(T0 + 1000);
  t.equal(ok?.error, null, 'minFreeMB 0: no check');
});

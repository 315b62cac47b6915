// The production bundle with the cloud on (CALLBOX_MQTT_URL / CALLBOX_DEVICE_ID), a private
// mosquitto and the reference fleet consumer: the box says online, an ended call reaches the fleet
// store as a `calls` record, /metrics and /healthz show the sync, `callbox fleet` commands work,
// `callbox fleet upload` fetches a real call's recording byte for byte (the box's recorder behind
// cmd/recording-upload), and cmd/reboot stops the box gracefully with exit code 75.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FleetConsumer } from '../../firmware/src/cloud/fleet/fleet-consumer.js';
import { SqliteFleetStore } from '../../firmware/src/cloud/fleet/fleet-store.js';
import { runCli, startBox } from '../helpers/process.js';
import { Broker, until } from './fixtures/mosquitto.js';
import { waitFor } from './fixtures/shop-work.js';

t.test('a whole box syncs through mosquitto and obeys the fleet', async (t) => {
  const broker = await Broker.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-mqtt-'));
  const store = new SqliteFleetStore(join(dataDir, 'fleet.db'));
  const fleet = new FleetConsumer({ url: broker.url, store });
  await fleet.start();
  const box = await startBox(dataDir, [], { CALLBOX_MQTT_URL: broker.url, CALLBOX_DEVICE_ID: 'shop-e2e' });
  t.teardown(async () => {
    await box.stop().catch(() => undefined);
    await fleet.stop();
    store.close();
    await broker.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  t.ok(await until(() => store.devices().some((d) => d.deviceId === 'shop-e2e' && d.state === 'online')), 'online in the fleet');

  const login = await fetch(`${box.url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'owner', password: 'test-password-1' }),
  });
  const { token } = (await login.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const placed = await fetch(`${box.url}/api/v1/sim/calls`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ channel: 'fxo1', callerId: '13800138000', hangupAfterS: 1 }),
  });
  t.equal(placed.status, 201);
  const { callId } = (await placed.json()) as { callId: string };
  t.ok(await until(() => store.records('shop-e2e', 'calls').some((r) => r.id === callId), 20_000), 'the ended call reached the fleet');
  t.match(store.records('shop-e2e', 'calls').find((r) => r.id === callId)?.body, { id: callId, state: 'ended', direction: 'inbound' });

  const metrics = await (await fetch(`${box.url}/metrics`)).text();
  t.match(metrics, /callbox_cloud_connected 1/);
  t.match(metrics, /callbox_cloud_outbox_depth \d+/);
  t.match(metrics, /callbox_cloud_last_sync_timestamp_seconds [1-9]/);
  const health = (await (await fetch(`${box.url}/healthz`)).json()) as { status: string; cloud: { connected: boolean; deviceId: string } };
  t.match(health, { status: 'ok', cloud: { connected: true, deviceId: 'shop-e2e' } });

  const cli = await runCli(['fleet', 'cmd', '--url', broker.url, 'shop-e2e', 'diagnostics']);
  t.equal(cli.code, 0, cli.stderr);
  t.match(JSON.parse(cli.stdout), { ok: true, result: { channels: [{ id: 'fxo1' }], modules: Array } });
  const unknown = await runCli(['fleet', 'cmd', '--url', broker.url, 'shop-e2e', 'fly']);
  t.equal(unknown.code, 1);
  t.match(JSON.parse(unknown.stdout), { ok: false, error: { code: 'NOT_FOUND' } });
  const devices = await runCli(['fleet', 'devices', '--db', join(dataDir, 'fleet.db')]);
  t.match(JSON.parse(devices.stdout), [{ deviceId: 'shop-e2e', state: 'online' }]);
  const usage = await runCli(['fleet', 'cmd']);
  t.equal(usage.code, 64);

  // a call a simulated agent answers is recorded; the fleet asks for its recording
  const talk = await fetch(`${box.url}/api/v1/sim/calls`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ channel: 'fxo1', callerId: '13800138001', digits: '1', hangupAfterS: 15 }),
  });
  const talkId = ((await talk.json()) as { callId: string }).callId;
  let recording = { id: '', state: '' };
  const recorded = await waitFor(async () => {
    const r = await fetch(`${box.url}/api/v1/recordings?callId=${talkId}`, { headers: auth });
    recording = ((await r.json()) as { recordings: { id: string; state: string }[] }).recordings[0] ?? recording;
    return recording.state === 'complete';
  }, 60_000);
  t.ok(recorded, `the answered call is recorded (${recording.state || 'no recording'})`);
  const audio = Buffer.from(await (await fetch(`${box.url}/api/v1/recordings/${recording.id}/audio`, { headers: auth })).arrayBuffer());
  const upload = await runCli(['fleet', 'upload', '--url', broker.url, 'shop-e2e', recording.id, '--files', join(dataDir, 'fleet-files')]);
  t.equal(upload.code, 0, upload.stderr);
  const stored = JSON.parse(upload.stdout.trim().split('\n').at(-1) as string) as {
    complete: boolean;
    path: string;
    sha256: string;
    meta: unknown;
  };
  t.match(stored, { complete: true, sha256: createHash('sha256').update(audio).digest('hex'), meta: { callId: talkId } });
  t.ok(audio.length > 0 && readFileSync(stored.path).equals(audio), 'the stored file is the recording the box serves');

  const [reply] = await fleet.command('shop-e2e', 'reboot');
  t.match(reply, { ok: true, result: { restarting: true, exitCode: 75 } });
  const code = await new Promise<number | null>((r) => box.proc.once('close', (c) => r(c)));
  t.equal(code, 75, 'exit code 75: the service manager starts it again');
  t.ok(await until(() => store.devices().some((d) => d.deviceId === 'shop-e2e' && d.state === 'offline')), 'said offline before stopping');
});

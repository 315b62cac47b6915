// The voicemail and survey streams end to end with a real mosquitto: a voicemail saved and then
// handled (with a note) and two post-call surveys (a score, no answer) are queued by their
// producers (VoicemailIndex, CallStore) in the same transaction as the change, reach the
// reference consumer on rec/voicemail and rec/surveys, and every record body fits its
// Record_<stream> schema of the AsyncAPI document; the consumer keeps the newest voicemail version.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FleetConsumer } from '../../firmware/src/cloud/fleet/fleet-consumer.js';
import { SqliteFleetStore } from '../../firmware/src/cloud/fleet/fleet-store.js';
import type { CallRecord } from '../../firmware/src/service/types.js';
import { CallStore } from '../../firmware/src/store/call-store.js';
import { VoicemailIndex } from '../../firmware/src/voicemail/voicemail-index.js';
import { cloudRig } from './fixtures/cloud-rig.js';
import { Spy } from './fixtures/contract-check.js';
import { Broker, until } from './fixtures/mosquitto.js';

const T0 = Date.UTC(2026, 10, 27, 9, 0, 0);
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function endedCall(id: string): CallRecord {
  return {
    id,
    direction: 'inbound',
    state: 'ended',
    callerId: '13800138000',
    callerName: '张三',
    startedAt: at(0),
    answeredAt: at(10),
    endedAt: at(120),
    outcome: 'answered',
    ivrPath: '1',
    queue: 'main',
    agent: 'a2',
    legs: [],
    disposition: null,
  };
}

t.test('voicemail metadata and survey results on rec/voicemail and rec/surveys', async (t) => {
  const broker = await Broker.start();
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-streams-'));
  const rig = await cloudRig(dir, broker.url, 'streams-box');
  const store = new SqliteFleetStore(':memory:');
  const fleet = new FleetConsumer({ url: broker.url, store });
  await fleet.start();
  const spy = await Spy.start(broker.url, 'streams-box');
  t.teardown(async () => {
    await rig.stop();
    await fleet.stop();
    await spy.stop();
    store.close();
    await broker.stop();
  });

  const vm = new VoicemailIndex(rig.db);
  vm.insert({
    id: 'vm1',
    call_id: 'c-vm',
    box: 'main',
    caller_id: '13800138000',
    created_at: T0,
    duration_ms: 0,
    path: 'vm1.wav',
    state: 'recording',
    handled_by: null,
    handled_at: null,
    note: null,
  });
  t.equal(rig.outbox.backlog().voicemail ?? 0, 0, 'nothing queued while the caller speaks');
  vm.saved('vm1', 9000, T0 + 9000);
  vm.setState({ id: 'vm1', state: 'handled', handled_by: 'a2', handled_at: T0 + 60_000, note: '已回电 called back', ts: T0 + 60_000 });
  t.notOk(
    vm.setState({ id: 'nope', state: 'heard', handled_by: null, handled_at: null, ts: T0 + 61_000 }),
    'an unknown voicemail queues nothing',
  );
  t.equal(rig.outbox.backlog().voicemail, 2, 'saved + handled');

  const calls = new CallStore(rig.db);
  calls.saveCall(endedCall('c-s1'), { type: 'survey.score', ts: T0 + 130_000, data: { queue: 'main', agent: 'a2', score: 5 } });
  calls.saveCall(endedCall('c-s2'), { type: 'survey.noAnswer', ts: T0 + 140_000, data: { queue: 'main', agent: 'a1' } });
  t.equal(rig.outbox.backlog().surveys, 2);

  await rig.cloud.start();
  t.ok(
    await until(() => store.records('streams-box', 'surveys').length === 2 && rig.outbox.backlog().voicemail === undefined),
    'everything delivered and acked',
  );
  t.match(store.records('streams-box', 'voicemail'), [
    {
      id: 'vm1',
      version: T0 + 60_000,
      body: { state: 'handled', handledBy: 'a2', note: '已回电 called back', durationMs: 9000, box: 'main' },
    },
  ]);
  t.match(store.records('streams-box', 'surveys'), [
    { id: 'survey:c-s1', version: 1, body: { callId: 'c-s1', agent: 'a2', answered: true, score: 5 } },
    { id: 'survey:c-s2', version: 1, body: { callId: 'c-s2', agent: 'a1', answered: false, score: null } },
  ]);
  t.ok(spy.on('rec/voicemail').length >= 1 && spy.on('rec/surveys').length >= 1);
  t.same(spy.violations(), [], 'batches and record bodies fit the AsyncAPI schemas');
});

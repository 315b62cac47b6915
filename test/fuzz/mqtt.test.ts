// Fuzz: what the cloud may send the box over MQTT — cmd/{name} (every built-in command, random
// names, args, request ids, expiry, correlation data, response topics), config/desired and
// rec-ack/{stream} — through the real CloudModule's message handler (not connected: replies are
// captured). Each message gets a reply or is ignored with a log line; none crashes, hangs or leaves
// an unhandled rejection; messages on topics outside the device's own subtree do nothing at all.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { IPublishPacket } from 'mqtt';
import t from 'tap';
import type { CloudModule } from '../../firmware/src/cloud/cloud-module.js';
import { cloudRig } from '../integration/fixtures/cloud-rig.js';
import { holdsAsync, mutationLoop, runs, watchRejections, within } from './fixtures/fuzz.js';
import { type Json, mutatedDoc, nastyValue } from './fixtures/json-mutate.js';

type Handler = { onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void };
const COMMANDS = ['ping', 'diagnostics', 'logs', 'selftest', 'reboot', 'rotate-credentials', 'ota-start', 'nope', 'A', '', '../x'];

function packet(props: IPublishPacket['properties']): IPublishPacket {
  return { cmd: 'publish', topic: '', payload: Buffer.alloc(0), qos: 1, dup: false, retain: false, properties: props } as IPublishPacket;
}

async function rig(t: { teardown(fn: () => unknown): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-fuzz-'));
  const r = await cloudRig(dir, 'mqtt://127.0.0.1:9', 'shop1');
  t.teardown(() => r.stop());
  const sent: { topic: string; body: unknown }[] = [];
  // not connected: capture what the box would publish; `done` is never called, so no after-effects
  // (reboot, reconnect with rotated credentials) run
  (r.cloud as unknown as { conn: { publish: (topic: string, body: unknown) => boolean } }).conn.publish = (topic, body) => {
    sent.push({ topic, body });
    return true;
  };
  const handler = r.cloud as unknown as Handler;
  return {
    ...r,
    sent,
    deliver: (topic: string, payload: Buffer, props: IPublishPacket['properties'] = {}) => handler.onMessage(topic, payload, packet(props)),
  };
}

/** Let the handler's promises (commands, desired config) settle. */
async function settle(cloud: CloudModule): Promise<void> {
  await within('cloud message', cloud.configSync.onDesired(Buffer.alloc(0)));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

t.test('cmd/*: random commands get a reply envelope, never a crash', async (t) => {
  const rejections = watchRejections(t);
  const r = await rig(t);
  const cmd = fc.record({
    name: fc.oneof(fc.constantFrom(...COMMANDS), fc.string({ maxLength: 20 })),
    doc: fc.oneof(
      fc.record(
        {
          requestId: fc.oneof(fc.uuid(), fc.string({ maxLength: 140 }), nastyValue),
          args: fc.oneof(fc.dictionary(fc.constantFrom('afterSeq', 'limit', 'username', 'password', 'x'), nastyValue), nastyValue),
          expiresAt: fc.oneof(fc.constantFrom('2099-01-01T00:00:00Z', '2000-01-01T00:00:00Z', 'yesterday'), nastyValue),
        },
        { requiredKeys: [] },
      ),
      nastyValue,
    ),
    raw: fc.option(fc.uint8Array({ maxLength: 64 }), { nil: null }),
    correlation: fc.option(fc.uint8Array({ maxLength: 200 }), { nil: undefined }),
    responseTopic: fc.option(fc.constantFrom('cb/v1/shop1/res/fleet', 'cb/v1/other/res/x', 'cb/v1/shop1/res/#', '', 'x'), {
      nil: undefined,
    }),
  });
  await holdsAsync(
    t,
    'cmd/*',
    fc.asyncProperty(cmd, async (c) => {
      const before = r.sent.length;
      const payload = c.raw ? Buffer.from(c.raw) : Buffer.from(JSON.stringify(c.doc) ?? '');
      r.deliver(`cb/v1/shop1/cmd/${c.name}`, payload, {
        ...(c.correlation ? { correlationData: Buffer.from(c.correlation) } : {}),
        ...(c.responseTopic !== undefined ? { responseTopic: c.responseTopic } : {}),
      });
      await settle(r.cloud);
      const replies = r.sent.slice(before);
      if (replies.length === 0) throw new Error(`no reply to cmd/${c.name} ${payload.toString('hex').slice(0, 200)}`);
      for (const { topic, body } of replies) {
        if (!topic.startsWith('cb/v1/shop1/')) throw new Error(`a reply left the device subtree: ${topic}`);
        const b = body as { ok?: unknown; error?: { code?: unknown } };
        if (typeof b.ok !== 'boolean' || (b.ok === false && typeof b.error?.code !== 'string'))
          throw new Error(`bad envelope ${JSON.stringify(body)}`);
        if (b.ok === false && b.error?.code === 'INTERNAL') throw new Error(`INTERNAL for cmd/${c.name}: ${JSON.stringify(body)}`);
      }
    }),
    150,
    0.2,
  );
  t.same(rejections, [], 'no unhandled rejection');
});

t.test('config/desired and rec-ack/*: random and mutated documents are refused with a report or ignored', async (t) => {
  const rejections = watchRejections(t);
  const r = await rig(t);
  await holdsAsync(
    t,
    'config/desired',
    fc.asyncProperty(
      fc.oneof(fc.record({ version: nastyValue, config: nastyValue }, { requiredKeys: [] }), nastyValue),
      fc.constantFrom(...['calls', 'tickets', 'nope', '', 'calls/x']),
      fc.oneof(fc.record({ seq: nastyValue }), nastyValue),
      async (desired, stream, ack) => {
        r.deliver('cb/v1/shop1/config/desired', Buffer.from(JSON.stringify(desired) ?? ''));
        r.deliver(`cb/v1/shop1/rec-ack/${stream}`, Buffer.from(JSON.stringify(ack) ?? ''));
        await settle(r.cloud);
      },
    ),
    150,
    0.2,
  );
  let version = 10;
  await holdsAsync(
    t,
    'config/desired: one-edit mutations of the box config',
    fc.asyncProperty(mutatedDoc(JSON.parse(JSON.stringify(r.configStore.get())) as Json), async (config) => {
      r.deliver('cb/v1/shop1/config/desired', Buffer.from(JSON.stringify({ version: ++version, config })));
      await settle(r.cloud);
      const rep = r.cloud.configSync.lastReport;
      if (rep?.version !== version) throw new Error(`no report for version ${version}: ${JSON.stringify(rep)}`);
      if (rep.status === 'rejected' && rep.errors.some((e) => typeof e.path !== 'string' || !e.message))
        throw new Error(`report ${JSON.stringify(rep)}`);
    }),
    60,
    0.02, // each valid one rewrites config.json
  );
  const seeds = [
    Buffer.from(JSON.stringify({ version: 3, config: r.configStore.get() })),
    Buffer.from('{"seq":5}'),
    Buffer.from('{"requestId":"r1","args":{"limit":10}}'),
  ];
  mutationLoop(t, 'MQTT payloads', seeds, runs(300), (b) => {
    r.deliver('cb/v1/shop1/rec-ack/calls', Buffer.from(b));
    r.deliver('cb/v1/shop1/cmd/ping', Buffer.from(b));
  });
  await settle(r.cloud);
  t.ok(r.cloud.configSync.lastReport, 'the desired documents were answered with a report');
  t.not(JSON.stringify(r.configStore.get()), '', 'the config is still readable');
  t.same(rejections, [], 'no unhandled rejection');
});

t.test('security: topics outside the device subtree do nothing', async (t) => {
  const r = await rig(t);
  const config = JSON.stringify(r.configStore.get());
  const outside = [
    'cb/v1/other/cmd/reboot',
    'cb/v1/shop10/cmd/ping',
    'cb/v1/shop1',
    'cb/v2/shop1/cmd/ping',
    'x/cb/v1/shop1/cmd/ping',
    'cb/v1/+/cmd/ping',
    'cb/v1/other/config/desired',
  ];
  for (const topic of outside) {
    r.deliver(topic, Buffer.from(JSON.stringify({ requestId: `x-${topic}`, version: 99, config: { shop: { name: 'evil' } } })));
  }
  await settle(r.cloud);
  t.equal(r.cloud.commands.handled, 0, 'no command ran');
  t.same(r.sent, [], 'nothing answered');
  t.equal(r.cloud.configSync.lastReport, null, 'no desired config considered');
  t.equal(JSON.stringify(r.configStore.get()), config, 'config untouched');
  r.deliver('cb/v1/shop1/cmd/ping', Buffer.from('{"requestId":"inside"}'));
  await settle(r.cloud);
  t.equal(r.cloud.commands.handled, 1, 'the same command inside the subtree runs (the test can fail)');
});

// Provisioning faults over a socat pty pair with the real serialport binding: the cable cut in the
// middle of an upload and of a download (socat killed, started again, the transfer resumes where it
// stopped), corrupted frames between good ones, and a fuzz loop of mutated and random frames that
// never crashes the agent and never applies a config.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { SerialPort } from '../../hal/src/serial.js';
import { ProvisionClient } from '../../provisioning/src/client/client.js';
import { download, upload } from '../../provisioning/src/client/transfer.js';
import { MSG, encodeFrame } from '../../provisioning/src/protocol/frame.js';
import { ProvisionError, jsonBytes } from '../../provisioning/src/protocol/messages.js';
import { sha256Hex } from '../../provisioning/src/protocol/transfer.js';
import { scaled, until } from '../helpers/wait.js';
import { CODE, type Rig, rig } from './fixtures/provision-pty.js';

const FUZZ_ITERATIONS = 400;

async function replug(r: Rig): Promise<void> {
  await r.pty.start();
  await until('the agent to open the port again', () => r.agent.server !== null, 5000);
}

t.test('cut cable during an upload: socat killed, restarted, the upload resumes at the box offset', async (t) => {
  const r = await rig();
  t.teardown(() => r.close());
  const { client } = await r.connect(2000);
  await client.authenticate(CODE);
  const data = randomBytes(200 * 1024);
  const first = await upload(client, 'prompts.tar', data, {
    progress: (done) => {
      if (done >= 64 * 1024) void r.pty.stop();
    },
  }).catch((e: unknown) => e);
  t.type(first, ProvisionError);
  t.match((first as ProvisionError).code, /DISCONNECTED|TIMEOUT|PORT/, `cut: ${(first as Error).message}`);
  await until('the agent to see the cable cut', () => r.agent.server === null, 5000);
  await replug(r);
  const again = await r.connect(3000);
  await again.client.authenticate(CODE);
  let resumedAt = -1;
  const sha = await upload(again.client, 'prompts.tar', data, {
    progress: (done) => {
      if (resumedAt < 0) resumedAt = done;
    },
  });
  t.ok(resumedAt >= 64 * 1024, `resumed at ${resumedAt}, not from 0`);
  t.equal(sha, sha256Hex(data));
  t.same(readFileSync(join(r.agent.stateDir, 'uploads', sha)), data, 'the staged file is the whole file');
});

t.test('cut cable during a log download: the .part file resumes and the sha256 matches', async (t) => {
  const r = await rig();
  t.teardown(() => r.close());
  const log = Buffer.from(Array.from({ length: 6000 }, (_, i) => `{"level":30,"msg":"call ${i} 已接听"}\n`).join(''));
  writeFileSync(join(r.logsDir, 'callbox.log'), log);
  const dest = join(r.pty.dir, 'callbox.log');
  const { client } = await r.connect(2000);
  await client.authenticate(CODE);
  const cut = await download(client, 'callbox.log', dest, {
    progress: (done) => {
      if (done >= 48 * 1024) void r.pty.stop();
    },
  }).catch((e: unknown) => e);
  t.type(cut, ProvisionError);
  const partial = readFileSync(`${dest}.part`).length;
  t.ok(partial >= 48 * 1024 && partial < log.length, `partial ${partial}`);
  await until('the agent to see the cable cut', () => r.agent.server === null, 5000);
  await replug(r);
  const again = await r.connect(3000);
  await again.client.authenticate(CODE);
  let resumedAt = -1;
  await download(again.client, 'callbox.log', dest, {
    progress: (done) => {
      if (resumedAt < 0) resumedAt = done;
    },
  });
  t.equal(resumedAt, partial, 'resumed where the part file ended');
  t.same(readFileSync(dest), log);
});

async function raw(port: SerialPort, bytes: Uint8Array): Promise<void> {
  await port.write(bytes);
}

t.test('corrupted frames and garbage between good requests are dropped; good ones are answered', async (t) => {
  const r = await rig();
  t.teardown(() => r.close());
  const { client, port } = await r.connect();
  await raw(port, Buffer.from('AT\r\nATZ\r\n+++'));
  const good = Buffer.from(encodeFrame({ type: MSG.REQUEST, reqId: 99, payload: jsonBytes({ op: 'info' }) }));
  const flipped = Buffer.from(good);
  flipped[8] = (flipped[8] as number) ^ 0x10;
  await raw(port, flipped);
  await raw(port, good.subarray(0, good.length - 5));
  await raw(port, Buffer.from(encodeFrame({ type: MSG.REQUEST, reqId: 98, payload: Buffer.from('not json') })));
  const info = await client.request('info');
  t.equal(info.serial, '10000000abcdef01');
  await r.agent.server?.idle();
  t.ok((r.agent.server?.decoder.droppedTotal ?? 0) >= 2, `dropped ${JSON.stringify(r.agent.server?.decoder.dropped)}`);
});

t.test(`fuzz: ${FUZZ_ITERATIONS} mutated sealed frames, random frames and replays: no crash, no config applied`, async (t) => {
  const r = await rig();
  t.teardown(() => r.close());
  const port = (await r.connect()).port;
  let hold = false;
  const captured: Buffer[] = [];
  const tapped = {
    write: async (d: Uint8Array) => {
      captured.push(Buffer.from(d));
      if (!hold) await port.write(d);
    },
    onData: (fn: (c: Uint8Array) => void) => port.onData(fn),
  };
  const client = new ProvisionClient(tapped, { timeoutMs: scaled(3000) });
  await client.authenticate(CODE);
  const before = readFileSync(join(r.dataDir, 'config.json'), 'utf8');
  const shop = { name: 'FUZZ', country: 'CN', language: 'zh-CN', timezone: 'Asia/Shanghai' };
  hold = true;
  await client.request('profile.apply', { profile: { shop } }, { timeoutMs: 50 }).catch(() => undefined);
  hold = false;
  const sealedApply = captured.at(-1) as Buffer;
  captured.length = 0;
  await client.request('info');
  const sealedInfo = captured.at(-1) as Buffer;

  let seed = 20261127;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  for (let i = 0; i < FUZZ_ITERATIONS; i++) {
    let bytes: Buffer;
    switch (rnd(5)) {
      case 0: {
        bytes = Buffer.from(sealedApply);
        const flips = 1 + rnd(4);
        for (let k = 0; k < flips; k++) {
          const at = 1 + rnd(bytes.length - 2);
          bytes[at] = (bytes[at] as number) ^ (1 + rnd(255));
        }
        break;
      }
      case 1:
        bytes = Buffer.from(sealedApply.subarray(0, 1 + rnd(sealedApply.length - 2)));
        break;
      case 2:
        bytes = randomBytes(1 + rnd(300));
        break;
      case 3: {
        const ops = ['profile.apply', 'reset.confirm', 'owner.password', 'upload.chunk', 'info', 'hello', 'auth.finish', 'x'];
        const body = rnd(2)
          ? { op: ops[rnd(ops.length)], args: { profile: { shop }, token: 'aa', password: 'x' } }
          : { junk: randomBytes(20).toString('base64') };
        bytes = Buffer.from(encodeFrame({ type: ([1, 2, 3, 4] as const)[rnd(4)] as 1, reqId: rnd(1000), payload: jsonBytes(body) }));
        break;
      }
      default:
        bytes = Buffer.from(sealedInfo); // a replay of a sealed frame the box already accepted
    }
    await port.write(bytes);
    if (i % 50 === 0) await r.agent.server?.idle();
  }
  await port.write(Uint8Array.of(0));
  await new Promise((res) => setTimeout(res, 200));
  await r.agent.server?.idle();
  t.equal(readFileSync(join(r.dataDir, 'config.json'), 'utf8'), before, 'config file untouched');
  t.ok((r.agent.server?.stats.refused ?? 0) > 0, `sealed frames refused: ${r.agent.server?.stats.refused}`);
  const again = new ProvisionClient(port, { timeoutMs: scaled(3000) });
  t.equal((await again.request('info')).serial, '10000000abcdef01', 'the agent still answers');
  await again.authenticate(CODE);
  t.same(await again.request('profile.apply', { profile: { shop: { ...shop, name: '正常' } } }), {
    applied: ['shop'],
    restartRequired: true,
  });
  t.equal(JSON.parse(readFileSync(join(r.dataDir, 'config.json'), 'utf8')).shop.name, '正常', 'a genuine request after the fuzz applies');
});

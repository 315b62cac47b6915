// The Improv Wi-Fi serial codec: packets split across reads, between garbage and COBS frames, a
// wrong checksum or version, random bytes (never a throw, never a packet from noise that does not
// check out), length-prefixed strings.
import t from 'tap';
import { encodeFrame } from '../../../provisioning/src/protocol/frame.js';
import {
  IMPROV_COMMAND,
  IMPROV_TYPE,
  ImprovDecoder,
  decodeStrings,
  encodeImprov,
  encodeStrings,
  parseRpc,
  rpcCommand,
  rpcResult,
} from '../../../provisioning/src/protocol/improv.js';

t.test('wire form: header, version, type, length, data, checksum, newline', async (t) => {
  const p = encodeImprov(IMPROV_TYPE.currentState, Buffer.from([0x02]));
  // sum of 'IMPROV' (73+77+80+82+79+86 = 477) + 1 + 1 + 1 + 2 = 482 -> 0xe2
  t.same([...p], [0x49, 0x4d, 0x50, 0x52, 0x4f, 0x56, 0x01, 0x01, 0x01, 0x02, 0xe2, 0x0a]);
  t.throws(() => encodeImprov(1, Buffer.alloc(256)), RangeError);
});

t.test('decoder: split reads, garbage and frames around, bad checksum and version', async (t) => {
  const cmd = rpcCommand(IMPROV_COMMAND.wifiSettings, encodeStrings(['shop', 'password1']));
  const stream = Buffer.concat([
    Buffer.from('noise IMPRO'),
    encodeFrame({ type: 1, reqId: 7, payload: new TextEncoder().encode('{"op":"hello"}') }),
    cmd,
    rpcResult(IMPROV_COMMAND.deviceInfo, ['callbox', '0.1.0', 'linux-arm64', 'box-1']),
  ]);
  const d = new ImprovDecoder();
  const out = [];
  for (let i = 0; i < stream.length; i += 3) out.push(...d.push(stream.subarray(i, i + 3)));
  t.equal(out.length, 2);
  const first = out[0] as { type: number; data: Buffer };
  t.equal(first.type, IMPROV_TYPE.rpc);
  const rpc = parseRpc(first.data);
  t.equal(rpc?.command, IMPROV_COMMAND.wifiSettings);
  t.same(decodeStrings(rpc?.data ?? Buffer.alloc(0)), ['shop', 'password1']);
  const second = out[1] as { type: number; data: Buffer };
  t.same(decodeStrings(second.data.subarray(2)), ['callbox', '0.1.0', 'linux-arm64', 'box-1']);

  const bad = Buffer.from(cmd);
  bad[bad.length - 2] = (bad[bad.length - 2] as number) ^ 0x01;
  const wrongVersion = Buffer.from(cmd);
  wrongVersion[6] = 2;
  t.same(
    new ImprovDecoder().push(Buffer.concat([bad, wrongVersion, cmd])).map((p) => (typeof p === 'string' ? p : p.type)),
    ['checksum', 'version', IMPROV_TYPE.rpc],
  );
  t.equal(parseRpc(Buffer.from([1, 5, 0])), null, 'inner length wrong');
  t.equal(decodeStrings(Buffer.from([5, 65])), null, 'string longer than the data');
});

t.test('random bytes: no throw, bounded buffer', async (t) => {
  const d = new ImprovDecoder();
  let packets = 0;
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed & 0xff;
  };
  for (let i = 0; i < 2000; i++) {
    const chunk = Buffer.from(Array.from({ length: 64 }, rnd));
    if (i % 100 === 0) chunk.write('IMPROV', 10, 'ascii');
    for (const p of d.push(chunk)) if (typeof p !== 'string') packets++;
  }
  t.ok(packets < 20, `at most a few accidental checksums (1 in 256 of the headers): ${packets}`);
});

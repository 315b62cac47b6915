// Improv Wi-Fi serial on the provisioning port, beside the framed protocol: a socat pty pair with
// the real serialport binding, a real box on the sim driver. Device info, current state, Wi-Fi
// settings written as a NetworkManager keyfile and the URL in the result, a second change refused
// (first-setup mode), a failed connect leaving nothing behind, bad checksums and unknown commands
// answered with an error, and the framed protocol still answering on the same port.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { SerialPort } from '../../hal/src/serial.js';
import { connectionsDir } from '../../provisioning/src/agent/network.js';
import {
  IMPROV_COMMAND,
  IMPROV_ERROR,
  IMPROV_STATE,
  IMPROV_TYPE,
  ImprovDecoder,
  type ImprovPacket,
  decodeStrings,
  encodeStrings,
  rpcCommand,
} from '../../provisioning/src/protocol/improv.js';
import { rig } from './fixtures/provision-pty.js';

const URL = 'http://192.0.2.10:8080/';

/** The laptop's Improv end: send packets, wait for the answers. */
function improvClient(port: SerialPort) {
  const decoder = new ImprovDecoder();
  const got: (ImprovPacket | string)[] = [];
  port.onData((c) => got.push(...decoder.push(c)));
  return {
    got,
    async send(bytes: Uint8Array) {
      await port.write(bytes);
    },
    /** Waits until `n` packets came since `from`, returns them. */
    async next(n: number, from = got.length, ms = 3000): Promise<ImprovPacket[]> {
      const end = Date.now() + ms;
      while (got.length < from + n) {
        if (Date.now() > end) throw new Error(`waited for ${n} improv packets, got ${JSON.stringify(got.slice(from))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return got.slice(from, from + n) as ImprovPacket[];
    },
  };
}

const result = (p: ImprovPacket) => ({ command: p.data[0], strings: decodeStrings(p.data.subarray(2)) });

t.test('identify, state, Wi-Fi settings, refusal of a second change, framed protocol alongside', async (t) => {
  const r = await rig({ deviceUrl: () => URL });
  t.teardown(() => r.close());
  const { port, client } = await r.connect();
  const c = improvClient(port);

  let from = c.got.length;
  await c.send(rpcCommand(IMPROV_COMMAND.deviceInfo));
  const [info] = await c.next(1, from);
  t.equal(info?.type, IMPROV_TYPE.rpcResult);
  t.same(result(info as ImprovPacket), {
    command: IMPROV_COMMAND.deviceInfo,
    strings: ['callbox', 'test', `${process.platform}-${process.arch}`, 'callbox-10000000abcdef01'],
  });

  from = c.got.length;
  await c.send(rpcCommand(IMPROV_COMMAND.currentState));
  const [state] = await c.next(1, from);
  t.same([state?.type, state?.data[0]], [IMPROV_TYPE.currentState, IMPROV_STATE.authorized], 'no Wi-Fi yet: ready for settings');

  // a broken checksum, then an unknown command (scan): error states, no effect
  const broken = rpcCommand(IMPROV_COMMAND.currentState);
  broken[broken.length - 2] = ((broken[broken.length - 2] as number) + 1) & 0xff;
  from = c.got.length;
  await c.send(broken);
  const [e1] = await c.next(1, from);
  t.same([e1?.type, e1?.data[0]], [IMPROV_TYPE.errorState, IMPROV_ERROR.invalidRpc], 'bad checksum: invalid RPC packet');
  from = c.got.length;
  await c.send(rpcCommand(IMPROV_COMMAND.scan));
  const [e2] = await c.next(1, from);
  t.same([e2?.type, e2?.data[0]], [IMPROV_TYPE.errorState, IMPROV_ERROR.unknownCommand], 'scan is not supported');
  from = c.got.length;
  await c.send(rpcCommand(IMPROV_COMMAND.wifiSettings, encodeStrings(['shop', 'short'])));
  const [e3] = await c.next(1, from);
  t.same([e3?.type, e3?.data[0]], [IMPROV_TYPE.errorState, IMPROV_ERROR.invalidRpc], 'a 5-character password is refused');

  const keyfile = join(connectionsDir(r.netRoot), 'callbox-wifi.nmconnection');
  t.notOk(existsSync(keyfile));
  from = c.got.length;
  await c.send(rpcCommand(IMPROV_COMMAND.wifiSettings, encodeStrings(['张记茶行-WiFi', 'tea-2026-secret'])));
  const answers = await c.next(4, from);
  t.same(
    answers.map((p) => [p.type, p.data[0]]),
    [
      [IMPROV_TYPE.errorState, IMPROV_ERROR.none],
      [IMPROV_TYPE.currentState, IMPROV_STATE.provisioning],
      [IMPROV_TYPE.currentState, IMPROV_STATE.provisioned],
      [IMPROV_TYPE.rpcResult, IMPROV_COMMAND.wifiSettings],
    ],
  );
  t.same(result(answers[3] as ImprovPacket).strings, [URL], 'the result carries the dashboard URL');
  const text = readFileSync(keyfile, 'utf8');
  t.match(text, /ssid=张记茶行-WiFi/);
  t.match(text, /psk=tea-2026-secret/);

  from = c.got.length;
  await c.send(rpcCommand(IMPROV_COMMAND.currentState));
  const after = await c.next(2, from);
  t.same(
    after.map((p) => [p.type, p.data[0]]),
    [
      [IMPROV_TYPE.currentState, IMPROV_STATE.provisioned],
      [IMPROV_TYPE.rpcResult, IMPROV_COMMAND.currentState],
    ],
  );

  from = c.got.length;
  await c.send(rpcCommand(IMPROV_COMMAND.wifiSettings, encodeStrings(['evil-ap', 'password123'])));
  const [refused] = await c.next(1, from);
  t.same([refused?.type, refused?.data[0]], [IMPROV_TYPE.errorState, IMPROV_ERROR.notAuthorized], 'set already: needs the PoP code');
  t.equal(readFileSync(keyfile, 'utf8'), text, 'the keyfile is unchanged');

  // the framed protocol on the same port, after all this Improv traffic
  const hello = await client.hello();
  t.ok(hello, 'framed hello answered');
  const id = await client.request('info', {});
  t.equal((id as { serial?: string }).serial, '10000000abcdef01');
});

t.test('a Wi-Fi that does not connect: unable to connect, no keyfile left', async (t) => {
  const r = await rig({
    deviceUrl: () => URL,
    applyNetwork: async () => {
      throw new Error('nmcli: Secrets were required, but not provided');
    },
  });
  t.teardown(() => r.close());
  const { port } = await r.connect();
  const c = improvClient(port);
  const from = c.got.length;
  await c.send(rpcCommand(IMPROV_COMMAND.wifiSettings, encodeStrings(['shop', 'wrong-password'])));
  const answers = await c.next(4, from);
  t.same(
    answers.map((p) => [p.type, p.data[0]]),
    [
      [IMPROV_TYPE.errorState, IMPROV_ERROR.none],
      [IMPROV_TYPE.currentState, IMPROV_STATE.provisioning],
      [IMPROV_TYPE.errorState, IMPROV_ERROR.unableToConnect],
      [IMPROV_TYPE.currentState, IMPROV_STATE.authorized],
    ],
  );
  t.notOk(existsSync(join(connectionsDir(r.netRoot), 'callbox-wifi.nmconnection')), 'nothing kept');
});

t.test('mode off: Improv packets get no answer', async (t) => {
  const r = await rig({ improv: 'off' });
  t.teardown(() => r.close());
  const { port, client } = await r.connect();
  const c = improvClient(port);
  await c.send(rpcCommand(IMPROV_COMMAND.deviceInfo));
  await new Promise((res) => setTimeout(res, 300));
  t.equal(c.got.length, 0);
  t.ok(await client.hello(), 'the framed protocol answers');
});

// DID routing: a call to a DID with an IVR of its own rings that DID's channels (route = its IVR),
// any other DID rings the trunk's channels (main IVR); caller ID from P-Asserted-Identity, else
// From (a trusted trunk's identity is kept even with Privacy: id, RFC 3325). Config → driver options (sip-env).
import { createSocket } from 'node:dgram';
import t from 'tap';
import type { CallerIdInfo } from '../../../hal/src/channel.js';
import { SystemClock } from '../../../hal/src/clock.js';
import { SipDriver } from '../../../hal/src/drivers/sip/sip-driver.js';
import { sipOptionsFromEnv } from '../../../hal/src/drivers/sip/sip-env.js';

function invite(port: number, did: string, callId: string, extra: string[] = []): string {
  return [
    `INVITE sip:${did}@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-${callId}`,
    'From: "王女士" <sip:13900139000@127.0.0.1>;tag=r1',
    `To: <sip:${did}@127.0.0.1:${port}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    'Contact: <sip:caller@127.0.0.1:5999>',
    'Max-Forwards: 70',
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

t.test('config DIDs become driver routes', (t) => {
  const o = sipOptionsFromEnv({ CALLBOX_SIP_TRUNK_PEER: '10.1.1.1' }, new SystemClock(), {
    dids: [{ did: '+864008005678', ivr: 'sales' }],
  });
  t.same(o?.dids, [{ did: '864008005678', route: 'sales', channels: 4 }]);
  t.equal(o?.trunks[0]?.defaultRoute, 'main');
  t.same(sipOptionsFromEnv({}, new SystemClock(), { dids: [{ did: '4008005678', ivr: 'sales' }] }), null, 'no trunk, no phones: no SIP');
  t.throws(() => sipOptionsFromEnv({ CALLBOX_SIP_TRUNK_PEER: 'bad host!' }, new SystemClock()), /host\[:port\]/);
  t.throws(() => sipOptionsFromEnv({ CALLBOX_SIP_TRUNK_PEER: '1.2.3.4', CALLBOX_SIP_PORT: 'x' }, new SystemClock()), /CALLBOX_SIP_PORT/);
  t.end();
});

t.test('a DID with its own IVR rings its channels; others ring the trunk', async (t) => {
  const drv = new SipDriver({
    clock: new SystemClock(),
    port: 0,
    bindHost: '127.0.0.1',
    externalAddress: '127.0.0.1',
    rtpPorts: { min: 44000, max: 44100 },
    trunks: [{ id: 'trunk', peer: '127.0.0.1', defaultRoute: 'main', channels: 2 }],
    dids: [{ did: '4008005678', route: 'sales', channels: 1 }],
  });
  await drv.start();
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  t.teardown(async () => {
    s.close();
    await drv.stop();
  });
  const ids: CallerIdInfo[] = [];
  for (const ch of drv.sipChannels()) ch.events.on('callerId', (c) => ids.push(c));
  s.send(invite(drv.port, '4008005678', 'r-1', ['P-Asserted-Identity: <tel:+8613800138000>']), drv.port, '127.0.0.1');
  s.send(invite(drv.port, '4008009999', 'r-2'), drv.port, '127.0.0.1');
  s.send(invite(drv.port, '4008009998', 'r-3', ['Privacy: id']), drv.port, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 400));
  const ringing = drv
    .sipChannels()
    .filter((c) => c.state === 'ringing')
    .map((c) => `${c.id}:${c.route}:${c.did}`)
    .sort();
  t.same(ringing, ['sip-4008005678-1:sales:4008005678', 'sip-trunk-1:main:4008009999', 'sip-trunk-2:main:4008009998']);
  t.same(
    ids.map((c) => c.number),
    ['8613800138000', '13900139000', '13900139000'],
    'PAI first, else From',
  );
  t.equal(ids[0]?.name, '王女士');
});

// The Via sent-by port: sip.js writes no port and drops responses whose Via carries one. The
// transport adds the box's port when sending and removes exactly that port when receiving. Proof
// with a real sip.js UserAgent dialling out through the trunk to a UDP peer answering 486: the
// channel only learns of the failure if sip.js accepted the response.
import { createSocket } from 'node:dgram';
import t from 'tap';
import { SystemClock } from '../../../hal/src/clock.js';
import { SipDriver } from '../../../hal/src/drivers/sip/sip-driver.js';
import { topVia } from '../../../hal/src/drivers/sip/sip-text.js';

t.test('an outbound INVITE carries our port in Via; the 486 with that Via reaches sip.js', async (t) => {
  const peer = createSocket('udp4');
  await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
  const peerPort = peer.address().port;
  const seen: string[] = [];
  peer.on('message', (m, rinfo) => {
    const text = m.toString();
    seen.push(text);
    if (!text.startsWith('INVITE ')) return;
    const head = text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n');
    const keep = head.filter((l) => /^(via|from|to|call-id|cseq)\s*:/i.test(l)).map((l) => (/^to\s*:/i.test(l) ? `${l};tag=peer1` : l));
    peer.send(`SIP/2.0 486 Busy Here\r\n${keep.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`, rinfo.port, rinfo.address);
  });
  const drv = new SipDriver({
    clock: new SystemClock(),
    port: 0,
    bindHost: '127.0.0.1',
    externalAddress: '127.0.0.1',
    rtpPorts: { min: 42000, max: 42100 },
    trunks: [{ id: 'trunk', peer: `127.0.0.1:${peerPort}`, defaultRoute: 'main', channels: 1 }],
    dids: [],
  });
  await drv.start();
  t.teardown(async () => {
    await drv.stop();
    peer.close();
  });
  const ch = drv.sipChannels()[0];
  if (!ch) throw new Error('no channel');
  const ended = new Promise<string>((r) => ch.events.on('hangup', (h) => r(h.reason)));
  await ch.dial('13800138000');
  t.equal(ch.state, 'dialing');
  const reason = await Promise.race([ended, new Promise<string>((r) => setTimeout(() => r('timeout'), 3000))]);
  t.equal(reason, 'failed', 'the 486 was accepted by sip.js and ended the call');
  t.equal(ch.state, 'idle');
  await new Promise((r) => setTimeout(r, 100));
  const invite = seen.find((s) => s.startsWith('INVITE '));
  t.match(invite ?? '', /^INVITE sip:13800138000@127\.0\.0\.1:\d+ SIP\/2\.0/);
  t.equal(topVia(invite ?? '')?.port, drv.port, 'Via sent-by carries the box port');
  t.match(invite ?? '', new RegExp(`Contact: <sip:callbox@127\\.0\\.0\\.1:${drv.port};transport=udp`), 'Contact carries it too');
  t.ok(
    seen.some((s) => s.startsWith('ACK ')),
    'sip.js acknowledged the 486',
  );
});

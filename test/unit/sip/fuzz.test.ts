// Fuzzed SIP: hundreds of mutated INVITEs, REGISTERs and responses (bytes flipped, lines dropped
// or duplicated, truncated, oversized) from the trunk peer's address and a stranger's. The driver
// answers or drops them and never crashes: afterwards OPTIONS is still answered and a stray
// exception would fail this test (tap treats uncaught errors as failures).
import { createSocket } from 'node:dgram';
import t from 'tap';
import { SystemClock } from '../../../hal/src/clock.js';
import { SipDriver } from '../../../hal/src/drivers/sip/sip-driver.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const INVITE = (port: number) =>
  [
    `INVITE sip:4008001234@127.0.0.1:${port} SIP/2.0`,
    'Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-fz;rport',
    'From: "客户" <sip:13800138000@127.0.0.1>;tag=f1',
    `To: <sip:4008001234@127.0.0.1:${port}>`,
    'Call-ID: fuzz-1',
    'CSeq: 1 INVITE',
    'Contact: <sip:fz@127.0.0.1:5999>',
    'Max-Forwards: 70',
    'Content-Type: application/sdp',
    'Content-Length: 120',
    '',
    'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 5998 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n',
  ].join('\r\n');

function mutate(msg: string, r: () => number, i: number): Buffer {
  const lines = msg.split('\r\n');
  switch (i % 6) {
    case 0: {
      const b = Buffer.from(msg);
      for (let k = 0; k < 1 + Math.floor(r() * 8); k++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      return b;
    }
    case 1:
      lines.splice(Math.floor(r() * lines.length), 1);
      return Buffer.from(lines.join('\r\n'));
    case 2:
      return Buffer.from(msg.slice(0, Math.floor(r() * msg.length)));
    case 3: {
      const k = Math.floor(r() * lines.length);
      lines.splice(k, 0, lines[k] ?? '');
      return Buffer.from(lines.join('\r\n').replace('fuzz-1', `fuzz-${i}`));
    }
    case 4:
      return Buffer.from(
        msg.replace(/Content-Length: \d+/, `Content-Length: ${Math.floor(r() * 100000) - 10}`).replace('fuzz-1', `fuzz-${i}`),
      );
    default:
      return Buffer.from(
        `SIP/2.0 ${Math.floor(r() * 700)} X\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-${i}\r\n${lines.slice(2, 7).join('\r\n')}\r\n\r\n`,
      );
  }
}

t.test('mutated SIP never crashes the driver', async (t) => {
  const drv = new SipDriver({
    clock: new SystemClock(),
    port: 0,
    bindHost: '127.0.0.1',
    externalAddress: '127.0.0.1',
    rtpPorts: { min: 43000, max: 43400 },
    trunks: [{ id: 'trunk', peer: '127.0.0.1', defaultRoute: 'main', channels: 4 }],
    dids: [],
    extensions: [{ user: '101', password: 'secret-101' }],
  });
  await drv.start();
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const replies: string[] = [];
  s.on('message', (m) => replies.push(m.toString()));
  t.teardown(async () => {
    s.close();
    await drv.stop();
  });
  const r = rng(42);
  const base = INVITE(drv.port);
  const register = base.replace(/^INVITE sip:\S+/, 'REGISTER sip:127.0.0.1').replace('CSeq: 1 INVITE', 'CSeq: 1 REGISTER');
  for (let i = 0; i < 600; i++) {
    s.send(mutate(i % 2 ? base : register, r, i), drv.port, '127.0.0.1');
    if (i % 50 === 0) await new Promise((res) => setTimeout(res, 20));
  }
  s.send(Buffer.alloc(20000, 0x41), drv.port, '127.0.0.1');
  await new Promise((res) => setTimeout(res, 500));
  for (const ch of drv.sipChannels()) await ch.hangup();
  replies.length = 0;
  const options = `OPTIONS sip:ping@127.0.0.1:${drv.port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${s.address().port};branch=z9hG4bK-alive\r\nFrom: <sip:p@127.0.0.1>;tag=9\r\nTo: <sip:ping@127.0.0.1>\r\nCall-ID: alive-1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`;
  // Ask until it answers (a loaded machine may take a while to work through the fuzz backlog; a
  // datagram may be dropped): up to 15 s, resending every 500 ms.
  const alive = () => replies.some((x) => x.startsWith('SIP/2.0 200') && x.includes('alive-1'));
  for (let i = 0; i < 30 && !alive(); i++) {
    s.send(options, drv.port, '127.0.0.1');
    await new Promise((res) => setTimeout(res, 500));
  }
  t.ok(alive(), 'still answering after the fuzz');
  t.ok(drv.socket.dropped > 0, `dropped ${drv.socket.dropped} datagrams`);
});

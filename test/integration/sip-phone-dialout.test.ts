// An agent's SIP phone calls a customer through the shop's SIP trunk, all real SIPp on loopback:
// the phone (SIPp, -rtp_echo) registers as extension 101, dials 13800138000; the box challenges
// the INVITE (407 digest), dials out on the trunk (SIPp UAS), whose 183 Session Progress carries
// early media (a tone) that reaches the phone before the answer (the box hears the phone's echo
// of it); the callee answers, the phone hangs up, the box ends the trunk leg. One outbound call
// record with the phone as its agent leg. Strangers and wrong passwords dial nothing (no open
// relay), and a peer cannot smuggle the box's internal routing header.
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import t from 'tap';
import { digestResponse } from '../../hal/src/drivers/sip/digest.js';
import type { SipChannel } from '../../hal/src/drivers/sip/sip-channel.js';
import { writeDigitsPcap } from './fixtures/rtp-pcap.js';
import { openSipBox, phoneDial, registerPhone, sipPhone } from './fixtures/sip-box.js';
import { runSipp, scenario } from './fixtures/sipp.js';
import { sleep, within } from '../helpers/wait.js';

const base = 37000 + (process.pid % 100) * 40;

function udpExchange(text: string, port: number, fromPort = 0, waitMs = 400): Promise<string[]> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const got: string[] = [];
    s.on('message', (m) => got.push(m.toString()));
    s.bind(fromPort, '127.0.0.1', () => {
      s.send(Buffer.from(text), port, '127.0.0.1');
      setTimeout(() => {
        s.close();
        resolve(got);
      }, waitMs);
    });
  });
}

const invite = (from: string, to: string, extra: string[] = []) =>
  [
    `INVITE sip:${to}@127.0.0.1:${base} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${base + 30};branch=z9hG4bK-${Math.random().toString(36).slice(2)}`,
    `From: <sip:${from}@127.0.0.1>;tag=x1`,
    `To: <sip:${to}@127.0.0.1:${base}>`,
    `Call-ID: relay-${Math.random().toString(36).slice(2)}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:${from}@127.0.0.1:${base + 30}>`,
    ...extra,
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

t.test('an agent SIP phone dials out through the trunk, hears early media, one call record', async (t) => {
  const { box, dataDir } = await openSipBox(t, {
    base,
    prefix: 'callbox-sipdial-',
    config: (c) => {
      c.lines = []; // no analog/GSM lines: the trunk is the shop's line
    },
    env: { CALLBOX_SIP_TRUNK_CHANNELS: '2' },
  });
  const phone = sipPhone(box, '101');
  const trunk = box.channels().find((c): c is SipChannel => c.id === 'sip-trunk-1');
  if (!trunk) throw new Error('no SIP trunk channel');

  // No open relay: the phone's extension must authenticate its INVITE.
  const stranger = await udpExchange(invite('evil', '0085212345678'), base);
  t.match(stranger[0] ?? '', /^SIP\/2\.0 407/, 'an INVITE without credentials is challenged (407)');
  t.match(stranger[0] ?? '', /Proxy-Authenticate: Digest realm="callbox"/);
  const wrong = await udpExchange(
    invite('101', '0085212345678', [
      'Proxy-Authorization: Digest username="101", realm="callbox", nonce="00", uri="sip:0085212345678@127.0.0.1", response="0"',
    ]),
    base,
  );
  t.match(wrong[0] ?? '', /^SIP\/2\.0 403/, 'wrong credentials → 403');
  // A peer's copy of the box's internal header is removed: still challenged, never dialled.
  const smuggled = await udpExchange(invite('101', '0085212345678', ['X-Callbox-Ext: 101;0085212345678']), base);
  t.match(smuggled[0] ?? '', /^SIP\/2\.0 407/, 'a smuggled X-Callbox-Ext header is ignored');
  t.equal(trunk.state, 'idle', 'nothing was dialled for them');

  // The phone registers (a separate SIPp run from the port it then calls from).
  const reg = await registerPhone(dataDir, base, '101', base + 20);
  t.equal(reg.code, 0, `the phone registered ${reg.code === 0 ? '' : reg.stderr.slice(-300)}`);

  const tone = join(dataDir, 'ringback.pcap');
  writeDigitsPcap(tone, '', 1500, 0);
  const provider = runSipp(
    [
      '-sf',
      scenario(dataDir, 'uas-early.xml', [tone, '2500']),
      '-i',
      '127.0.0.1',
      '-p',
      String(base + 10),
      '-mp',
      String(base + 12),
      '-m',
      '1',
      '-timeout',
      '30s',
      '-nostdin',
    ],
    40000,
  );
  await sleep(300);
  let earlyEcho = -1;
  trunk.events.on('answered', () => {
    earlyEcho = phone.rxLevel.loudFrames;
  });
  const dialled: string[] = [];
  phone.events.on('dial', (d) => dialled.push(d.number));
  const call = await phoneDial(dataDir, base, {
    user: '101',
    port: base + 20,
    mediaPort: base + 22,
    file: 'phone-dial.xml',
    fields: ['101', '13800138000', '1500'],
    echo: true,
    timeout: '30s',
  });
  t.equal(
    call.code,
    0,
    `the phone's call went through: 407, 183 with SDP, 200 with SDP, BYE ${call.code === 0 ? '' : call.stderr.slice(-400)}`,
  );
  const prov = await provider;
  t.equal(prov.code, 0, `the provider got the INVITE and the box's BYE ${prov.code === 0 ? '' : prov.stderr.slice(-400)}`);
  t.same(dialled, ['13800138000'], 'the phone dialled the customer');
  t.ok(earlyEcho > 20, `early media reached the phone before the answer (${earlyEcho} loud frames echoed back)`);
  await sleep(300);
  t.equal(phone.state, 'idle');
  t.equal(trunk.state, 'idle');
  const calls = box.service.calls.list({ limit: 5 });
  t.equal(calls.length, 1, 'one call record');
  const c = calls[0];
  t.equal(c?.direction, 'outbound');
  t.equal(c?.callerId, '13800138000');
  t.equal(c?.agent, 'a1');
  t.equal(c?.outcome, 'answered');
  t.not(c?.answeredAt, null);
  t.same(
    c?.legs.map((l) => [l.channel, l.role]),
    [
      ['sip-trunk-1', 'caller'],
      ['sip-101', 'agent'],
    ],
  );
  t.not(box.service.acd.agents().find((a) => a.id === 'a1')?.state, 'onCall', 'the agent is free again');
});

t.test('with an outbound prefix ("9"), only prefixed numbers go out, without the prefix', async (t) => {
  const { box } = await openSipBox(t, {
    base,
    prefix: 'callbox-sipdial9-',
    config: (c) => {
      c.lines = [];
      if (c.sip) c.sip.outboundPrefix = '9';
    },
  });
  const phone = sipPhone(box, '101');
  const dialled: string[] = [];
  phone.events.on('dial', (d) => dialled.push(d.number));
  /** An INVITE from 101 answering the box's challenge with the right password. */
  const authed = async (to: string) => {
    const challenge = await udpExchange(invite('101', to), base);
    const nonce = /nonce="([^"]+)"/.exec(challenge[0] ?? '')?.[1] ?? '';
    const uri = `sip:${to}@127.0.0.1:${base}`;
    const p = { username: '101', realm: 'callbox', nonce, uri, qop: 'auth', nc: '00000001', cnonce: 'c0ffee' };
    const response = digestResponse(p, 'secret-101', 'INVITE');
    const authz = `Proxy-Authorization: Digest username="101", realm="callbox", nonce="${nonce}", uri="${uri}", qop=auth, nc=00000001, cnonce="c0ffee", response="${response}"`;
    return udpExchange(invite('101', to, [authz]), base);
  };
  const plain = await authed('13800138000');
  t.match(plain.find((r) => !/^SIP\/2\.0 1\d\d/.test(r)) ?? '', /^SIP\/2\.0 404/, 'a number without the prefix is not dialled (404)');
  t.same(dialled, [], 'nothing dialled');
  const prefixed = await authed('913800138000');
  t.ok(
    prefixed.some((r) => /^SIP\/2\.0 18[03]/.test(r)),
    'the prefixed number is taken (ringing / session progress)',
  );
  t.same(dialled, ['13800138000'], 'dialled without the prefix');
  const c = box.service.calls.list({ limit: 5 })[0];
  t.equal(c?.callerId, '13800138000', 'the outbound call record names the number without the prefix');
  // An emergency number goes out as it is, prefix or not, as from an analog phone (agent guide): the
  // driver hands a number without the prefix to the engine, whose dial plan knows 110/119/120/122.
  await phone.hangup();
  await within(() => phone.state === 'idle', 2000);
  const emergency = await authed('110');
  t.ok(
    emergency.some((r) => /^SIP\/2\.0 18[03]/.test(r)),
    'an emergency number is taken without the prefix',
  );
  t.same(dialled, ['13800138000', '110'], '110 dialled as it is');
});

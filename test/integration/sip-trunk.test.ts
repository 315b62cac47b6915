// A whole box on real time with CALLBOX_SIP_TRUNK_PEER=127.0.0.1: SIPp calls a DID through the
// trunk, the main IVR answers and plays its greeting as RTP, the RFC 4733 "1" from SIPp's pcap
// reaches the IVR (→ queue), SIPp hangs up: exactly one call record. Strangers get 403, garbage
// and headless requests are dropped or get 400, and the box keeps serving.
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Box } from '../../firmware/src/box.js';
import { silentLogger } from '../../firmware/src/log.js';
import { SystemClock } from '../../hal/src/clock.js';
import { SipChannel } from '../../hal/src/drivers/sip/sip-channel.js';
import { PROMPTS_DIR } from '../helpers/box.js';
import { writeDigitsPcap } from './fixtures/rtp-pcap.js';
import { runSipp, scenario } from './fixtures/sipp.js';
import { sleep } from '../helpers/wait.js';

const base = 30000 + (process.pid % 150) * 20;
const SIP_PORT = base;
const SIPP_PORT = base + 1;

function udpExchange(text: string, port: number, from = '127.0.0.1', waitMs = 400): Promise<string[]> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const got: string[] = [];
    s.on('message', (m) => got.push(m.toString()));
    s.bind(0, from, () => {
      s.send(Buffer.from(text), port, '127.0.0.1');
      setTimeout(() => {
        s.close();
        resolve(got);
      }, waitMs);
    });
  });
}

t.test('SIP trunk peer → main IVR → digit → queue, one call record', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-sip-'));
  const box = await Box.open({
    dataDir,
    log: silentLogger(),
    version: 'test',
    promptsDir: PROMPTS_DIR,
    forceSim: true,
    adminPassword: 'test-password-1',
    clock: new SystemClock(),
    env: { CALLBOX_SIP_TRUNK_PEER: '127.0.0.1', CALLBOX_SIP_PORT: String(SIP_PORT), CALLBOX_RTP_PORTS: `${base + 2}-${base + 19}` },
  });
  await box.start();
  t.teardown(async () => {
    await box.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const sip = box.channels().filter((c): c is SipChannel => c instanceof SipChannel);
  t.equal(sip.length, 8, 'eight trunk channels');

  const pcap = join(dataDir, 'press1.pcap');
  writeDigitsPcap(pcap, '1', 3000, 500);
  const sf = scenario(dataDir, 'uac-press.xml', [pcap, '6000']);
  let peakRx = 0;
  let greetingFrames = 0;
  const watch = setInterval(() => {
    const st = sip[0]?.mediaStats();
    if (st) {
      peakRx = Math.max(peakRx, st.received);
      greetingFrames = Math.max(greetingFrames, st.sent);
    }
  }, 100);
  const run = await runSipp([
    `127.0.0.1:${SIP_PORT}`,
    '-sf',
    sf,
    '-s',
    '4008001234',
    '-m',
    '1',
    '-i',
    '127.0.0.1',
    '-p',
    String(SIPP_PORT),
    '-mp',
    String(base + 10),
    '-timeout',
    '30s',
    '-nostdin',
    ...(process.env.SIP_DEBUG ? ['-trace_msg', '-message_file', '/tmp/sipp-msg.log'] : []),
  ]);
  clearInterval(watch);
  t.equal(run.code, 0, `sipp passed: ${run.stderr.slice(-400)}`);
  t.ok(peakRx > 100, `the box received SIPp's RTP (${peakRx} packets)`);
  t.ok(greetingFrames > 100, `the box sent its greeting as RTP (${greetingFrames} packets)`);
  await sleep(300);
  const calls = box.service.calls.list({ limit: 10 });
  t.equal(calls.length, 1, 'one call record');
  const c = calls[0];
  t.equal(c?.callerId, '13800138000', 'caller ID from P-Asserted-Identity');
  t.match(c?.ivrPath ?? '', /1/, 'the RFC 4733 digit reached the IVR');
  t.equal(c?.queue, 'main');
  t.not(c?.endedAt, null, 'the call ended');
  t.equal(c?.legs[0]?.channel, 'sip-trunk-1');
  t.ok(sip.every((ch) => ch.state === 'idle'));

  // A stranger (not the trunk peer's address) may not call in.
  const stranger = await udpExchange(
    [
      `INVITE sip:4008001234@127.0.0.1:${SIP_PORT} SIP/2.0`,
      'Via: SIP/2.0/UDP 127.0.0.2:5099;branch=z9hG4bK-x1',
      'From: <sip:evil@127.0.0.2>;tag=1',
      `To: <sip:4008001234@127.0.0.1:${SIP_PORT}>`,
      'Call-ID: stranger-1',
      'CSeq: 1 INVITE',
      'Contact: <sip:evil@127.0.0.2:5099>',
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
    SIP_PORT,
    '127.0.0.2',
  );
  t.match(stranger[0] ?? '', /^SIP\/2\.0 403/, 'INVITE from an unknown source → 403');
  // Garbage and a request without its mandatory headers: dropped or 400, never a crash.
  t.same(await udpExchange('\x00\x01garbage garbage garbage', SIP_PORT), [], 'garbage dropped');
  const headless = await udpExchange(`OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-2\r\n\r\n`, SIP_PORT);
  t.match(headless[0] ?? '', /^SIP\/2\.0 400/, 'missing headers → 400');
  const options = await udpExchange(
    `OPTIONS sip:ping@127.0.0.1:${SIP_PORT} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-3\r\nFrom: <sip:p@127.0.0.1>;tag=9\r\nTo: <sip:ping@127.0.0.1>\r\nCall-ID: opt-1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
    SIP_PORT,
  );
  t.match(options[0] ?? '', /^SIP\/2\.0 200/, 'OPTIONS keepalive answered, the box is alive');
});

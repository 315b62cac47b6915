// SIP over TCP (CALLBOX_SIP_TCP=1), with SIPp in TCP mode (-t t1): a trunk call into the main IVR
// whose RFC 4733 digit reaches the queue (one call record), an agent phone's REGISTER with digest,
// and a connection sending garbage is closed while the box goes on answering.
import { connect } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { defaultConfig } from '../../firmware/src/config/schema.js';
import { SipPhoneChannel } from '../../hal/src/drivers/sip/sip-phone-channel.js';
import { writeDigitsPcap } from './fixtures/rtp-pcap.js';
import { openSipBox, registerPhone } from './fixtures/sip-box.js';
import { runSipp, scenario } from './fixtures/sipp.js';
import { sleep } from '../helpers/wait.js';

const base = 45100 + (process.pid % 60) * 40;

t.test('SIP over TCP: trunk call into the IVR, REGISTER, garbage connection closed', async (t) => {
  const { box, dataDir } = await openSipBox(t, {
    base,
    prefix: 'callbox-siptcp-',
    config: (c) => {
      // the default sim agents (FXS phones) answer; 101 is only a SIP phone registering
      const d = defaultConfig();
      c.agents = d.agents;
      c.queues = d.queues;
    },
    env: { CALLBOX_SIP_TRUNK_PEER: '127.0.0.1', CALLBOX_SIP_TCP: '1' },
  });

  const pcap = join(dataDir, 'press1.pcap');
  writeDigitsPcap(pcap, '1', 3000, 500);
  const run = await runSipp([
    `127.0.0.1:${base}`,
    '-t',
    't1',
    '-sf',
    scenario(dataDir, 'uac-press.xml', [pcap, '6000']),
    '-s',
    '4008001234',
    '-m',
    '1',
    '-i',
    '127.0.0.1',
    '-p',
    String(base + 10),
    '-mp',
    String(base + 12),
    '-timeout',
    '30s',
    '-nostdin',
  ]);
  t.equal(run.code, 0, `the call over TCP completed ${run.code === 0 ? '' : run.stderr.slice(-400)}`);
  await sleep(300);
  const calls = box.service.calls.list({ limit: 5 });
  t.equal(calls.length, 1, 'one call record');
  t.match(calls[0]?.ivrPath ?? '', /1/, 'the digit reached the IVR');
  t.equal(calls[0]?.queue, 'main');
  t.not(calls[0]?.endedAt, null);

  const reg = await registerPhone(dataDir, base, '101', base + 20, ['-t', 't1']);
  t.equal(reg.code, 0, `REGISTER with digest over TCP ${reg.code === 0 ? '' : reg.stderr.slice(-300)}`);
  const phone = box.channels().find((c): c is SipPhoneChannel => c instanceof SipPhoneChannel);
  t.ok(phone?.registered, 'extension 101 registered over TCP');

  const closed = await new Promise<boolean>((resolve) => {
    const s = connect(base, '127.0.0.1', () => s.write(Buffer.alloc(20000, 0x41)));
    s.on('close', () => resolve(true));
    s.on('error', () => {});
    setTimeout(() => {
      s.destroy();
      resolve(false);
    }, 3000);
  });
  t.ok(closed, 'a connection sending 20 kB of garbage is closed');
  const options = await new Promise<string>((resolve) => {
    let got = '';
    const s = connect(base, '127.0.0.1', () =>
      s.write(
        `OPTIONS sip:ping@127.0.0.1:${base} SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:${s.localPort};branch=z9hG4bK-tcp1\r\nFrom: <sip:p@127.0.0.1>;tag=9\r\nTo: <sip:ping@127.0.0.1>\r\nCall-ID: tcp-opt-1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
      ),
    );
    s.on('data', (d) => {
      got += d.toString();
      if (got.includes('\r\n\r\n')) {
        s.destroy();
        resolve(got);
      }
    });
    s.on('error', () => {});
    setTimeout(() => {
      s.destroy();
      resolve(got);
    }, 3000);
  });
  t.match(options, /^SIP\/2\.0 200/, 'OPTIONS over TCP answered on the same connection afterwards');
});

// baresip as an agent's SIP phone: it registers to the box with digest auth, a SIPp caller comes
// in through the trunk, presses 1, the ACD rings extension sip-101, baresip answers (auto answer),
// a tone goes both ways (the box's level meter hears baresip's 1 kHz sine; baresip's dump of what
// it decoded carries the caller's 440 Hz tone), the caller hangs up and the phone is released.
import { readFileSync, readdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Box } from '../../firmware/src/box.js';
import { defaultConfig } from '../../firmware/src/config/schema.js';
import { silentLogger } from '../../firmware/src/log.js';
import { SystemClock } from '../../hal/src/clock.js';
import { frameEnergyDbm0 } from '../../hal/src/dsp/level.js';
import { parseWav } from '../../hal/src/dsp/wav.js';
import { SipPhoneChannel } from '../../hal/src/drivers/sip/sip-phone-channel.js';
import { PROMPTS_DIR } from '../helpers/box.js';
import { startBaresip } from './fixtures/baresip.js';
import { writeDigitsPcap } from './fixtures/rtp-pcap.js';
import { runSipp, scenario } from './fixtures/sipp.js';
import { sleep, within } from '../helpers/wait.js';

const base = 33000 + (process.pid % 100) * 40;

t.test('baresip registers, receives a queued call, tone both ways, hangs up', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'callbox-sipphone-'));
  const config = defaultConfig();
  config.agents = [{ id: 'a1', name: '坐席 1', extension: 'sip-101' }];
  for (const q of config.queues) q.members = ['a1'];
  config.sip = { extensions: [{ user: '101', password: 'secret-101' }] };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config, null, 2));
  const box = await Box.open({
    dataDir,
    log: silentLogger(),
    version: 'test',
    promptsDir: PROMPTS_DIR,
    forceSim: true,
    adminPassword: 'test-password-1',
    clock: new SystemClock(),
    env: {
      CALLBOX_SIP_TRUNK_PEER: '127.0.0.1',
      CALLBOX_SIP_PORT: String(base),
      CALLBOX_SIP_BIND: '127.0.0.1',
      CALLBOX_RTP_PORTS: `${base + 2}-${base + 19}`,
    },
  });
  await box.start();
  const phone = box.channels().find((c): c is SipPhoneChannel => c instanceof SipPhoneChannel);
  if (!phone) throw new Error('no SIP phone channel');
  const bdir = join(dataDir, 'baresip');
  const bs = startBaresip({
    dir: bdir,
    sipPort: base + 20,
    boxPort: base,
    user: '101',
    password: 'secret-101',
    toneHz: 1000,
    rtp: [base + 22, base + 39],
  });
  t.teardown(async () => {
    await bs.stop();
    await box.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  t.ok(await within(() => phone.registered, 5000), `baresip registered with digest: ${phone.registered ? '' : bs.output().slice(-600)}`);

  const pcap = join(dataDir, 'press1.pcap');
  writeDigitsPcap(pcap, '1', 2500, 9000);
  const sf = scenario(dataDir, 'uac-press.xml', [pcap, '12000']);
  let answered = false;
  phone.events.on('offHook', () => {
    answered = true;
  });
  const run = await runSipp([
    `127.0.0.1:${base}`,
    '-sf',
    sf,
    '-s',
    '4008001234',
    '-m',
    '1',
    '-i',
    '127.0.0.1',
    '-p',
    String(base + 1),
    '-mp',
    String(base + 10),
    '-timeout',
    '40s',
    '-nostdin',
  ]);
  t.equal(run.code, 0, `sipp call passed ${run.code === 0 ? '' : run.stderr.slice(-300)}`);
  t.ok(answered, 'the phone answered the queued call');
  t.ok(
    phone.rxLevel.loudFrames > 50,
    `the box heard baresip's tone (${phone.rxLevel.loudFrames} frames, peak ${phone.rxLevel.peakDbm0.toFixed(1)} dBm0)`,
  );
  await sleep(500);
  t.equal(phone.state, 'idle', 'the phone was released when the caller hung up');
  const calls = box.service.calls.list({ limit: 5 });
  t.equal(calls.length, 1);
  t.equal(calls[0]?.agent, 'a1');
  t.ok(
    calls[0]?.legs.some((l) => l.channel === 'sip-101'),
    'an agent leg on the SIP phone',
  );
  t.not(calls[0]?.endedAt, null);

  const dec = readdirSync(bdir).find((f) => /dec\.wav$/.test(f));
  t.ok(dec, `baresip dumped what it heard (${readdirSync(bdir).join(', ')})`);
  if (dec) {
    const wav = parseWav(readFileSync(join(bdir, dec)));
    const pcm = wav.samples;
    let loud = 0;
    for (let i = 0; i + 160 <= pcm.length; i += 160) if (frameEnergyDbm0(pcm.subarray(i, i + 160)) > -30) loud++;
    t.ok(loud > 50, `baresip heard the caller's tone through the box (${loud} loud frames)`);
  }
});

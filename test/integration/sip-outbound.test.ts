// An outbound call through the trunk: SIPp (UAS, -rtp_echo) rings and answers, the channel reports
// `answered`, the box's tone comes back through SIPp's RTP echo (level meter), the box hangs up
// with BYE and SIPp's scenario completes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FRAME_SAMPLES } from '../../hal/src/audio.js';
import { SystemClock } from '../../hal/src/clock.js';
import { frameEnergyDbm0 } from '../../hal/src/dsp/level.js';
import { SipDriver } from '../../hal/src/drivers/sip/sip-driver.js';
import { scenario } from './fixtures/sipp.js';
import { sleep } from '../helpers/wait.js';

const base = 58000 + (process.pid % 300) * 10;

t.test('outbound call answered by SIPp, audio echoed back, box hangs up', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-sipout-'));
  const sipp = spawn(
    '/usr/bin/sipp',
    [
      '-sf',
      scenario(dir, 'uas-answer.xml', []),
      '-i',
      '127.0.0.1',
      '-p',
      String(base + 1),
      '-mp',
      String(base + 2),
      '-rtp_echo',
      '-m',
      '1',
      '-timeout',
      '30s',
      '-nostdin',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  sipp.stderr.on('data', (d) => (err += d));
  const done = new Promise<number | null>((r) => sipp.on('close', r));
  await sleep(300);
  const drv = new SipDriver({
    clock: new SystemClock(),
    port: base,
    bindHost: '127.0.0.1',
    externalAddress: '127.0.0.1',
    rtpPorts: { min: base + 6, max: base + 9 },
    trunks: [{ id: 'trunk', peer: `127.0.0.1:${base + 1}`, defaultRoute: 'main', channels: 1 }],
    dids: [],
  });
  await drv.start();
  t.teardown(async () => {
    await drv.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const ch = drv.sipChannels()[0];
  if (!ch) throw new Error('no channel');
  let loud = 0;
  ch.setFrameSink((f) => {
    if (frameEnergyDbm0(f) > -30) loud++;
  });
  const answered = new Promise<void>((r) => ch.events.on('answered', () => r()));
  await ch.dial('13800138000');
  await Promise.race([answered, sleep(5000)]);
  t.equal(ch.state, 'active', 'answered: active');
  const tone = new Int16Array(FRAME_SAMPLES);
  let phase = 0;
  const feeder = setInterval(() => {
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      phase += (2 * Math.PI * 800) / 8000;
      tone[i] = Math.round(6000 * Math.sin(phase));
    }
    ch.write(tone);
  }, 20);
  await sleep(1500);
  clearInterval(feeder);
  t.ok(loud > 20, `the box heard its tone echoed back (${loud} frames)`);
  await ch.hangup();
  t.equal(ch.state, 'idle');
  const code = await done;
  t.equal(code, 0, `SIPp got the BYE ${code === 0 ? '' : err.slice(-300)}`);
});

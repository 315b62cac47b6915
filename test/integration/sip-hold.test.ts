// Hold and unhold by re-INVITE on an inbound trunk call: the caller (SIPp) offers sendonly, the
// box answers recvonly and stops sending RTP; sendrecv again resumes it; then BYE.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FRAME_SAMPLES } from '../../hal/src/audio.js';
import { SystemClock } from '../../hal/src/clock.js';
import { SipDriver } from '../../hal/src/drivers/sip/sip-driver.js';
import { runSipp, scenario } from './fixtures/sipp.js';

const base = 48000 + (process.pid % 300) * 10;

t.test('re-INVITE sendonly → recvonly answer, media paused; sendrecv resumes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-siphold-'));
  const drv = new SipDriver({
    clock: new SystemClock(),
    port: base,
    bindHost: '127.0.0.1',
    externalAddress: '127.0.0.1',
    rtpPorts: { min: base + 6, max: base + 9 },
    trunks: [{ id: 'trunk', peer: '127.0.0.1', defaultRoute: 'main', channels: 1 }],
    dids: [],
  });
  await drv.start();
  t.teardown(async () => {
    await drv.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const ch = drv.sipChannels()[0];
  if (!ch) throw new Error('no channel');
  ch.events.on('ring', () => void ch.answer());
  const frame = new Int16Array(FRAME_SAMPLES).fill(1000);
  const sentDuring: number[] = [];
  const feeder = setInterval(() => {
    ch.write(frame);
    sentDuring.push(ch.mediaStats()?.sent ?? 0);
  }, 20);
  const run = await runSipp([
    `127.0.0.1:${base}`,
    '-sf',
    scenario(dir, 'uac-hold.xml', []),
    '-s',
    '4008001234',
    '-m',
    '1',
    '-i',
    '127.0.0.1',
    '-p',
    String(base + 1),
    '-mp',
    String(base + 2),
    '-timeout',
    '20s',
    '-nostdin',
  ]);
  clearInterval(feeder);
  t.equal(run.code, 0, `hold answered recvonly, unhold sendrecv ${run.code === 0 ? '' : run.stderr.slice(-400)}`);
  // During hold (between the two re-INVITEs, ~0.5 s) the packet count stays flat for a while.
  let flat = 0;
  let longest = 0;
  for (let i = 1; i < sentDuring.length; i++) {
    flat = sentDuring[i] === sentDuring[i - 1] && (sentDuring[i] ?? 0) > 0 ? flat + 1 : 0;
    longest = Math.max(longest, flat);
  }
  t.ok(longest >= 10, `RTP paused while on hold (${longest} ticks without a packet)`);
  t.equal(ch.state, 'idle', 'BYE ended the call');
});

// SIP load: SIPp calls into the box through an IP-authenticated trunk (CALLBOX_SIP_TRUNK_PEER) at
// up to 20 calls/s, up to 60 at once, each sending 6 s of G.711 RTP into the main IVR, which
// answers, plays its prompt and waits for a digit. Records failed calls (SIPp), peak concurrent
// calls (the box's /metrics), event-loop lag p99, RSS and CPU of the box (production bundle).
// Peer in the same run: the box idle (same process before the calls start).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rssBytes, sleep, spawnReady, stopProc, waitHealthy, writeResult } from './lib.mjs';

const BUNDLE = new URL('../dist/callbox.mjs', import.meta.url).pathname;
const SCENARIO = new URL('../test/integration/fixtures/sipp/uac-press.xml', import.meta.url).pathname;
const RATE = Number(process.env.SIP_BENCH_RATE ?? 20);
const LIMIT = Number(process.env.SIP_BENCH_CONCURRENT ?? 60);
const CALLS = Number(process.env.SIP_BENCH_CALLS ?? 240);
const HOLD_MS = 6000;
const SIP_PORT = 45060;

/** 6 s of PCMU (a 440 Hz tone) as a pcap for SIPp's play_pcap_audio; no digit: the IVR keeps waiting. */
function tonePcap(path, seconds) {
  const n = (seconds * 1000) / 20;
  const recs = [];
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(1, 20);
  let phase = 0;
  for (let k = 0; k < n; k++) {
    const rtp = Buffer.alloc(12 + 160);
    rtp[0] = 0x80;
    rtp[1] = 0;
    rtp.writeUInt16BE(k & 0xffff, 2);
    rtp.writeUInt32BE(k * 160, 4);
    rtp.writeUInt32BE(0x5199, 8);
    for (let i = 0; i < 160; i++) {
      phase += (2 * Math.PI * 440) / 8000;
      rtp[12 + i] = ulaw(Math.round(3000 * Math.sin(phase)));
    }
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + 8 + rtp.length, 2);
    ip[8] = 64;
    ip[9] = 17;
    Buffer.from([127, 0, 0, 1]).copy(ip, 12);
    Buffer.from([127, 0, 0, 1]).copy(ip, 16);
    const udp = Buffer.alloc(8);
    udp.writeUInt16BE(6000, 0);
    udp.writeUInt16BE(6000, 2);
    udp.writeUInt16BE(8 + rtp.length, 4);
    const eth = Buffer.alloc(14);
    eth.writeUInt16BE(0x0800, 12);
    const frame = Buffer.concat([eth, ip, udp, rtp]);
    const rec = Buffer.alloc(16);
    const t = k * 20;
    rec.writeUInt32LE(1700000000 + Math.floor(t / 1000), 0);
    rec.writeUInt32LE((t % 1000) * 1000, 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    recs.push(rec, frame);
  }
  writeFileSync(path, Buffer.concat([head, ...recs]));
}

function ulaw(sample) {
  const BIAS = 0x84;
  let s = Math.max(-32635, Math.min(32635, sample));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += BIAS;
  let exp = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exp > 0; mask >>= 1) exp--;
  const mant = (s >> (exp + 3)) & 0x0f;
  return ~(sign | (exp << 4) | mant) & 0xff;
}

function benchConfig(dir) {
  // The main IVR plays its prompt and waits 30 s for a key (longer than a call lasts).
  const agents = Array.from({ length: 4 }, (_, i) => ({ id: `a${i + 1}`, name: `Agent ${i + 1}`, extension: `fxs${i + 1}` }));
  const config = {
    version: 1,
    shop: { name: 'bench', country: 'CN', language: 'zh-CN', timezone: 'Asia/Shanghai' },
    http: { metricsRequireAuth: false },
    hardware: { driver: 'sim', sim: { fxo: 1, fxs: 4, gsm: 0, agentAnswerAfterS: 1, agentTalkS: 60 } },
    lines: [{ channel: 'fxo1', name: 'Line 1', ivr: 'main', answerAfterRings: 1 }],
    agents,
    queues: [
      { id: 'main', name: 'Main', strategy: 'longestIdle', members: agents.map((a) => a.id), ringTimeoutS: 20, maxWaitS: 300, wrapUpS: 0 },
    ],
    ivr: {
      menus: {
        main: {
          prompt: 'welcome',
          timeoutS: 30,
          repeats: 1,
          options: { 1: { action: 'queue', queue: 'main' } },
          onTimeout: { action: 'hangup' },
          onInvalid: { action: 'menu', menu: 'main' },
        },
      },
    },
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
}

function cpuTicks(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]);
}

async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'callbox-sipbench-'));
  benchConfig(dir);
  const pcap = join(dir, 'tone.pcap');
  tonePcap(pcap, HOLD_MS / 1000);
  const xml = readFileSync(SCENARIO, 'utf8').replaceAll('[field0]', pcap).replaceAll('[field1]', String(HOLD_MS));
  const sf = join(dir, 'uac.xml');
  writeFileSync(sf, xml);
  const env = {
    CALLBOX_ADMIN_PASSWORD: 'bench-password-1',
    CALLBOX_LOG_LEVEL: 'info',
    CALLBOX_SIP_TRUNK_PEER: '127.0.0.1',
    CALLBOX_SIP_PORT: String(SIP_PORT),
    CALLBOX_SIP_BIND: '127.0.0.1',
    CALLBOX_SIP_TRUNK_CHANNELS: String(LIMIT + 10),
    CALLBOX_RTP_PORTS: '46000-46999',
  };
  const { proc, url, t0 } = await spawnReady(
    process.execPath,
    [BUNDLE, 'run', '--sim', '--port', '0', '--data-dir', dir],
    env,
    '"callbox ready"',
  );
  await waitHealthy(`${url}/healthz`, t0);
  await sleep(3000);
  const idleRss = rssBytes(proc.pid);
  const metric = async () => (await fetch(`${url}/metrics`)).text();
  let peak = 0;
  let peakRss = 0;
  const sampler = setInterval(async () => {
    try {
      const m = await metric();
      peak = Math.max(peak, Number(/^callbox_calls_active (\d+)/m.exec(m)?.[1] ?? 0));
      peakRss = Math.max(peakRss, rssBytes(proc.pid));
    } catch {}
  }, 250);
  const ticks0 = cpuTicks(proc.pid);
  const w0 = performance.now();
  const statFile = join(dir, 'stat.csv');
  const sipp = spawn(
    '/usr/bin/sipp',
    [
      `127.0.0.1:${SIP_PORT}`,
      '-sf',
      sf,
      '-s',
      '4008001234',
      '-r',
      String(RATE),
      '-l',
      String(LIMIT),
      '-m',
      String(CALLS),
      '-i',
      '127.0.0.1',
      '-p',
      String(SIP_PORT + 1),
      '-mp',
      '47000',
      '-timeout',
      '120s',
      '-nostdin',
      '-trace_stat',
      '-stf',
      statFile,
      '-fd',
      '1',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  sipp.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((r) => sipp.on('close', r));
  const wallS = (performance.now() - w0) / 1000;
  const cpuS = (cpuTicks(proc.pid) - ticks0) / 100;
  clearInterval(sampler);
  const m = await metric();
  const lag = (q) => Number(new RegExp(`callbox_event_loop_lag_seconds\\{quantile="${q}"\\} ([0-9.e-]+)`).exec(m)?.[1]) * 1000;
  const lines = readFileSync(statFile, 'utf8').trim().split('\n');
  const cols = lines[0].split(';');
  const last = lines[lines.length - 1].split(';');
  const col = (name) => Number(last[cols.indexOf(name)]);
  await stopProc(proc);
  rmSync(dir, { recursive: true, force: true });
  return {
    sippExit: code,
    sippErrors: stderr.slice(-500),
    successfulCalls: col('SuccessfulCall(C)'),
    failedCalls: col('FailedCall(C)'),
    peakConcurrent: peak,
    eventLoopLagP99Ms: Math.round(lag('0.99') * 100) / 100,
    eventLoopLagP50Ms: Math.round(lag('0.5') * 100) / 100,
    rssMB: Math.round((peakRss / 1048576) * 10) / 10,
    idleRssMB: Math.round((idleRss / 1048576) * 10) / 10,
    cpuPercentOfOneCore: Math.round((cpuS / wallS) * 1000) / 10,
    wallS: Math.round(wallS * 10) / 10,
  };
}

const r = await run();
writeResult('sip', {
  load: { ratePerS: RATE, concurrentLimit: LIMIT, calls: CALLS, holdMs: HOLD_MS, codec: 'PCMU 20 ms' },
  targets: { concurrentCalls: 60, failedCalls: 0, eventLoopLagP99Ms: 20 },
  concurrentCalls: r.peakConcurrent,
  failedCalls: r.failedCalls,
  successfulCalls: r.successfulCalls,
  eventLoopLagP99Ms: r.eventLoopLagP99Ms,
  eventLoopLagP50Ms: r.eventLoopLagP50Ms,
  rssMB: r.rssMB,
  idleRssMB: r.idleRssMB,
  cpuPercentOfOneCore: r.cpuPercentOfOneCore,
  wallS: r.wallS,
  sippExit: r.sippExit,
  ...(r.sippExit === 0 ? {} : { sippErrors: r.sippErrors }),
});
process.exit(r.failedCalls === 0 && r.sippExit === 0 ? 0 : 1);

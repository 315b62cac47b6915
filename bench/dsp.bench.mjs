// Realtime factor of the line DSP (seconds of audio per CPU second, one core): the full per-line
// chain (LineMonitor: DTMF + call-progress tones + caller ID watch) and DTMF alone, on the same
// 10 minutes of line audio; peer measured in the same run: multimon-ng -a DTMF on that audio
// (resampled to the 22050 Hz it needs). The TypeScript DSP is bundled with esbuild first, so this
// runs built code, as the box does.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleSources } from '../scripts/lib/bundle-sources.mjs';
import { median, writeResult } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MINUTES = Number(process.env.BENCH_DSP_MINUTES ?? 10);
const RATE = 8000;
const dir = mkdtempSync(join(tmpdir(), 'callbox-dsp-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const dsp = await bundleSources({ 'hal/src/dsp/index.ts': '*' }, { name: 'dsp-bench' });

// ---- The line audio: what one FXO line hears in a busy day, compressed. ----
function render(src, maxSamples = RATE * 60) {
  const frames = [];
  const frame = new Int16Array(160);
  let n = 0;
  while (n < maxSamples && src.read(frame)) {
    frames.push(frame.slice());
    n += 160;
  }
  const out = new Int16Array(n);
  frames.forEach((f, i) => {
    out.set(f, i * 160);
  });
  return out;
}
function concat(parts) {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
function noise(samples, rms, seed) {
  let a = seed;
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    a = (a * 1103515245 + 12345) & 0x7fffffff;
    out[i] = Math.round(((a / 0x7fffffff) * 2 - 1) * rms * Math.sqrt(3));
  }
  return out;
}
function speech(voice, text) {
  try {
    return dsp.loadWavAs8k(execFileSync('espeak-ng', ['-v', voice, '--stdout', text]));
  } catch {
    return noise(RATE * 3, 3000, 7); // espeak-ng missing: loud noise stands in for speech
  }
}
const P = dsp.TONE_PRESETS.cn;
const call = concat([
  render(new dsp.CallerIdGenerator({ number: '13800138000', name: '张三', datetime: '03171656' }, { leadMs: 500, tailMs: 500 })),
  render(new dsp.ToneGenerator(P.ringback, { durationMs: 6000 })),
  speech('cmn', '您好，欢迎致电。销售请按一，客服请按二，查询订单请按三，人工服务请按零。'),
  render(new dsp.DtmfGenerator('2', { levelDbm0: -12 })),
  speech('cmn', '正在为您转接客服，请稍候。'),
  speech('en', 'Hello, I would like to ask about my order, it was placed last Tuesday and has not arrived yet.'),
  noise(RATE * 4, 30, 3),
  speech('cmn', '好的，请告诉我您的订单号码，我帮您查询一下。'),
  render(new dsp.DtmfGenerator('13800138000#', { levelDbm0: -15, onMs: 80, offMs: 80 })),
  speech('en', 'Thank you, one moment please, let me check that for you.'),
  noise(RATE * 6, 30, 5),
  render(new dsp.ToneGenerator(P.busy, { durationMs: 4000 })),
  noise(RATE * 2, 20, 9),
]);
const repeats = Math.max(1, Math.round((MINUTES * 60 * RATE) / call.length));
const audio = concat(Array.from({ length: repeats }, () => call));
const seconds = audio.length / RATE;

// ---- Our side: CPU time of process() over the whole audio in 20 ms frames. ----
function cpuSeconds(fn) {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1e6;
}
// 20 ms frames, cut once (a driver hands each frame over the same way, without copying).
const frames = Array.from({ length: Math.floor(audio.length / 160) }, (_, i) => audio.subarray(i * 160, (i + 1) * 160));
function feed(target) {
  for (let i = 0; i < frames.length; i++) target.process(frames[i]);
}
let chainDigits = '';
let chainTones = 0;
let chainIds = 0;
const chain = () => {
  chainDigits = '';
  chainTones = 0;
  chainIds = 0;
  const m = new dsp.LineMonitor({
    region: 'cn',
    onDigit: (d) => (chainDigits += d),
    onTone: () => chainTones++,
    onCallerId: (c) => (chainIds += c.checksumOk ? 1 : 0),
  });
  feed(m);
};
let dtmfDigits = '';
const dtmfOnly = () => {
  dtmfDigits = '';
  feed(new dsp.DtmfDetector({ onDigit: (d) => (dtmfDigits += d) }));
};
const tonesOnly = () => feed(new dsp.CallProgressDetector({ profile: 'cn', onEvent: () => {} }));
const cidOnly = () => feed(new dsp.CallerIdReceiver({ standards: ['bell202'], ownDtmfDetector: false, onMessage: () => {} }));

// ---- The peer: multimon-ng on the same audio at 22050 Hz, CPU time from bash's `time`. ----
const raw = join(dir, 'line-22050.raw');
const up = dsp.resample(audio, RATE, 22050);
writeFileSync(raw, Buffer.from(up.buffer, up.byteOffset, up.byteLength));
function multimon() {
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%3U %3S'; time multimon-ng -q -c -a DTMF -t raw '${raw}' > '${raw}.out'`], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`multimon-ng failed: ${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return user + sys;
}
const peerDigits = () => {
  const out = execFileSync('cat', [`${raw}.out`]).toString();
  return Array.from(out.matchAll(/^DTMF: (.)$/gm), (m) => m[1]).join('');
};

// Warm up the JIT once, then RUNS measured runs of each, interleaved so drift hits all alike.
chain();
dtmfOnly();
const times = { chain: [], dtmf: [], tones: [], cid: [], multimon: [] };
for (let i = 0; i < RUNS; i++) {
  times.chain.push(cpuSeconds(chain));
  times.dtmf.push(cpuSeconds(dtmfOnly));
  times.tones.push(cpuSeconds(tonesOnly));
  times.cid.push(cpuSeconds(cidOnly));
  times.multimon.push(multimon());
}
const factor = (s) => Math.round(seconds / median(s));
const expected = '213800138000#'.repeat(repeats);
const result = {
  runs: RUNS,
  note: 'shared 2-core machine, noisy: medians of interleaved runs; the ratio to multimon-ng (same run) is the steadier figure',
  audio: {
    seconds,
    content: `${repeats} × a ${Math.round(call.length / RATE)} s call: FSK caller ID, ringback, Mandarin and English speech (espeak-ng), DTMF, quiet line noise, busy tone`,
    sampleRate: RATE,
  },
  chainRealtimeFactor: factor(times.chain),
  dtmfRealtimeFactor: factor(times.dtmf),
  multimonRealtimeFactor: factor(times.multimon),
  tonesRealtimeFactor: factor(times.tones),
  callerIdWatchRealtimeFactor: factor(times.cid),
  dtmfVsMultimon: Math.round((factor(times.dtmf) / factor(times.multimon)) * 100) / 100,
  cpuSeconds: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.map((s) => Math.round(s * 1000) / 1000)])),
  targets: { chainRealtimeFactor: 1000, dtmfFasterThanMultimon: true },
  met: {
    chain: factor(times.chain) >= 1000,
    dtmfFasterThanMultimon: factor(times.dtmf) > factor(times.multimon),
  },
  decoded: {
    expectedDigits: expected.length,
    chainDigitsRight: chainDigits === expected,
    dtmfDigitsRight: dtmfDigits === expected,
    multimonDigitsRight: peerDigits() === expected,
    multimonDigits: peerDigits().length,
    chainToneEvents: chainTones,
    chainCallerIds: chainIds,
  },
  peer: 'multimon-ng 1.2 (Debian), -a DTMF, raw 22050 Hz input; CPU time includes its start-up',
};
writeResult('dsp', result);

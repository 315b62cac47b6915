// `callbox dsp dtmf|cid|tones FILE` through the production bundle: one JSON document on stdout,
// every WAV encoding and rate the issue names, and one-line errors with a non-zero exit.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CallerIdGenerator } from '../../hal/src/dsp/cid-gen.js';
import { encodeCallerId } from '../../hal/src/dsp/cid-message.js';
import { DtmfGenerator } from '../../hal/src/dsp/dtmf-gen.js';
import type { ToneSpec } from '../../hal/src/dsp/tone.js';
import { ToneGenerator } from '../../hal/src/dsp/tone.js';
import { TONE_PRESETS } from '../../hal/src/dsp/tone-presets.js';
import { encodeWav16 } from '../../hal/src/dsp/wav.js';
import { runCli } from '../helpers/process.js';
import { concat, renderSource, silence } from '../unit/dsp/fixtures/signals.js';

const dir = mkdtempSync(join(tmpdir(), 'callbox-dsp-cli-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const wav = (name: string, x: Int16Array): string => {
  const file = join(dir, name);
  writeFileSync(file, encodeWav16(x, 8000));
  return file;
};
const hasSox = ((): boolean => {
  try {
    execFileSync('sox', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function json(args: string[]): Promise<Record<string, unknown>> {
  const r = await runCli(['dsp', ...args]);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  if (lines.length !== 1) throw new Error(`expected one line of JSON, got ${lines.length}`);
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
}

// 300 ms of silence, then 123# (100 ms on, 100 ms off each).
const digitsFile = wav('dtmf.wav', concat([silence(2400), renderSource(new DtmfGenerator('123#', { levelDbm0: -15 }))]));

t.test('dsp dtmf: digits and events with start and end times', async (t) => {
  const out = await json(['dtmf', digitsFile]);
  t.equal(out.digits, '123#');
  const events = out.events as { digit: string; startMs: number; endMs: number }[];
  t.same(
    events.map((e) => e.digit),
    ['1', '2', '3', '#'],
  );
  events.forEach((e, i) => {
    t.ok(Math.abs(e.startMs - (300 + 200 * i)) <= 15, `${e.digit} starts at ${e.startMs}`);
    t.ok(Math.abs(e.endMs - (400 + 200 * i)) <= 15, `${e.digit} ends at ${e.endMs}`);
  });
  t.same(await json(['dtmf', wav('quiet.wav', silence(8000))]), { digits: '', events: [] }, 'no digits');
});

t.test(
  'dsp dtmf on µ-law, A-law, 16 / 22.05 / 44.1 / 48 kHz and stereo files (sox-made)',
  { skip: !hasSox && 'sox not installed' },
  async (t) => {
    const variants: [string, string[]][] = [
      ['ulaw.wav', ['-e', 'u-law']],
      ['alaw.wav', ['-e', 'a-law']],
      ['r16k.wav', ['-r', '16000']],
      ['r22k.wav', ['-r', '22050']],
      ['r44k.wav', ['-r', '44100', '-b', '24']],
      ['r48k.wav', ['-r', '48000', '-e', 'floating-point', '-b', '32']],
      ['stereo.wav', ['-c', '2']],
    ];
    for (const [name, opts] of variants) {
      const file = join(dir, name);
      execFileSync('sox', [digitsFile, ...opts, file]);
      t.equal((await json(['dtmf', file])).digits, '123#', name);
    }
  },
);

t.test('dsp cid: MDMF with a Chinese name, SDMF, DTMF caller ID, nothing', async (t) => {
  const cn = wav(
    'cid-cn.wav',
    renderSource(new CallerIdGenerator({ number: '13800138000', name: '张三丰', datetime: '03171656' }, { leadMs: 300 })),
  );
  t.match(await json(['cid', cn]), {
    format: 'mdmf',
    number: '13800138000',
    name: '张三丰',
    datetime: '03-17 16:56',
    checksumOk: true,
    standard: 'bell202',
  });
  const sdmf = wav(
    'cid-sdmf.wav',
    renderSource(new CallerIdGenerator({ number: '6095551212', datetime: '09301224' }, { format: 'sdmf', standard: 'v23' })),
  );
  t.match(await json(['cid', sdmf]), {
    format: 'sdmf',
    number: '6095551212',
    name: null,
    datetime: '09-30 12:24',
    checksumOk: true,
    standard: 'v23',
  });
  const dtmfId = wav('cid-dtmf.wav', renderSource(new CallerIdGenerator({ number: '02087654321' }, { standard: 'dtmf', leadMs: 200 })));
  t.match(await json(['cid', dtmfId]), { format: 'dtmf', number: '02087654321', name: null, datetime: null, checksumOk: true });
  const priv = wav('cid-private.wav', renderSource(new CallerIdGenerator({ absence: 'private' })));
  t.match(await json(['cid', priv]), { number: null, absence: 'private', absenceCode: 'P', checksumOk: true });
  t.match(await json(['cid', digitsFile]), { format: null, number: null, name: null, datetime: null, checksumOk: null, messages: [] });
});

t.test('dsp cid: a bad checksum is still printed, with checksumOk false', async (t) => {
  const bytes = encodeCallerId({ number: '13800138000', name: 'Bob', datetime: '01020304' });
  bytes[bytes.length - 1] = ((bytes[bytes.length - 1] as number) + 1) & 0xff;
  const file = wav('cid-bad.wav', renderSource(new CallerIdGenerator({}, { bytes })));
  t.match(await json(['cid', file]), { format: 'mdmf', number: '13800138000', checksumOk: false });
});

t.test('dsp tones: busy (cn), reorder (us), congestion (etsi), dial then ringback', async (t) => {
  const tone = (spec: ToneSpec | undefined, ms: number): Int16Array =>
    renderSource(new ToneGenerator(spec as ToneSpec, { durationMs: ms }), 8000 * 60);
  for (const [region, name, want] of [
    ['cn', 'busy', 'busy'],
    ['us', 'reorder', 'reorder'],
    ['etsi', 'congestion', 'congestion'],
    ['cn', 'congestion', 'congestion'],
  ] as const) {
    const file = wav(`${region}-${name}.wav`, concat([silence(4000), tone(TONE_PRESETS[region][name], 5000)]));
    const out = await json(['tones', file, '--profile', region]);
    const events = out.events as { tone: string; startMs: number; endMs: number }[];
    t.same(
      events.map((e) => e.tone),
      [want],
      `${region} ${name}`,
    );
    t.ok(Math.abs((events[0]?.startMs ?? 0) - 500) <= 13, `starts at ${events[0]?.startMs}`);
  }
  const file = wav('us-call.wav', concat([tone(TONE_PRESETS.us.dial, 2000), silence(4000), tone(TONE_PRESETS.us.ringback, 8000)]));
  const out = await json(['tones', '--profile', 'us', file]);
  t.same(
    (out.events as { tone: string }[]).map((e) => e.tone),
    ['dial', 'ringback'],
  );
});

t.test('errors: one line on stderr, non-zero exit, nothing on stdout', async (t) => {
  mkdirSync(join(dir, 'adir'));
  const truncated = join(dir, 'truncated.wav');
  writeFileSync(truncated, encodeWav16(silence(8000), 8000).subarray(0, 5000));
  const cases: [string[], number, RegExp][] = [
    [['dtmf', join(dir, 'missing.wav')], 1, /cannot read .*missing\.wav: no such file/],
    [['dtmf', truncated], 1, /truncated/],
    [['cid', join(dir, 'adir')], 1, /is a directory/],
    [['tones', join(dir, 'dtmf.wav'), '--profile', 'mars'], 64, /--profile must be cn, us or etsi/],
    [['dtmf'], 64, /a WAV file is required/],
    [['fft', digitsFile], 64, /unknown analysis "fft"/],
    [['dtmf', digitsFile, '--bogus'], 64, /bogus/],
  ];
  const notWav = join(dir, 'notes.txt');
  writeFileSync(notWav, 'not audio at all\n');
  cases.push([['cid', notWav], 1, /not a RIFF file/]);
  for (const [args, code, message] of cases) {
    const r = await runCli(['dsp', ...args]);
    t.equal(r.code, code, `${args.join(' ')}: exit ${code}`);
    t.match(r.stderr, message);
    t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    t.equal(r.stdout, '', 'nothing on stdout');
  }
});

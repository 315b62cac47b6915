/**
 * `callbox dsp dtmf|cid|tones FILE [--profile cn|us|etsi]`: run the line DSP (hal/src/dsp) over a
 * WAV file (PCM 8-32 bit, float, µ-law or A-law; any sample rate, resampled to 8 kHz) and print
 * one JSON document on stdout. A file that is missing, truncated or not a WAV gets one line on
 * stderr and exit code 1; a bad command line exit code 64.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CallerIdMessage } from '../../hal/src/dsp/cid-message.js';
import { CallerIdReceiver } from '../../hal/src/dsp/cid-receive.js';
import { DtmfDetector, digitEndMs, digitStartMs } from '../../hal/src/dsp/dtmf-detect.js';
import type { ProgressEvent } from '../../hal/src/dsp/progress-detect.js';
import { CallProgressDetector } from '../../hal/src/dsp/progress-detect.js';
import { resampleTo8k } from '../../hal/src/dsp/resample.js';
import type { ToneRegion } from '../../hal/src/dsp/tone-presets.js';
import { parseWav } from '../../hal/src/dsp/wav.js';
import { EXIT } from './usage.js';

const FRAME = 160;
/** Silence fed after the file so that digits, carriers and tones still open can end. */
const TAIL_SAMPLES = 8000;

class UsageError extends Error {}

/** Feed `x` (then TAIL_SAMPLES of silence) frame by frame, as a channel would. */
function feed(x: Int16Array, process: (frame: Int16Array) => void): void {
  for (let i = 0; i < x.length; i += FRAME) process(x.subarray(i, i + FRAME));
  const silence = new Int16Array(FRAME);
  for (let i = 0; i < TAIL_SAMPLES; i += FRAME) process(silence);
}

const round = (ms: number): number => Math.round(ms);

export function dtmfReport(x: Int16Array): { digits: string; events: { digit: string; startMs: number; endMs: number | null }[] } {
  const events: { digit: string; startMs: number; endMs: number | null }[] = [];
  const d: DtmfDetector = new DtmfDetector({
    onDigit: (digit, ms) => {
      events.push({ digit, startMs: round(digitStartMs(d, ms)), endMs: null });
    },
    onDigitEnd: () => {
      const last = events[events.length - 1];
      if (last) last.endMs = round(Math.min(digitEndMs(d), (x.length * 1000) / 8000));
    },
  });
  feed(x, (f) => d.process(f));
  return { digits: events.map((e) => e.digit).join(''), events };
}

function messageJson(m: CallerIdMessage) {
  return {
    format: m.format,
    standard: m.standard,
    number: m.number,
    name: m.name,
    datetime: m.datetime,
    absence: m.absence,
    absenceCode: m.absenceCode,
    nameAbsence: m.nameAbsence,
    messageWaiting: m.messageWaiting,
    checksumOk: m.checksumOk,
    complete: m.complete,
    seizure: m.seizure,
    startMs: round(m.startMs),
    endMs: round(m.endMs),
    raw: m.raw,
  };
}

export function cidReport(x: Int16Array) {
  const messages: CallerIdMessage[] = [];
  const r = new CallerIdReceiver({ onMessage: (m) => messages.push(m) });
  feed(x, (f) => r.process(f));
  r.flush();
  messages.sort((a, b) => a.startMs - b.startMs);
  // The first message with a good checksum; else the first one; else nothing found.
  const main = messages.find((m) => m.checksumOk) ?? messages[0];
  const none = { format: null, number: null, name: null, datetime: null, checksumOk: null };
  return { ...(main ? messageJson(main) : none), messages: messages.map(messageJson) };
}

export function tonesReport(x: Int16Array, profile: ToneRegion) {
  const events: ProgressEvent[] = [];
  const d = new CallProgressDetector({ profile, onEvent: (e) => events.push(e) });
  for (let i = 0; i < x.length; i += FRAME) d.process(x.subarray(i, i + FRAME));
  d.finish();
  return {
    profile,
    events: events.map((e) => ({ tone: e.tone, startMs: round(e.startMs), endMs: e.endMs === null ? null : round(e.endMs) })),
  };
}

function load(file: string): Int16Array {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (err as Error).message}`,
    );
  }
  try {
    const wav = parseWav(buf, { strict: true });
    return resampleTo8k(wav.samples, wav.sampleRate);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

function parse(args: string[]): { command: string; file: string; profile: ToneRegion } {
  const [command, ...rest] = args;
  if (command !== 'dtmf' && command !== 'cid' && command !== 'tones') {
    throw new UsageError(
      command === undefined ? 'which analysis? dtmf, cid or tones' : `unknown analysis "${command}" (dtmf, cid or tones)`,
    );
  }
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: { profile: { type: 'string' } } }>>;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { profile: { type: 'string' } } });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) throw new UsageError(`dsp ${command}: a WAV file is required`);
  if (extra.length > 0) throw new UsageError(`dsp ${command}: one file only, got ${parsed.positionals.length}`);
  const profile = parsed.values.profile ?? 'cn';
  if (profile !== 'cn' && profile !== 'us' && profile !== 'etsi')
    throw new UsageError(`--profile must be cn, us or etsi, got "${profile}"`);
  if (command !== 'tones' && parsed.values.profile !== undefined) throw new UsageError('--profile applies to "dsp tones" only');
  return { command, file, profile };
}

export function runDsp(args: string[]): number {
  let opts: ReturnType<typeof parse>;
  try {
    opts = parse(args);
  } catch (err) {
    process.stderr.write(`callbox dsp: ${(err as Error).message}\n`);
    return EXIT.USAGE;
  }
  let x: Int16Array;
  try {
    x = load(opts.file);
  } catch (err) {
    process.stderr.write(`callbox dsp: ${(err as Error).message.replace(/\s*\n\s*/g, ' ')}\n`);
    return EXIT.FAILURE;
  }
  const report = opts.command === 'dtmf' ? dtmfReport(x) : opts.command === 'cid' ? cidReport(x) : tonesReport(x, opts.profile);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  return EXIT.OK;
}

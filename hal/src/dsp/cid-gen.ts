import type { Frame, FrameSource } from '../audio.js';
import { SAMPLE_RATE } from '../audio.js';
import { encodeDtmfCallerId } from './cid-dtmf.js';
import type { CallerIdInfo } from './cid-message.js';
import { encodeCallerId } from './cid-message.js';
import { DtmfGenerator } from './dtmf-gen.js';
import type { FskModulatorOptions, FskStandard } from './fsk.js';
import { FSK_SPECS, FskModulator, uartBits } from './fsk.js';

/**
 * Caller ID generator, for ringing FXS extensions and for tests: FSK (Bell 202 or V.23, SDMF or
 * MDMF) with channel seizure and mark signal, or DTMF caller ID. A FrameSource; the ring
 * cadence around it is the channel's job (see CALLER_ID_PRESETS for where each country puts it).
 */

export interface CallerIdGeneratorOptions extends FskModulatorOptions {
  /** 'bell202' (default), 'v23' or 'dtmf'. */
  readonly standard?: FskStandard | 'dtmf';
  /** FSK message format (default 'mdmf'). */
  readonly format?: 'sdmf' | 'mdmf';
  /** Alternating bits before the marks (default 300; 0 for none). */
  readonly seizureBits?: number;
  /** Mark bits before the message (default 180). */
  readonly markBits?: number;
  /** Send these message bytes as they are instead of encoding the info (e.g. a bad checksum). */
  readonly bytes?: Uint8Array;
  /** DTMF caller ID terminator (default 'C'). */
  readonly terminator?: 'C' | '#';
  /** DTMF digit on/off times, ms (default 60 / 60). */
  readonly dtmfOnMs?: number;
  readonly dtmfOffMs?: number;
  /** Silence before and after, ms (default 0). */
  readonly leadMs?: number;
  readonly tailMs?: number;
}

/** When and how each network sends caller ID to an analog line. */
export const CALLER_ID_PRESETS = {
  /** Mainland China, YD/T 1277.1: Bell 202 FSK, MDMF (or SDMF), names in GB 2312, in the silent
   * interval between the first and second ring (starting at least 500 ms after the first ends). */
  cn: { standard: 'bell202', format: 'mdmf', when: 'between first and second ring' },
  /** North America, Telcordia GR-30: Bell 202, SDMF or MDMF, between the first and second ring. */
  us: { standard: 'bell202', format: 'mdmf', when: 'between first and second ring' },
  /** ETSI EN 300 659-1: V.23, MDMF, before the first ring (after a line reversal and alert). */
  etsi: { standard: 'v23', format: 'mdmf', when: 'before first ring' },
  /** DTMF caller ID: A<number>C (or #), before the first ring. */
  dtmf: { standard: 'dtmf', format: null, when: 'before first ring' },
} as const;

/**
 * Renders the whole signal at construction (under a second of audio), so read() only copies.
 * `read(out)` follows FrameSource: true while there is signal (the last frame padded with
 * silence), then false.
 */
export class CallerIdGenerator implements FrameSource {
  /** The signal: lead silence, caller ID, tail silence. */
  readonly samples: Int16Array;
  private pos = 0;

  constructor(info: CallerIdInfo, opts: CallerIdGeneratorOptions = {}) {
    const standard = opts.standard ?? 'bell202';
    let body: FrameSource;
    let bodySamples: number;
    if (standard === 'dtmf') {
      const digits = encodeDtmfCallerId(info, opts.terminator ?? 'C');
      const gen = new DtmfGenerator(digits, {
        onMs: opts.dtmfOnMs ?? 60,
        offMs: opts.dtmfOffMs ?? 60,
        ...(opts.levelDbm0 !== undefined ? { levelDbm0: opts.levelDbm0 } : {}),
      });
      body = gen;
      bodySamples = Math.round((gen.durationMs * SAMPLE_RATE) / 1000);
    } else {
      const bytes = opts.bytes ?? encodeCallerId(info, opts.format ?? 'mdmf');
      const bits = uartBits(bytes, opts.seizureBits ?? 300, opts.markBits ?? 180);
      const mod = new FskModulator(FSK_SPECS[standard], bits, opts);
      body = mod;
      bodySamples = mod.lengthSamples;
    }
    const lead = Math.round(((opts.leadMs ?? 0) * SAMPLE_RATE) / 1000);
    const tail = Math.round(((opts.tailMs ?? 0) * SAMPLE_RATE) / 1000);
    // Render in whole frames of 160, then keep exactly lead + body + tail samples.
    const frames = Math.ceil(bodySamples / 160);
    const rendered = new Int16Array(frames * 160);
    for (let f = 0; f < frames; f++) body.read(rendered.subarray(f * 160, (f + 1) * 160));
    this.samples = new Int16Array(lead + bodySamples + tail);
    this.samples.set(rendered.subarray(0, bodySamples), lead);
  }

  /** Length of the whole signal, ms. */
  get durationMs(): number {
    return (this.samples.length * 1000) / SAMPLE_RATE;
  }

  get finished(): boolean {
    return this.pos >= this.samples.length;
  }

  reset(): void {
    this.pos = 0;
  }

  read(out: Frame): boolean {
    if (this.finished) {
      out.fill(0);
      return false;
    }
    const n = Math.min(out.length, this.samples.length - this.pos);
    for (let i = 0; i < n; i++) out[i] = this.samples[this.pos + i] as number;
    if (n < out.length) out.fill(0, n);
    this.pos += n;
    return true;
  }
}

import type { Frame, FrameSource } from '../audio.js';
import { SAMPLE_RATE } from '../audio.js';
import { dbm0ToAmplitude } from './level.js';

/**
 * Caller ID FSK: the two 1200-baud modems in use, and a modulator (bits → audio).
 *  - Bell 202 (Telcordia GR-30, and China's YD/T 1277.1): mark (1) 1200 Hz, space (0) 2200 Hz;
 *  - ITU-T V.23 forward channel (ETSI EN 300 659): mark 1300 Hz, space 2100 Hz.
 * The demodulator is in fsk-demod.ts.
 */
export type FskStandard = 'bell202' | 'v23';

export interface FskSpec {
  readonly name: FskStandard;
  readonly markHz: number;
  readonly spaceHz: number;
  readonly baud: number;
}

export const FSK_SPECS: Readonly<Record<FskStandard, FskSpec>> = {
  bell202: { name: 'bell202', markHz: 1200, spaceHz: 2200, baud: 1200 },
  v23: { name: 'v23', markHz: 1300, spaceHz: 2100, baud: 1200 },
};

export interface FskModulatorOptions {
  /** Level of the carrier, dBm0 (default -13.5, the usual central-office level). */
  readonly levelDbm0?: number;
  /** Space level minus mark level, dB (default 0; Bellcore allows -6 to +10 dB at the receiver). */
  readonly twistDb?: number;
  /** Sender clock error in percent (default 0; the standards allow ±1 %). */
  readonly baudErrorPct?: number;
  /** Sender frequency error in percent, both tones (default 0). */
  readonly freqErrorPct?: number;
}

/**
 * Renders a bit sequence as phase-continuous FSK: one bit every SAMPLE_RATE/baud samples
 * (6.67 at 1200 baud, so bit edges fall between samples and are carried as a fraction).
 * `read(out)` follows FrameSource: true while there is audio (the last frame padded with
 * silence), then false. No allocation after construction.
 */
export class FskModulator implements FrameSource {
  private readonly bits: Uint8Array;
  private readonly markInc: number;
  private readonly spaceInc: number;
  private readonly markAmp: number;
  private readonly spaceAmp: number;
  private readonly bitInc: number;
  private bitIndex = 0;
  /** Fraction of the current bit already sent, 0..1. */
  private bitPhase = 0;
  /** Carrier phase in cycles. */
  private phase = 0;

  constructor(spec: FskSpec, bits: Uint8Array, opts: FskModulatorOptions = {}) {
    this.bits = bits;
    const f = 1 + (opts.freqErrorPct ?? 0) / 100;
    this.markInc = (spec.markHz * f) / SAMPLE_RATE;
    this.spaceInc = (spec.spaceHz * f) / SAMPLE_RATE;
    const level = opts.levelDbm0 ?? -13.5;
    this.markAmp = dbm0ToAmplitude(level);
    this.spaceAmp = dbm0ToAmplitude(level + (opts.twistDb ?? 0));
    this.bitInc = (spec.baud * (1 + (opts.baudErrorPct ?? 0) / 100)) / SAMPLE_RATE;
  }

  /** Length of the rendered audio in samples. */
  get lengthSamples(): number {
    return Math.ceil(this.bits.length / this.bitInc);
  }

  get finished(): boolean {
    return this.bitIndex >= this.bits.length;
  }

  reset(): void {
    this.bitIndex = 0;
    this.bitPhase = 0;
    this.phase = 0;
  }

  read(out: Frame): boolean {
    if (this.finished) {
      out.fill(0);
      return false;
    }
    const twoPi = 2 * Math.PI;
    for (let i = 0; i < out.length; i++) {
      if (this.bitIndex >= this.bits.length) {
        out[i] = 0;
        continue;
      }
      const mark = this.bits[this.bitIndex] === 1;
      out[i] = Math.round((mark ? this.markAmp : this.spaceAmp) * Math.sin(twoPi * this.phase));
      this.phase += mark ? this.markInc : this.spaceInc;
      if (this.phase >= 1) this.phase -= 1;
      this.bitPhase += this.bitInc;
      if (this.bitPhase >= 1) {
        this.bitPhase -= 1;
        this.bitIndex++;
      }
    }
    return true;
  }
}

/**
 * Bits of an asynchronous (UART) transmission as caller ID sends it: `seizureBits` of alternating
 * 0/1 starting with 0 (channel seizure), `markBits` of 1 (mark signal), each byte as start bit 0,
 * 8 data bits LSB first, stop bit 1, then `postambleBits` of 1.
 */
export function uartBits(bytes: Uint8Array, seizureBits: number, markBits: number, postambleBits = 5): Uint8Array {
  const out = new Uint8Array(seizureBits + markBits + bytes.length * 10 + postambleBits);
  let k = 0;
  for (let i = 0; i < seizureBits; i++) out[k++] = i & 1;
  for (let i = 0; i < markBits; i++) out[k++] = 1;
  for (const b of bytes) {
    out[k++] = 0;
    for (let bit = 0; bit < 8; bit++) out[k++] = (b >> bit) & 1;
    out[k++] = 1;
  }
  for (let i = 0; i < postambleBits; i++) out[k++] = 1;
  return out;
}

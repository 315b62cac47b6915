import { SAMPLE_RATE } from '../audio.js';
import { DtmfCallerIdParser } from './cid-dtmf.js';
import type { CallerIdMessage } from './cid-message.js';
import { MSG_MDMF, MSG_MDMF_MWI, MSG_SDMF, MSG_SDMF_MWI, parseCallerId } from './cid-message.js';
import { DtmfDetector, digitStartMs } from './dtmf-detect.js';
import type { FskStandard } from './fsk.js';
import { FSK_SPECS } from './fsk.js';
import { FskDemodulator } from './fsk-demod.js';

/*
 * Caller ID receiver: watches a line's audio for FSK caller ID (Bell 202 and/or V.23) and DTMF
 * caller ID, and reports each message once it is complete (or cut short).
 *
 * FSK framing, per demodulator, at the bit level:
 *   HUNT   count alternating bits (channel seizure, noted when SEIZURE_MIN_BITS alternate) and
 *          consecutive 1s; MARK_MIN_BITS 1s (the mark signal) arm the receiver;
 *   READY  a 0 is a start bit; 8 data bits LSB first follow, then a stop bit that must be 1;
 *   the first byte must be a call-setup or message-waiting type (0x04, 0x80, 0x06, 0x82), the
 *   second is the length; after length + 1 more bytes (the checksum) the message is reported,
 *   with checksumOk telling whether to trust it. A framing error or the carrier dropping
 *   mid-message reports what arrived (complete: false) if at least the type, length and one body
 *   byte came, otherwise nothing.
 * The bit-level work is a few comparisons per bit (1200 per second); bytes go to a preallocated
 * buffer; only a finished message allocates.
 */

export const SEIZURE_MIN_BITS = 40;
export const MARK_MIN_BITS = 20;

export interface CallerIdReceiverOptions {
  onMessage: (m: CallerIdMessage) => void;
  /** What to listen for (default all three). */
  standards?: readonly (FskStandard | 'dtmf')[];
  /** FSK carrier-detect threshold, dBm0 (default FSK_MIN_LEVEL_DBM0). */
  minLevelDbm0?: number;
  /**
   * Run an own DTMF detector for DTMF caller ID (default true). A line monitor that already runs
   * one passes false and feeds digits through dtmfDigit().
   */
  ownDtmfDetector?: boolean;
}

enum State {
  Hunt,
  Ready,
  Data,
  Stop,
}

/** UART framing and message assembly for one FSK demodulator. */
class FskFramer {
  private readonly buf = new Uint8Array(258);
  private len = 0;
  private state = State.Hunt;
  private prev = -1;
  private alternating = 0;
  private ones = 0;
  private seizure = false;
  private runStart = 0;
  private msgStart = 0;
  private acc = 0;
  private nbits = 0;

  constructor(
    private readonly standard: FskStandard,
    private readonly demod: { lastBitAt: number; markOffsetHz: number },
    private readonly emit: (m: CallerIdMessage, markOffsetHz: number) => void,
  ) {}

  bit(b: number): void {
    const at = this.demod.lastBitAt;
    if (b !== this.prev) {
      if (this.alternating === 0) this.runStart = at;
      this.alternating++;
    } else this.alternating = 0;
    if (this.alternating >= SEIZURE_MIN_BITS && !this.seizure) {
      this.seizure = true;
      this.msgStart = this.runStart;
    }
    this.prev = b;
    if (b === 1) {
      if (this.ones === 0 && !this.seizure) this.msgStart = at;
      this.ones++;
    } else this.ones = 0;

    switch (this.state) {
      case State.Hunt:
        if (this.ones >= MARK_MIN_BITS) this.state = State.Ready;
        break;
      case State.Ready:
        if (b === 0) {
          this.state = State.Data;
          this.acc = 0;
          this.nbits = 0;
        }
        break;
      case State.Data:
        this.acc |= b << this.nbits;
        if (++this.nbits === 8) this.state = State.Stop;
        break;
      case State.Stop:
        if (b === 1) this.byte(this.acc, at);
        else this.finish(at);
        break;
    }
  }

  carrier(on: boolean): void {
    if (!on) this.finish(this.demod.lastBitAt);
  }

  private byte(v: number, at: number): void {
    this.state = State.Ready;
    if (this.len === 0 && v !== MSG_SDMF && v !== MSG_MDMF && v !== MSG_SDMF_MWI && v !== MSG_MDMF_MWI) {
      this.restart(); // not a caller ID message: hunt for the next mark signal
      return;
    }
    this.buf[this.len++] = v;
    if (this.len >= 2 && this.len === (this.buf[1] as number) + 3) this.finish(at);
  }

  /** Report what arrived (if anything worth reporting) and hunt again. */
  private finish(at: number): void {
    if (this.len >= 3) {
      const m = parseCallerId(this.buf.slice(0, this.len), this.standard);
      m.seizure = this.seizure;
      m.startMs = (this.msgStart * 1000) / SAMPLE_RATE;
      m.endMs = (at * 1000) / SAMPLE_RATE;
      const offset = this.demod.markOffsetHz;
      this.restart();
      this.emit(m, offset);
    } else this.restart();
  }

  private restart(): void {
    this.len = 0;
    this.state = State.Hunt;
    this.seizure = false;
    this.ones = 0;
    this.alternating = 0;
  }

  reset(): void {
    this.restart();
    this.prev = -1;
  }
}

/** FSK messages from different demodulators this close in time are one message heard twice. */
const DEDUP_MS = 60;

interface Pending {
  m: CallerIdMessage;
  offsetHz: number;
}

/** Which of two readings of one transmission to keep: checksum, completeness, then the tone fit. */
function better(a: Pending, b: Pending): Pending {
  if (a.m.checksumOk !== b.m.checksumOk) return a.m.checksumOk ? a : b;
  if (a.m.complete !== b.m.complete) return a.m.complete ? a : b;
  const fa = Number.isNaN(a.offsetHz) ? Number.POSITIVE_INFINITY : Math.abs(a.offsetHz);
  const fb = Number.isNaN(b.offsetHz) ? Number.POSITIVE_INFINITY : Math.abs(b.offsetHz);
  return fb < fa ? b : a;
}

/**
 * Bell 202 and V.23 are close enough (marks 1200/1300 Hz, spaces 2200/2100 Hz) that each
 * demodulator also decodes the other's signal. With both enabled, the receiver holds an FSK
 * message for DEDUP_MS and keeps, of the readings that overlap in time, the one with a good
 * checksum whose mark tone is nearest its demodulator's (so `standard` names the right one).
 */
export class CallerIdReceiver {
  private readonly onMessage: (m: CallerIdMessage) => void;
  private readonly demods: FskDemodulator[] = [];
  private readonly framers: FskFramer[] = [];
  private readonly dtmf: DtmfDetector | null = null;
  private readonly parser: DtmfCallerIdParser | null = null;
  private readonly pending: Pending[] = [];
  private samples = 0;

  constructor(opts: CallerIdReceiverOptions) {
    this.onMessage = opts.onMessage;
    const standards = opts.standards ?? ['bell202', 'v23', 'dtmf'];
    for (const s of standards) {
      if (s === 'dtmf') continue;
      let framer: FskFramer | undefined;
      const demod = new FskDemodulator(FSK_SPECS[s], {
        onBit: (b) => framer?.bit(b),
        onCarrier: (on) => framer?.carrier(on),
        ...(opts.minLevelDbm0 !== undefined ? { minLevelDbm0: opts.minLevelDbm0 } : {}),
      });
      framer = new FskFramer(s, demod, (m, offsetHz) => this.pending.push({ m, offsetHz }));
      this.demods.push(demod);
      this.framers.push(framer);
    }
    if (standards.includes('dtmf')) {
      const parser = new DtmfCallerIdParser(opts.onMessage);
      this.parser = parser;
      if (opts.ownDtmfDetector ?? true) {
        const det = new DtmfDetector({
          onDigit: (digit, ms) => parser.push(digit, digitStartMs(det, ms)),
        });
        this.dtmf = det;
      }
    }
  }

  process(frame: Int16Array): void {
    for (let i = 0; i < this.demods.length; i++) (this.demods[i] as FskDemodulator).process(frame);
    this.dtmf?.process(frame);
    this.samples += frame.length;
    if (this.pending.length > 0) this.flush((this.samples * 1000) / SAMPLE_RATE - DEDUP_MS);
  }

  /**
   * Report FSK messages held for de-duplication that ended before `beforeMs` (default: all, as
   * at the end of a file).
   */
  flush(beforeMs = Number.POSITIVE_INFINITY): void {
    while (this.pending.length > 0) {
      const first = this.pending[0] as Pending;
      if (first.m.endMs > beforeMs) return;
      let best = first;
      for (let i = this.pending.length - 1; i >= 1; i--) {
        const p = this.pending[i] as Pending;
        if (p.m.startMs < first.m.endMs + DEDUP_MS && p.m.endMs > first.m.startMs - DEDUP_MS) {
          best = better(best, p);
          this.pending.splice(i, 1);
        }
      }
      this.pending.shift();
      this.onMessage(best.m);
    }
  }

  /** A DTMF digit from the line's own detector (when ownDtmfDetector is false). */
  dtmfDigit(digit: string, startMs: number, endMs = startMs): void {
    this.parser?.push(digit, startMs, endMs);
  }

  reset(): void {
    this.pending.length = 0;
    this.samples = 0;
    for (const d of this.demods) d.reset();
    for (const f of this.framers) f.reset();
    this.dtmf?.reset();
    this.parser?.reset();
  }
}

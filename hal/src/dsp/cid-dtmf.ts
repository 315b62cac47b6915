import type { CallerIdInfo, CallerIdMessage, CidAbsence } from './cid-message.js';
import { emptyMessage } from './cid-message.js';

/*
 * DTMF caller ID (ETSI EN 300 659-1 annex / Denmark, Netherlands, Sweden, India, Brazil, parts of
 * China), sent as DTMF digits before the first ring. Two families, told apart by the terminator:
 *  - "C" terminated: A<number>C; B<code>C with code 00 = unavailable, 10 = private;
 *    D<number> before the C is the redirecting number;
 *  - "#" terminated: A<number>#; D<code># with 1 = private, 2 = unavailable (international),
 *    3 = unavailable.
 * A message must begin with A, B or D and end with C or #; there is no checksum, so those
 * delimiters are what "checksumOk" reports. Digits more than DTMF_CID_GAP_MS apart abort it.
 */

export const DTMF_CID_GAP_MS = 2000;

const B_CODES: Record<string, CidAbsence> = { '00': 'unavailable', '10': 'private' };
const D_CODES: Record<string, CidAbsence> = { '1': 'private', '2': 'unavailable', '3': 'unavailable' };

/** The digit string that carries `info` (number digits 0-9 and * only). */
export function encodeDtmfCallerId(info: CallerIdInfo, terminator: 'C' | '#' = 'C'): string {
  if (info.number) {
    if (!/^[0-9*]+$/.test(info.number)) throw new RangeError(`DTMF caller ID number must be digits, got ${JSON.stringify(info.number)}`);
    return `A${info.number}${terminator}`;
  }
  const absence = info.absence ?? 'unavailable';
  if (terminator === 'C') return absence === 'private' ? 'B10C' : 'B00C';
  return absence === 'private' ? 'D1#' : 'D3#';
}

/** Decode a complete DTMF caller ID string (start delimiter to terminator). */
export function parseDtmfCallerId(digits: string): CallerIdMessage {
  const m = emptyMessage('dtmf', 'dtmf');
  m.raw = digits;
  const last = digits[digits.length - 1];
  m.complete = last === 'C' || last === '#';
  m.checksumOk = m.complete && /^[ABD]/.test(digits);
  const hash = last === '#';
  for (const [, tag, value] of digits.matchAll(/([ABD])([0-9*]*)/g)) {
    if (tag === 'A' && value) m.number = value;
    else if (tag === 'B' || (tag === 'D' && hash)) {
      m.absenceCode = value ?? '';
      m.absence = (tag === 'B' ? B_CODES : D_CODES)[m.absenceCode] ?? null;
    } else if (tag === 'D' && value && !m.number) {
      // Redirecting number; report it when no calling number came.
      m.number = value;
    }
  }
  return m;
}

/** Assembles DTMF caller ID messages from detected digits (with their start times). */
export class DtmfCallerIdParser {
  private readonly onMessage: (m: CallerIdMessage) => void;
  private digits = '';
  private startMs = 0;
  private lastMs = 0;

  constructor(onMessage: (m: CallerIdMessage) => void) {
    this.onMessage = onMessage;
  }

  /** A digit began at `atMs` and ended at `endMs`. */
  push(digit: string, atMs: number, endMs = atMs): void {
    if (this.digits && atMs - this.lastMs > DTMF_CID_GAP_MS) this.digits = '';
    if (!this.digits) {
      if (digit !== 'A' && digit !== 'B' && digit !== 'D') return;
      this.startMs = atMs;
    }
    this.digits += digit;
    this.lastMs = endMs;
    if (digit === 'C' || digit === '#') {
      const m = parseDtmfCallerId(this.digits);
      m.startMs = this.startMs;
      m.endMs = endMs;
      this.digits = '';
      this.onMessage(m);
    } else if (this.digits.length > 64) this.digits = '';
  }

  reset(): void {
    this.digits = '';
  }
}

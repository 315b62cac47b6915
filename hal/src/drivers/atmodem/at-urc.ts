/**
 * Unsolicited result codes: what the modem says on its own (a ring, caller ID, a new SMS or a
 * delivery report, a call ending, registration and SIM changes, DTMF heard). parseUrc() turns one line into a typed URC;
 * the queue decides first whether the line answers the pending command instead.
 */
export type RegStat = 'notRegistered' | 'home' | 'searching' | 'denied' | 'unknown' | 'roaming';

export type Urc =
  | { type: 'ring' }
  | { type: 'clip'; number: string | null; validity: number }
  | { type: 'cmti'; mem: string; index: number }
  /** +CMT: the PDU comes on the next line; the queue joins them. */
  | { type: 'cmt'; pdu: string }
  /** +CDS: a status report's PDU (AT+CNMI ds=1), joined like +CMT. */
  | { type: 'cds'; pdu: string }
  /** +CDSI: a status report stored at index (AT+CNMI ds=2). */
  | { type: 'cdsi'; mem: string; index: number }
  | { type: 'callEnd'; cause: 'NO CARRIER' | 'BUSY' | 'NO ANSWER' | 'NO DIALTONE' }
  | { type: 'reg'; tech: 'cs' | 'eps'; stat: RegStat }
  | { type: 'cpin'; state: string }
  | { type: 'dtmf'; digit: string }
  | { type: 'clcc'; line: string }
  /** The modem (re)booted: RDY, +QIND / ^SYSSTART, "Call Ready". */
  | { type: 'boot'; line: string }
  | { type: 'other'; line: string };

const REG: RegStat[] = ['notRegistered', 'home', 'searching', 'denied', 'unknown', 'roaming'];

export function regStat(n: number): RegStat {
  return REG[n] ?? 'unknown';
}

/** The parameters after `+XXX:`, split on commas outside quotes, quotes removed. */
export function params(line: string): string[] {
  const i = line.indexOf(':');
  const body = i >= 0 ? line.slice(i + 1) : line;
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of body) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

const CALL_END = new Set(['NO CARRIER', 'BUSY', 'NO ANSWER', 'NO DIALTONE']);
const DTMF_DIGITS = /^[0-9*#A-D]$/;

/** One line the modem sent on its own, typed. Never throws: unknown lines are 'other'. */
export function parseUrc(line: string): Urc {
  if (line === 'RING' || line.startsWith('+CRING:')) return { type: 'ring' };
  if (CALL_END.has(line)) return { type: 'callEnd', cause: line as 'NO CARRIER' };
  if (line === 'RDY' || line === 'Call Ready' || line.startsWith('^SYSSTART') || line === '+QIND: PB DONE') return { type: 'boot', line };
  const colon = line.indexOf(':');
  if (colon < 0) return { type: 'other', line };
  const head = line.slice(0, colon);
  const p = params(line);
  switch (head) {
    case '+CLIP': {
      const number = p[0] ? p[0] : null;
      const validity = Number.parseInt(p[5] ?? '0', 10);
      return { type: 'clip', number, validity: Number.isNaN(validity) ? 0 : validity };
    }
    case '+CMTI':
    case '+CDSI': {
      const index = Number.parseInt(p[1] ?? '', 10);
      if (Number.isNaN(index)) return { type: 'other', line };
      return { type: head === '+CMTI' ? 'cmti' : 'cdsi', mem: p[0] ?? 'SM', index };
    }
    case '+CREG':
    case '+CGREG':
    case '+CEREG': {
      // URC form: +CREG: <stat>[,<lac>,<ci>[,<AcT>]]
      const stat = Number.parseInt(p[0] ?? '', 10);
      return { type: 'reg', tech: head === '+CEREG' ? 'eps' : 'cs', stat: regStat(stat) };
    }
    case '+CPIN':
      return { type: 'cpin', state: p[0] ?? '' };
    case '+QTONEDET': {
      // Quectel: the digit's ASCII code, e.g. +QTONEDET: 49 for "1".
      const code = Number.parseInt(p[0] ?? '', 10);
      const digit = String.fromCharCode(code);
      return DTMF_DIGITS.test(digit) ? { type: 'dtmf', digit } : { type: 'other', line };
    }
    case '+DTMF':
    case '+RXDTMF': {
      const digit = (p[0] ?? '').toUpperCase();
      return DTMF_DIGITS.test(digit) ? { type: 'dtmf', digit } : { type: 'other', line };
    }
    case '+CLCC':
      return { type: 'clcc', line };
    default:
      return { type: 'other', line };
  }
}

/*
 * Caller ID messages (Telcordia GR-30 / ETSI EN 300 659-3 / China YD/T 1277.1 share the layout):
 *   message type (0x04 SDMF call setup, 0x80 MDMF call setup, 0x06 / 0x82 message waiting),
 *   length of the body, body, checksum (two's complement of the sum of all bytes before it).
 * SDMF body: 8 ASCII digits MMDDHHMM, then the number, or "O" / "P" when it is absent.
 * MDMF body: parameters (type, length, value): 0x01 date/time, 0x02 calling number, 0x03
 * dialable directory number, 0x04 reason for absence of the number, 0x07 name, 0x08 reason for
 * absence of the name, 0x0B message waiting.
 * Reasons for absence: "O" = unavailable ("out of area"), "P" = private (withheld), as in
 * Telcordia GR-30, ETSI EN 300 659-3 and Asterisk's callerid.c.
 * Names: ASCII, or GB 2312 in mainland China (decoded with TextDecoder('gbk'), a superset).
 * Parsing and encoding run once per message, not per frame, and may allocate.
 */

export type CidFormat = 'sdmf' | 'mdmf' | 'dtmf';
export type CidAbsence = 'private' | 'unavailable';
export type CidStandard = 'bell202' | 'v23' | 'dtmf';

export const MSG_SDMF = 0x04;
export const MSG_MDMF = 0x80;
export const MSG_SDMF_MWI = 0x06;
export const MSG_MDMF_MWI = 0x82;
export const PARAM_DATETIME = 0x01;
export const PARAM_NUMBER = 0x02;
export const PARAM_DN = 0x03;
export const PARAM_NUMBER_ABSENT = 0x04;
export const PARAM_NAME = 0x07;
export const PARAM_NAME_ABSENT = 0x08;
export const PARAM_MWI = 0x0b;

/** A received caller ID message. Fields are null when absent (or not trusted: see checksumOk). */
export interface CallerIdMessage {
  format: CidFormat;
  standard: CidStandard;
  number: string | null;
  name: string | null;
  /** "MM-DD HH:MM" (caller ID carries no year). */
  datetime: string | null;
  /** Why the number is absent. */
  absence: CidAbsence | null;
  /** The raw reason code: "O" / "P" (FSK), "00" / "10" / "1" / "2" / "3" (DTMF). */
  absenceCode: string | null;
  nameAbsence: CidAbsence | null;
  /** Message waiting indication (0x06 / 0x82 messages), else null. */
  messageWaiting: boolean | null;
  /** Checksum right (FSK) or start and end delimiters present (DTMF, which has no checksum). */
  checksumOk: boolean;
  /** False when the carrier dropped before the declared length arrived. */
  complete: boolean;
  /** Channel seizure (alternating bits) seen before the mark signal (FSK). */
  seizure: boolean;
  /** The message type byte (FSK) or null. */
  messageType: number | null;
  /** Every byte received, type to checksum (FSK), or the DTMF digits. */
  raw: string;
  /** Where the message began and ended in the audio, ms. */
  startMs: number;
  endMs: number;
}

/** What to send. */
export interface CallerIdInfo {
  number?: string | null;
  name?: string | null;
  /** A Date (its month, day, hours and minutes, local time), or "MMDDHHMM". */
  datetime?: Date | string | null;
  absence?: CidAbsence | null;
  nameAbsence?: CidAbsence | null;
}

const ABSENCE_CODE: Record<CidAbsence, string> = { unavailable: 'O', private: 'P' };
const absenceOf = (code: string): CidAbsence | null => (code === 'P' ? 'private' : code === 'O' ? 'unavailable' : null);

/** Two's complement of the byte sum, so that all bytes including it sum to 0 mod 256. */
export function cidChecksum(bytes: Uint8Array, length = bytes.length): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += bytes[i] as number;
  return -sum & 0xff;
}

function datetimeDigits(dt: Date | string): string {
  if (typeof dt === 'string') {
    if (!/^\d{8}$/.test(dt)) throw new RangeError(`caller ID datetime must be MMDDHHMM, got ${JSON.stringify(dt)}`);
    return dt;
  }
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(dt.getMonth() + 1)}${p(dt.getDate())}${p(dt.getHours())}${p(dt.getMinutes())}`;
}

function formatDatetime(digits: string): string | null {
  if (!/^\d{8}$/.test(digits)) return null;
  return `${digits.slice(0, 2)}-${digits.slice(2, 4)} ${digits.slice(4, 6)}:${digits.slice(6, 8)}`;
}

let gbkTable: Map<string, number> | undefined;

/** GB 2312 bytes of `text` (ASCII stays single-byte); throws on a character GB 2312 lacks. */
export function encodeGb2312(text: string): Uint8Array {
  if (!gbkTable) {
    // Build the reverse table once by decoding every two-byte GB 2312 code (rows A1-F7).
    gbkTable = new Map();
    const codes = new Uint8Array(2 * 87 * 94);
    let k = 0;
    for (let hi = 0xa1; hi <= 0xf7; hi++) {
      for (let lo = 0xa1; lo <= 0xfe; lo++) {
        codes[k++] = hi;
        codes[k++] = lo;
      }
    }
    const chars = new TextDecoder('gbk').decode(codes);
    let i = 0;
    for (const ch of chars) {
      if (ch !== '\ufffd' && !gbkTable.has(ch)) gbkTable.set(ch, ((codes[i] as number) << 8) | (codes[i + 1] as number));
      i += 2;
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c < 0x80) out.push(c);
    else {
      const code = gbkTable.get(ch);
      if (code === undefined) throw new RangeError(`caller ID name: ${JSON.stringify(ch)} is not in GB 2312`);
      out.push(code >> 8, code & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** Name bytes as text: GB 2312/GBK when any byte is ≥ 0x80, else ASCII. */
export function decodeName(bytes: Uint8Array): string {
  if (bytes.some((b) => b >= 0x80)) return new TextDecoder('gbk').decode(bytes);
  return String.fromCharCode(...bytes);
}

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0) & 0x7f);

/**
 * The bytes of a call-setup message, checksum included. SDMF carries date/time and number only;
 * MDMF also the name (GB 2312 when it is not ASCII) and the reasons for absence.
 */
export function encodeCallerId(info: CallerIdInfo, format: 'sdmf' | 'mdmf' = 'mdmf'): Uint8Array {
  const dt = info.datetime ? datetimeDigits(info.datetime) : null;
  const number = info.number ?? null;
  const absence = number ? null : (info.absence ?? 'unavailable');
  const body: number[] = [];
  if (format === 'sdmf') {
    body.push(...ascii(dt ?? '00000000'), ...ascii(number ?? ABSENCE_CODE[absence as CidAbsence]));
  } else {
    const param = (type: number, value: ArrayLike<number>): void => {
      if (value.length > 255) throw new RangeError(`caller ID parameter 0x${type.toString(16)} is too long`);
      body.push(type, value.length, ...Array.from(value));
    };
    if (dt) param(PARAM_DATETIME, ascii(dt));
    if (number) param(PARAM_NUMBER, ascii(number));
    else param(PARAM_NUMBER_ABSENT, ascii(ABSENCE_CODE[absence as CidAbsence]));
    if (info.name) param(PARAM_NAME, encodeGb2312(info.name));
    else if (info.nameAbsence) param(PARAM_NAME_ABSENT, ascii(ABSENCE_CODE[info.nameAbsence]));
  }
  if (body.length > 255) throw new RangeError('caller ID message body over 255 bytes');
  const msg = new Uint8Array(body.length + 3);
  msg[0] = format === 'sdmf' ? MSG_SDMF : MSG_MDMF;
  msg[1] = body.length;
  msg.set(body, 2);
  msg[msg.length - 1] = cidChecksum(msg, msg.length - 1);
  return msg;
}

/** A message with every field empty, to fill in. */
export function emptyMessage(format: CidFormat, standard: CidStandard): CallerIdMessage {
  return {
    format,
    standard,
    number: null,
    name: null,
    datetime: null,
    absence: null,
    absenceCode: null,
    nameAbsence: null,
    messageWaiting: null,
    checksumOk: false,
    complete: false,
    seizure: false,
    messageType: null,
    raw: '',
    startMs: 0,
    endMs: 0,
  };
}

/**
 * Parse received bytes (type, length, body, checksum; possibly cut short). The checksum is
 * checked; the fields are decoded either way, for display with checksumOk false.
 */
export function parseCallerId(bytes: Uint8Array, standard: CidStandard): CallerIdMessage {
  const type = bytes[0] ?? 0;
  const m = emptyMessage(type === MSG_SDMF || type === MSG_SDMF_MWI ? 'sdmf' : 'mdmf', standard);
  m.messageType = type;
  m.raw = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const declared = bytes[1] ?? 0;
  m.complete = bytes.length >= declared + 3;
  m.checksumOk = m.complete && cidChecksum(bytes, declared + 2) === bytes[declared + 2];
  const body = bytes.subarray(2, Math.min(bytes.length, declared + 2));
  const text = (b: Uint8Array): string => String.fromCharCode(...Array.from(b, (c) => c & 0x7f));
  if (type === MSG_SDMF) {
    m.datetime = formatDatetime(text(body.subarray(0, 8)));
    const rest = text(body.subarray(8));
    const reason = absenceOf(rest);
    if (reason) {
      m.absence = reason;
      m.absenceCode = rest;
    } else if (rest) m.number = rest;
  } else if (type === MSG_SDMF_MWI) {
    m.messageWaiting = body[0] === 0x42;
  } else {
    for (let i = 0; i + 1 < body.length; ) {
      const p = body[i] as number;
      const value = body.subarray(i + 2, i + 2 + (body[i + 1] as number));
      i += 2 + (body[i + 1] as number);
      switch (p) {
        case PARAM_DATETIME:
          m.datetime = formatDatetime(text(value));
          break;
        case PARAM_NUMBER:
          m.number = text(value);
          break;
        case PARAM_DN:
          m.number ??= text(value);
          break;
        case PARAM_NUMBER_ABSENT:
          m.absenceCode = text(value);
          m.absence = absenceOf(m.absenceCode);
          break;
        case PARAM_NAME:
          m.name = decodeName(value);
          break;
        case PARAM_NAME_ABSENT:
          m.nameAbsence = absenceOf(text(value));
          break;
        case PARAM_MWI:
          m.messageWaiting = value[0] === 0xff;
          break;
      }
    }
  }
  return m;
}

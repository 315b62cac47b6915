/**
 * SMS PDUs (3GPP TS 23.040): decode SMS-DELIVER as the modem hands it over in PDU mode (with the
 * SMSC prefix), encode SMS-SUBMIT. Alphabets per TS 23.038: GSM 7-bit, 8-bit data, UCS2 (UTF-16BE,
 * so Chinese). Concatenation info from the UDH: IEI 0x00 (8-bit reference), 0x08 (16-bit reference).
 */
import { fromSeptets, packSeptets, toSeptets, unpackSeptets } from './gsm7.js';

export type Alphabet = 'gsm7' | '8bit' | 'ucs2';

export interface ConcatInfo {
  ref: number;
  total: number;
  seq: number;
  /** 8: IEI 0x00, 16: IEI 0x08 */
  refBits: 8 | 16;
}

export interface SmsDeliver {
  smsc: string | null;
  from: string;
  /** Service centre time stamp, ms since the epoch (the sender's zone applied). */
  sentAt: number;
  alphabet: Alphabet;
  text: string;
  concat: ConcatInfo | null;
}

export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.trim();
  if (clean.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(clean)) throw new Error('PDU is not an even run of hex digits');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0').toUpperCase();
  return s;
}

/** Semi-octets, low nibble first; F is filler. */
function semiOctets(b: Uint8Array, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) {
    const byte = b[i >> 1] ?? 0xff;
    const n = i % 2 === 0 ? byte & 0x0f : byte >> 4;
    s += n < 10 ? String(n) : n === 0xa ? '*' : n === 0xb ? '#' : n === 0xc ? 'a' : n === 0xd ? 'b' : n === 0xe ? 'c' : '';
  }
  return s;
}

export class Reader {
  pos = 0;
  constructor(readonly b: Uint8Array) {}
  u8(what: string): number {
    const v = this.b[this.pos++];
    if (v === undefined) throw new Error(`PDU ends before ${what}`);
    return v;
  }
  take(n: number, what: string): Uint8Array {
    if (this.pos + n > this.b.length) throw new Error(`PDU ends inside ${what}`);
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}

export function decodeAddress(r: Reader, what: string): string {
  const digits = r.u8(what);
  const toa = r.u8(what);
  const body = r.take(Math.ceil(digits / 2), what);
  if (((toa >> 4) & 7) === 5) {
    // alphanumeric sender (e.g. "10086" brands): GSM 7-bit packed, length in semi-octets
    return fromSeptets(unpackSeptets(body, Math.floor((digits * 4) / 7)));
  }
  const num = semiOctets(body, digits);
  return ((toa >> 4) & 7) === 1 ? `+${num}` : num;
}

function swapDigit(b: number): number {
  return (b & 0x0f) * 10 + (b >> 4);
}

export function decodeScts(b: Uint8Array): number {
  const [y, mo, d, h, mi, s, tzByte] = Array.from(b);
  const tzRaw = tzByte as number;
  const quarters = (tzRaw & 0x07) * 10 + (tzRaw >> 4);
  const sign = tzRaw & 0x08 ? -1 : 1;
  const yy = swapDigit(y as number);
  const local = Date.UTC(
    yy >= 90 ? 1900 + yy : 2000 + yy,
    swapDigit(mo as number) - 1,
    swapDigit(d as number),
    swapDigit(h as number),
    swapDigit(mi as number),
    swapDigit(s as number),
  );
  return local - sign * quarters * 15 * 60_000;
}

export function alphabetOf(dcs: number): Alphabet {
  const group = dcs >> 4;
  if (group <= 7) return (['gsm7', '8bit', 'ucs2', 'gsm7'] as const)[(dcs >> 2) & 3] ?? 'gsm7';
  if (group === 0xc || group === 0xd) return 'gsm7';
  if (group === 0xe) return 'ucs2';
  if (group === 0xf) return dcs & 0x04 ? '8bit' : 'gsm7';
  return 'gsm7';
}

function parseUdh(udh: Uint8Array): ConcatInfo | null {
  let i = 0;
  let found: ConcatInfo | null = null;
  while (i + 1 < udh.length) {
    const iei = udh[i] as number;
    const len = udh[i + 1] as number;
    const v = udh.subarray(i + 2, i + 2 + len);
    if (iei === 0x00 && len === 3) found = { ref: v[0] as number, total: v[1] as number, seq: v[2] as number, refBits: 8 };
    if (iei === 0x08 && len === 4)
      found = { ref: ((v[0] as number) << 8) | (v[1] as number), total: v[2] as number, seq: v[3] as number, refBits: 16 };
    i += 2 + len;
  }
  return found && found.total > 0 && found.seq >= 1 && found.seq <= found.total ? found : null;
}

/** The SMSC prefix of a PDU as the modem hands it over (length 0: none). */
export function readSmsc(r: Reader): string | null {
  const smscLen = r.u8('the SMSC length');
  if (smscLen === 0) return null;
  const toa = r.u8('the SMSC');
  const num = semiOctets(r.take(smscLen - 1, 'the SMSC'), (smscLen - 1) * 2);
  return ((toa >> 4) & 7) === 1 ? `+${num}` : num;
}

/** The message type (TP-MTI) of a PDU with its SMSC prefix: 0 SMS-DELIVER, 2 SMS-STATUS-REPORT (as received). */
export function pduType(hex: string): number {
  const r = new Reader(hexToBytes(hex));
  readSmsc(r);
  return r.u8('the first octet') & 0x03;
}

/** Decode an SMS-DELIVER PDU (hex, with the SMSC prefix as +CMGR/+CMT give it). Throws a clear Error on anything else. */
export function decodeDeliver(hex: string): SmsDeliver {
  const r = new Reader(hexToBytes(hex));
  const smsc = readSmsc(r);
  const first = r.u8('the first octet');
  if ((first & 0x03) !== 0) throw new Error(`not an SMS-DELIVER (MTI ${first & 3})`);
  const udhi = (first & 0x40) !== 0;
  const from = decodeAddress(r, 'the sender address');
  r.u8('TP-PID');
  const dcs = r.u8('TP-DCS');
  const sentAt = decodeScts(r.take(7, 'the time stamp'));
  const udl = r.u8('TP-UDL');
  const alphabet = alphabetOf(dcs);
  const ud = r.b.subarray(r.pos);
  let concat: ConcatInfo | null = null;
  let headerOctets = 0;
  if (udhi) {
    const udhl = ud[0];
    if (udhl === undefined || udhl + 1 > ud.length) throw new Error('PDU ends inside the user data header');
    headerOctets = udhl + 1;
    concat = parseUdh(ud.subarray(1, headerOctets));
  }
  let text: string;
  if (alphabet === 'gsm7') {
    const headerSeptets = Math.ceil((headerOctets * 8) / 7);
    text = fromSeptets(unpackSeptets(ud, udl).slice(headerSeptets));
  } else {
    const body = ud.subarray(headerOctets, Math.min(udl, ud.length));
    text = alphabet === 'ucs2' ? new TextDecoder('utf-16be').decode(body) : new TextDecoder('latin1').decode(body);
  }
  return { smsc, from, sentAt, alphabet, text, concat };
}

export interface SubmitPdu {
  /** Hex, starting with "00" (use the SIM's SMSC). */
  hex: string;
  /** The TPDU length AT+CMGS wants: octets without the SMSC part. */
  tpduLength: number;
}

function encodeAddress(number: string): number[] {
  const intl = number.startsWith('+');
  const digits = intl ? number.slice(1) : number;
  if (!/^[0-9]{1,20}$/.test(digits)) throw new Error(`cannot send an SMS to "${number}"`);
  const out = [digits.length, intl ? 0x91 : 0x81];
  for (let i = 0; i < digits.length; i += 2) {
    const lo = Number(digits[i]);
    const hi = i + 1 < digits.length ? Number(digits[i + 1]) : 0xf;
    out.push((hi << 4) | lo);
  }
  return out;
}

export interface SubmitPart {
  alphabet: 'gsm7' | 'ucs2';
  /** GSM septet codes, or UTF-16 code units for UCS2. */
  units: number[];
  concat: ConcatInfo | null;
}

/** Encode one SMS-SUBMIT (relative validity 4 days); `statusReport` sets TP-SRR (the network reports delivery). */
export function encodeSubmit(to: string, part: SubmitPart, o: { statusReport?: boolean } = {}): SubmitPdu {
  const udh: number[] = [];
  if (part.concat) {
    const c = part.concat;
    if (c.refBits === 8) udh.push(5, 0x00, 3, c.ref & 0xff, c.total, c.seq);
    else udh.push(6, 0x08, 4, (c.ref >> 8) & 0xff, c.ref & 0xff, c.total, c.seq);
  }
  let ud: number[];
  let udl: number;
  if (part.alphabet === 'gsm7') {
    const headerSeptets = Math.ceil((udh.length * 8) / 7);
    const fill = headerSeptets * 7 - udh.length * 8;
    ud = [...udh, ...packSeptets(part.units, fill)];
    udl = headerSeptets + part.units.length;
  } else {
    const body: number[] = [];
    for (const u of part.units) body.push(u >> 8, u & 0xff);
    ud = [...udh, ...body];
    udl = ud.length;
  }
  // MTI 01 SMS-SUBMIT, VPF 10 relative, SRR 0x20, UDHI 0x40.
  const first = 0x01 | 0x10 | (o.statusReport ? 0x20 : 0) | (udh.length > 0 ? 0x40 : 0);
  const tpdu = [first, 0x00, ...encodeAddress(to), 0x00, part.alphabet === 'ucs2' ? 0x08 : 0x00, 0xaa, udl, ...ud];
  return { hex: `00${bytesToHex(Uint8Array.from(tpdu))}`, tpduLength: tpdu.length };
}

export { toSeptets };

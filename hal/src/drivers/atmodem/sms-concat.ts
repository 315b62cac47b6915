/**
 * Long SMS both ways: split a text into SMS-SUBMIT parts (GSM 7-bit when every character fits,
 * else UCS2; never cutting an escape pair or a surrogate pair), and put received parts back
 * together by sender + reference + total.
 */
import { isGsm7, toSeptets } from './gsm7.js';
import type { SmsDeliver, SubmitPart } from './pdu.js';

export function splitText(text: string, ref: number, refBits: 8 | 16 = 8): SubmitPart[] {
  const header = refBits === 8 ? 6 : 7; // UDH octets incl. UDHL
  if (isGsm7(text)) {
    const codes = toSeptets(text);
    if (codes.length <= 160) return [{ alphabet: 'gsm7', units: codes, concat: null }];
    const per = Math.floor(((140 - header) * 8) / 7); // 153 (8-bit ref) / 152 (16-bit ref)
    const chunks: number[][] = [];
    let i = 0;
    while (i < codes.length) {
      let end = Math.min(i + per, codes.length);
      if (end < codes.length && codes[end - 1] === 0x1b) end--; // keep ESC with its code
      chunks.push(codes.slice(i, end));
      i = end;
    }
    return withConcat('gsm7', chunks, ref, refBits);
  }
  const units: number[] = [];
  for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i));
  if (units.length <= 70) return [{ alphabet: 'ucs2', units, concat: null }];
  const per = Math.floor((140 - header) / 2); // 67 / 66
  const chunks: number[][] = [];
  let i = 0;
  while (i < units.length) {
    let end = Math.min(i + per, units.length);
    const last = units[end - 1] as number;
    if (end < units.length && last >= 0xd800 && last <= 0xdbff) end--; // keep surrogate pairs whole
    chunks.push(units.slice(i, end));
    i = end;
  }
  return withConcat('ucs2', chunks, ref, refBits);
}

function withConcat(alphabet: 'gsm7' | 'ucs2', chunks: number[][], ref: number, refBits: 8 | 16): SubmitPart[] {
  if (chunks.length > 255) throw new Error('text too long for one concatenated SMS (255 parts)');
  const mask = refBits === 8 ? 0xff : 0xffff;
  return chunks.map((units, k) => ({ alphabet, units, concat: { ref: ref & mask, total: chunks.length, seq: k + 1, refBits } }));
}

export interface AssembledSms {
  from: string;
  text: string;
  sentAt: number;
  /** Stable id: sender + time stamp + text hash (a long one: sender + reference + time stamp). */
  id: string;
  /** False when parts were missing at expiry (text has the parts that came). */
  complete: boolean;
  /** Where its parts sit on the SIM (AT+CMGR/CMGL indexes; none for +CMT): deleted once it is saved. */
  simIndexes: number[];
}

interface Partial {
  from: string;
  total: number;
  parts: Map<number, string>;
  sentAt: number;
  firstSeenAt: number;
  key: string;
  simIndexes: number[];
}

export class SmsAssembler {
  private readonly partials = new Map<string, Partial>();

  /**
   * A decoded part (`simIndex`: where it sits on the SIM, if it does); returns the whole message
   * when it is complete (a single SMS at once).
   */
  add(sms: SmsDeliver, now: number, simIndex?: number): AssembledSms | null {
    const at = simIndex === undefined ? [] : [simIndex];
    if (!sms.concat || sms.concat.total === 1) {
      const id = `${sms.from}:${sms.sentAt}:${textHash(sms.text)}`;
      return { from: sms.from, text: sms.text, sentAt: sms.sentAt, id, complete: true, simIndexes: at };
    }
    const c = sms.concat;
    const key = keyOf(sms);
    let p = this.partials.get(key);
    if (!p) {
      p = { from: sms.from, total: c.total, parts: new Map(), sentAt: sms.sentAt, firstSeenAt: now, key, simIndexes: [] };
      this.partials.set(key, p);
    }
    p.parts.set(c.seq, sms.text);
    for (const i of at) if (!p.simIndexes.includes(i)) p.simIndexes.push(i);
    if (c.seq === 1) p.sentAt = sms.sentAt;
    if (p.parts.size < p.total) return null;
    this.partials.delete(key);
    return this.join(p, true);
  }

  /**
   * The id every message with this part's sender, reference and total starts with (the whole
   * one's id adds `:<sent time>`); null for a single SMS.
   */
  static idPrefix(sms: SmsDeliver): string | null {
    return sms.concat && sms.concat.total > 1 ? idPrefixOf(keyOf(sms)) : null;
  }

  /** Forget the waiting parts of the message this part belongs to; returns their SIM indexes. */
  drop(sms: SmsDeliver): number[] {
    if (!sms.concat) return [];
    const key = keyOf(sms);
    const p = this.partials.get(key);
    this.partials.delete(key);
    return p?.simIndexes ?? [];
  }

  /** Messages whose parts have waited longer than maxAgeMs: delivered with what came. */
  expire(now: number, maxAgeMs: number): AssembledSms[] {
    const out: AssembledSms[] = [];
    for (const p of [...this.partials.values()]) {
      if (now - p.firstSeenAt < maxAgeMs) continue;
      this.partials.delete(p.key);
      out.push(this.join(p, false));
    }
    return out;
  }

  get waiting(): number {
    return this.partials.size;
  }

  private join(p: Partial, complete: boolean): AssembledSms {
    const seqs = [...p.parts.keys()].sort((a, b) => a - b);
    const text = seqs.map((s) => p.parts.get(s)).join('');
    return { from: p.from, text, sentAt: p.sentAt, id: `${idPrefixOf(p.key)}${p.sentAt}`, complete, simIndexes: p.simIndexes };
  }
}

/** A long message's parts belong together by sender, reference and total. */
function keyOf(sms: SmsDeliver): string {
  const c = sms.concat as NonNullable<SmsDeliver['concat']>;
  return `${sms.from}|${c.refBits}|${c.ref}|${c.total}`;
}

/** The start of a long message's id (its sent time follows): the key with ':' between the fields. */
function idPrefixOf(key: string): string {
  return `${key.replaceAll('|', ':')}:`;
}

/** FNV-1a of the text, 8 hex digits: two messages from one sender in the same second differ by it. */
function textHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * The SMS page's data shaping (pure, unit-tested): sent messages (GET /api/v1/sms?direction=out)
 * as threads per number, newest thread first, each oldest first (received ones are the inbox tab);
 * and how many SMS a text goes out as (GSM 7-bit: 160, or 153 a part; else UCS2: 70, or 67).
 */
import type { SmsMessage } from '../../../../firmware/src/service/types.js';

export interface SmsEntry {
  kind: 'out';
  at: string;
  msg: SmsMessage;
}

export interface SmsThread {
  /** The number as the box shows it to this user (masked for agents). */
  number: string;
  entries: SmsEntry[];
  last: string;
  failed: number;
}

export function smsThreads(sent: readonly SmsMessage[]): SmsThread[] {
  const by = new Map<string, SmsEntry[]>();
  const add = (number: string, e: SmsEntry) => {
    const list = by.get(number) ?? [];
    list.push(e);
    by.set(number, list);
  };
  for (const msg of sent) add(msg.to, { kind: 'out', at: msg.createdAt, msg });
  const threads = [...by].map(([number, entries]) => {
    entries.sort((a, b) => a.at.localeCompare(b.at));
    const last = entries[entries.length - 1]?.at ?? '';
    const failed = entries.filter((e) => e.msg.status === 'failed').length;
    return { number, entries, last, failed };
  });
  return threads.sort((a, b) => b.last.localeCompare(a.last) || a.number.localeCompare(b.number));
}

const GSM7 = /^[A-Za-z0-9 @£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà^{}\\[~\]|€\f]*$/;
/** GSM 7-bit extension characters: ESC + a code, two septets each. */
const GSM7_EXT = '\f^{}\\[~]|€';

/**
 * How many SMS parts a text goes out as (0 for an empty text), counted as the modem driver splits
 * it (hal/src/drivers/atmodem/sms-concat.ts splitText; the unit test compares the two): GSM 7-bit
 * in septets (an extension character takes two), else UCS2 in UTF-16 units (an emoji takes two);
 * one part up to 160 / 70, else parts of 153 / 67 that never cut a character in two.
 */
export function smsParts(text: string): number {
  if (text === '') return 0;
  const gsm = GSM7.test(text);
  const sizes = [...text].map((ch) => (gsm ? (GSM7_EXT.includes(ch) ? 2 : 1) : ch.length));
  const [one, per] = gsm ? [160, 153] : [70, 67];
  if (sizes.reduce((a, b) => a + b, 0) <= one) return 1;
  let parts = 1;
  let used = 0;
  for (const n of sizes) {
    if (used + n > per) {
      parts++;
      used = 0;
    }
    used += n;
  }
  return parts;
}

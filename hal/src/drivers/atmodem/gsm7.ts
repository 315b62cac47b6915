/**
 * The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1), and septet
 * packing (§6.1.2.1.1) with the fill bits that align text after a user data header.
 */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Extension table: ESC (0x1B) followed by the code. */
const EXT: Record<number, string> = { 10: '\f', 20: '^', 40: '{', 41: '}', 47: '\\', 60: '[', 61: '~', 62: ']', 64: '|', 101: '€' };

const TO_CODE = new Map<string, number[]>();
for (let i = 0; i < BASIC.length; i++) if (i !== 0x1b) TO_CODE.set(BASIC[i] as string, [i]);
for (const [k, v] of Object.entries(EXT)) TO_CODE.set(v, [0x1b, Number(k)]);

/** True when every character has a GSM 7-bit code (basic or extension). */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!TO_CODE.has(ch)) return false;
  return true;
}

/** Text → septet codes (extension characters take two). Throws on a character outside the alphabet. */
export function toSeptets(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const code = TO_CODE.get(ch);
    if (!code) throw new Error(`"${ch}" is not in the GSM 7-bit alphabet`);
    out.push(...code);
  }
  return out;
}

/** Septet codes → text. An unknown extension code reads as a space (23.038: "should display a space"). */
export function fromSeptets(codes: number[]): string {
  let out = '';
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] as number;
    if (c === 0x1b) {
      const next = codes[++i];
      if (next === undefined) break;
      out += EXT[next] ?? BASIC[next] ?? ' ';
    } else out += BASIC[c] ?? ' ';
  }
  return out;
}

/** Pack septets into octets, starting after `fillBits` zero bits (0..6, to align after a UDH). */
export function packSeptets(codes: number[], fillBits = 0): Uint8Array {
  const totalBits = fillBits + codes.length * 7;
  const out = new Uint8Array(Math.ceil(totalBits / 8));
  let bit = fillBits;
  for (const c of codes) {
    for (let k = 0; k < 7; k++, bit++) if ((c >> k) & 1) (out[bit >> 3] as number) |= 1 << (bit & 7);
  }
  return out;
}

/** Unpack `count` septets from octets, skipping `fillBits` first. */
export function unpackSeptets(octets: Uint8Array, count: number, fillBits = 0): number[] {
  const out: number[] = [];
  let bit = fillBits;
  for (let i = 0; i < count; i++) {
    let c = 0;
    for (let k = 0; k < 7; k++, bit++) {
      const byte = octets[bit >> 3];
      if (byte === undefined) return out;
      if ((byte >> (bit & 7)) & 1) c |= 1 << k;
    }
    out.push(c);
  }
  return out;
}

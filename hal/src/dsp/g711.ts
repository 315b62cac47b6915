/**
 * G.711 companding: µ-law (North America, Japan) and A-law (Europe, China), ITU-T G.711.
 *
 * Bit-exact with the ITU-T G.191 Software Tool Library reference (g711.c: ulaw_compress /
 * ulaw_expand, alaw_compress / alaw_expand), applied to 16-bit linear PCM. Negative samples are
 * quantised through their one's complement as in that reference, so the quantiser is symmetric
 * and -1 encodes as µ-law "negative zero" (0x7F).
 *
 * Everything is table-driven; the tables are built once at module load from the reference
 * algorithm:
 *  - decoding: one 256-entry Int16Array per law;
 *  - encoding: a µ-law code depends only on the top 14 bits of a sample (s >> 2) and an A-law code
 *    only on the top 13 bits (s >> 3), so a 16384-entry and an 8192-entry Uint8Array cover every
 *    int16 input exactly (arithmetic shift commutes with one's complement: ~s >> k === ~(s >> k)).
 */

const ULAW_BIAS = 33; // in 14-bit units (0x84 >> 2)
const ULAW_CLIP = 0x1fff;

/** Reference µ-law compressor (G.191 ulaw_compress) for one 16-bit sample. */
function ulawCompress(s: number): number {
  let absno = s < 0 ? (~s >> 2) + ULAW_BIAS : (s >> 2) + ULAW_BIAS;
  if (absno > ULAW_CLIP) absno = ULAW_CLIP;
  let i = absno >> 6;
  let segno = 1;
  while (i !== 0) {
    segno++;
    i >>= 1;
  }
  const highNibble = 8 - segno;
  const lowNibble = 0x0f - ((absno >> segno) & 0x0f);
  let code = (highNibble << 4) | lowNibble;
  if (s >= 0) code |= 0x80;
  return code;
}

/** Reference µ-law expander (G.191 ulaw_expand) for one code byte. */
function ulawExpand(code: number): number {
  const sign = code < 0x80 ? -1 : 1;
  const inverted = ~code;
  const exponent = (inverted >> 4) & 0x07;
  const mantissa = inverted & 0x0f;
  const step = 4 << (exponent + 1);
  return sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * ULAW_BIAS);
}

/** Reference A-law compressor (G.191 alaw_compress) for one 16-bit sample. */
function alawCompress(s: number): number {
  let ix = s < 0 ? ~s >> 4 : s >> 4;
  if (ix > 15) {
    let iexp = 1;
    while (ix > 16 + 15) {
      ix >>= 1;
      iexp++;
    }
    ix -= 16;
    ix += iexp << 4;
  }
  if (s >= 0) ix |= 0x80;
  return ix ^ 0x55; // even bits inverted
}

/** Reference A-law expander (G.191 alaw_expand) for one code byte. */
function alawExpand(code: number): number {
  const ix = (code ^ 0x55) & 0x7f;
  const iexp = ix >> 4;
  let mant = ix & 0x0f;
  if (iexp > 0) mant += 16;
  mant = (mant << 4) + 8;
  if (iexp > 1) mant <<= iexp - 1;
  return code > 0x7f ? mant : -mant;
}

const ULAW_DECODE = new Int16Array(256);
const ALAW_DECODE = new Int16Array(256);
/** Indexed by (s >> 2) + 8192. */
const ULAW_ENCODE = new Uint8Array(16384);
/** Indexed by (s >> 3) + 4096. */
const ALAW_ENCODE = new Uint8Array(8192);

for (let code = 0; code < 256; code++) {
  ULAW_DECODE[code] = ulawExpand(code);
  ALAW_DECODE[code] = alawExpand(code);
}
for (let i = 0; i < 16384; i++) ULAW_ENCODE[i] = ulawCompress((i - 8192) << 2);
for (let i = 0; i < 8192; i++) ALAW_ENCODE[i] = alawCompress((i - 4096) << 3);

/** Clamp any number to the int16 range and truncate it to an integer, as Int16Array would not. */
function toInt16(s: number): number {
  if (s >= 32767) return 32767;
  if (s <= -32768) return -32768;
  return s | 0;
}

/** Encode one linear sample (int16; larger values are clamped) to a µ-law byte. */
export function linearToUlaw(s: number): number {
  return ULAW_ENCODE[(toInt16(s) >> 2) + 8192] as number;
}

/** Decode one µ-law byte (0..255) to a linear int16 sample. */
export function ulawToLinear(b: number): number {
  return ULAW_DECODE[b & 0xff] as number;
}

/** Encode one linear sample (int16; larger values are clamped) to an A-law byte. */
export function linearToAlaw(s: number): number {
  return ALAW_ENCODE[(toInt16(s) >> 3) + 4096] as number;
}

/** Decode one A-law byte (0..255) to a linear int16 sample. */
export function alawToLinear(b: number): number {
  return ALAW_DECODE[b & 0xff] as number;
}

function checkLengths(inLen: number, outLen: number, what: string): void {
  if (outLen < inLen) {
    throw new RangeError(`${what}: output holds ${outLen} samples, input has ${inLen}`);
  }
}

/** Encode `pcm` into `out` (µ-law, one byte per sample). Returns the number of bytes written. */
export function encodeUlaw(pcm: Int16Array, out: Uint8Array): number {
  checkLengths(pcm.length, out.length, 'encodeUlaw');
  for (let i = 0; i < pcm.length; i++) out[i] = ULAW_ENCODE[((pcm[i] as number) >> 2) + 8192] as number;
  return pcm.length;
}

/** Decode µ-law `bytes` into `out`. Returns the number of samples written. */
export function decodeUlaw(bytes: Uint8Array, out: Int16Array): number {
  checkLengths(bytes.length, out.length, 'decodeUlaw');
  for (let i = 0; i < bytes.length; i++) out[i] = ULAW_DECODE[bytes[i] as number] as number;
  return bytes.length;
}

/** Encode `pcm` into `out` (A-law, one byte per sample). Returns the number of bytes written. */
export function encodeAlaw(pcm: Int16Array, out: Uint8Array): number {
  checkLengths(pcm.length, out.length, 'encodeAlaw');
  for (let i = 0; i < pcm.length; i++) out[i] = ALAW_ENCODE[((pcm[i] as number) >> 3) + 4096] as number;
  return pcm.length;
}

/** Decode A-law `bytes` into `out`. Returns the number of samples written. */
export function decodeAlaw(bytes: Uint8Array, out: Int16Array): number {
  checkLengths(bytes.length, out.length, 'decodeAlaw');
  for (let i = 0; i < bytes.length; i++) out[i] = ALAW_DECODE[bytes[i] as number] as number;
  return bytes.length;
}

/** µ-law byte of digital silence (linear 0). */
export const ULAW_SILENCE = 0xff;
/** A-law byte nearest to digital silence (linear +8). */
export const ALAW_SILENCE = 0xd5;

/**
 * COBS (consistent overhead byte stuffing): the encoded frame holds no 0x00 byte, so 0x00 delimits
 * frames on the wire and a receiver finds the next frame boundary after any garbage.
 */

/** Encode `data` (any bytes) into a zero-free block (without the 0x00 delimiter). */
export function cobsEncode(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + Math.ceil(data.length / 254) + 1);
  let codeAt = 0;
  let o = 1;
  let code = 1;
  for (const b of data) {
    if (b === 0) {
      out[codeAt] = code;
      codeAt = o++;
      code = 1;
      continue;
    }
    out[o++] = b;
    code++;
    if (code === 0xff) {
      out[codeAt] = code;
      codeAt = o++;
      code = 1;
    }
  }
  out[codeAt] = code;
  return out.subarray(0, o);
}

/** Decode a zero-free block; null when it is not valid COBS (a 0x00 inside, a code past the end). */
export function cobsDecode(block: Uint8Array): Uint8Array | null {
  const out = new Uint8Array(block.length);
  let i = 0;
  let o = 0;
  while (i < block.length) {
    const code = block[i] as number;
    if (code === 0 || i + code > block.length) return null;
    i++;
    for (let k = 1; k < code; k++) {
      const b = block[i++] as number;
      if (b === 0) return null;
      out[o++] = b;
    }
    if (code !== 0xff && i < block.length) out[o++] = 0;
  }
  return out.subarray(0, o);
}

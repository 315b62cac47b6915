/**
 * ULIDs (https://github.com/ulid/spec): 48-bit ms time + 80 random bits, Crockford base32, 26
 * characters, sortable by creation time. Ids of back-office records and outbox rows. Monotonic: two
 * ids made in the same millisecond by one factory still sort in creation order.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ULID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
/** The largest time a ULID holds (2^48 - 1 ms, year 10889). */
const MAX_TIME = 2 ** 48 - 1;

function encodeTime(ms: number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = (ALPHABET[t % 32] as string) + out;
    t = Math.floor(t / 32);
  }
  return out;
}

/**
 * Returns a function making ULIDs at the times `now()` gives (the box's injected clock).
 * `random(16)` supplies the random part (tests may pin it).
 */
export function ulidFactory(now: () => number, random: (n: number) => Uint8Array = randomBytes): () => string {
  let lastMs = -1;
  let last: number[] = [];
  return () => {
    const ms = Math.min(MAX_TIME, Math.max(0, Math.floor(now())));
    if (ms <= lastMs) {
      // Same (or earlier: clock stepped back) millisecond: increment the random part. When all 80
      // bits are already 1 the increment would wrap to zeros and sort before the previous id:
      // move on to the next millisecond instead.
      let carried = true;
      for (let i = last.length - 1; i >= 0; i--) {
        const v = (last[i] as number) + 1;
        if (v < 32) {
          last[i] = v;
          carried = false;
          break;
        }
        last[i] = 0;
      }
      if (carried) lastMs = Math.min(MAX_TIME, lastMs + 1);
    } else {
      lastMs = ms;
      const bytes = random(16);
      last = Array.from(bytes.subarray(0, 16), (b) => b % 32);
    }
    return encodeTime(lastMs) + last.map((v) => ALPHABET[v]).join('');
  };
}

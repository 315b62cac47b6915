/**
 * TZif files (RFC 8536), as /usr/share/zoneinfo holds them: the transition times and local time
 * types of the version 2+ (64-bit) block, and the footer's POSIX TZ string for times after the last
 * transition ("slim" files, zic's default, stop their transitions early and rely on it).
 */
import { type PosixRule, parsePosixTz, posixOffsetAt } from './posix-tz.js';

export interface TzifZone {
  /** Transition times, seconds since the epoch, ascending. */
  times: Float64Array;
  /** The offset (seconds east of UTC) in force from each transition on. */
  offsets: Int32Array;
  /** The offset before the first transition. */
  initial: number;
  /** The footer's rule for times after the last transition; null: the last offset goes on. */
  footer: PosixRule | null;
}

/** Parses a TZif file; throws Error naming what is wrong. */
export function parseTzif(buf: Uint8Array): TzifZone {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const header = (at: number) => {
    if (buf.length < at + 44 || String.fromCharCode(...buf.subarray(at, at + 4)) !== 'TZif') throw new Error('not a TZif file');
    const n = (k: number) => view.getUint32(at + 20 + 4 * k);
    return { version: buf[at + 4] ?? 0, isut: n(0), isstd: n(1), leap: n(2), time: n(3), type: n(4), char: n(5) };
  };
  const h1 = header(0);
  const v1Size = h1.time * 5 + h1.type * 6 + h1.char + h1.leap * 8 + h1.isstd + h1.isut;
  let at = 44;
  let h = h1;
  let timeSize = 4;
  if (h1.version >= 0x32) {
    at = 44 + v1Size;
    h = header(at);
    at += 44;
    timeSize = 8;
  }
  const need = h.time * (timeSize + 1) + h.type * 6 + h.char + h.leap * (timeSize + 4) + h.isstd + h.isut;
  if (buf.length < at + need || h.type === 0) throw new Error('TZif data is cut short');
  const times = new Float64Array(h.time);
  for (let k = 0; k < h.time; k++) {
    times[k] = timeSize === 8 ? Number(view.getBigInt64(at + 8 * k)) : view.getInt32(at + 4 * k);
  }
  at += h.time * timeSize;
  const idx = buf.subarray(at, at + h.time);
  at += h.time;
  const typeOffsets: number[] = [];
  for (let k = 0; k < h.type; k++) typeOffsets.push(view.getInt32(at + 6 * k));
  at += h.type * 6 + h.char + h.leap * (timeSize + 4) + h.isstd + h.isut;
  const offsets = new Int32Array(h.time);
  for (let k = 0; k < h.time; k++) {
    const o = typeOffsets[idx[k] as number];
    if (o === undefined) throw new Error('TZif transition names a missing type');
    offsets[k] = o;
  }
  let footer: PosixRule | null = null;
  if (timeSize === 8 && buf[at] === 0x0a) {
    const end = buf.indexOf(0x0a, at + 1);
    const text = end > at ? String.fromCharCode(...buf.subarray(at + 1, end)) : '';
    if (text !== '') {
      footer = parsePosixTz(text);
      if (!footer) throw new Error(`TZif footer not understood: ${text}`);
    }
  }
  return { times, offsets, initial: typeOffsets[0] as number, footer };
}

/** The offset (seconds east of UTC) at `t` seconds since the epoch. */
export function tzifOffsetAt(z: TzifZone, t: number): number {
  const n = z.times.length;
  if (n === 0 || t < (z.times[0] as number)) return n === 0 && z.footer ? posixOffsetAt(z.footer, t) : z.initial;
  if (t >= (z.times[n - 1] as number)) return z.footer ? posixOffsetAt(z.footer, t) : (z.offsets[n - 1] as number);
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((z.times[mid] as number) <= t) lo = mid;
    else hi = mid - 1;
  }
  return z.offsets[lo] as number;
}

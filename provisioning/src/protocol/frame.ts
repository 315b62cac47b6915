/**
 * One protocol frame (docs/provisioning.md, "Frame"): before COBS stuffing,
 *
 *   0      1      2       6        10          10+len
 *   | ver | type | reqId | length | payload … | crc32 |
 *   u8     u8     u32 BE  u32 BE   len bytes   u32 BE (CRC-32/IEEE over bytes 0 .. 10+len-1)
 *
 * On the wire: COBS(frame) followed by 0x00. `encodeFrame` and `FrameDecoder` are pure: no I/O.
 */
import { crc32 } from 'node:zlib';
import { cobsDecode, cobsEncode } from './cobs.js';

export const FRAME_VERSION = 1;
export const HEADER_BYTES = 10;
export const CRC_BYTES = 4;
/** The largest payload a frame may carry (64 KiB); a longer block on the wire is dropped. */
export const MAX_PAYLOAD = 64 * 1024;

/** Message types (the `type` byte). */
export const MSG = {
  /** A plain JSON request {op, args} (open commands and the handshake). */
  REQUEST: 0x01,
  /** A plain JSON response (the result object). */
  RESPONSE: 0x02,
  /** A plain JSON error {code, message, details?}. */
  ERROR: 0x03,
  /** An AES-256-GCM sealed message of the authenticated session (the inner JSON says request/response/error). */
  SEALED: 0x04,
} as const;
export type MsgType = (typeof MSG)[keyof typeof MSG];
const TYPES = new Set<number>(Object.values(MSG));

export interface Frame {
  type: MsgType;
  /** Pairs a response with its request (1..2^32-1, chosen by the requester; 0 is unused). */
  reqId: number;
  payload: Uint8Array;
}

/** The frame's bytes before stuffing (header + payload + CRC). */
export function frameBytes(f: Frame): Uint8Array {
  if (f.payload.length > MAX_PAYLOAD) throw new RangeError(`payload of ${f.payload.length} bytes is over ${MAX_PAYLOAD}`);
  if (!Number.isInteger(f.reqId) || f.reqId < 0 || f.reqId > 0xffffffff) throw new RangeError(`bad request id ${f.reqId}`);
  const buf = Buffer.alloc(HEADER_BYTES + f.payload.length + CRC_BYTES);
  buf[0] = FRAME_VERSION;
  buf[1] = f.type;
  buf.writeUInt32BE(f.reqId, 2);
  buf.writeUInt32BE(f.payload.length, 6);
  buf.set(f.payload, HEADER_BYTES);
  buf.writeUInt32BE(crc32(buf.subarray(0, HEADER_BYTES + f.payload.length)), HEADER_BYTES + f.payload.length);
  return buf;
}

/** The wire form: COBS(frame) + 0x00. A leading 0x00 too, so a receiver mid-garbage resyncs at once. */
export function encodeFrame(f: Frame): Uint8Array {
  const stuffed = cobsEncode(frameBytes(f));
  const out = new Uint8Array(stuffed.length + 2);
  out.set(stuffed, 1);
  return out;
}

export type FrameProblem = 'cobs' | 'short' | 'version' | 'type' | 'length' | 'crc' | 'oversize';

/** Parse an unstuffed block; a problem name when it is not a whole, intact frame. */
export function parseFrame(bytes: Uint8Array): Frame | FrameProblem {
  if (bytes.length < HEADER_BYTES + CRC_BYTES) return 'short';
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const len = buf.readUInt32BE(6);
  if (len > MAX_PAYLOAD) return 'oversize';
  if (len + HEADER_BYTES + CRC_BYTES !== buf.length) return 'length';
  const crc = buf.readUInt32BE(HEADER_BYTES + len);
  if (crc32(buf.subarray(0, HEADER_BYTES + len)) !== crc) return 'crc';
  if (buf[0] !== FRAME_VERSION) return 'version';
  const type = buf[1] as number;
  if (!TYPES.has(type)) return 'type';
  return { type: type as MsgType, reqId: buf.readUInt32BE(2), payload: Uint8Array.from(buf.subarray(HEADER_BYTES, HEADER_BYTES + len)) };
}

/**
 * Bytes in, whole frames out. Garbage, a cut frame or a corrupted one is counted and dropped at the
 * next 0x00; a block longer than the largest frame is skipped without buffering it. Never throws on
 * input, never hands out part of a frame.
 */
export class FrameDecoder {
  private buf: number[] = [];
  private skipping = false;
  readonly dropped: Record<FrameProblem, number> = { cobs: 0, short: 0, version: 0, type: 0, length: 0, crc: 0, oversize: 0 };
  private static readonly MAX_BLOCK = HEADER_BYTES + MAX_PAYLOAD + CRC_BYTES + Math.ceil((MAX_PAYLOAD + 14) / 254) + 2;

  /** Feed bytes; returns the frames completed by them, in order. */
  push(chunk: Uint8Array): Frame[] {
    const out: Frame[] = [];
    for (const b of chunk) {
      if (b !== 0) {
        if (this.skipping) continue;
        if (this.buf.length >= FrameDecoder.MAX_BLOCK) {
          this.dropped.oversize++;
          this.buf = [];
          this.skipping = true;
          continue;
        }
        this.buf.push(b);
        continue;
      }
      const block = this.buf;
      this.buf = [];
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      if (block.length === 0) continue;
      const raw = cobsDecode(Uint8Array.from(block));
      if (raw === null) {
        this.dropped.cobs++;
        continue;
      }
      const f = parseFrame(raw);
      if (typeof f === 'string') this.dropped[f]++;
      else out.push(f);
    }
    return out;
  }

  /** Frames dropped so far, all reasons. */
  get droppedTotal(): number {
    return Object.values(this.dropped).reduce((a, b) => a + b, 0);
  }
}

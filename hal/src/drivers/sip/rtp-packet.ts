/**
 * RTP packets (RFC 3550 §5.1): the 12-byte fixed header, optional CSRCs and header extension on
 * receive (skipped), padding removed. Payload types of this box: PCMU 0, PCMA 8, telephone-event.
 */
export const PT_PCMU = 0;
export const PT_PCMA = 8;

export interface RtpPacket {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  payload: Uint8Array;
}

/** Build one RTP packet (version 2, no padding, no CSRC, no extension). */
export function packRtp(p: RtpPacket): Buffer {
  const buf = Buffer.allocUnsafe(12 + p.payload.length);
  buf[0] = 0x80;
  buf[1] = (p.marker ? 0x80 : 0) | (p.payloadType & 0x7f);
  buf.writeUInt16BE(p.sequence & 0xffff, 2);
  buf.writeUInt32BE(p.timestamp >>> 0, 4);
  buf.writeUInt32BE(p.ssrc >>> 0, 8);
  buf.set(p.payload, 12);
  return buf;
}

/** Parse an RTP packet; null for anything that is not RTP version 2 or is truncated. */
export function parseRtp(buf: Uint8Array): RtpPacket | null {
  if (buf.length < 12) return null;
  const b0 = buf[0] as number;
  if (b0 >> 6 !== 2) return null;
  const b1 = buf[1] as number;
  // RTCP packet types 200-204 share the port in rtcp-mux; they are not RTP.
  if (b1 >= 200 && b1 <= 204) return null;
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let off = 12 + (b0 & 0x0f) * 4;
  if (b0 & 0x10) {
    if (buf.length < off + 4) return null;
    off += 4 + view.readUInt16BE(off + 2) * 4;
  }
  let end = buf.length;
  if (b0 & 0x20) end -= buf[buf.length - 1] as number;
  if (off > end) return null;
  return {
    payloadType: b1 & 0x7f,
    marker: (b1 & 0x80) !== 0,
    sequence: view.readUInt16BE(2),
    timestamp: view.readUInt32BE(4),
    ssrc: view.readUInt32BE(8),
    payload: buf.subarray(off, end),
  };
}

/** Signed distance a - b between 16-bit sequence numbers (wrap-aware). */
export function seqDiff(a: number, b: number): number {
  const d = (a - b) & 0xffff;
  return d >= 0x8000 ? d - 0x10000 : d;
}

/**
 * RTCP receiver statistics and reports (RFC 3550 §6.4.2, appendix A.3 loss and A.8 jitter): the
 * box sends a receiver report every 5 s for each session and reads the sender reports it gets
 * (for LSR/DLSR) and the peer's receiver reports (loss and jitter the far end sees).
 */
export interface ReceiverStats {
  received: number;
  expected: number;
  cumulativeLost: number;
  fractionLost: number;
  /** Interarrival jitter in ms. */
  jitterMs: number;
  extendedHighestSeq: number;
}

export class ReceptionStats {
  private baseSeq = -1;
  private maxSeq = 0;
  private cycles = 0;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private jitter = 0;
  private transit: number | null = null;
  lastFraction = 0;

  /** A packet arrived: its sequence, its RTP timestamp and the arrival time in 8 kHz units. */
  update(seq: number, timestamp: number, arrival: number): void {
    if (this.baseSeq < 0) {
      this.baseSeq = seq;
      this.maxSeq = seq;
    } else {
      const delta = (seq - this.maxSeq) & 0xffff;
      if (delta < 0x8000) {
        if (seq < this.maxSeq) this.cycles += 0x10000;
        this.maxSeq = seq;
      }
    }
    this.received++;
    const transit = arrival - timestamp;
    if (this.transit !== null) {
      const d = Math.abs(transit - this.transit);
      this.jitter += (d - this.jitter) / 16;
    }
    this.transit = transit;
  }

  snapshot(): ReceiverStats {
    const ext = this.cycles + this.maxSeq;
    const expected = this.baseSeq < 0 ? 0 : ext - this.baseSeq + 1;
    return {
      received: this.received,
      expected,
      cumulativeLost: Math.max(0, expected - this.received),
      fractionLost: this.lastFraction,
      jitterMs: this.jitter / 8,
      extendedHighestSeq: ext,
    };
  }

  /** A report block for this source (updates the interval's fraction lost). */
  reportBlock(sourceSsrc: number, lsr: number, dlsr: number): Buffer {
    const s = this.snapshot();
    const expectedInterval = s.expected - this.expectedPrior;
    const receivedInterval = s.received - this.receivedPrior;
    this.expectedPrior = s.expected;
    this.receivedPrior = s.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fraction = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.min(255, Math.floor((lostInterval << 8) / expectedInterval));
    this.lastFraction = fraction / 256;
    const b = Buffer.alloc(24);
    b.writeUInt32BE(sourceSsrc >>> 0, 0);
    b.writeUInt32BE(((fraction & 0xff) << 24) | (Math.min(s.cumulativeLost, 0x7fffff) & 0xffffff), 4);
    b.writeUInt32BE(s.extendedHighestSeq >>> 0, 8);
    b.writeUInt32BE(Math.round(this.jitter) >>> 0, 12);
    b.writeUInt32BE(lsr >>> 0, 16);
    b.writeUInt32BE(dlsr >>> 0, 20);
    return b;
  }
}

/** A receiver report packet (PT 201) with zero or one report block. */
export function packReceiverReport(ssrc: number, block: Buffer | null): Buffer {
  const head = Buffer.alloc(8);
  head[0] = 0x80 | (block ? 1 : 0);
  head[1] = 201;
  head.writeUInt16BE((8 + (block?.length ?? 0)) / 4 - 1, 2);
  head.writeUInt32BE(ssrc >>> 0, 4);
  return block ? Buffer.concat([head, block]) : head;
}

export interface RtcpReport {
  type: 'SR' | 'RR';
  ssrc: number;
  /** SR: the middle 32 bits of the NTP timestamp (for LSR). */
  ntpMiddle?: number;
  blocks: { ssrc: number; fractionLost: number; cumulativeLost: number; jitter: number }[];
}

/** Parse the SR/RR packets of a compound RTCP packet; other types are skipped. */
export function parseRtcp(buf: Uint8Array): RtcpReport[] {
  const v = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: RtcpReport[] = [];
  let off = 0;
  while (off + 8 <= v.length) {
    const b0 = v[off] as number;
    if (b0 >> 6 !== 2) break;
    const pt = v[off + 1] as number;
    const len = (v.readUInt16BE(off + 2) + 1) * 4;
    if (off + len > v.length) break;
    const rc = b0 & 0x1f;
    if (pt === 200 || pt === 201) {
      const ssrc = v.readUInt32BE(off + 4);
      let p = off + 8;
      const r: RtcpReport = { type: pt === 200 ? 'SR' : 'RR', ssrc, blocks: [] };
      if (pt === 200) {
        if (len < 28) break;
        r.ntpMiddle = ((v.readUInt32BE(off + 8) & 0xffff) << 16) | (v.readUInt32BE(off + 12) >>> 16);
        p = off + 28;
      }
      for (let i = 0; i < rc && p + 24 <= off + len; i++, p += 24) {
        const w = v.readUInt32BE(p + 4);
        let cum = w & 0xffffff;
        if (cum & 0x800000) cum -= 0x1000000;
        r.blocks.push({ ssrc: v.readUInt32BE(p), fractionLost: (w >>> 24) / 256, cumulativeLost: cum, jitter: v.readUInt32BE(p + 12) });
      }
      out.push(r);
    }
    off += len;
  }
  return out;
}

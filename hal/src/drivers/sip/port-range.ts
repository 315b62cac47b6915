/**
 * RTP ports from a configured range (even RTP port, RTCP on the odd one above, RFC 3550 §11):
 * bind a pair of UDP sockets, skipping ports another program holds.
 */
import { type Socket, createSocket } from 'node:dgram';

export interface PortRange {
  min: number;
  max: number;
}

export const DEFAULT_RTP_PORTS: PortRange = { min: 10000, max: 20000 };

export function parsePortRange(s: string | undefined): PortRange | null {
  if (!s) return null;
  const m = /^(\d{2,5})-(\d{2,5})$/.exec(s.trim());
  if (!m) throw new Error(`RTP port range "${s}" is not "min-max"`);
  const min = Number(m[1]);
  const max = Number(m[2]);
  if (min < 1024 || max > 65535 || max - min < 2) throw new Error(`RTP port range "${s}" is out of 1024-65535 or too small`);
  return { min, max };
}

function bind(host: string, port: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const fail = () => {
      s.close();
      resolve(null);
    };
    s.once('error', fail);
    s.bind(port, host, () => {
      s.off('error', fail);
      resolve(s);
    });
  });
}

/** Hands out RTP/RTCP socket pairs round-robin over the range. */
export class RtpPortAllocator {
  private cursor: number;

  constructor(
    readonly range: PortRange,
    readonly host: string,
  ) {
    this.cursor = range.min + (range.min % 2);
  }

  async open(): Promise<{ rtp: Socket; rtcp: Socket; port: number }> {
    const span = Math.floor((this.range.max - this.range.min) / 2);
    for (let i = 0; i < span; i++) {
      const port = this.cursor;
      this.cursor += 2;
      if (this.cursor + 1 > this.range.max) this.cursor = this.range.min + (this.range.min % 2);
      const rtp = await bind(this.host, port);
      if (!rtp) continue;
      const rtcp = await bind(this.host, port + 1);
      if (!rtcp) {
        rtp.close();
        continue;
      }
      return { rtp, rtcp, port };
    }
    throw new Error(`no free RTP port in ${this.range.min}-${this.range.max}`);
  }
}

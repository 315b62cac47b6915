/**
 * SIP over TCP (RFC 3261 §18) beside the UDP socket, on the same port: each connection's byte
 * stream is cut into messages by the blank line and Content-Length, and each message goes through
 * the same path as a datagram (screen, sip.js). Whatever the box sends to an address and port with
 * a live connection (responses to requests that came over it, requests to a phone registered over
 * it) goes over that connection; everything else stays UDP. Connections that send garbage or
 * oversized messages are closed; idle ones after 10 minutes.
 */
import { createServer, type Server, type Socket } from 'node:net';

export const MAX_TCP_MESSAGE = 16 * 1024;
const IDLE_MS = 10 * 60_000;

export class SipTcpListener {
  private readonly server: Server;
  private readonly conns = new Map<string, Socket>();
  /** Messages received and connections closed for bad framing (for status and tests). */
  readonly stats = { messages: 0, badFraming: 0 };

  constructor(
    private readonly host: string,
    /** One complete SIP message from address:port. */
    private readonly onMessage: (buf: Buffer, address: string, port: number) => void,
  ) {
    this.server = createServer((s) => this.accept(s));
    this.server.on('error', () => {});
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  close(): void {
    for (const s of this.conns.values()) s.destroy();
    this.conns.clear();
    this.server.close();
  }

  /** Send over the live connection to address:port; false when there is none (use UDP). */
  write(address: string, port: number, text: string): boolean {
    const s = this.conns.get(`${address}:${port}`);
    if (!s || s.destroyed) return false;
    s.write(text);
    return true;
  }

  has(address: string, port: number): boolean {
    return this.conns.has(`${address}:${port}`);
  }

  private accept(s: Socket): void {
    const address = (s.remoteAddress ?? '').replace(/^::ffff:/, '');
    const port = s.remotePort ?? 0;
    const key = `${address}:${port}`;
    this.conns.set(key, s);
    s.setTimeout(IDLE_MS, () => s.destroy());
    s.on('close', () => {
      if (this.conns.get(key) === s) this.conns.delete(key);
    });
    s.on('error', () => {});
    let buf = Buffer.alloc(0);
    s.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const msg = nextMessage(buf);
        if (msg === 'bad') {
          this.stats.badFraming++;
          s.destroy();
          return;
        }
        if (!msg) return;
        buf = buf.subarray(msg.length);
        if (msg.message.length === 0) continue; // keep-alive CRLFs
        this.stats.messages++;
        this.onMessage(msg.message, address, port);
      }
    });
  }
}

/** The first complete message in buf (leading CRLF keep-alives skipped), null if incomplete, 'bad' if it cannot be framed. */
export function nextMessage(buf: Buffer): { message: Buffer; length: number } | null | 'bad' {
  let start = 0;
  while (start + 1 < buf.length && buf[start] === 13 && buf[start + 1] === 10) start += 2;
  if (start > 0) return { message: Buffer.alloc(0), length: start };
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return buf.length > MAX_TCP_MESSAGE ? 'bad' : null;
  const head = buf.subarray(0, end).toString('utf8');
  const m = /\r\n(?:content-length|l)[ \t]*:[ \t]*(\d+)/i.exec(head);
  const bodyLength = m ? Number(m[1]) : 0;
  const total = end + 4 + bodyLength;
  if (total > MAX_TCP_MESSAGE) return 'bad';
  if (buf.length < total) return null;
  return { message: buf.subarray(0, total), length: total };
}

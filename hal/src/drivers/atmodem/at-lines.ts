/**
 * Layer 1: bytes → tokens. Splits the modem's byte stream into lines (CR, LF or CRLF end a line;
 * empty lines vanish) and the SMS `> ` prompt, which arrives without a line end. Multi-byte UTF-8
 * split across chunks is decoded whole; an overlong line (garbage) is cut at MAX_LINE bytes.
 */
export type AtToken = { kind: 'line'; text: string } | { kind: 'prompt' };

export const MAX_LINE = 4096;
const CR = 0x0d;
const LF = 0x0a;
const GT = 0x3e;
const SP = 0x20;

export class AtLineSplitter {
  private buf = new Uint8Array(256);
  private len = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  /** Feed a chunk; returns the tokens it completed. */
  push(chunk: Uint8Array | string): AtToken[] {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    const out: AtToken[] = [];
    for (const b of bytes) {
      if (b === CR || b === LF) {
        this.flush(out);
        continue;
      }
      this.append(b);
      if (this.len === 2 && this.buf[0] === GT && this.buf[1] === SP) {
        this.len = 0;
        out.push({ kind: 'prompt' });
      } else if (this.len >= MAX_LINE) {
        this.flush(out);
      }
    }
    return out;
  }

  /** Bytes waiting for a line end (e.g. a lone `>`). */
  get pending(): number {
    return this.len;
  }

  reset(): void {
    this.len = 0;
  }

  private append(b: number): void {
    if (this.len === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.len++] = b;
  }

  private flush(out: AtToken[]): void {
    if (this.len === 0) return;
    const text = this.decoder.decode(this.buf.subarray(0, this.len)).trim();
    this.len = 0;
    if (text.length > 0) out.push({ kind: 'line', text });
  }
}

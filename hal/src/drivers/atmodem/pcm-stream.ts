/**
 * USB-serial audio: the modem's PCM port (Quectel AT+QPCMV=1,0, SIMCom AT+CPCMREG=1) carries raw
 * 8 kHz S16LE mono both ways. PcmFramer cuts the byte stream into 20 ms frames (320 bytes), keeping
 * odd bytes and partial frames for the next chunk; frameBytes() turns a frame back into bytes.
 */
import { FRAME_SAMPLES, type Frame } from '../../audio.js';

export const FRAME_BYTES = FRAME_SAMPLES * 2;

export class PcmFramer {
  private readonly buf = new Uint8Array(FRAME_BYTES);
  private len = 0;
  private readonly frame = new Int16Array(FRAME_SAMPLES);

  constructor(private readonly onFrame: (frame: Frame) => void) {}

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      const n = Math.min(FRAME_BYTES - this.len, chunk.length - i);
      this.buf.set(chunk.subarray(i, i + n), this.len);
      this.len += n;
      i += n;
      if (this.len === FRAME_BYTES) {
        for (let k = 0; k < FRAME_SAMPLES; k++) {
          const lo = this.buf[2 * k] as number;
          const hi = this.buf[2 * k + 1] as number;
          this.frame[k] = ((hi << 24) >> 16) | lo;
        }
        this.len = 0;
        this.onFrame(this.frame);
      }
    }
  }

  reset(): void {
    this.len = 0;
  }
}

export function frameBytes(frame: Frame, out = new Uint8Array(FRAME_BYTES)): Uint8Array {
  for (let k = 0; k < FRAME_SAMPLES; k++) {
    const v = frame[k] ?? 0;
    out[2 * k] = v & 0xff;
    out[2 * k + 1] = (v >> 8) & 0xff;
  }
  return out;
}

/** A FrameSource over a clip of 8 kHz samples: plays it once, the last frame padded with silence. */
import { FRAME_SAMPLES, type Frame, type FrameSource } from '../../../hal/src/audio.js';

export class ClipSource implements FrameSource {
  private pos = 0;

  constructor(private readonly clip: Int16Array) {}

  read(out: Frame): boolean {
    if (this.pos >= this.clip.length) return false;
    const n = Math.min(FRAME_SAMPLES, this.clip.length - this.pos);
    out.set(this.clip.subarray(this.pos, this.pos + n));
    if (n < FRAME_SAMPLES) out.fill(0, n);
    this.pos += n;
    return true;
  }
}

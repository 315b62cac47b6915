/** Plays clips one after another as one FrameSource (e.g. "you are number" + "3" + "in the queue"). */
import { FRAME_SAMPLES, type Frame, type FrameSource } from '../../../hal/src/audio.js';

export class SequenceSource implements FrameSource {
  private clip = 0;
  private pos = 0;

  constructor(private readonly clips: Int16Array[]) {}

  read(out: Frame): boolean {
    let n = 0;
    while (n < FRAME_SAMPLES && this.clip < this.clips.length) {
      const c = this.clips[this.clip] as Int16Array;
      const take = Math.min(FRAME_SAMPLES - n, c.length - this.pos);
      out.set(c.subarray(this.pos, this.pos + take), n);
      n += take;
      this.pos += take;
      if (this.pos >= c.length) {
        this.clip++;
        this.pos = 0;
      }
    }
    if (n === 0) return false;
    if (n < FRAME_SAMPLES) out.fill(0, n);
    return true;
  }
}

/** Loops a clip forever (hold music). */
export class LoopSource implements FrameSource {
  private pos = 0;

  constructor(private readonly clip: Int16Array) {}

  read(out: Frame): boolean {
    if (this.clip.length === 0) {
      out.fill(0);
      return true;
    }
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      out[i] = this.clip[this.pos] as number;
      this.pos = this.pos + 1 === this.clip.length ? 0 : this.pos + 1;
    }
    return true;
  }
}

/**
 * A fixed-depth jitter buffer for 20 ms G.711 frames, ordered by RTP sequence number, with packet
 * loss concealment: a lost frame repeats the last good one, further losses fade it out (1, ½, ¼)
 * and then fall silent. It prefills `depth` frames before playing and after an underrun.
 */
import { FRAME_SAMPLES, type Frame } from '../../audio.js';
import { seqDiff } from './rtp-packet.js';

export type PullResult = 'audio' | 'concealed' | 'silence';

export interface JitterStats {
  played: number;
  concealed: number;
  late: number;
  duplicates: number;
  overflows: number;
}

const FADE = [1, 0.5, 0.25];

export class JitterBuffer {
  private readonly frames = new Map<number, Int16Array>();
  private next: number | null = null;
  private readonly last = new Int16Array(FRAME_SAMPLES);
  private hasLast = false;
  private lossRun = 0;
  readonly stats: JitterStats = { played: 0, concealed: 0, late: 0, duplicates: 0, overflows: 0 };

  constructor(
    /** Frames held before playout starts (3 = 60 ms). */
    private readonly depth = 3,
    /** Most frames held; beyond it playout jumps ahead. */
    private readonly maxDepth = 25,
  ) {}

  get size(): number {
    return this.frames.size;
  }

  /** One received frame (copied; 160 samples, a shorter one is padded with silence). */
  push(seq: number, samples: Int16Array): void {
    if (this.next !== null && seqDiff(seq, this.next) < 0) {
      this.stats.late++;
      return;
    }
    if (this.frames.has(seq)) {
      this.stats.duplicates++;
      return;
    }
    const f = new Int16Array(FRAME_SAMPLES);
    f.set(samples.length > FRAME_SAMPLES ? samples.subarray(0, FRAME_SAMPLES) : samples);
    this.frames.set(seq, f);
    if (this.frames.size > this.maxDepth) {
      this.stats.overflows++;
      this.next = this.oldest();
      while (this.frames.size > this.depth) {
        this.frames.delete(this.next);
        this.next = (this.next + 1) & 0xffff;
        while (!this.frames.has(this.next) && this.frames.size > 0) this.next = (this.next + 1) & 0xffff;
      }
    }
  }

  /** Fill one 20 ms frame for playout. */
  pull(out: Frame): PullResult {
    if (this.next === null) {
      if (this.frames.size < this.depth) {
        out.fill(0);
        return 'silence';
      }
      this.next = this.oldest();
    }
    const f = this.frames.get(this.next);
    this.next = (this.next + 1) & 0xffff;
    if (f) {
      this.frames.delete((this.next - 1) & 0xffff);
      out.set(f);
      this.last.set(f);
      this.hasLast = true;
      this.lossRun = 0;
      this.stats.played++;
      return 'audio';
    }
    this.lossRun++;
    if (this.frames.size === 0 && this.lossRun > FADE.length) {
      // Underrun (the far end stopped sending, or silence suppression): prefill again.
      this.next = null;
      out.fill(0);
      return 'silence';
    }
    const gain = FADE[this.lossRun - 1] ?? 0;
    if (!this.hasLast || gain === 0) out.fill(0);
    else for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = Math.round((this.last[i] as number) * gain);
    this.stats.concealed++;
    return 'concealed';
  }

  reset(): void {
    this.frames.clear();
    this.next = null;
    this.hasLast = false;
    this.lossRun = 0;
  }

  private oldest(): number {
    let best: number | null = null;
    for (const s of this.frames.keys()) if (best === null || seqDiff(s, best) < 0) best = s;
    return best as number;
  }
}

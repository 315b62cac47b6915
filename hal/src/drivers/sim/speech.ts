/**
 * What a simulated person says: a looped clip of 8 kHz speech (from a WAV file) with pauses, or,
 * when no clip is given, a synthetic voice-like signal (a glottal buzz through two formants with a
 * syllable envelope). Deterministic for a given seed.
 */
import { FRAME_SAMPLES, type Frame, type FrameSource } from '../../audio.js';

export class SpeechSource implements FrameSource {
  private pos = 0;
  private pauseLeft = 0;
  private rng: number;
  private readonly clip: Int16Array;

  constructor(
    clip: Int16Array | null,
    seed = 1,
    private readonly pauseMs: [number, number] = [400, 1200],
  ) {
    this.rng = seed >>> 0 || 1;
    this.clip = clip && clip.length > 0 ? clip : synthVoice(seed, 8000 * 3);
  }

  read(out: Frame): boolean {
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      if (this.pauseLeft > 0) {
        this.pauseLeft--;
        out[i] = 0;
        continue;
      }
      out[i] = this.clip[this.pos] as number;
      this.pos++;
      if (this.pos >= this.clip.length) {
        this.pos = 0;
        const [lo, hi] = this.pauseMs;
        this.pauseLeft = Math.round(((lo + (this.next() % Math.max(1, hi - lo))) * 8000) / 1000);
      }
    }
    return true;
  }

  private next(): number {
    // xorshift32: deterministic pauses
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng;
  }
}

/** A voice-like test signal: pitch 110-180 Hz buzz, formants ~700 Hz and ~1200 Hz, 4 syllables/s. */
export function synthVoice(seed: number, samples: number): Int16Array {
  const out = new Int16Array(samples);
  const pitch = 110 + (seed % 7) * 10;
  let phase = 0;
  // two-pole resonators for formants
  const res = [700, 1200].map((f) => {
    const r = 0.96;
    return { a1: 2 * r * Math.cos((2 * Math.PI * f) / 8000), a2: -r * r, y1: 0, y2: 0 };
  });
  for (let i = 0; i < samples; i++) {
    phase += pitch / 8000;
    let pulse = 0;
    if (phase >= 1) {
      phase -= 1;
      pulse = 1;
    }
    let y = 0;
    for (const r of res) {
      const v = pulse + r.a1 * r.y1 + r.a2 * r.y2;
      r.y2 = r.y1;
      r.y1 = v;
      y += v;
    }
    const syl = Math.sin((Math.PI * (i % 2000)) / 2000); // 250 ms syllables
    out[i] = Math.max(-32768, Math.min(32767, Math.round(y * 900 * syl)));
  }
  return out;
}

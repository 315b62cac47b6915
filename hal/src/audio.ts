/** PCM audio as every channel carries it: signed 16-bit, 8 kHz, mono, 20 ms frames. */
export const SAMPLE_RATE = 8000;
export const FRAME_MS = 20;
export const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000; // 160

/** One 20 ms frame of 160 samples. */
export type Frame = Int16Array;

/** A source of frames pulled once per 20 ms tick; returns null when it has nothing more. */
export interface FrameSource {
  /** Fill `out` (FRAME_SAMPLES long) and return true, or return false when exhausted. */
  read(out: Frame): boolean;
}

export function silentFrame(): Frame {
  return new Int16Array(FRAME_SAMPLES);
}

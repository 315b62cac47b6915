/**
 * Which 20 ms frames of a message held speech, and what is left after trimming: used live while
 * a caller speaks and again by the crash repair, which re-reads a file's frames.
 */
import { FRAME_SAMPLES } from '../../../hal/src/audio.js';
import { isSilent } from '../../../hal/src/dsp/level.js';

/** Frames at or above this level (dBm0) are speech; analog line noise sits around -60..-50 dBm0. */
export const DEFAULT_SILENCE_DBM0 = -45;

export interface Kept {
  /** Frames kept from the start of the message. */
  frames: number;
  /** Speech frames among them. */
  speechFrames: number;
}

/** One mark per frame (1 = speech), in a buffer sized once for the longest message. */
export class SpeechMarks {
  private readonly marks: Uint8Array;
  private n = 0;
  private speech = 0;

  constructor(maxFrames: number) {
    this.marks = new Uint8Array(Math.max(1, maxFrames));
  }

  get frames(): number {
    return this.n;
  }

  get speechFrames(): number {
    return this.speech;
  }

  /** Mark the next frame; frames past the buffer are ignored (the caller stops at max length). */
  push(speech: boolean): void {
    if (this.n >= this.marks.length) return;
    this.marks[this.n++] = speech ? 1 : 0;
    if (speech) this.speech++;
  }

  /** Drop the last `drop` frames (a DTMF key's tone), then the trailing silence. */
  kept(drop = 0): Kept {
    let end = Math.max(0, this.n - drop);
    while (end > 0 && this.marks[end - 1] === 0) end--;
    let speechFrames = 0;
    for (let i = 0; i < end; i++) speechFrames += this.marks[i] as number;
    return { frames: end, speechFrames };
  }
}

/**
 * Marks for the samples of a file (crash repair), one per whole frame: files grow by whole frames,
 * so a partial last frame is what a torn write left and is not looked at (kept() never keeps it).
 */
export function marksOf(samples: Int16Array, thresholdDbm0 = DEFAULT_SILENCE_DBM0): SpeechMarks {
  const frames = Math.floor(samples.length / FRAME_SAMPLES);
  const marks = new SpeechMarks(frames);
  for (let f = 0; f < frames; f++) {
    marks.push(!isSilent(samples.subarray(f * FRAME_SAMPLES, (f + 1) * FRAME_SAMPLES), thresholdDbm0));
  }
  return marks;
}

/**
 * What a waiting caller hears: hold music (or ringback) looping, interrupted now and then by an
 * announcement (position, estimated wait), after which the music carries on where it stopped.
 */
import type { Frame, FrameSource } from '../../../hal/src/audio.js';
import { SequenceSource } from './sequence.js';

export class QueueAudio implements FrameSource {
  private announcement: FrameSource | null = null;

  constructor(private readonly background: FrameSource) {}

  /** Play these clips next, then go back to the background. Replaces an announcement still playing. */
  announce(clips: Int16Array[]): void {
    this.announcement = new SequenceSource(clips);
  }

  get announcing(): boolean {
    return this.announcement !== null;
  }

  read(out: Frame): boolean {
    if (this.announcement) {
      if (this.announcement.read(out)) return true;
      this.announcement = null;
    }
    if (!this.background.read(out)) out.fill(0);
    return true;
  }
}

/** Estimated wait: callers ahead (and this one) share the staffed agents, each taking AHT. */
export function estimateWaitS(position: number, ahtS: number, staffed: number): number {
  if (staffed <= 0) return Number.POSITIVE_INFINITY;
  return (position * ahtS) / staffed;
}

/** Prompt names for "you are number N in the queue, the wait is about M minutes". */
export function announcementPrompts(position: number, waitMin: number | null): string[] {
  const out = ['queue-position-before', ...numberPrompts(position), 'queue-position-after'];
  if (waitMin !== null && Number.isFinite(waitMin))
    out.push('queue-wait-before', ...numberPrompts(Math.max(1, Math.round(waitMin))), 'queue-wait-after');
  return out;
}

/** Numbers from the shipped set: 0-20 as is, then tens + units up to 69 (capped at 60 + 9). */
export function numberPrompts(n: number): string[] {
  const v = Math.max(0, Math.min(69, Math.round(n)));
  if (v <= 20) return [`num-${v}`];
  const tens = Math.floor(v / 10) * 10;
  const units = v % 10;
  return units === 0 ? [`num-${tens}`] : [`num-${tens}`, `num-${units}`];
}

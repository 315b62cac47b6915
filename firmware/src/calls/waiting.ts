/**
 * The waiting room: what each queued caller hears. Hold music (or ringback) loops; every
 * `announceEveryS` the caller hears their position and estimated wait (EWT from position, the
 * queue's average handle time and its staffed agents), then the music goes on.
 */
import type { FrameSource } from '../../../hal/src/audio.js';
import type { Clock, TimerHandle } from '../../../hal/src/clock.js';
import type { Acd } from '../acd/acd.js';
import type { QueueDef } from '../acd/types.js';
import type { CallMedia } from '../media/leg-media.js';
import { QueueAudio, announcementPrompts, estimateWaitS } from '../media/queue-audio.js';

/** Wait before the first announcement, so the caller hears a moment of music first. */
const FIRST_ANNOUNCEMENT_MS = 2000;

export interface WaitingOptions {
  clock: Clock;
  acd: Acd;
  holdMusic(): FrameSource;
  ringback(): FrameSource;
  prompt(name: string, language: 'zh-CN' | 'en'): Int16Array;
}

interface Waiter {
  audio: QueueAudio;
  timer: TimerHandle | null;
}

export class WaitingRoom {
  private readonly waiters = new Map<string, Waiter>();

  constructor(private readonly o: WaitingOptions) {}

  enter(callId: string, media: CallMedia, queue: QueueDef | null, language: 'zh-CN' | 'en'): void {
    this.leave(callId);
    const audio = new QueueAudio(queue?.music === 'ringback' || !queue ? this.o.ringback() : this.o.holdMusic());
    media.play(audio);
    const waiter: Waiter = { audio, timer: null };
    this.waiters.set(callId, waiter);
    const every = queue?.announceEveryS ?? 0;
    if (!queue || every <= 0) return;
    const announce = () => {
      const position = this.o.acd.positionOf(callId);
      if (position === null) return;
      const staffed = this.o.acd.staffed(queue.id);
      const waitS = estimateWaitS(position, this.o.acd.ahtS(queue.id), staffed);
      const names = staffed > 0 ? announcementPrompts(position, waitS / 60) : ['queue-all-busy'];
      audio.announce(names.map((n) => this.o.prompt(n, language)));
    };
    waiter.timer = this.o.clock.setTimeout(() => {
      announce();
      waiter.timer = this.o.clock.setInterval(announce, every * 1000);
    }, FIRST_ANNOUNCEMENT_MS);
  }

  leave(callId: string): void {
    const w = this.waiters.get(callId);
    if (!w) return;
    w.timer?.cancel();
    this.waiters.delete(callId);
  }

  stop(): void {
    for (const id of [...this.waiters.keys()]) this.leave(id);
  }
}

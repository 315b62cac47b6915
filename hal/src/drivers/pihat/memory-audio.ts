/**
 * An audio device in memory, paced by the injected clock (virtual time in tests): what the far
 * side feeds a channel is captured 20 ms at a time (silence when nothing is queued), and what the
 * box plays on a channel goes to `onPlayback`; `fault()` stands for a failing card. The twin of
 * `alsa-device.ts`.
 */
import { FRAME_MS, FRAME_SAMPLES, type Frame } from '../../audio.js';
import type { Clock, TimerHandle } from '../../clock.js';
import type { AudioDevice, AudioDeviceStats, AudioFaultListener, AudioTick } from './audio-device.js';

export class MemoryAudioDevice implements AudioDevice {
  private timer: TimerHandle | null = null;
  private readonly queues: Int16Array[][];
  private readonly rx: Frame[];
  private readonly tx: Frame[];
  private frames = 0;
  private onFault: AudioFaultListener | null = null;
  private faultReason: string | null = null;
  /** One played frame of a channel (a copy is not made: read it now). */
  onPlayback: ((channel: number, frame: Frame) => void) | null = null;

  constructor(
    readonly device: string,
    readonly channels: number,
    private readonly clock: Clock,
  ) {
    this.queues = Array.from({ length: channels }, () => []);
    this.rx = Array.from({ length: channels }, () => new Int16Array(FRAME_SAMPLES));
    this.tx = Array.from({ length: channels }, () => new Int16Array(FRAME_SAMPLES));
  }

  /** Queue samples the far side sends on a channel. */
  feed(channel: number, samples: Int16Array): void {
    const q = this.queues[channel];
    if (!q) throw new Error(`${this.device} has no channel ${channel}`);
    q.push(samples.slice());
  }

  /** Samples still queued on a channel. */
  queued(channel: number): number {
    return (this.queues[channel] ?? []).reduce((n, s) => n + s.length, 0);
  }

  /** The device fails (the reason, as the ALSA tool would give it) or works again (null). */
  fault(reason: string | null): void {
    if (reason === this.faultReason) return;
    this.faultReason = reason;
    this.onFault?.(reason);
  }

  async start(tick: AudioTick, onFault?: AudioFaultListener): Promise<void> {
    this.onFault = onFault ?? null;
    this.timer = this.clock.setInterval(() => {
      this.frames++;
      for (let c = 0; c < this.channels; c++) this.fill(c, this.rx[c] as Frame);
      for (const f of this.tx) f.fill(0);
      tick(this.rx, this.tx);
      if (this.onPlayback) for (let c = 0; c < this.channels; c++) this.onPlayback(c, this.tx[c] as Frame);
    }, FRAME_MS);
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
  }

  stats(): AudioDeviceStats {
    return {
      device: this.device,
      channels: this.channels,
      running: this.timer !== null,
      frames: this.frames,
      restarts: 0,
      xruns: 0,
      captureLagMs: 0,
      captureLagMaxMs: 0,
      playbackQueuedMs: 0,
      latencyMs: FRAME_MS,
      lastError: null,
      fault: this.faultReason,
    };
  }

  private fill(channel: number, out: Frame): void {
    const q = this.queues[channel] as Int16Array[];
    let i = 0;
    while (i < out.length && q.length > 0) {
      const head = q[0] as Int16Array;
      const n = Math.min(out.length - i, head.length);
      out.set(head.subarray(0, n), i);
      i += n;
      if (n === head.length) q.shift();
      else q[0] = head.subarray(n);
    }
    out.fill(0, i);
  }
}

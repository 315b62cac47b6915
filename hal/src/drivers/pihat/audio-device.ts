/**
 * One multi-channel audio device of the HAT as the pihat driver sees it: every 20 ms it hands over
 * one captured frame per channel (de-interleaved) and takes one frame per channel to play. The
 * capture side sets the pace. `alsa-device.ts` spawns arecord/aplay; `memory-audio.ts` is the
 * in-process twin (tests, `hw selftest --sim`).
 */
import type { Frame } from '../../audio.js';

/** rx: what each channel captured this tick; tx: fill what each channel plays. Arrays indexed by channel. */
export type AudioTick = (rx: readonly Frame[], tx: Frame[]) => void;

/**
 * The device failed (its reason: the tool's own words, e.g. arecord's "audio open error: No such
 * file or directory") or works again (null). Called on a change only.
 */
export type AudioFaultListener = (reason: string | null) => void;

export interface AudioDeviceStats {
  device: string;
  channels: number;
  running: boolean;
  /** 20 ms frames captured since start. */
  frames: number;
  /** Capture/playback processes restarted (after an xrun or an exit). */
  restarts: number;
  /** Why the device does not work now (null: it works); lastError is the last failure, kept after recovery. */
  fault?: string | null;
  /** Overruns and underruns reported. */
  xruns: number;
  /** How late the last captured frame arrived against the sample clock, and the worst so far (ms). */
  captureLagMs: number;
  captureLagMaxMs: number;
  /** Audio queued towards the playback device beyond the current frame (ms). */
  playbackQueuedMs: number;
  /** Estimated mouth-to-ear latency through the box: capture period + lag + playback buffer (ms). */
  latencyMs: number;
  lastError: string | null;
}

export interface AudioDevice {
  readonly device: string;
  readonly channels: number;
  start(tick: AudioTick, onFault?: AudioFaultListener): Promise<void>;
  stop(): Promise<void>;
  stats(): AudioDeviceStats;
}

export type AudioDeviceFactory = (spec: { device: string; channels: number }) => AudioDevice;

/** Split interleaved S16LE samples (one frame of every channel) into per-channel frames. */
export function deinterleave(src: Int16Array, out: Frame[]): void {
  const n = out.length;
  for (let c = 0; c < n; c++) {
    const f = out[c] as Frame;
    for (let i = 0, j = c; i < f.length; i++, j += n) f[i] = src[j] as number;
  }
}

/** Interleave per-channel frames into dst (channels × frame length samples). */
export function interleave(frames: readonly Frame[], dst: Int16Array): void {
  const n = frames.length;
  for (let c = 0; c < n; c++) {
    const f = frames[c] as Frame;
    for (let i = 0, j = c; i < f.length; i++, j += n) dst[j] = f[i] as number;
  }
}

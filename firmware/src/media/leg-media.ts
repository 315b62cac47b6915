/**
 * The audio of a call, clocked by the caller's line: each frame received from the caller either
 * goes to the bridged agent, or is answered by the next frame of what is playing (prompt, ringback).
 * The agent leg's frames go straight back to the caller once bridged. No timers, no allocation per
 * frame: the line's own 20 ms pace drives it, as on hardware.
 */
import { FRAME_SAMPLES, type Frame, type FrameSource } from '../../../hal/src/audio.js';
import type { Channel } from '../../../hal/src/channel.js';

export class CallMedia {
  private source: FrameSource | null = null;
  private onDone: (() => void) | null = null;
  private peer: Channel | null = null;
  private readonly out = new Int16Array(FRAME_SAMPLES);
  private readonly fromPeer = new Int16Array(FRAME_SAMPLES);
  private peerSent = false;
  /** Played to the bridged peer only, instead of the caller's audio, until exhausted (a whisper). */
  private whisperSource: FrameSource | null = null;
  private readonly whisperOut = new Int16Array(FRAME_SAMPLES);
  private detached = false;
  /** While bridged: each tick's caller frame and the agent's frame (null when it sent none), e.g. for the recorder. */
  tap: ((caller: Int16Array, agent: Int16Array | null) => void) | null = null;
  /**
   * While not bridged: each frame heard from the caller, before playback answers it (e.g. for
   * voicemail). The frame is the channel's buffer: copy what you keep. Cleared by detach().
   */
  listen: ((frame: Frame) => void) | null = null;
  /**
   * While set (a conference or a supervisor on the call, conference-mix.ts): each caller frame is
   * mixed for every leg instead of the two-way bridge; what it returns is the tap's second side.
   */
  mixer: { fromCaller(frame: Frame): Int16Array; detach(): void } | null = null;

  constructor(private readonly caller: Channel) {
    caller.setFrameSink((f) => this.fromCaller(f));
  }

  /** Play a source to the caller; onDone runs when it is exhausted (not when replaced). */
  play(source: FrameSource, onDone?: () => void): void {
    this.source = source;
    this.onDone = onDone ?? null;
  }

  stopPlayback(): void {
    this.source = null;
    this.onDone = null;
  }

  /** Connect caller and peer both ways; playback stops. */
  bridge(peer: Channel): void {
    this.stopPlayback();
    this.peer = peer;
    peer.setFrameSink((f) => {
      if (this.detached) return;
      this.caller.write(f);
      if (this.tap) {
        this.fromPeer.set(f);
        this.peerSent = true;
      }
    });
  }

  /** While bridged: the peer (the agent) hears `source` instead of the caller until it ends; the caller hears nothing of it. */
  whisper(source: FrameSource): void {
    this.whisperSource = source;
  }

  /** Disconnect the peer (it hung up); the caller's frames clock playback again. */
  unbridge(): void {
    this.peer?.setFrameSink(null);
    this.peer = null;
    this.tap = null;
  }

  get bridgedTo(): Channel | null {
    return this.peer;
  }

  /** Stop all audio handling on both legs. */
  detach(): void {
    this.detached = true;
    this.mixer?.detach();
    this.mixer = null;
    this.tap = null;
    this.listen = null;
    this.stopPlayback();
    this.caller.setFrameSink(null);
    this.peer?.setFrameSink(null);
    this.peer = null;
  }

  private fromCaller(frame: Frame): void {
    if (this.detached) return;
    if (this.mixer) {
      const others = this.mixer.fromCaller(frame);
      this.tap?.(frame, others);
      return;
    }
    if (this.peer) {
      const w = this.whisperSource;
      if (w?.read(this.whisperOut)) this.peer.write(this.whisperOut);
      else {
        this.whisperSource = null;
        this.peer.write(frame);
      }
      if (this.tap) {
        this.tap(frame, this.peerSent ? this.fromPeer : null);
        this.peerSent = false;
      }
      return;
    }
    this.listen?.(frame);
    const src = this.source;
    if (!src) return;
    if (src.read(this.out)) {
      this.caller.write(this.out);
      return;
    }
    const done = this.onDone;
    this.source = null;
    this.onDone = null;
    done?.();
  }
}

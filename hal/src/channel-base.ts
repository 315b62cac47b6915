/**
 * What every driver's channel shares: state with change events, the frame sink, in-band DTMF
 * detection on received audio (so the DSP path is the same on every driver), and a one-frame
 * transmit slot the driver drains each 20 ms tick.
 */
import { FRAME_SAMPLES, type Frame } from './audio.js';
import type { CallerIdInfo, Channel, ChannelEvents, ChannelKind, ChannelState, FrameSink, RingCadence } from './channel.js';
import { DtmfDetector } from './dsp/dtmf-detect.js';
import { TypedEmitter } from './events.js';

export abstract class BaseChannel implements Channel {
  readonly events = new TypedEmitter<ChannelEvents>();
  private _state: ChannelState = 'idle';
  private sink: FrameSink | null = null;
  private sinkFailures = 0;
  private readonly detector: DtmfDetector;
  /** The frame the box wrote since the last tick, if any. */
  protected readonly txFrame = new Int16Array(FRAME_SAMPLES);
  protected txPending = false;

  constructor(
    readonly id: string,
    readonly kind: ChannelKind,
  ) {
    this.detector = new DtmfDetector({
      onDigit: (digit, durationMs) => this.events.emit('digit', { digit, durationMs, source: 'inband' }),
    });
  }

  get state(): ChannelState {
    return this._state;
  }

  protected setState(next: ChannelState): void {
    const prev = this._state;
    if (prev === next) return;
    this._state = next;
    if (next !== 'active') this.detector.reset();
    this.events.emit('state', { state: next, prev });
  }

  setFrameSink(sink: FrameSink | null): void {
    this.sink = sink;
  }

  write(frame: Frame): void {
    this.txFrame.set(frame.length === FRAME_SAMPLES ? frame : frame.subarray(0, FRAME_SAMPLES));
    this.txPending = true;
  }

  /** Driver side: take what the box wrote this tick (silence if nothing) into out. */
  protected takeTx(out: Frame): void {
    if (this.txPending) {
      out.set(this.txFrame);
      this.txPending = false;
    } else {
      out.fill(0);
    }
  }

  /**
   * Driver side: one frame of received audio: DTMF detection, then the sink. A sink that throws (a
   * bug in the box's audio path, or another channel's write() it calls) loses that frame only: it
   * must not stop the driver's 20 ms loop or crash the process. Reported as an 'error' event at the
   * first failure and every 500th (10 s of audio) after.
   */
  protected deliverRx(frame: Frame): void {
    this.detector.process(frame);
    try {
      this.sink?.(frame);
    } catch (e) {
      if (this.sinkFailures++ % 500 === 0) {
        const message = `${this.id}: the audio path failed (${this.sinkFailures} frame(s) lost): ${e instanceof Error ? e.message : String(e)}`;
        this.events.emit('error', { code: 'FRAME_SINK_FAILED', message });
      }
    }
  }

  abstract answer(): Promise<void>;
  abstract hangup(cause?: 'busy'): Promise<void>;
  abstract dial(number: string): Promise<void>;
  abstract ring(opts: { cadence: RingCadence; callerId?: CallerIdInfo }): Promise<void>;
  abstract sendDigits(digits: string): Promise<void>;
}

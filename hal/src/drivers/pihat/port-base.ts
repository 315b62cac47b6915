/**
 * What the HAT's FXO and FXS ports share: the GPIO pins they open (closed together), the port LED
 * (lit while the port is in use), a locally played sound (tones, DTMF, caller ID) that takes the
 * place of the box's audio while it lasts, the per-tick audio hook the driver calls, and the
 * audio fault: while the port's ALSA device fails the port is out of service ('error' with the
 * reason, shown as CHANNEL_ERROR) — at once when idle, when its call ends otherwise.
 */
import type { Frame, FrameSource } from '../../audio.js';
import { BaseChannel } from '../../channel-base.js';
import type { ChannelState } from '../../channel.js';
import type { Clock } from '../../clock.js';
import type { Gpio, GpioPin } from '../../gpio.js';
import type { GpioRef, HatPort, LineProfile } from './hat-types.js';

export interface PortDeps {
  clock: Clock;
  gpio: Gpio;
  profile: LineProfile;
  log: (msg: string, data?: Record<string, unknown>) => void;
}

export abstract class HatPortChannel extends BaseChannel {
  protected readonly pins: GpioPin[] = [];
  private led: GpioPin | null = null;
  /** Played instead of the box's audio until it ends. */
  protected local: FrameSource | null = null;
  /** Why the port is out of service (its audio device fails), for the health view; null when fine. */
  reason: string | null = null;

  constructor(
    readonly spec: HatPort,
    protected readonly d: PortDeps,
  ) {
    super(spec.id, spec.kind);
  }

  /** Open the port's pins (the driver calls it once at start). */
  async open(): Promise<void> {
    if (this.spec.led) this.led = await this.output(this.spec.led, 0);
    await this.openPins();
  }

  async close(): Promise<void> {
    this.dispose();
    await Promise.all(this.pins.map((p) => p.close().catch(() => {})));
    this.pins.length = 0;
  }

  /** Play a sound on the port instead of the box's audio until it ends (null stops it): the selftest's dial tone. */
  play(source: FrameSource | null): void {
    this.local = source;
  }

  /**
   * The port's audio device failed (the reason) or works again (null). A call in progress goes on
   * (the device may come back; the parties hear nothing meanwhile); the port is 'error' once idle.
   */
  setAudioFault(reason: string | null): void {
    this.reason = reason;
    if (reason && this.state === 'idle') this.setState('error');
    else if (!reason && this.state === 'error') this.backInService();
  }

  /** Out of service no more: idle (an FXS port whose phone is off hook goes active). */
  protected backInService(): void {
    this.setState('idle');
  }

  /** One 20 ms tick: the captured frame of this port and the frame to play on it. */
  abstract audioTick(rx: Frame, tx: Frame): void;
  protected abstract openPins(): Promise<void>;
  protected abstract dispose(): void;

  /** Idle while the audio device fails is 'error'. */
  protected override setState(next: ChannelState): void {
    const state = next === 'idle' && this.reason ? 'error' : next;
    super.setState(state);
    void this.led?.write(state === 'idle' || state === 'error' ? 0 : 1).catch(() => {});
  }

  protected async input(ref: GpioRef): Promise<GpioPin> {
    const pin = await this.d.gpio.input(ref.line, { activeLow: ref.activeLow ?? false });
    this.pins.push(pin);
    return pin;
  }

  protected async output(ref: GpioRef, initial: 0 | 1): Promise<GpioPin> {
    const pin = await this.d.gpio.output(ref.line, { initial, activeLow: ref.activeLow ?? false });
    this.pins.push(pin);
    return pin;
  }

  /** Write a relay or LED; a failing GPIO is logged, the call goes on. */
  protected set(pin: GpioPin | null, value: 0 | 1): void {
    if (!pin) return;
    pin.write(value).catch((e: Error) => this.d.log('GPIO write failed', { port: this.id, line: pin.line, error: e.message }));
  }

  /** Fill tx from the local sound if one plays (true), dropping it when it ends. */
  protected playLocal(tx: Frame): boolean {
    if (!this.local) return false;
    if (this.local.read(tx)) return true;
    this.local = null;
    return false;
  }
}
